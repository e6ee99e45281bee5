import assert from 'node:assert/strict';
import { b64url } from '../_shared/push/jwt.ts';
import { createNotifyHandler } from './handler.ts';

const SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';

async function jwt(claims: Record<string, unknown>, secret = SECRET): Promise<string> {
  const enc = (v: unknown) => b64url(new TextEncoder().encode(JSON.stringify(v)));
  const input = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(claims)}`;
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return `${input}.${b64url(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(input)))}`;
}

const exp = Math.floor(Date.now() / 1000) + 600;
const result = { claimed: 2, sent: 2, failed: 0, retrying: 0 };

function handler() {
  let calls = 0;
  const h = createNotifyHandler({
    drain: () => {
      calls += 1;
      return Promise.resolve(result);
    },
    jwtSecret: SECRET,
    log: () => {},
  });
  return { h, calls: () => calls };
}

const post = (token?: string, method = 'POST') =>
  new Request('http://x/notify', { method, headers: token ? { Authorization: `Bearer ${token}` } : {} });

Deno.test('the service role drains and gets the counts', async () => {
  const { h, calls } = handler();
  const res = await h(post(await jwt({ role: 'service_role', exp })));
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), result);
  assert.equal(calls(), 1);
});

Deno.test('other roles get 403, bad or missing tokens 401, other methods 405; nothing is drained', async () => {
  const { h, calls } = handler();
  const forbidden = await h(post(await jwt({ role: 'authenticated', sub: crypto.randomUUID(), exp })));
  assert.equal(forbidden.status, 403);
  assert.equal((await forbidden.json()).error.code, 'forbidden');
  assert.equal((await h(post(await jwt({ role: 'anon', exp })))).status, 403);
  assert.equal(
    (await h(post(await jwt({ role: 'service_role', exp }, 'another-secret-another-secret-another')))).status,
    401,
  );
  assert.equal((await h(post(await jwt({ role: 'service_role', exp: 1 })))).status, 401);
  assert.equal((await h(post())).status, 401);
  assert.equal((await h(post(await jwt({ role: 'service_role', exp }), 'GET'))).status, 405);
  assert.equal(calls(), 0);
});

Deno.test('a drain that throws is a 500 with the stable envelope', async () => {
  const h = createNotifyHandler({ drain: () => Promise.reject(new Error('db down')), log: () => {} });
  const res = await h(post(await jwt({ role: 'service_role', exp })));
  assert.equal(res.status, 500);
  assert.deepEqual(await res.json(), { error: { code: 'internal_error', message: 'Internal error' } });
});
