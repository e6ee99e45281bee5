// Admin endpoints (GoTrue internal/api/admin.go) for the service_role key: create, list, get, update and delete
// users. Every write is one transaction.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type pg from 'pg';
import { parseDuration } from '../config.ts';
import { verifyJwt } from '../keys.ts';
import type { AuthContext } from './index.ts';
import {
  AuthError,
  badRequest,
  bearerToken,
  forbidden,
  isObject,
  readJson,
  sendJson,
  unprocessable,
  UUID_RE,
} from './http.ts';
import { checkCountry, validatePhone } from './phone.ts';
import {
  AUDIENCE,
  findUserById,
  identitiesOf,
  insertUser,
  mergeMetadata,
  userJson,
  withProvider,
  type IdentityRow,
  type Json,
  type UserRow,
} from './users.ts';

const ADMIN_ROLES = ['service_role', 'supabase_admin'];

/** 401 without a bearer, 403 `bad_jwt` for an invalid token, 403 `not_admin` for a non-admin role. */
export function requireAdmin(jwtSecret: string, req: IncomingMessage): Record<string, unknown> {
  const token = bearerToken(req);
  if (!token) throw new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
  const check = verifyJwt(token, jwtSecret);
  if (!check.ok) {
    throw forbidden(
      'bad_jwt',
      `invalid JWT: unable to parse or verify signature, ${check.reason === 'expired' ? 'token has invalid claims: token is expired' : 'token signature is invalid'}`,
    );
  }
  if (!ADMIN_ROLES.includes(String(check.claims.role ?? ''))) throw forbidden('not_admin', 'User not allowed');
  return check.claims;
}

const notFound = (): AuthError => new AuthError(404, 'user_not_found', 'User not found');

function bannedUntil(v: unknown): Date | null | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (v === 'none') return null;
  let seconds: number;
  try {
    seconds = parseDuration(String(v), NaN);
  } catch {
    throw badRequest('validation_failed', 'invalid format for ban duration: time: invalid duration');
  }
  if (!Number.isFinite(seconds)) throw badRequest('validation_failed', 'invalid format for ban duration');
  return new Date(Date.now() + seconds * 1000);
}

function optionalPhone(v: unknown, allowed: string[]): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const phone = validatePhone(v);
  checkCountry(phone, allowed);
  return phone;
}

function optionalEmail(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim())) {
    throw badRequest('validation_failed', 'Unable to validate email address: invalid format');
  }
  return v.trim().toLowerCase();
}

function optionalObject(v: unknown, name: string): Json | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw badRequest('validation_failed', `${name} must be an object`);
  return v;
}

function optionalPassword(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || v.length < 6)
    throw unprocessable('weak_password', 'Password should be at least 6 characters.');
  return v;
}

async function phoneTaken(db: pg.PoolClient, phone: string, except?: string): Promise<boolean> {
  const r = await db.query('select 1 from auth.users where phone = $1 and ($2::uuid is null or id <> $2::uuid)', [
    phone,
    except ?? null,
  ]);
  return !!r.rowCount;
}

async function emailTaken(db: pg.PoolClient, email: string, except?: string): Promise<boolean> {
  const r = await db.query(
    'select 1 from auth.users where lower(email) = $1 and is_sso_user = false and ($2::uuid is null or id <> $2::uuid)',
    [email, except ?? null],
  );
  return !!r.rowCount;
}

const phoneExists = (): AuthError => unprocessable('phone_exists', 'Phone number already registered by another user');
const emailExists = (): AuthError =>
  unprocessable('email_exists', 'A user with this email address has already been registered');

