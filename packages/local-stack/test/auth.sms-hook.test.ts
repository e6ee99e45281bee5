// The Send SMS hook client, as GoTrue calls it (hooks/v0http): Standard Webhooks signature, retries on 429/503 with
// retry-after and on network errors, JSON-only answers, `{"error":…}` mapped to the client's answer. Then through a
// stack whose hook points at a server owned by this test: payload shape, and a failing hook changes nothing.
import { createClient } from '@supabase/supabase-js';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from '../src/auth/http.ts';
import { callHttpHook, signWebhook } from '../src/auth/sms.ts';
import type { Stack } from '../src/index.ts';
import { uniquePhone, startExtraStack } from './stack.ts';

const SECRET = 'v1,whsec_dGVzdC1zZW5kLXNtcy1ob29rLXNlY3JldC0xMjM0NTY=';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

type Reply = (res: ServerResponse, attempt: number) => void;

/** A hook endpoint that records what it receives and answers with `reply`. */
async function hookServer(): Promise<{
  url: string;
  received: Received[];
  setReply(r: Reply): void;
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  let reply: Reply = (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      reply(res, received.length);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/send-sms`,
    received,
    setReply: (r) => (reply = r),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Standard Webhooks verification, written from the spec (not with the code under test). */
function verifiedBody(r: Received, secret = SECRET): unknown {
  const id = String(r.headers['webhook-id']);
  const ts = String(r.headers['webhook-timestamp']);
  const key = Buffer.from(secret.replace(/^v1,whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${r.body}`).digest();
  const given = String(r.headers['webhook-signature'])
    .split(' ')
    .map((s) => s.replace(/,$/, ''))
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
  expect(given.some((g) => g.length === expected.length && timingSafeEqual(g, expected))).toBe(true);
  expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(300);
  return JSON.parse(r.body);
}

async function hookError(p: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AuthError);
  const a = e as AuthError;
  return { status: a.status, code: a.code, message: a.message };
}

