// The Auth stand-in: a GoTrue-compatible subset (phone OTP, sessions, refresh rotation, user and admin endpoints)
// over the `auth` schema of src/bootstrap/10_auth.sql, as unmodified @supabase/supabase-js speaks to it.
// Protocol facts: /work/shared/reference/supabase-protocols.md §A; behaviour and our extra limits:
// docs/local-stack.md. The gateway has already checked the apikey and set `Authorization: Bearer <JWT>`.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type pg from 'pg';
import type { StackConfig } from '../config.ts';
import { verifyJwt } from '../keys.ts';
import { handleAdmin } from './admin.ts';
import {
  AuthError,
  badRequest,
  bearerToken,
  clientIp,
  forbidden,
  isObject,
  OAuthError,
  readJson,
  sendError,
  sendJson,
  sendNoContent,
  tooMany,
  unprocessable,
  UUID_RE,
} from './http.ts';
import { AuthLimits } from './limits.ts';
import { handleOutbox } from './outbox.ts';
import { checkCountry, generateOtp, otpHash, validatePhone } from './phone.ts';
import { callHttpHook, Outbox, renderSms } from './sms.ts';
import { createSession, refreshGrant, type TokenSettings } from './tokens.ts';
import {
  AUDIENCE,
  findUserById,
  findUserByPhone,
  findUserByPhoneChange,
  identitiesOf,
  insertUser,
  isBanned,
  mergeMetadata,
  userJson,
  withProvider,
  type UserRow,
} from './users.ts';

export interface AuthServiceOptions {
  pool: pg.Pool;
  config: StackConfig;
  jwtSecret: string;
  /** e.g. 'http://127.0.0.1:54321/auth/v1' — the `iss` claim. */
  externalUrl: string;
  serviceRoleKey: string;
  anonKey: string;
  /** Turns a hook URI from config.toml into a reachable URL (the stack maps host.docker.internal:<port> to its own gateway). */
  resolveHookUrl(uri: string): string;
  /** Standard Webhooks secrets ('v1,whsec_<base64>') to sign Send SMS hook calls. */
  sendSmsHookSecrets: string[];
  limits?: { allowedCountryCodes?: string[]; dailySendCapPerPrefix?: number; maxVerifyAttempts?: number };
  log?: (line: string) => void;
}