export async function handleAdmin(
  ctx: AuthContext,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  url: URL,
): Promise<void> {
  requireAdmin(ctx.opts.jwtSecret, req);
  const method = req.method ?? 'GET';
  const allowed = ctx.limits.allowedCountryCodes;

  if (route === '/admin/users') {
    if (method === 'GET') return listUsers(ctx, res, url);
    if (method !== 'POST') throw new AuthError(405, 'method_not_allowed', 'Method Not Allowed');
    const body = await readJson(req);
    const phone = optionalPhone(body.phone, allowed);
    const email = optionalEmail(body.email);
    const password = optionalPassword(body.password);
    const userMetadata = optionalObject(body.user_metadata, 'user_metadata') ?? {};
    const appMetadata = optionalObject(body.app_metadata, 'app_metadata') ?? {};
    const ban = bannedUntil(body.ban_duration);
    if (body.id !== undefined && (typeof body.id !== 'string' || !UUID_RE.test(body.id))) {
      throw badRequest('validation_failed', 'id must be a UUID');
    }
    if (!phone && !email) throw badRequest('validation_failed', 'Unable to validate email address: invalid format');
    const user = await ctx.tx(async (c) => {
      if (phone && (await phoneTaken(c, phone))) throw phoneExists();
      if (email && (await emailTaken(c, email))) throw emailExists();
      if (typeof body.id === 'string' && (await findUserById(c, body.id))) {
        throw unprocessable('user_already_exists', 'User already registered');
      }
      const u = await insertUser(c, {
        ...(typeof body.id === 'string' ? { id: body.id } : {}),
        phone: phone ?? null,
        email: email ?? null,
        passwordSql: password ?? null,
        ...(typeof body.role === 'string' && body.role ? { role: body.role } : {}),
        userMetadata,
        appMetadata,
        phoneConfirmed: body.phone_confirm === true,
        emailConfirmed: body.email_confirm === true,
        bannedUntil: ban ?? null,
      });
      return userJson(u, await identitiesOf(c, u.id));
    });
    return sendJson(res, 200, user);
  }

  const m = /^\/admin\/users\/([^/]+)$/.exec(route);
  if (!m) throw new AuthError(404, 'not_found', 'Not Found');
  const id = decodeURIComponent(m[1]!);
  if (!UUID_RE.test(id)) throw new AuthError(404, 'validation_failed', 'user_id must be an UUID');

  if (method === 'GET') {
    const u = await findUserById(ctx.opts.pool, id);
    if (!u) throw notFound();
    return sendJson(res, 200, userJson(u, await identitiesOf(ctx.opts.pool, id)));
  }

  if (method === 'PUT') {
    const body = await readJson(req);
    const phone = optionalPhone(body.phone, allowed);
    const email = optionalEmail(body.email);
    const password = optionalPassword(body.password);
    const userMetadata = optionalObject(body.user_metadata, 'user_metadata');
    const appMetadata = optionalObject(body.app_metadata, 'app_metadata');
    const ban = bannedUntil(body.ban_duration);
    const out = await ctx.tx(async (c) => {
      const u = await findUserById(c, id, true);
      if (!u) throw notFound();
      let app = u.raw_app_meta_data ?? {};
      if (phone !== undefined && phone !== u.phone) {
        if (await phoneTaken(c, phone, id)) throw phoneExists();
        await c.query('update auth.users set phone = $2, phone_confirmed_at = null where id = $1', [id, phone]);
        await upsertIdentity(c, id, 'phone', { phone });
        app = withProvider(app, 'phone');
      }
      if (body.phone_confirm === true) {
        await c.query('update auth.users set phone_confirmed_at = coalesce(phone_confirmed_at, now()) where id = $1', [
          id,
        ]);
      }
      if (email !== undefined && email !== u.email) {
        if (await emailTaken(c, email, id)) throw emailExists();
        await c.query('update auth.users set email = $2, email_confirmed_at = null where id = $1', [id, email]);
        await upsertIdentity(c, id, 'email', { email });
        app = withProvider(app, 'email');
      }
      if (body.email_confirm === true) {
        await c.query('update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()) where id = $1', [
          id,
        ]);
      }
      if (appMetadata) app = mergeMetadata(app, appMetadata);
      await c.query('update auth.users set raw_app_meta_data = $2, updated_at = now() where id = $1', [id, app]);
      if (userMetadata) {
        await c.query('update auth.users set raw_user_meta_data = $2 where id = $1', [
          id,
          mergeMetadata(u.raw_user_meta_data, userMetadata),
        ]);
      }
      if (password !== undefined) {
        await c.query(
          `update auth.users set encrypted_password = extensions.crypt($2, extensions.gen_salt('bf')) where id = $1`,
          [id, password],
        );
      }
      if (typeof body.role === 'string' && body.role) {
        await c.query('update auth.users set role = $2 where id = $1', [id, body.role]);
      }
      if (ban !== undefined) {
        await c.query('update auth.users set banned_until = $2 where id = $1', [id, ban]);
        if (ban) await c.query('delete from auth.sessions where user_id = $1', [id]);
      }
      const fresh = (await findUserById(c, id))!;
      return userJson(fresh, await identitiesOf(c, id));
    });
    return sendJson(res, 200, out);
  }

  if (method === 'DELETE') {
    const body = await readJson(req);
    await ctx.tx(async (c) => {
      const u = await findUserById(c, id, true);
      if (!u) throw notFound();
      if (body.should_soft_delete === true) {
        // GoTrue's soft delete: the row stays (foreign keys keep working) but can no longer sign in.
        await c.query('delete from auth.sessions where user_id = $1', [id]);
        await c.query('delete from auth.identities where user_id = $1', [id]);
        await c.query('delete from auth.one_time_tokens where user_id = $1', [id]);
        await c.query(
          `update auth.users set deleted_at = now(), updated_at = now(), phone = null, email = null,
             phone_change = '', phone_change_token = '', confirmation_token = '', encrypted_password = '',
             raw_user_meta_data = '{}' where id = $1`,
          [id],
        );
      } else {
        await c.query('delete from auth.users where id = $1', [id]);
      }
    });
    return sendJson(res, 200, {});
  }
  throw new AuthError(405, 'method_not_allowed', 'Method Not Allowed');
}

