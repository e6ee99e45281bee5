// Sessions, refresh tokens and access tokens (GoTrue internal/tokens/service.go, token_refresh.go), with the
// Custom Access Token Hook (hooks/v0hooks, hookspgfunc) run in the token-issuing transaction.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { signJwt } from '../keys.ts';
import { AuthError, badRequest, isObject } from './http.ts';
import { generateRefreshToken } from './phone.ts';
import { AUDIENCE, identitiesOf, userJson, type Json, type UserRow } from './users.ts';

export interface TokenSettings {
  jwtSecret: string;
  issuer: string;
  jwtExpiry: number;
  rotation: boolean;
  reuseIntervalSeconds: number;
  /** `pg-functions://postgres/<schema>/<function>` of the Custom Access Token Hook, if enabled. */
  customAccessTokenUri?: string;
}

export interface SessionRow {
  id: string;
  user_id: string;
  aal: string | null;
  not_after: Date | null;
}

interface RefreshRow {
  id: string;
  token: string;
  user_id: string;
  revoked: boolean;
  updated_at: Date;
  parent: string | null;
  session_id: string | null;
}

/** Where a Postgres hook lives: `pg-functions://postgres/<schema>/<function>` → quoted `"schema"."function"`. */
export function pgHookName(uri: string): string {
  const m = /^pg-functions:\/\/[^/]+\/([^/]+)\/([^/]+)$/.exec(uri);
  if (!m) throw new Error(`custom access token hook: unsupported uri ${uri}`);
  const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;
  return `${q(m[1]!)}.${q(m[2]!)}`;
}

const REQUIRED_CLAIMS = ['aud', 'exp', 'iat', 'sub', 'email', 'phone', 'role', 'aal', 'session_id', 'is_anonymous'];

/** The JSON-schema checks GoTrue applies to hook output claims (v0hooks MinimumViableTokenSchema). */
export function validateHookClaims(claims: Json): string[] {
  const errs: string[] = [];
  for (const k of REQUIRED_CLAIMS) if (!(k in claims)) errs.push(`${k} is required`);
  const t = (k: string, ok: (v: unknown) => boolean, what: string): void => {
    if (k in claims && !ok(claims[k])) errs.push(`${k}: Invalid type. Expected: ${what}`);
  };
  const str = (v: unknown): boolean => typeof v === 'string';
  t('aud', (v) => str(v) || (Array.isArray(v) && v.every(str)), 'array or string');
  t('exp', Number.isInteger, 'integer');
  t('iat', Number.isInteger, 'integer');
  t('sub', str, 'string');
  t('email', str, 'string');
  t('phone', str, 'string');
  t('role', str, 'string');
  t('aal', str, 'string');
  t('session_id', str, 'string');
  t('is_anonymous', (v) => typeof v === 'boolean', 'boolean');
  t('app_metadata', isObject, 'object');
  t('user_metadata', isObject, 'object');
  t('amr', (v) => Array.isArray(v) && v.every((e) => str(e) || isObject(e)), 'array');
  return errs;
}

export async function runCustomAccessTokenHook(db: pg.PoolClient, uri: string, input: Json): Promise<Json> {
  const fn = pgHookName(uri);
  let output: unknown;
  await db.query('savepoint access_token_hook');
  try {
    await db.query('set local role supabase_auth_admin');
    await db.query(`set local statement_timeout = '2000'`);
    const r = await db.query<{ out: unknown }>(`select ${fn}($1::jsonb) as out`, [JSON.stringify(input)]);
    output = r.rows[0]?.out;
    await db.query('set local statement_timeout to default');
    await db.query('reset role');
    await db.query('release savepoint access_token_hook');
  } catch (e) {
    await db.query('rollback to savepoint access_token_hook');
    await db.query('reset role');
    throw new AuthError(500, 'unexpected_failure', `Error running hook URI: ${uri}`, {}, e);
  }
  if (!isObject(output)) throw new AuthError(500, 'unexpected_failure', 'Error unmarshaling JSON output.');
  if (isObject(output.error)) {
    const httpCode = Number(output.error.http_code) || 500;
    const message = typeof output.error.message === 'string' ? output.error.message : '';
    if (message) throw new AuthError(httpCode, httpCode === 500 ? 'unexpected_failure' : 'unknown', message);
  }
  if (!('claims' in output)) throw new AuthError(500, 'unexpected_failure', 'output claims field is missing');
  if (!isObject(output.claims)) throw new AuthError(500, 'unexpected_failure', 'Error unmarshaling JSON output.');
  const errs = validateHookClaims(output.claims);
  if (errs.length) {
    throw new AuthError(
      500,
      'unexpected_failure',
      `output claims do not conform to the expected schema: \n${errs.map((e) => `- ${e}\n`).join('')}`,
    );
  }
  return output.claims;
}

async function amrOf(db: pg.PoolClient, sessionId: string): Promise<Array<{ method: string; timestamp: number }>> {
  const r = await db.query<{ authentication_method: string; updated_at: Date }>(
    'select authentication_method, updated_at from auth.mfa_amr_claims where session_id = $1 order by updated_at',
    [sessionId],
  );
  return r.rows.map((a) => ({ method: a.authentication_method, timestamp: Math.floor(a.updated_at.getTime() / 1000) }));
}

/**
 * Signs an access token for `user` in `session` and returns GoTrue's session JSON. Runs the Custom Access Token
 * Hook (if configured) inside the caller's transaction, so a refusal from the hook rolls back the sign-in.
 */
