// The Auth stand-in's limits with small numbers: per-IP buckets from [auth.rate_limit], the global `sms_sent`
// budget, and our own daily cap per number prefix. A second Auth service (tight limits, no Send SMS hook) runs
// over the test stack's database, behind a bare HTTP server, and is driven by unmodified supabase-js.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthService, type AuthService } from '../src/auth/index.ts';
import { WindowCounter } from '../src/auth/limits.ts';
import { loadConfig } from '../src/config.ts';
import { stack } from './stack.ts';

describe('WindowCounter', () => {
  it('allows `limit` events per window and forgets events older than the window', () => {
    const c = new WindowCounter(2, 1000);
    expect(c.take('k', 0)).toBe(true);
    expect(c.take('k', 10)).toBe(true);
    expect(c.take('k', 20)).toBe(false);
    expect(c.take('other', 20)).toBe(true);
    expect(c.take('k', 1001)).toBe(true);
  });
});

describe('limits through a tightly configured Auth service', () => {
  let auth: AuthService;
  let server: Server;
  let base: string;
  let db: pg.Pool;
  let n = 0;
  // Numbers nobody else uses: a block of the Togolese plan reserved for this file.
  const phoneIn = (prefix: string): string => `+${prefix}${String(Date.now() % 1_000_000).padStart(6, '0')}${n++ % 10}`;

  beforeAll(async () => {
    db = new pg.Pool({ connectionString: stack().dbUrl, max: 4 });
    const config = loadConfig();
    delete config.auth.hooks.sendSms;
    config.auth.rateLimit = { smsSent: 3, tokenRefresh: 150, signInSignUps: 4, tokenVerifications: 2 };
    auth = createAuthService({
      pool: db,
      config,
      jwtSecret: stack().jwtSecret,
      externalUrl: 'http://127.0.0.1/auth/v1',
      anonKey: stack().anonKey,
      serviceRoleKey: stack().serviceRoleKey,
      resolveHookUrl: (u) => u,
      sendSmsHookSecrets: [],
      limits: { dailySendCapPerPrefix: 2 },
    });
    server = createServer((req, res) => {
      req.headers.authorization ??= `Bearer ${stack().anonKey}`;
      void auth.handle(req, res, (req.url ?? '/').replace(/^\/auth\/v1/, ''));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await auth?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await db?.end();
  });

  const client = (ip: string): SupabaseClient =>
    createClient(base, stack().anonKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      global: { headers: { 'x-forwarded-for': ip } },
    });
  const exists = async (phone: string): Promise<boolean> =>
    !!(await db.query('select 1 from auth.users where phone = $1', [phone.slice(1)])).rowCount;

  it('caps codes per number prefix per day, then the global sms_sent budget', async () => {
    const a1 = phoneIn('228931');
    const a2 = phoneIn('228931');
    const a3 = phoneIn('228931');
    expect((await client('10.9.0.1').auth.signInWithOtp({ phone: a1 })).error).toBeNull();
    expect((await client('10.9.0.2').auth.signInWithOtp({ phone: a2 })).error).toBeNull();
    const capped = await client('10.9.0.3').auth.signInWithOtp({ phone: a3 });
    expect(capped.error).toMatchObject({ status: 429, code: 'over_sms_send_rate_limit' });
    expect(await exists(a3)).toBe(false);

    const b1 = phoneIn('228932');
    const b2 = phoneIn('228933');
    expect((await client('10.9.0.4').auth.signInWithOtp({ phone: b1 })).error).toBeNull();
    const budget = await client('10.9.0.5').auth.signInWithOtp({ phone: b2 });
    expect(budget.error).toMatchObject({
      status: 429,
      code: 'over_sms_send_rate_limit',
      message: 'SMS rate limit exceeded',
    });
    expect(await exists(b2)).toBe(false);

    // Test numbers send nothing, so neither cap applies to them.
    expect((await client('10.9.0.6').auth.signInWithOtp({ phone: '+22890000001' })).error).toBeNull();
  });

  it('limits /otp per IP (sign_in_sign_ups) and /verify per IP (token_verifications)', async () => {
    const c = client('10.9.1.1');
    for (let i = 0; i < 4; i += 1) {
      const r = await c.auth.signInWithOtp({ phone: 'not-a-phone' });
      expect(r.error).toMatchObject({ status: 400, code: 'validation_failed' });
    }
    const limited = await c.auth.signInWithOtp({ phone: 'not-a-phone' });
    expect(limited.error).toMatchObject({ status: 429, code: 'over_request_rate_limit' });
    // Another IP is not affected.
    expect((await client('10.9.1.2').auth.signInWithOtp({ phone: 'x' })).error).toMatchObject({ status: 400 });

    const v = client('10.9.1.3');
    for (let i = 0; i < 2; i += 1) {
      const r = await v.auth.verifyOtp({ phone: '+22890000001', token: '000000', type: 'sms' });
      expect(r.error).toMatchObject({ status: 403, code: 'otp_expired' });
    }
    const vLimited = await v.auth.verifyOtp({ phone: '+22890000001', token: '123456', type: 'sms' });
    expect(vLimited.error).toMatchObject({ status: 429, code: 'over_request_rate_limit' });
  });
});
