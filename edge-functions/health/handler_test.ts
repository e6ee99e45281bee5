import assert from 'node:assert/strict';
import { createHealthHandler } from './handler.ts';

const b64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const token = (claims: Record<string, unknown>) => `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}.sig`;

const handler = createHealthHandler({ supabaseUrl: 'http://127.0.0.1:54321' });

Deno.test('reports the role and user of the bearer token', async () => {
  const res = await handler(
    new Request('http://x/health', {
      headers: { Authorization: `Bearer ${token({ role: 'authenticated', sub: 'u-1' })}` },
    }),
  );
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  assert.deepEqual(await res.json(), { status: 'ok', role: 'authenticated', user_id: 'u-1' });
});

Deno.test('reports a null user for the anon key and accepts POST', async () => {
  const res = await handler(
    new Request('http://x/health', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token({ role: 'anon' })}` },
      body: '{}',
    }),
  );
  assert.deepEqual(await res.json(), { status: 'ok', role: 'anon', user_id: null });
});

Deno.test('answers a CORS preflight and refuses other methods with 405', async () => {
  const preflight = await handler(new Request('http://x/health', { method: 'OPTIONS' }));
  assert.equal(preflight.status, 200);
  assert.ok(preflight.headers.get('access-control-allow-headers')?.includes('apikey'));
  const del = await handler(new Request('http://x/health', { method: 'DELETE' }));
  assert.equal(del.status, 405);
  assert.deepEqual(await del.json(), { error: { code: 'method_not_allowed', message: 'Method not allowed' } });
});

Deno.test('reports 503 when SUPABASE_URL is missing', async () => {
  const res = await createHealthHandler({ supabaseUrl: undefined })(new Request('http://x/health'));
  assert.equal(res.status, 503);
});