export async function issueAccessToken(
  db: pg.PoolClient,
  s: TokenSettings,
  user: UserRow,
  sessionId: string,
  refreshToken: string,
  method: string,
  ip: string,
): Promise<Json> {
  const session = await db.query<SessionRow>('select * from auth.sessions where id = $1', [sessionId]);
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + s.jwtExpiry;
  let claims: Json = {
    iss: s.issuer,
    sub: user.id,
    aud: user.aud || AUDIENCE,
    exp,
    iat,
    email: user.email ?? '',
    phone: user.phone ?? '',
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    role: user.role || AUDIENCE,
    aal: session.rows[0]?.aal ?? 'aal1',
    amr: await amrOf(db, sessionId),
    session_id: sessionId,
    is_anonymous: user.is_anonymous,
  };
  if (s.customAccessTokenUri) {
    claims = await runCustomAccessTokenHook(db, s.customAccessTokenUri, {
      metadata: { uuid: randomUUID(), time: new Date().toISOString(), name: 'customize-access-token', ip_address: ip },
      user_id: user.id,
      claims,
      authentication_method: method,
    });
  }
  const accessToken = signJwt(claims, s.jwtSecret);
  const exp2 = typeof claims.exp === 'number' ? claims.exp : exp;
  return {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: s.jwtExpiry,
    expires_at: exp2,
    refresh_token: refreshToken,
    user: userJson(user, await identitiesOf(db, user.id)),
  };
}

/** Creates a session (aal1, amr `method`) and its first refresh token, then signs the access token. */
export async function createSession(
  db: pg.PoolClient,
  s: TokenSettings,
  user: UserRow,
  method: string,
  ctx: { ip: string; userAgent: string | undefined },
): Promise<Json> {
  const sessionId = randomUUID();
  await db.query(
    `insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
     values ($1, $2, now(), now(), 'aal1', $3, $4)`,
    [sessionId, user.id, ctx.userAgent ?? null, isIp(ctx.ip) ? ctx.ip : null],
  );
  await db.query(
    `insert into auth.mfa_amr_claims (session_id, created_at, updated_at, authentication_method, id)
     values ($1, now(), now(), $2, $3)`,
    [sessionId, method, randomUUID()],
  );
  const token = generateRefreshToken();
  await db.query(
    `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
     values ('00000000-0000-0000-0000-000000000000', $1, $2, false, now(), now(), null, $3)`,
    [token, user.id, sessionId],
  );
  return issueAccessToken(db, s, user, sessionId, token, method, ctx.ip);
}

const isIp = (ip: string): boolean => /^[0-9.]+$/.test(ip) || /^[0-9a-f:]+$/i.test(ip);

export type RefreshOutcome = { kind: 'session'; body: Json } | { kind: 'reuse_detected' };

/**
 * Refresh-token grant. Rotation: the used token is revoked and a child issued. Reusing a revoked token is allowed
 * when it is the parent of the session's active token (the client lost the response: the active one is returned)
 * or within `refresh_token_reuse_interval` of its revocation; otherwise the whole family (every token of the
 * session) is revoked and the caller must commit that before answering 400 `refresh_token_already_used`.
 */
export async function refreshGrant(
  db: pg.PoolClient,
  s: TokenSettings,
  tokenValue: string,
  ip: string,
): Promise<RefreshOutcome> {
  const found = await db.query<RefreshRow>('select * from auth.refresh_tokens where token = $1 for update', [
    tokenValue,
  ]);
  const token = found.rows[0];
  if (!token) throw badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
  if (!token.session_id) throw badRequest('session_not_found', 'Invalid Refresh Token: No Valid Session Found');
  const sessionRes = await db.query<SessionRow>('select * from auth.sessions where id = $1 for update', [
    token.session_id,
  ]);
  const session = sessionRes.rows[0];
  if (!session) throw badRequest('session_not_found', 'Invalid Refresh Token: No Valid Session Found');
  if (session.not_after && session.not_after.getTime() < Date.now()) {
    throw badRequest('session_expired', 'Invalid Refresh Token: Session Expired');
  }
  const userRes = await db.query<UserRow>('select * from auth.users where id = $1', [session.user_id]);
  const user = userRes.rows[0];
  if (!user) throw badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
  if (user.banned_until && user.banned_until.getTime() > Date.now()) {
    throw badRequest('user_banned', 'Invalid Refresh Token: User Banned');
  }

  let issued: string | undefined;
  if (token.revoked) {
    const active = await db.query<RefreshRow>(
      'select * from auth.refresh_tokens where session_id = $1 and revoked is false order by id desc limit 1',
      [session.id],
    );
    const current = active.rows[0];
    if (current && current.parent === token.token) {
      issued = current.token;
    } else {
      const reuseUntil = token.updated_at.getTime() + s.reuseIntervalSeconds * 1000;
      if (Date.now() > reuseUntil) {
        if (s.rotation) {
          await db.query(
            'update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1 and revoked is false',
            [session.id],
          );
        }
        return { kind: 'reuse_detected' };
      }
    }
  }
  if (!issued) {
    issued = generateRefreshToken();
    await db.query(
      `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
       values ('00000000-0000-0000-0000-000000000000', $1, $2, false, now(), now(), $3, $4)`,
      [issued, user.id, token.token, session.id],
    );
    if (!token.revoked) {
      await db.query('update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1', [token.id]);
    }
  }
  await db.query(
    "update auth.sessions set refreshed_at = now() at time zone 'utc', updated_at = now(), ip = coalesce($2::inet, ip) where id = $1",
    [session.id, isIp(ip) ? ip : null],
  );
  const body = await issueAccessToken(db, s, user, session.id, issued, 'token_refresh', ip);
  return { kind: 'session', body };
}
