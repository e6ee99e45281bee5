// The frame every user-facing function is built on (callerFrame, validBody, validated): one place, tested once here;
// each function's own tests cover its routes.
import assert from 'node:assert/strict';
import { z } from 'npm:zod@3.25.76';
import { jsonResponse } from './http.ts';
import type { Language } from './language.ts';
import { callerFrame, idempotentBody, RequestError, requestHash, validated, validBody } from './request.ts';
import { testJwt } from './test-jwt.ts';

const USER = 'a0000000-0000-4000-8000-000000000001';
const schema = z.object({ amount_xof: z.number().int().min(1) });
const post = (body: string, headers: Record<string, string> = {}) =>
  new Request('http://localhost/functions/v1/thing', { method: 'POST', body, headers });

async function refusal(work: () => unknown): Promise<RequestError> {
  try {
    await work();
  } catch (e) {
    if (e instanceof RequestError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

Deno.test('validBody returns the checked body, refuses bad JSON and names each bad field', async () => {
  assert.deepEqual(await validBody(schema, post('{"amount_xof":500}')), { amount_xof: 500 });
  const bad = await refusal(() => validBody(schema, post('{"amount_xof":')));
  assert.equal(bad.status, 400);
  assert.equal(bad.code, 'invalid_json');
  const wrong = await refusal(() => validBody(schema, post('{"amount_xof":"500"}')));
  assert.equal(wrong.code, 'validation_failed');
  const details = wrong.detail.details as Array<{ field: string; code: string }>;
  assert.deepEqual(
    details.map((d) => [d.field, d.code]),
    [['amount_xof', 'invalid_type']],
  );
});

Deno.test('validated checks a value that is not a body (a query string)', async () => {
  assert.deepEqual(validated(schema, { amount_xof: 1 }), { amount_xof: 1 });
  const e = await refusal(() => validated(schema, {}));
  assert.equal(e.status, 400);
  assert.equal(e.code, 'validation_failed');
});

Deno.test('idempotentBody checks the key before the body, and hashes what the request asks', async () => {
  const noKey = await refusal(() => idempotentBody(schema, post('not json')));
  assert.equal(noKey.code, 'idempotency_key_required');
  const key = { 'Idempotency-Key': 'attempt-0001' };
  const plain = await idempotentBody(schema, post('{"amount_xof":500}', key));
  assert.deepEqual(plain, {
    key: 'attempt-0001',
    body: { amount_xof: 500 },
    hash: await requestHash({ amount_xof: 500 }),
  });
  const tied = await idempotentBody(schema, post('{"amount_xof":500}', key), (b) => ({ order_id: 'o1', ...b }));
  assert.equal(tied.hash, await requestHash({ amount_xof: 500, order_id: 'o1' }));
  assert.notEqual(tied.hash, plain.hash);
});

const message = (code: string, lang: Language) => `${lang}:${code}`;

function frameWith(profile: Language | null, logged: string[] = []) {
  const db = { profileLanguage: () => Promise.resolve(profile) };
  return callerFrame('thing', { db, log: (event) => logged.push(event), now: () => Date.now() }, { message });
}

Deno.test('callerFrame: 401 without a caller, in the language of the request', async () => {
  const handler = frameWith('en').serve(() => Promise.resolve(jsonResponse({ ok: true })));
  const res = await handler(post('{}', { 'Accept-Language': 'en' }));
  assert.equal(res.status, 401);
  assert.deepEqual(await res.json(), { error: { code: 'unauthorized', message: 'en:unauthorized' } });
});

Deno.test('callerFrame: the caller reaches the route; refusals speak the profile language', async () => {
  const token = await testJwt({ sub: USER, role: 'authenticated' });
  const auth = { Authorization: `Bearer ${token}` };
  const seen: string[] = [];
  const handler = frameWith('en').serve((req, caller) => {
    seen.push(caller.userId);
    if (req.method === 'GET') throw new RequestError(405, 'method_not_allowed');
    return Promise.resolve(jsonResponse({ ok: true }));
  });
  const ok = await handler(post('{}', auth));
  assert.equal(ok.status, 200);
  assert.deepEqual(seen, [USER]);
  const refused = await handler(new Request('http://localhost/functions/v1/thing', { headers: auth }));
  assert.equal(refused.status, 405);
  assert.equal(refused.headers.get('Allow'), 'GET, POST, OPTIONS');
  assert.equal((await refused.json()).error.message, 'en:method_not_allowed');
});

Deno.test('callerFrame: an unexpected error is a logged 500 with a stable message, French by default', async () => {
  const token = await testJwt({ sub: USER, role: 'authenticated' });
  const logged: string[] = [];
  const handler = frameWith(null, logged).serve(() => Promise.reject(new Error('SQL went wrong')));
  const res = await handler(post('{}', { Authorization: `Bearer ${token}` }));
  assert.equal(res.status, 500);
  assert.deepEqual(await res.json(), { error: { code: 'internal_error', message: 'fr:internal_error' } });
  assert.deepEqual(logged, ['thing: unhandled error']);
});