async function upsertIdentity(
  c: pg.PoolClient,
  userId: string,
  provider: 'phone' | 'email',
  data: Json,
): Promise<void> {
  const r = await c.query<IdentityRow>(
    `update auth.identities set identity_data = identity_data || $3::jsonb, updated_at = now()
      where user_id = $1 and provider = $2 returning *`,
    [userId, provider, data],
  );
  if (r.rowCount) return;
  await c.query(
    `insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
     values ($1::text, $4::uuid, $3, $2, now(), now())`,
    [userId, provider, { sub: userId, ...data, email_verified: false, phone_verified: false }, userId],
  );
}

/** `{users, aud}` + `X-Total-Count` + `Link` (`page=` first: auth-js reads the digit right after the first "="). */
async function listUsers(ctx: AuthContext, res: ServerResponse, url: URL): Promise<void> {
  const page = Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1);
  const perPage = Math.min(1000, Math.max(1, Number.parseInt(url.searchParams.get('per_page') ?? '50', 10) || 50));
  const filter = url.searchParams.get('filter')?.trim();
  const where = filter ? `aud = $1 and (email ilike $2 or phone ilike $2)` : 'aud = $1';
  const params: unknown[] = filter ? [AUDIENCE, `%${filter.replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`] : [AUDIENCE];
  const pool = ctx.opts.pool;
  const total = Number(
    (await pool.query<{ n: string }>(`select count(*) as n from auth.users where ${where}`, params)).rows[0]!.n,
  );
  const rows = await pool.query<UserRow>(
    `select * from auth.users where ${where} order by created_at desc, id limit ${perPage} offset ${(page - 1) * perPage}`,
    params,
  );
  const ids = rows.rows.map((u) => u.id);
  const idents = ids.length
    ? (
        await pool.query<IdentityRow>(
          'select * from auth.identities where user_id = any($1::uuid[]) order by created_at, id',
          [ids],
        )
      ).rows
    : [];
  const users = rows.rows.map((u) =>
    userJson(
      u,
      idents.filter((i) => i.user_id === u.id),
    ),
  );
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const base = `${ctx.opts.externalUrl}/admin/users`;
  const links: string[] = [];
  if (page < lastPage) links.push(`<${base}?page=${page + 1}&per_page=${perPage}>; rel="next"`);
  links.push(`<${base}?page=${lastPage}&per_page=${perPage}>; rel="last"`);
  sendJson(res, 200, { users, aud: AUDIENCE }, { 'x-total-count': String(total), link: links.join(', ') });
}
