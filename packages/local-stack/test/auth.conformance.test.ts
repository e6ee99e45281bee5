// Auth stand-in conformance: what unmodified @supabase/supabase-js sees (and, where supabase-js hides it, the raw
// HTTP answer) for phone OTP sign-in, refresh rotation, sign-out, user updates, admin and the access token hook.
// Every refused request is checked to have changed nothing in the database.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../src/index.ts';
import { newClient, stack, uniquePhone, startExtraStack } from './stack.ts';

const TEST_NUMBERS = { a: '+2250700000002', b: '+2250700000003', c: '+2250700000004', hook: '+2250700000005' };
const TEST_CODE = '123456';

let ipCounter = 0;
/** A client that looks like a distinct phone on a distinct IP, so per-IP buckets of one test never leak into another. */
function phoneClient(apiUrl = stack().apiUrl, anonKey = stack().anonKey): SupabaseClient {
  ipCounter += 1;
  return createClient(apiUrl, anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: {
      headers: { 'x-forwarded-for': `10.${process.pid % 250}.${Math.floor(ipCounter / 250)}.${ipCounter % 250}` },
    },
  });
}

const claimsOf = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

let db: pg.Pool;

/** Everything the database holds about one phone number (user row, identities, sessions, tokens, codes). */
async function footprint(phone: string, pool = db): Promise<unknown> {
  const digits = phone.replace(/^\+/, '');
  const r = await pool.query(
    `select
       (select coalesce(jsonb_agg(to_jsonb(u) order by u.id), '[]') from auth.users u
         where u.phone = $1 or u.phone_change = $1) as users,
       (select count(*) from auth.identities i join auth.users u on u.id = i.user_id where u.phone = $1)::int as identities,
       (select coalesce(jsonb_agg(to_jsonb(s) order by s.id), '[]') from auth.sessions s
         join auth.users u on u.id = s.user_id where u.phone = $1) as sessions,
       (select coalesce(jsonb_agg(to_jsonb(t) order by t.id), '[]') from auth.refresh_tokens t
         join auth.users u on u.id::text = t.user_id where u.phone = $1) as refresh_tokens,
       (select coalesce(jsonb_agg(to_jsonb(o) order by o.id), '[]') from auth.one_time_tokens o
         join auth.users u on u.id = o.user_id where u.phone = $1) as one_time_tokens`,
    [digits],
  );
  return r.rows[0];
}

/** Row counts of the auth tables (test files run one at a time, so these only move with this file's requests). */
async function totals(): Promise<unknown> {
  const r = await db.query(
    `select (select count(*) from auth.users)::int as users, (select count(*) from auth.sessions)::int as sessions,
            (select count(*) from auth.refresh_tokens)::int as refresh_tokens,
            (select count(*) from auth.one_time_tokens)::int as one_time_tokens`,
  );
  return r.rows[0];
}