describe('Standard Webhooks signing', () => {
  it('matches the published example signature', () => {
    // Example from the Standard Webhooks / Svix documentation.
    const sig = signWebhook(
      ['v1,whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    );
    expect(sig).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('signs once per secret, joined with ", "', () => {
    expect(signWebhook([SECRET, SECRET], 'id', 1, '{}').split(', ')).toHaveLength(2);
  });
});

describe('callHttpHook', () => {
  let hook: Awaited<ReturnType<typeof hookServer>>;
  beforeAll(async () => {
    hook = await hookServer();
  });
  afterAll(async () => {
    await hook.close();
  });
  const call = (extra: Partial<Parameters<typeof callHttpHook>[0]> = {}) =>
    callHttpHook({ url: hook.url, secrets: [SECRET], payload: { sms: { otp: '123456' } }, backoffMs: 10, ...extra });

  it('posts a signed JSON body and accepts a JSON answer', async () => {
    hook.received.length = 0;
    hook.setReply((res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end('{}');
    });
    await expect(call()).resolves.toEqual({});
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]!.headers['content-type']).toBe('application/json');
    expect(verifiedBody(hook.received[0]!)).toEqual({ sms: { otp: '123456' } });
  });

  it('accepts 204 without a body', async () => {
    hook.setReply((res) => {
      res.writeHead(204);
      res.end();
    });
    await expect(call()).resolves.toEqual({});
  });

  it('refuses a 200 that is not JSON with 400 hook_payload_invalid_content_type', async () => {
    hook.setReply((res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
    expect(await hookError(call())).toMatchObject({ status: 400, code: 'hook_payload_invalid_content_type' });
  });

  it('passes on the status and message of {"error":{http_code,message}}', async () => {
    hook.setReply((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { http_code: 422, message: 'No SMS route to this number' } }));
    });
    expect(await hookError(call())).toEqual({ status: 422, code: 'unknown', message: 'No SMS route to this number' });
  });

  it('retries 503 with retry-after (new webhook-id each time), then gives up with 500', async () => {
    hook.received.length = 0;
    hook.setReply((res) => {
      res.writeHead(503, { 'retry-after': '1' });
      res.end();
    });
    expect(await hookError(call())).toMatchObject({
      status: 500,
      message: 'Service currently unavailable due to hook',
    });
    expect(hook.received).toHaveLength(3);
    expect(new Set(hook.received.map((r) => r.headers['webhook-id'])).size).toBe(3);
  });

  it('does not retry 503 without retry-after, nor 400 / 401', async () => {
    for (const [status, message] of [
      [503, 'Service currently unavailable due to hook'],
      [400, 'Invalid payload sent to hook'],
      [401, 'Hook requires authorization token'],
    ] as const) {
      hook.received.length = 0;
      hook.setReply((res) => {
        res.writeHead(status);
        res.end();
      });
      expect(await hookError(call())).toMatchObject({ status: 500, code: 'unexpected_failure', message });
      expect(hook.received).toHaveLength(1);
    }
  });

  it('recovers when a retry succeeds', async () => {
    hook.received.length = 0;
    hook.setReply((res, attempt) => {
      if (attempt < 2) {
        res.writeHead(429, { 'retry-after': '1' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await expect(call()).resolves.toEqual({});
    expect(hook.received).toHaveLength(2);
  });

  it('answers 422 hook_timeout when the hook is slower than the deadline', async () => {
    hook.setReply((res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      }, 500);
    });
    expect(await hookError(call({ timeoutMs: 150 }))).toMatchObject({ status: 422, code: 'hook_timeout' });
  });

  it('answers 422 hook_timeout_after_retry when the hook cannot be reached', async () => {
    const closed = await hookServer();
    await closed.close();
    const e = await hookError(callHttpHook({ url: closed.url, secrets: [SECRET], payload: {}, backoffMs: 10 }));
    expect(e).toMatchObject({ status: 422, code: 'hook_timeout_after_retry' });
  });
});

describe('a stack whose Send SMS hook is this test', () => {
  let hook: Awaited<ReturnType<typeof hookServer>>;
  let s: Stack;
  let db: pg.Pool;

  beforeAll(async () => {
    hook = await hookServer();
    s = await startExtraStack({
      functions: false,
      configure: (c) => {
        c.auth.hooks.sendSms = { enabled: true, uri: hook.url, secrets: [SECRET] };
      },
    });
    db = new pg.Pool({ connectionString: s.dbUrl, max: 2 });
  });
  afterAll(async () => {
    await db?.end();
    await s?.stop();
    await hook?.close();
  });

  const client = () =>
    createClient(s.apiUrl, s.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    });
  const usersWithPhone = async (phone: string): Promise<number> =>
    Number((await db.query('select count(*) from auth.users where phone = $1', [phone.slice(1)])).rows[0].count);

  it('sends {metadata, user, sms:{otp, phone}} signed, without channel, and the code signs in', async () => {
    hook.received.length = 0;
    hook.setReply((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    const phone = uniquePhone();
    const c = client();
    const sent = await c.auth.signInWithOtp({ phone, options: { channel: 'whatsapp' } });
    expect(sent.error).toBeNull();
    expect(hook.received).toHaveLength(1);
    const body = verifiedBody(hook.received[0]!) as {
      metadata: Record<string, unknown>;
      user: Record<string, unknown>;
      sms: Record<string, unknown>;
    };
    expect(Object.keys(body).sort()).toEqual(['metadata', 'sms', 'user']);
    expect(body.metadata).toMatchObject({ name: 'send-sms', uuid: expect.any(String), time: expect.any(String) });
    expect(body.user).toMatchObject({ phone: phone.slice(1), aud: 'authenticated' });
    expect(body.sms).toEqual({ otp: expect.stringMatching(/^\d{6}$/), phone: phone.slice(1) });

    const outbox = (await (await fetch(`${s.apiUrl}/_dev/sms?phone=${encodeURIComponent(phone)}`)).json()) as {
      messages: unknown[];
    };
    expect(outbox.messages).toEqual([]);
    const v = await c.auth.verifyOtp({ phone, token: String(body.sms.otp), type: 'sms' });
    expect(v.error).toBeNull();
  });

  it('never calls the hook for a test number', async () => {
    hook.received.length = 0;
    expect((await client().auth.signInWithOtp({ phone: '+22890000001' })).error).toBeNull();
    expect(hook.received).toHaveLength(0);
  });

  it('a refusing hook reaches the client and leaves no user, code or session behind', async () => {
    hook.setReply((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { http_code: 422, message: 'SMS gateway down' } }));
    });
    const phone = uniquePhone();
    const { error } = await client().auth.signInWithOtp({ phone });
    expect(error).toMatchObject({ status: 422, message: 'SMS gateway down' });
    expect(await usersWithPhone(phone)).toBe(0);

    // Not rate limited afterwards: nothing was sent, so the person may ask again at once.
    hook.setReply((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    expect((await client().auth.signInWithOtp({ phone })).error).toBeNull();
    expect(await usersWithPhone(phone)).toBe(1);
  });
});
