// The Data API as apps see it through unmodified supabase-js: the gateway's apikey rules, PostgREST under RLS with
// tokens from the Auth stand-in, rpc(), and the security advisors of the real Supabase CLI on our migrations.
import { createClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSupabaseCli } from '../src/postgres.ts';
import { REPO_ROOT, signJwt, DEV_SEND_SMS_HOOK_SECRET } from '../src/index.ts';
import { newClient, stack } from './stack.ts';

// Demo numbers of config.toml reserved for this file (other files use others: the resend limit is per number).
const TEST_NUMBERS = ['+2250700000006', '+2250700000007'] as const;

async function signIn(phone: string) {
  const client = newClient();
  const sent = await client.auth.signInWithOtp({ phone });
  expect(sent.error).toBeNull();
  const { data, error } = await client.auth.verifyOtp({ phone, token: '123456', type: 'sms' });
  expect(error).toBeNull();
  return { client, user: data.user!, session: data.session! };
}

describe('gateway', () => {
  it('refuses a REST call without an apikey with 401 and Kong’s message', async () => {
    const r = await fetch(`${stack().apiUrl}/rest/v1/profiles`);
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ message: 'No API key found in request' });
  });

  it('refuses an unknown apikey with 401', async () => {
    const r = await fetch(`${stack().apiUrl}/rest/v1/profiles`, { headers: { apikey: 'not-a-key' } });
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ message: 'Invalid API key' });
  });

  it('refuses an auth call without an apikey too', async () => {
    const r = await fetch(`${stack().apiUrl}/auth/v1/otp`, { method: 'POST', body: '{}' });
    expect(r.status).toBe(401);
  });

  it('answers CORS preflight for the apps with the headers supabase-js sends', async () => {
    const r = await fetch(`${stack().apiUrl}/rest/v1/profiles`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'apikey, authorization, content-type, x-client-info',
      },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.headers.get('access-control-allow-headers')).toContain('apikey');
    expect(r.headers.get('access-control-allow-methods')).toContain('PATCH');
  });

  it('serves a health endpoint without a key', async () => {
    const r = await fetch(`${stack().apiUrl}/health`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'ok' });
  });

  it('answers 404 for a path no service owns', async () => {
    const r = await fetch(`${stack().apiUrl}/nothing/here`, { headers: { apikey: stack().anonKey } });
    expect(r.status).toBe(404);
  });

  it('maps the publishable key to anon and the secret key to service_role', async () => {
    const s = stack();
    const anon = createClient(s.apiUrl, s.publishableKey, { auth: { persistSession: false } });
    const anonRead = await anon.from('profiles').select('id');
    expect(anonRead.error?.code).toBe('42501');
    const admin = createClient(s.apiUrl, s.secretKey, { auth: { persistSession: false } });
    const adminRead = await admin.from('profiles').select('id');
    expect(adminRead.error).toBeNull();
    expect(Array.isArray(adminRead.data)).toBe(true);
  });
});

describe('data API under row-level security', () => {
  let a: Awaited<ReturnType<typeof signIn>>;
  let b: Awaited<ReturnType<typeof signIn>>;
  beforeAll(async () => {
    a = await signIn(TEST_NUMBERS[0]);
    b = await signIn(TEST_NUMBERS[1]);
  });

  it('gives each person their own profile and nobody else’s', async () => {
    const mine = await a.client.from('profiles').select('id, language');
    expect(mine.error).toBeNull();
    expect(mine.data).toEqual([{ id: a.user.id, language: 'fr' }]);
    const other = await a.client.from('profiles').select('id').eq('id', b.user.id);
    expect(other.data).toEqual([]);
  });

  it('lets a person edit their own name and not another person’s', async () => {
    const ok = await a.client
      .from('profiles')
      .update({ full_name: 'Awa Koné' })
      .eq('id', a.user.id)
      .select('full_name');
    expect(ok.error).toBeNull();
    expect(ok.data).toEqual([{ full_name: 'Awa Koné' }]);
    const theirs = await a.client.from('profiles').update({ full_name: 'Pirate' }).eq('id', b.user.id).select();
    expect(theirs.data).toEqual([]);
    const check = await b.client.from('profiles').select('full_name').single();
    expect(check.data?.full_name).not.toBe('Pirate');
  });

  it('refuses a change to a column the person may not set', async () => {
    const r = await a.client.from('profiles').update({ created_at: '2000-01-01T00:00:00Z' }).eq('id', a.user.id);
    expect(r.error?.code).toBe('42501');
  });

  it('refuses anon reads of profiles', async () => {
    const r = await newClient().from('profiles').select('id');
    expect(r.error?.code).toBe('42501');
  });

  it('runs rpc() as the caller: my_roles is customer for a new person, refused for anon', async () => {
    const mine = await a.client.rpc('my_roles');
    expect(mine.error).toBeNull();
    expect(mine.data).toEqual(['customer']);
    const anon = await newClient().rpc('my_roles');
    expect(anon.error?.code).toBe('42501');
  });

  it('does not expose the private hook function through rpc()', async () => {
    const r = await a.client.rpc('custom_access_token_hook' as never, { event: {} } as never);
    expect(r.error?.code).toBe('PGRST202');
  });

  it('refuses an expired or forged JWT', async () => {
    const s = stack();
    // PostgREST allows 30 s of clock skew on exp, so this token expired two minutes ago.
    const expired = signJwt(
      { sub: a.user.id, role: 'authenticated', aud: 'authenticated', exp: Math.floor(Date.now() / 1000) - 120 },
      s.jwtSecret,
    );
    const forged = signJwt(
      { sub: b.user.id, role: 'authenticated', aud: 'authenticated', exp: 4102444800 },
      'wrong-secret-wrong-secret-wrong-secret!',
    );
    for (const token of [expired, forged]) {
      const r = await fetch(`${s.apiUrl}/rest/v1/profiles?select=id`, {
        headers: { apikey: s.anonKey, authorization: `Bearer ${token}` },
      });
      expect(r.status).toBe(401);
    }
  });
});

describe('database security', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: stack().dbUrl });
    await client.connect();
  });
  afterAll(() => client.end());

  it('has row-level security on every table of the exposed schemas', async () => {
    const r = await client.query<{ table: string }>(
      `select c.relnamespace::regnamespace || '.' || c.relname as table from pg_class c
        where c.relkind in ('r', 'p') and c.relnamespace::regnamespace::text in ('public', 'graphql_public')
          and not c.relrowsecurity`,
    );
    expect(r.rows).toEqual([]);
  });

  it('passes the Supabase CLI security advisors with zero findings', async () => {
    const out = await runSupabaseCli(
      [
        'db',
        'advisors',
        `--remote=${stack().dbUrl}`,
        '--type',
        'security',
        '--level',
        'info',
        '--fail-on',
        'info',
        '--workdir',
        REPO_ROOT,
      ],
      REPO_ROOT,
      { SEND_SMS_HOOK_SECRETS: DEV_SEND_SMS_HOOK_SECRET },
    );
    expect(out).toContain('No issues found');
  }, 60_000);

  it('accepts supabase/config.toml with no unknown keys', async () => {
    const out = await runSupabaseCli(
      ['db', 'push', `--remote=${stack().dbUrl}`, '--dry-run', '--workdir', REPO_ROOT],
      REPO_ROOT,
      { SEND_SMS_HOOK_SECRETS: DEV_SEND_SMS_HOOK_SECRET },
    );
    expect(out).not.toMatch(/does not recognize|WARN: supabase\/config\.toml/);
    expect(out).toMatch(/up to date|DRY RUN/i);
  }, 60_000);
});
