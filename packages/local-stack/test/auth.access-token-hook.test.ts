// The Custom Access Token Hook runner (GoTrue hookspgfunc + v0hooks): runs as supabase_auth_admin with a 2 s
// statement timeout, honours {"error":{http_code,message}}, and refuses output that is not a valid claim set.
// Each case creates its hook function inside a transaction on the test stack's database and rolls it back.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from '../src/auth/http.ts';
import { runCustomAccessTokenHook } from '../src/auth/tokens.ts';
import { stack } from './stack.ts';

const claims = {
  iss: 'http://127.0.0.1/auth/v1',
  sub: '00000000-0000-4000-8000-000000000001',
  aud: 'authenticated',
  exp: 2000000000,
  iat: 1900000000,
  email: '',
  phone: '22890000001',
  app_metadata: { provider: 'phone', providers: ['phone'] },
  user_metadata: {},
  role: 'authenticated',
  aal: 'aal1',
  amr: [{ method: 'otp', timestamp: 1900000000 }],
  session_id: '00000000-0000-4000-8000-000000000002',
  is_anonymous: false,
};
const event = { user_id: claims.sub, claims, authentication_method: 'otp' };

let db: pg.Pool;
beforeAll(() => {
  db = new pg.Pool({ connectionString: stack().dbUrl, max: 2 });
});
afterAll(async () => {
  await db.end();
});

/** Runs the hook `body` (plpgsql returning jsonb, `event` in scope) in a rolled-back transaction. */
async function runHook(body: string, grant = true): Promise<Record<string, unknown> | AuthError> {
  const c = await db.connect();
  try {
    await c.query('begin');
    await c.query('create schema hook_test');
    await c.query(
      `create function hook_test.hook(event jsonb) returns jsonb language plpgsql set search_path = '' as $$
       begin ${body} end $$`,
    );
    await c.query('revoke all on function hook_test.hook(jsonb) from public');
    if (grant) {
      await c.query('grant usage on schema hook_test to supabase_auth_admin');
      await c.query('grant execute on function hook_test.hook(jsonb) to supabase_auth_admin');
    }
    try {
      return await runCustomAccessTokenHook(c, 'pg-functions://postgres/hook_test/hook', event);
    } catch (e) {
      if (e instanceof AuthError) return e;
      throw e;
    }
  } finally {
    await c.query('rollback');
    c.release();
  }
}

describe('custom access token hook runner', () => {
  it('returns the claims the function builds, as supabase_auth_admin', async () => {
    const out = await runHook(
      `return jsonb_build_object('claims', jsonb_set(event -> 'claims', '{who}', to_jsonb(current_user::text)));`,
    );
    expect(out).toMatchObject({ ...claims, who: 'supabase_auth_admin' });
  });

  it('passes on {"error":{http_code,message}}', async () => {
    const out = await runHook(`return '{"error":{"http_code":403,"message":"Your account is suspended"}}'::jsonb;`);
    expect(out).toMatchObject({ status: 403, message: 'Your account is suspended' });
  });

  it('answers 500 when claims are missing or a required claim is gone', async () => {
    expect(await runHook(`return '{}'::jsonb;`)).toMatchObject({
      status: 500,
      message: 'output claims field is missing',
    });
    const out = await runHook(`return jsonb_build_object('claims', (event -> 'claims') - 'session_id');`);
    expect(out).toBeInstanceOf(AuthError);
    expect((out as AuthError).status).toBe(500);
    expect((out as AuthError).message).toMatch(/^output claims do not conform to the expected schema/);
  });

  it('answers 500 when the function is not executable by supabase_auth_admin or runs past 2 s', async () => {
    expect(await runHook(`return jsonb_build_object('claims', event -> 'claims');`, false)).toMatchObject({
      status: 500,
      code: 'unexpected_failure',
    });
    const slow = await runHook(`perform pg_sleep(3); return jsonb_build_object('claims', event -> 'claims');`);
    expect(slow).toMatchObject({ status: 500, code: 'unexpected_failure' });
  });
});