async function rawAuth(
  path: string,
  init: { method?: string; body?: unknown; token?: string; apikey?: string; ip?: string } = {},
  base = stack().apiUrl,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = {
    apikey: init.apikey ?? stack().anonKey,
    'content-type': 'application/json',
    'x-supabase-api-version': '2024-01-01',
  };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.ip) headers['x-forwarded-for'] = init.ip;
  const res = await fetch(`${base}/auth/v1${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}

function expectGoTrueError(
  r: { status: number; body: Record<string, unknown>; headers: Headers },
  status: number,
  code: string,
): void {
  expect({ status: r.status, code: r.body.code }).toEqual({ status, code });
  expect(typeof r.body.message).toBe('string');
  expect(r.headers.get('x-supabase-api-version')).toBe('2024-01-01');
  expect(r.headers.get('x-sb-error-code')).toBe(code);
}

/**
 * Signs in a demo number. Like GoTrue, max_frequency applies to test numbers too, but their fixed code is accepted
 * without a fresh send, so a refused resend (429) still lets the verify go through.
 */
async function signInWithTestNumber(client: SupabaseClient, phone: string) {
  const sent = await client.auth.signInWithOtp({ phone });
  if (sent.error) expect(sent.error).toMatchObject({ status: 429, code: 'over_sms_send_rate_limit' });
  const v = await client.auth.verifyOtp({ phone, token: TEST_CODE, type: 'sms' });
  expect(v.error).toBeNull();
  return v.data.session!;
}

beforeAll(() => {
  db = new pg.Pool({ connectionString: stack().dbUrl, max: 2 });
});
afterAll(async () => {
  await db.end();
});

describe('phone OTP with a test number (config.toml [auth.sms.test_otp])', () => {
  it('signs in with the fixed code, answers message_id "test-otp" and sends no SMS', async () => {
    const client = phoneClient();
    const sent = await client.auth.signInWithOtp({ phone: TEST_NUMBERS.a, options: { data: { display_name: 'Awa' } } });
    expect(sent.error).toBeNull();
    expect(sent.data.messageId).toBe('test-otp');

    const v = await client.auth.verifyOtp({ phone: TEST_NUMBERS.a, token: TEST_CODE, type: 'sms' });
    expect(v.error).toBeNull();
    const session = v.data.session!;
    expect(session).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    expect(session.refresh_token).toMatch(/^[a-z0-9]{12}$/);
    expect(session.expires_at).toBeGreaterThan(Date.now() / 1000);
    expect(session.user).toMatchObject({
      aud: 'authenticated',
      role: 'authenticated',
      email: '',
      phone: '2250700000002',
      app_metadata: { provider: 'phone', providers: ['phone'] },
      is_anonymous: false,
    });
    expect(session.user.phone_confirmed_at).toBeTruthy();
    expect(session.user.identities?.[0]).toMatchObject({
      provider: 'phone',
      id: session.user.id,
      user_id: session.user.id,
    });

    const outbox = await fetch(`${stack().apiUrl}/_dev/sms?phone=${encodeURIComponent(TEST_NUMBERS.a)}`);
    expect(((await outbox.json()) as { messages: unknown[] }).messages).toEqual([]);
  });

  it('puts the GoTrue claims in the access token, plus the hook claim, on sign-in and on refresh', async () => {
    const client = phoneClient();
    const session = await signInWithTestNumber(client, TEST_NUMBERS.hook);
    const claims = claimsOf(session.access_token);
    expect(claims).toMatchObject({
      iss: `${stack().apiUrl}/auth/v1`,
      sub: session.user.id,
      aud: 'authenticated',
      role: 'authenticated',
      aal: 'aal1',
      phone: '2250700000005',
      email: '',
      is_anonymous: false,
      app_metadata: { provider: 'phone', providers: ['phone'] },
    });
    expect(claims.session_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.amr).toEqual([{ method: 'otp', timestamp: expect.any(Number) }]);
    expect(claims.exp).toBe((claims.iat as number) + 3600);
    expect(Array.isArray(claims.user_roles)).toBe(true);

    const refreshed = await client.auth.refreshSession();
    expect(refreshed.error).toBeNull();
    const after = claimsOf(refreshed.data.session!.access_token);
    expect(Array.isArray(after.user_roles)).toBe(true);
    expect(after.session_id).toBe(claims.session_id);
  });
});

describe('refused requests change nothing', () => {
  it('refuses a malformed phone with 400 validation_failed', async () => {
    const client = phoneClient();
    const before = await totals();
    const { error } = await client.auth.signInWithOtp({ phone: '+225 07 abc' });
    expect(error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: 'Invalid phone number format (E.164 required)',
    });
    expect(await totals()).toEqual(before);
  });

  it('refuses a number from a country we do not serve', async () => {
    const phone = '+33612345678';
    const before = await footprint(phone);
    const { error } = await phoneClient().auth.signInWithOtp({ phone });
    expect(error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: 'Phone number country is not supported',
    });
    expect(await footprint(phone)).toEqual(before);
  });

  it('refuses an unknown number without create_user with 422 otp_disabled', async () => {
    const phone = uniquePhone();
    const { error } = await phoneClient().auth.signInWithOtp({ phone, options: { shouldCreateUser: false } });
    expect(error).toMatchObject({ status: 422, code: 'otp_disabled' });
    expect(await footprint(phone)).toMatchObject({ users: [] });
  });

  it('answers 403 otp_expired for a wrong code and for an unknown number, with no session', async () => {
    const client = phoneClient();
    expect((await client.auth.signInWithOtp({ phone: TEST_NUMBERS.c })).error).toBeNull();
    const before = await footprint(TEST_NUMBERS.c);
    const wrong = await client.auth.verifyOtp({ phone: TEST_NUMBERS.c, token: '000000', type: 'sms' });
    expect(wrong.error).toMatchObject({ status: 403, code: 'otp_expired', message: 'Token has expired or is invalid' });
    expect(wrong.data.session).toBeNull();
    expect(await footprint(TEST_NUMBERS.c)).toEqual(before);

    const unknown = uniquePhone();
    const r = await rawAuth('/verify', { body: { phone: unknown, token: '123456', type: 'sms' } });
    expectGoTrueError(r, 403, 'otp_expired');
    expect(await footprint(unknown)).toMatchObject({ users: [] });
  });
});

describe('refresh tokens', () => {
  it('rotates, tolerates reuse within the window and revokes the family on reuse outside it', async () => {
    const client = phoneClient();
    const first = await signInWithTestNumber(client, TEST_NUMBERS.b);
    const ip = '10.250.0.1';
    const a = first.refresh_token;

    const r1 = await rawAuth('/token?grant_type=refresh_token', { body: { refresh_token: a }, ip });
    expect(r1.status).toBe(200);
    const b = r1.body.refresh_token as string;
    expect(b).not.toBe(a);
    expect(claimsOf(r1.body.access_token as string).session_id).toBe(claimsOf(first.access_token).session_id);

    // The client lost the answer and retries with A: it gets the active token B back, nothing new is minted.
    const retry = await rawAuth('/token?grant_type=refresh_token', { body: { refresh_token: a }, ip });
    expect(retry.status).toBe(200);
    expect(retry.body.refresh_token).toBe(b);

    const r2 = await rawAuth('/token?grant_type=refresh_token', { body: { refresh_token: b }, ip });
    expect(r2.status).toBe(200);
    const c = r2.body.refresh_token as string;

    // A again, still inside refresh_token_reuse_interval (10 s): allowed (concurrent tabs).
    const inWindow = await rawAuth('/token?grant_type=refresh_token', { body: { refresh_token: a }, ip });
    expect(inWindow.status).toBe(200);

    // A is no longer the parent of the active token (C), so that was the reuse window at work: a new child of A.
    expect(inWindow.body.refresh_token).not.toBe(c);

    // B again, once the window has passed: abuse. The whole session's token family is revoked.
    await db.query(`update auth.refresh_tokens set updated_at = now() - interval '1 minute' where token = $1`, [b]);
    const reuse = await rawAuth('/token?grant_type=refresh_token', { body: { refresh_token: b }, ip });
    expectGoTrueError(reuse, 400, 'refresh_token_already_used');
    expect(reuse.body.message).toBe('Invalid Refresh Token: Already Used');
    const family = await db.query<{ revoked: boolean }>(
      `select revoked from auth.refresh_tokens where session_id = (select session_id from auth.refresh_tokens where token = $1)`,
      [c],
    );
    expect(family.rows.length).toBeGreaterThanOrEqual(4);
    expect(family.rows.every((t) => t.revoked)).toBe(true);

    await db.query(`update auth.refresh_tokens set updated_at = now() - interval '1 minute' where token = $1`, [c]);
    expectGoTrueError(
      await rawAuth('/token?grant_type=refresh_token', { body: { refresh_token: c }, ip }),
      400,
      'refresh_token_already_used',
    );
  });

  it('answers 400 refresh_token_not_found for an unknown token', async () => {
    const r = await rawAuth('/token?grant_type=refresh_token', { body: { refresh_token: 'zzzzzzzzzzzz' } });
    expectGoTrueError(r, 400, 'refresh_token_not_found');
  });
});

describe('the signed-in user', () => {
  it('reads and updates the user, merging metadata with null deleting a key', async () => {
    const client = phoneClient();
    const session = await signInWithTestNumber(client, TEST_NUMBERS.b);
    const got = await client.auth.getUser();
    expect(got.error).toBeNull();
    expect(got.data.user?.id).toBe(session.user.id);

    await client.auth.updateUser({ data: { nickname: 'Kofi', city: 'Abidjan' } });
    const updated = await client.auth.updateUser({ data: { nickname: null, city: 'Lomé' } });
    expect(updated.error).toBeNull();
    expect(updated.data.user?.user_metadata).toMatchObject({ city: 'Lomé' });
    expect(updated.data.user?.user_metadata).not.toHaveProperty('nickname');
    expect((await client.auth.getUser()).data.user?.user_metadata).toMatchObject({ city: 'Lomé' });
  });

  it('refuses app_metadata from the user with 403 not_admin and changes nothing', async () => {
    const client = phoneClient();
    const session = await signInWithTestNumber(client, TEST_NUMBERS.c);
    const before = await footprint(TEST_NUMBERS.c);
    const r = await rawAuth('/user', {
      method: 'PUT',
      token: session.access_token,
      body: { app_metadata: { role: 'admin' } },
    });
    expectGoTrueError(r, 403, 'not_admin');
    expect(await footprint(TEST_NUMBERS.c)).toEqual(before);
  });

  it('signs out (204) and then refuses the old access token with 403 session_not_found', async () => {
    const client = phoneClient();
    const session = await signInWithTestNumber(client, TEST_NUMBERS.b);
    const logout = await fetch(`${stack().apiUrl}/auth/v1/logout?scope=global`, {
      method: 'POST',
      headers: { apikey: stack().anonKey, authorization: `Bearer ${session.access_token}` },
    });
    expect(logout.status).toBe(204);

    // auth-js turns GoTrue's 403 session_not_found into AuthSessionMissingError (and drops its session).
    const { error } = await client.auth.getUser(session.access_token);
    expect(error?.name).toBe('AuthSessionMissingError');
    expectGoTrueError(await rawAuth('/user', { token: session.access_token }), 403, 'session_not_found');
    expectGoTrueError(
      await rawAuth('/token?grant_type=refresh_token', { body: { refresh_token: session.refresh_token } }),
      400,
      'refresh_token_not_found',
    );
  });

  it('signOut() through supabase-js ends the session', async () => {
    const client = phoneClient();
    const session = await signInWithTestNumber(client, TEST_NUMBERS.c);
    expect((await client.auth.signOut({ scope: 'local' })).error).toBeNull();
    expectGoTrueError(await rawAuth('/user', { token: session.access_token }), 403, 'session_not_found');
  });

  it('refuses a forged token with 403 bad_jwt', async () => {
    const client = phoneClient();
    const session = await signInWithTestNumber(client, TEST_NUMBERS.c);
    const [h, p] = session.access_token.split('.');
    expectGoTrueError(await rawAuth('/user', { token: `${h}.${p}.AAAA` }), 403, 'bad_jwt');
  });
});

describe('settings and health', () => {
  it('reports phone sign-in on and e-mail off, like GoTrue /settings', async () => {
    const r = await rawAuth('/settings');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      external: { phone: true, email: false },
      disable_signup: false,
      phone_autoconfirm: false,
    });
    expect((await rawAuth('/health')).body).toMatchObject({ name: 'GoTrue' });
  });
});

describe('admin API (service_role)', () => {
  it('creates, lists, reads, updates and deletes a user', async () => {
    const admin = newClient('service').auth.admin;
    const phone = uniquePhone();
    const created = await admin.createUser({ phone, phone_confirm: true, user_metadata: { display_name: 'Ama' } });
    expect(created.error).toBeNull();
    const user = created.data.user!;
    expect(user).toMatchObject({
      phone: phone.slice(1),
      user_metadata: { display_name: 'Ama' },
      app_metadata: { provider: 'phone', providers: ['phone'] },
    });
    expect(user.phone_confirmed_at).toBeTruthy();

    const again = await admin.createUser({ phone, phone_confirm: true });
    expect(again.error).toMatchObject({ status: 422, code: 'phone_exists' });

    const got = await admin.getUserById(user.id);
    expect(got.data.user?.id).toBe(user.id);

    const updated = await admin.updateUserById(user.id, {
      user_metadata: { city: 'Bouaké' },
      app_metadata: { plan: 'pro' },
    });
    expect(updated.error).toBeNull();
    expect(updated.data.user?.user_metadata).toEqual({ display_name: 'Ama', city: 'Bouaké' });
    expect(updated.data.user?.app_metadata).toMatchObject({ provider: 'phone', plan: 'pro' });

    const list = await admin.listUsers({ page: 1, perPage: 1 });
    expect(list.error).toBeNull();
    expect(list.data.users).toHaveLength(1);
    const total = (list.data as unknown as { total: number }).total;
    expect(total).toBeGreaterThanOrEqual(2);
    expect((list.data as unknown as { nextPage: number | null }).nextPage).toBe(2);

    const raw = await rawAuth('/admin/users?page=1&per_page=1', { apikey: stack().serviceRoleKey });
    expect(raw.body).toMatchObject({ aud: 'authenticated' });
    expect(Number(raw.headers.get('x-total-count'))).toBe(total);
    expect(raw.headers.get('link')).toMatch(
      /^<[^>]*\/auth\/v1\/admin\/users\?page=2&per_page=1>; rel="next", <[^>]*\?page=\d+&per_page=1>; rel="last"$/,
    );

    const deleted = await admin.deleteUser(user.id);
    expect(deleted.error).toBeNull();
    const gone = await admin.getUserById(user.id);
    expect(gone.error).toMatchObject({ status: 404, code: 'user_not_found' });
    expect(await footprint(phone)).toMatchObject({ users: [] });
  });

  it('refuses the anon key with 403 not_admin and a bad token with 403 bad_jwt', async () => {
    const phone = uniquePhone();
    const anon = await rawAuth('/admin/users', { body: { phone, phone_confirm: true } });
    expectGoTrueError(anon, 403, 'not_admin');
    const forged = await rawAuth('/admin/users', {
      token: `${stack().serviceRoleKey.slice(0, -4)}AAAA`,
      body: { phone },
    });
    expectGoTrueError(forged, 403, 'bad_jwt');
    expect(await footprint(phone)).toMatchObject({ users: [] });
  });
});

// Real generated codes, delivered to the dev outbox: a second stack without the Send SMS hook, with a short
// max_frequency so the "ask again" paths run in seconds.
describe('real codes through the dev outbox (Send SMS hook off)', () => {
  let dev: Stack;
  let devDb: pg.Pool;
  const MAX_FREQUENCY = 3;

  beforeAll(async () => {
    dev = await startExtraStack({
      functions: false,
      configure: (c) => {
        delete c.auth.hooks.sendSms;
        c.auth.sms.maxFrequencySeconds = MAX_FREQUENCY;
      },
    });
    devDb = new pg.Pool({ connectionString: dev.dbUrl, max: 2 });
  });
  afterAll(async () => {
    await devDb?.end();
    await dev?.stop();
  });

  const devClient = (): SupabaseClient => phoneClient(dev.apiUrl, dev.anonKey);
  async function lastCode(phone: string): Promise<string> {
    const r = await fetch(`${dev.apiUrl}/_dev/sms?phone=${encodeURIComponent(phone)}`);
    const { messages } = (await r.json()) as { messages: Array<{ body: string; phone: string; source: string }> };
    const m = messages.at(-1)!;
    expect(m).toMatchObject({ phone, source: 'auth' });
    expect(m.body).toMatch(/^Votre code Ecom : \d{6}$/);
    return /(\d{6})$/.exec(m.body)![1]!;
  }

  it('signs in with the code from the outbox, stored as sha224(phone + code)', async () => {
    const phone = uniquePhone();
    const client = devClient();
    const sent = await client.auth.signInWithOtp({ phone, options: { data: { display_name: 'Yao' } } });
    expect(sent.error).toBeNull();
    expect(sent.data.messageId).toBeUndefined();
    const code = await lastCode(phone);
    const stored = await devDb.query(
      `select u.confirmation_token = encode(extensions.digest($1 || $2, 'sha224'), 'hex') as ok, o.token_type, o.relates_to
         from auth.users u join auth.one_time_tokens o on o.user_id = u.id where u.phone = $1`,
      [phone.slice(1), code],
    );
    expect(stored.rows).toEqual([{ ok: true, token_type: 'confirmation_token', relates_to: phone.slice(1) }]);

    const v = await client.auth.verifyOtp({ phone, token: code, type: 'sms' });
    expect(v.error).toBeNull();
    expect(v.data.user).toMatchObject({ phone: phone.slice(1), user_metadata: { display_name: 'Yao' } });
    expect(await footprint(phone, devDb)).toMatchObject({ one_time_tokens: [] });

    // The code is single-use.
    const replay = await client.auth.verifyOtp({ phone, token: code, type: 'sms' });
    expect(replay.error).toMatchObject({ status: 403, code: 'otp_expired' });
  });

  it('refuses a second code within max_frequency with 429 over_sms_send_rate_limit', async () => {
    const phone = uniquePhone();
    const client = devClient();
    expect((await client.auth.signInWithOtp({ phone })).error).toBeNull();
    const before = await footprint(phone, devDb);
    const again = await client.auth.signInWithOtp({ phone });
    expect(again.error).toMatchObject({ status: 429, code: 'over_sms_send_rate_limit' });
    expect(again.error?.message).toMatch(/^For security purposes, you can only request this after \d+ seconds\.$/);
    expect(await footprint(phone, devDb)).toEqual(before);
  });

  it('refuses an expired code with 403 otp_expired and no session', async () => {
    const phone = uniquePhone();
    const client = devClient();
    expect((await client.auth.signInWithOtp({ phone })).error).toBeNull();
    const code = await lastCode(phone);
    // [auth.sms] otp_expiry = 600 s: pretend the code was sent 11 minutes ago.
    await devDb.query(`update auth.users set confirmation_sent_at = now() - interval '11 minutes' where phone = $1`, [
      phone.slice(1),
    ]);
    const before = await footprint(phone, devDb);
    const v = await client.auth.verifyOtp({ phone, token: code, type: 'sms' });
    expect(v.error).toMatchObject({ status: 403, code: 'otp_expired' });
    expect(v.data.session).toBeNull();
    expect(await footprint(phone, devDb)).toEqual(before);
  });

  it('burns the code after 5 wrong attempts, even the right code then gets 429, until a new code is sent', async () => {
    const phone = uniquePhone();
    const client = devClient();
    expect((await client.auth.signInWithOtp({ phone })).error).toBeNull();
    const code = await lastCode(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    const before = await footprint(phone, devDb);
    for (let i = 0; i < 5; i += 1) {
      const r = await client.auth.verifyOtp({ phone, token: wrong, type: 'sms' });
      expect(r.error).toMatchObject({ status: 403, code: 'otp_expired' });
    }
    const right = await client.auth.verifyOtp({ phone, token: code, type: 'sms' });
    expect(right.error).toMatchObject({
      status: 429,
      code: 'over_request_rate_limit',
      message: 'Too many attempts, request a new code',
    });
    expect(right.data.session).toBeNull();
    expect(await footprint(phone, devDb)).toEqual(before);

    await new Promise((r) => setTimeout(r, MAX_FREQUENCY * 1000 + 200));
    expect((await client.auth.signInWithOtp({ phone })).error).toBeNull();
    const fresh = await lastCode(phone);
    const ok = await client.auth.verifyOtp({ phone, token: fresh, type: 'sms' });
    expect(ok.error).toBeNull();
    expect(ok.data.session?.access_token).toBeTruthy();
  });

  it('resends a sign-up code with /resend, and the latest code signs in', async () => {
    const phone = uniquePhone();
    const client = devClient();
    expect((await client.auth.signInWithOtp({ phone })).error).toBeNull();
    const tooSoon = await client.auth.resend({ type: 'sms', phone });
    expect(tooSoon.error).toMatchObject({ status: 429, code: 'over_sms_send_rate_limit' });

    await new Promise((r) => setTimeout(r, MAX_FREQUENCY * 1000 + 200));
    expect((await client.auth.resend({ type: 'sms', phone })).error).toBeNull();
    const v = await client.auth.verifyOtp({ phone, token: await lastCode(phone), type: 'sms' });
    expect(v.error).toBeNull();
  });

  it('changes the phone number with a phone_change code', async () => {
    const phone = uniquePhone();
    const newPhone = uniquePhone('22801');
    const client = devClient();
    expect((await client.auth.signInWithOtp({ phone })).error).toBeNull();
    expect((await client.auth.verifyOtp({ phone, token: await lastCode(phone), type: 'sms' })).error).toBeNull();

    const asked = await client.auth.updateUser({ phone: newPhone });
    expect(asked.error).toBeNull();
    expect(asked.data.user).toMatchObject({ phone: phone.slice(1), new_phone: newPhone.slice(1) });
    const v = await client.auth.verifyOtp({ phone: newPhone, token: await lastCode(newPhone), type: 'phone_change' });
    expect(v.error).toBeNull();
    expect(v.data.user?.phone).toBe(newPhone.slice(1));
    expect(v.data.user).not.toHaveProperty('new_phone');
  });

  it('lets the service role post to and clear the outbox, and nobody else', async () => {
    const post = (key: string) =>
      fetch(`${dev.apiUrl}/_dev/sms`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ phone: '+22890000009', body: 'hello' }),
      });
    expect((await post(dev.anonKey)).status).toBe(403);
    const ok = await post(dev.serviceRoleKey);
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ phone: '+22890000009', body: 'hello', source: 'hook' });
    const html = await fetch(`${dev.apiUrl}/_dev/sms?phone=22890000009`, { headers: { accept: 'text/html' } });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain('hello');
    const del = await fetch(`${dev.apiUrl}/_dev/sms`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${dev.serviceRoleKey}` },
    });
    expect(del.status).toBe(204);
    const list = (await (await fetch(`${dev.apiUrl}/_dev/sms`)).json()) as { messages: unknown[] };
    expect(list.messages).toEqual([]);
  });
});