export interface AuthService {
  /** Handles one request whose path is what follows /auth/v1 (e.g. '/otp', '/token?grant_type=refresh_token'). */
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
  /** Dev SMS outbox at the gateway path /_dev/sms (path = what follows /_dev/sms, '' or '/...'). */
  handleOutbox(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_ALLOWED_COUNTRY_CODES = ['225', '228'];

/** Shared by the endpoint modules. */
export interface AuthContext {
  opts: AuthServiceOptions;
  config: StackConfig;
  tokens: TokenSettings;
  limits: AuthLimits;
  outbox: Outbox;
  tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T>;
  log: (line: string) => void;
}

interface Caller {
  claims: Record<string, unknown>;
  user: UserRow;
  sessionId: string | undefined;
}

export function createAuthService(opts: AuthServiceOptions): AuthService {
  const { pool, config } = opts;
  const log = opts.log ?? ((line: string) => console.error(line));
  const limits = new AuthLimits({
    signInSignUps: config.auth.rateLimit.signInSignUps,
    tokenVerifications: config.auth.rateLimit.tokenVerifications,
    tokenRefresh: config.auth.rateLimit.tokenRefresh,
    smsSentPerHour: config.auth.rateLimit.smsSent,
    dailySendCapPerPrefix: opts.limits?.dailySendCapPerPrefix ?? 50,
    maxVerifyAttempts: opts.limits?.maxVerifyAttempts ?? 5,
    allowedCountryCodes: opts.limits?.allowedCountryCodes ?? DEFAULT_ALLOWED_COUNTRY_CODES,
  });
  const sweeper = setInterval(() => limits.sweep(), 60_000);
  sweeper.unref();
  const hook = config.auth.hooks.customAccessToken;
  const tokens: TokenSettings = {
    jwtSecret: opts.jwtSecret,
    issuer: opts.externalUrl,
    jwtExpiry: config.auth.jwtExpiry,
    rotation: config.auth.refreshTokenRotation,
    reuseIntervalSeconds: config.auth.refreshTokenReuseInterval,
    ...(hook?.enabled && hook.uri.startsWith('pg-functions:') ? { customAccessTokenUri: hook.uri } : {}),
  };
  if (hook?.enabled && !hook.uri.startsWith('pg-functions:')) {
    log(`[auth] custom access token hook ${hook.uri}: only pg-functions:// hooks are supported locally; ignored`);
  }
  const outbox = new Outbox(1000);

  async function tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await pool.connect();
    try {
      await c.query('begin');
      const out = await fn(c);
      await c.query('commit');
      return out;
    } catch (e) {
      await c.query('rollback').catch(() => {});
      throw e;
    } finally {
      c.release();
    }
  }

  const ctx: AuthContext = { opts, config, tokens, limits, outbox, tx, log };

  // One request at a time per phone number for sending and verifying codes, so limits and code checks cannot race.
  const locks = new Map<string, Promise<void>>();
  async function withPhoneLock<T>(phone: string, fn: () => Promise<T>): Promise<T> {
    const prev = locks.get(phone) ?? Promise.resolve();
    let release: () => void = () => {};
    const mine = new Promise<void>((r) => (release = r));
    const chained = prev.then(() => mine);
    locks.set(phone, chained);
    await prev;
    try {
      return await fn();
    } finally {
      release();
      if (locks.get(phone) === chained) locks.delete(phone);
    }
  }

  const rateLimited = (): AuthError => tooMany('over_request_rate_limit', 'Request rate limit reached');

  function requirePhoneProvider(): void {
    if (!config.auth.sms.enabled) throw badRequest('phone_provider_disabled', 'Unsupported phone provider');
  }

  function checkChannel(channel: unknown): void {
    if (channel === undefined || channel === null || channel === '' || channel === 'sms') return;
    if (config.auth.hooks.sendSms) return; // with the Send SMS hook any channel is accepted (and not passed on)
    if (channel === 'whatsapp') return; // the dev outbox stands in for every channel
    throw badRequest('validation_failed', "Invalid channel, supported values are 'sms' or 'whatsapp'");
  }

  /**
   * Sends a code to `phone` (kind `sms` = confirmation/sign-in, `phone_change`). All limits are checked before any
   * write; `prepare` runs in the same transaction (create the user, merge metadata…) and returns the user id. The
   * Send SMS hook is called inside the transaction, so its failure leaves the database untouched. Returns the
   * message id GoTrue reports (only for test OTPs).
   */
  async function deliverCode(o: {
    phone: string;
    kind: 'sms' | 'phone_change';
    ip: string;
    dbSentAt: Date | null;
    prepare: (c: pg.PoolClient) => Promise<string>;
  }): Promise<string | undefined> {
    const { phone } = o;
    const testOtp = config.auth.sms.testOtp[phone];
    const now = Date.now();
    const last = Math.max(o.dbSentAt?.getTime() ?? 0, limits.lastSent.get(phone) ?? 0);
    const wait = last + config.auth.sms.maxFrequencySeconds * 1000 - now;
    if (last && wait > 0) {
      throw tooMany(
        'over_sms_send_rate_limit',
        `For security purposes, you can only request this after ${Math.max(1, Math.ceil(wait / 1000))} seconds.`,
      );
    }
    const prefix = AuthLimits.prefixOf(phone);
    if (testOtp === undefined) {
      if (!limits.smsSent.allows('global', now)) throw tooMany('over_sms_send_rate_limit', 'SMS rate limit exceeded');
      if (!limits.perPrefix.allows(prefix, now)) {
        throw tooMany('over_sms_send_rate_limit', 'Daily SMS limit reached for numbers in this range');
      }
    }
    const otp = testOtp ?? generateOtp(config.auth.sms.otpLength);
    const hash = otpHash(phone, otp);
    const sendSms = config.auth.hooks.sendSms;
    await tx(async (c) => {
      const userId = await o.prepare(c);
      if (o.kind === 'sms') {
        await c.query(
          'update auth.users set confirmation_token = $2, confirmation_sent_at = now(), updated_at = now() where id = $1',
          [userId, hash],
        );
      } else {
        await c.query(
          `update auth.users set phone_change = $2, phone_change_token = $3, phone_change_sent_at = now(),
             updated_at = now() where id = $1`,
          [userId, phone, hash],
        );
      }
      await c.query(
        `insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to)
         values (gen_random_uuid(), $1, $2, $3, $4)
         on conflict (user_id, token_type)
         do update set token_hash = excluded.token_hash, relates_to = excluded.relates_to, updated_at = now()`,
        [userId, o.kind === 'sms' ? 'confirmation_token' : 'phone_change_token', hash, phone],
      );
      if (testOtp === undefined && sendSms) {
        const user = await findUserById(c, userId);
        await callHttpHook({
          url: opts.resolveHookUrl(sendSms.uri),
          secrets: opts.sendSmsHookSecrets.length ? opts.sendSmsHookSecrets : sendSms.secrets,
          payload: {
            metadata: { uuid: randomUUID(), time: new Date().toISOString(), name: 'send-sms', ip_address: o.ip },
            user: userJson(user!, await identitiesOf(c, userId)),
            sms: { otp, phone },
          },
        });
      }
    });
    limits.codeSent(phone);
    if (testOtp !== undefined) return 'test-otp';
    limits.smsSent.record('global');
    limits.perPrefix.record(prefix);
    if (!sendSms) outbox.add(phone, renderSms(config.auth.sms.template, otp), 'auth');
    return undefined;
  }

  async function postOtp(req: IncomingMessage, res: ServerResponse, ip: string): Promise<void> {
    if (!limits.otpPerIp.take(ip)) throw rateLimited();
    const body = await readJson(req);
    if (body.email !== undefined && body.phone === undefined) {
      throw unprocessable('email_provider_disabled', 'Email logins are disabled');
    }
    requirePhoneProvider();
    const phone = validatePhone(body.phone);
    checkChannel(body.channel);
    checkCountry(phone, limits.allowedCountryCodes);
    const data = isObject(body.data) ? body.data : {};
    const createUser = body.create_user !== false;
    const messageId = await withPhoneLock(phone, async () => {
      const existing = await findUserByPhone(pool, phone);
      if (!existing) {
        if (!createUser) throw unprocessable('otp_disabled', 'Signups not allowed for otp');
        if (!config.auth.enableSignup) throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
      }
      return deliverCode({
        phone,
        kind: 'sms',
        ip,
        dbSentAt: existing?.confirmation_sent_at ?? null,
        prepare: async (c) => {
          if (existing) {
            if (!existing.phone_confirmed_at && Object.keys(data).length) {
              await c.query('update auth.users set raw_user_meta_data = $2 where id = $1', [
                existing.id,
                mergeMetadata(existing.raw_user_meta_data, data),
              ]);
            }
            return existing.id;
          }
          const u = await insertUser(c, {
            phone,
            userMetadata: data,
            appMetadata: {},
            phoneConfirmed: !config.auth.sms.enableConfirmations,
          });
          return u.id;
        },
      });
    });
    sendJson(res, 200, messageId ? { message_id: messageId } : {});
  }

  const otpExpired = (): AuthError => forbidden('otp_expired', 'Token has expired or is invalid');

  async function postVerify(req: IncomingMessage, res: ServerResponse, ip: string): Promise<void> {
    if (!limits.verifyPerIp.take(ip)) throw rateLimited();
    const body = await readJson(req);
    const type = body.type;
    if (typeof type !== 'string' || type === '')
      throw badRequest('validation_failed', 'Verify requires a verification type');
    if (type !== 'sms' && type !== 'phone_change')
      throw badRequest('validation_failed', 'Unsupported verification type');
    if (typeof body.token !== 'string' || body.token === '') {
      throw badRequest('validation_failed', 'Verify requires either a token or a token hash');
    }
    const token = body.token.trim();
    const phone = validatePhone(body.phone);
    const session = await withPhoneLock(phone, async () => {
      const attempts = limits.attempts.get(phone);
      if (attempts && attempts.wrong >= limits.maxVerifyAttempts) {
        throw tooMany('over_request_rate_limit', 'Too many attempts, request a new code');
      }
      const valid = (u: UserRow | undefined): u is UserRow => {
        if (!u) return false;
        const testOtp = config.auth.sms.testOtp[phone];
        if (testOtp !== undefined && token === testOtp) return true;
        const stored = type === 'sms' ? u.confirmation_token : u.phone_change_token;
        const sentAt = type === 'sms' ? u.confirmation_sent_at : u.phone_change_sent_at;
        if (!stored || !sentAt || stored !== otpHash(phone, token)) return false;
        return Date.now() < sentAt.getTime() + config.auth.sms.otpExpirySeconds * 1000;
      };
      const found = type === 'sms' ? await findUserByPhone(pool, phone) : await findUserByPhoneChange(pool, phone);
      if (!valid(found)) {
        limits.attempts.set(phone, { wrong: (attempts?.wrong ?? 0) + 1 });
        throw otpExpired();
      }
      if (isBanned(found)) throw forbidden('user_banned', 'User is banned');
      const out = await tx(async (c) => {
        const user = await findUserById(c, found.id, true);
        // Re-checked under the row lock: a concurrent verify may have used the code.
        if (!user || !valid(user)) throw otpExpired();
        if (type === 'sms') {
          await c.query(
            `update auth.users set phone_confirmed_at = coalesce(phone_confirmed_at, now()), confirmation_token = '',
               is_anonymous = false, raw_app_meta_data = $2, last_sign_in_at = now(), updated_at = now() where id = $1`,
            [user.id, withProvider(user.raw_app_meta_data, 'phone')],
          );
          await c.query('delete from auth.one_time_tokens where user_id = $1', [user.id]);
        } else {
          const taken = await c.query('select 1 from auth.users where phone = $1 and id <> $2', [phone, user.id]);
          if (taken.rowCount)
            throw unprocessable('phone_exists', 'A user with this phone number has already been registered');
          await c.query(
            `update auth.users set phone = phone_change, phone_confirmed_at = now(), phone_change = '',
               phone_change_token = '', phone_change_sent_at = null, raw_app_meta_data = $2, last_sign_in_at = now(),
               updated_at = now() where id = $1`,
            [user.id, withProvider(user.raw_app_meta_data, 'phone')],
          );
          await c.query(`delete from auth.one_time_tokens where user_id = $1 and token_type = 'phone_change_token'`, [
            user.id,
          ]);
          const ident = await c.query(
            `update auth.identities set identity_data = identity_data || jsonb_build_object('phone', $2::text),
               updated_at = now() where user_id = $1 and provider = 'phone'`,
            [user.id, phone],
          );
          if (!ident.rowCount) {
            await c.query(
              `insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
               values ($1::text, $3::uuid, $2, 'phone', now(), now())`,
              [user.id, { sub: user.id, phone, email_verified: false, phone_verified: false }, user.id],
            );
          }
        }
        await c.query(
          `update auth.identities set last_sign_in_at = now(),
             identity_data = identity_data || '{"phone_verified": true}'::jsonb, updated_at = now()
           where user_id = $1 and provider = 'phone'`,
          [user.id],
        );
        const fresh = await findUserById(c, user.id);
        return createSession(c, tokens, fresh!, 'otp', { ip, userAgent: req.headers['user-agent'] });
      });
      limits.attempts.delete(phone);
      return out;
    });
    sendJson(res, 200, session);
  }

  async function postToken(
    req: IncomingMessage,
    res: ServerResponse,
    ip: string,
    query: URLSearchParams,
  ): Promise<void> {
    const grant = query.get('grant_type');
    if (grant !== 'refresh_token') {
      if (grant === 'password' || grant === 'pkce' || grant === 'id_token') {
        throw badRequest('validation_failed', `grant_type ${grant} is not supported by the local Auth stand-in`);
      }
      throw new OAuthError('unsupported_grant_type', '');
    }
    if (!limits.refreshPerIp.take(ip)) throw rateLimited();
    const body = await readJson(req);
    const value = body.refresh_token;
    if (typeof value !== 'string' || value === '') throw new OAuthError('invalid_request', 'refresh_token required');
    const c = await pool.connect();
    try {
      await c.query('begin');
      const out = await refreshGrant(c, tokens, value, ip);
      await c.query('commit');
      if (out.kind === 'reuse_detected') {
        throw badRequest('refresh_token_already_used', 'Invalid Refresh Token: Already Used');
      }
      sendJson(res, 200, out.body);
    } catch (e) {
      await c.query('rollback').catch(() => {});
      throw e;
    } finally {
      c.release();
    }
  }

  /** The caller of a user endpoint, from its access token (GoTrue requireAuthentication + maybeLoadUserOrSession). */
  async function requireUser(req: IncomingMessage): Promise<Caller> {
    const jwt = bearerToken(req);
    if (!jwt) throw new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
    const check = verifyJwt(jwt, opts.jwtSecret);
    if (!check.ok) {
      const why =
        check.reason === 'expired'
          ? 'token has invalid claims: token is expired'
          : check.reason === 'signature'
            ? 'token signature is invalid: signature is invalid'
            : 'token is malformed';
      throw forbidden('bad_jwt', `invalid JWT: unable to parse or verify signature, ${why}`);
    }
    const claims = check.claims;
    const sub = claims.sub;
    if (typeof sub !== 'string' || sub === '') throw forbidden('bad_jwt', 'invalid claim: missing sub claim');
    if (!UUID_RE.test(sub)) throw badRequest('bad_jwt', 'invalid claim: sub claim must be a UUID');
    const user = await findUserById(pool, sub);
    if (!user) throw forbidden('user_not_found', 'User from sub claim in JWT does not exist');
    const sid = claims.session_id;
    let sessionId: string | undefined;
    if (typeof sid === 'string' && sid !== '') {
      if (!UUID_RE.test(sid)) throw forbidden('bad_jwt', 'invalid claim: session_id claim must be a UUID');
      const s = await pool.query('select 1 from auth.sessions where id = $1 and user_id = $2', [sid, user.id]);
      if (!s.rowCount) throw forbidden('session_not_found', 'Session from session_id claim in JWT does not exist');
      sessionId = sid;
    }
    const aud = claims.aud;
    const audOk = aud === undefined || aud === AUDIENCE || (Array.isArray(aud) && aud.includes(AUDIENCE));
    if (!audOk) throw badRequest('validation_failed', "Token audience doesn't match request audience");
    return { claims, user, sessionId };
  }

  async function getUser(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { user } = await requireUser(req);
    sendJson(res, 200, userJson(user, await identitiesOf(pool, user.id)));
  }

  async function putUser(req: IncomingMessage, res: ServerResponse, ip: string): Promise<void> {
    if (!limits.otpPerIp.take(ip)) throw rateLimited();
    const caller = await requireUser(req);
    const body = await readJson(req);
    if (body.app_metadata !== undefined && body.app_metadata !== null) {
      throw forbidden('not_admin', 'Updating app_metadata requires admin privileges');
    }
    if (typeof body.email === 'string' && body.email !== '' && body.email !== caller.user.email) {
      throw unprocessable('email_provider_disabled', 'Email logins are disabled');
    }
    if (body.data !== undefined && body.data !== null && !isObject(body.data)) {
      throw badRequest('validation_failed', 'data must be an object');
    }
    const data = isObject(body.data) ? body.data : undefined;
    const password = typeof body.password === 'string' && body.password !== '' ? body.password : undefined;
    if (password !== undefined && password.length < 6) {
      throw unprocessable('weak_password', 'Password should be at least 6 characters.');
    }
    const newPhone = typeof body.phone === 'string' && body.phone !== '' ? validatePhone(body.phone) : undefined;
    const userId = caller.user.id;
    const applyUpdates = async (c: pg.PoolClient): Promise<void> => {
      const u = await findUserById(c, userId, true);
      if (!u) throw forbidden('user_not_found', 'User not found');
      if (data) {
        await c.query('update auth.users set raw_user_meta_data = $2, updated_at = now() where id = $1', [
          userId,
          mergeMetadata(u.raw_user_meta_data, data),
        ]);
      }
      if (password !== undefined) {
        await c.query(
          `update auth.users set encrypted_password = extensions.crypt($2, extensions.gen_salt('bf')),
             updated_at = now() where id = $1`,
          [userId, password],
        );
      }
    };
    if (newPhone !== undefined && newPhone !== caller.user.phone) {
      requirePhoneProvider();
      checkChannel(body.channel);
      checkCountry(newPhone, limits.allowedCountryCodes);
      const taken = await pool.query('select 1 from auth.users where phone = $1 and id <> $2', [newPhone, userId]);
      if (taken.rowCount)
        throw unprocessable('phone_exists', 'A user with this phone number has already been registered');
      await withPhoneLock(newPhone, () =>
        deliverCode({
          phone: newPhone,
          kind: 'phone_change',
          ip,
          dbSentAt: caller.user.phone_change === newPhone ? caller.user.phone_change_sent_at : null,
          prepare: async (c) => {
            await applyUpdates(c);
            return userId;
          },
        }),
      );
    } else if (data || password !== undefined) {
      await tx(applyUpdates);
    }
    const fresh = await findUserById(pool, userId);
    sendJson(res, 200, userJson(fresh!, await identitiesOf(pool, userId)));
  }

  async function postLogout(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const scope = query.get('scope') ?? 'global';
    if (!['global', 'local', 'others'].includes(scope))
      throw badRequest('validation_failed', 'Unsupported logout scope');
    const { user, sessionId } = await requireUser(req);
    if (scope === 'local' && sessionId) {
      await pool.query('delete from auth.sessions where id = $1', [sessionId]);
    } else if (scope === 'others' && sessionId) {
      await pool.query('delete from auth.sessions where user_id = $1 and id <> $2', [user.id, sessionId]);
    } else if (scope !== 'others') {
      await pool.query('delete from auth.sessions where user_id = $1', [user.id]);
    }
    sendNoContent(res);
  }

  async function postResend(req: IncomingMessage, res: ServerResponse, ip: string): Promise<void> {
    if (!limits.otpPerIp.take(ip)) throw rateLimited();
    const body = await readJson(req);
    const type = body.type;
    if (type !== 'sms' && type !== 'phone_change') {
      if (type === 'signup' || type === 'email_change')
        throw unprocessable('email_provider_disabled', 'Email logins are disabled');
      throw badRequest('validation_failed', 'Missing one of these types: signup, email_change, sms, phone_change');
    }
    requirePhoneProvider();
    const phone = validatePhone(body.phone);
    checkCountry(phone, limits.allowedCountryCodes);
    const messageId = await withPhoneLock(phone, async () => {
      const user = type === 'sms' ? await findUserByPhone(pool, phone) : await findUserByPhoneChange(pool, phone);
      // Unknown numbers and confirmed phones get the same empty answer and no code (no account enumeration).
      if (!user || (type === 'sms' && user.phone_confirmed_at)) return undefined;
      return deliverCode({
        phone,
        kind: type,
        ip,
        dbSentAt: type === 'sms' ? user.confirmation_sent_at : user.phone_change_sent_at,
        prepare: async () => user.id,
      });
    });
    sendJson(res, 200, messageId ? { message_id: messageId } : {});
  }

  function getSettings(res: ServerResponse): void {
    sendJson(res, 200, {
      external: {
        anonymous_users: false,
        apple: false,
        azure: false,
        bitbucket: false,
        discord: false,
        facebook: false,
        figma: false,
        fly: false,
        github: false,
        gitlab: false,
        google: false,
        keycloak: false,
        kakao: false,
        linkedin: false,
        linkedin_oidc: false,
        notion: false,
        spotify: false,
        slack: false,
        slack_oidc: false,
        workos: false,
        twitch: false,
        twitter: false,
        email: false,
        phone: config.auth.sms.enabled,
        zoom: false,
      },
      disable_signup: !config.auth.enableSignup,
      mailer_autoconfirm: false,
      phone_autoconfirm: !config.auth.sms.enableConfirmations,
      sms_provider: '',
      saml_enabled: false,
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    try {
      const url = new URL(path || '/', 'http://auth.local');
      const route = url.pathname.replace(/\/+$/, '') || '/';
      const method = req.method ?? 'GET';
      const ip = clientIp(req);
      const only = (m: string): void => {
        if (method !== m) throw new AuthError(405, 'method_not_allowed', 'Method Not Allowed');
      };
      switch (route) {
        case '/health':
          return sendJson(res, 200, {
            version: 'local',
            name: 'GoTrue',
            description: 'GoTrue is a user registration and authentication API',
          });
        case '/settings':
          return getSettings(res);
        case '/.well-known/jwks.json':
          return sendJson(res, 200, { keys: [] });
        case '/otp':
          only('POST');
          return await postOtp(req, res, ip);
        case '/verify':
          only('POST');
          return await postVerify(req, res, ip);
        case '/token':
          only('POST');
          return await postToken(req, res, ip, url.searchParams);
        case '/user':
          if (method === 'GET') return await getUser(req, res);
          only('PUT');
          return await putUser(req, res, ip);
        case '/logout':
          only('POST');
          return await postLogout(req, res, url.searchParams);
        case '/resend':
          only('POST');
          return await postResend(req, res, ip);
        case '/signup':
        case '/recover':
        case '/magiclink':
        case '/invite':
          throw unprocessable('email_provider_disabled', 'Email logins are disabled');
        default:
          if (route === '/admin' || route.startsWith('/admin/')) return await handleAdmin(ctx, req, res, route, url);
          throw new AuthError(404, 'not_found', 'Not Found');
      }
    } catch (e) {
      sendError(res, e, log);
    }
  }

  return {
    handle,
    handleOutbox: async (req, res, path) => {
      try {
        await handleOutbox(ctx, req, res, path);
      } catch (e) {
        sendError(res, e, log);
      }
    },
    async close() {
      clearInterval(sweeper);
    },
  };
}
