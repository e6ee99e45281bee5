import assert from 'node:assert/strict';
import { parseSecrets, sign, signedHeaders, verifyWebhook, WebhookVerificationError } from './standard-webhooks.ts';

const SECRET = 'v1,whsec_' + btoa('a-test-secret-of-enough-length-for-hmac');
const OTHER = 'v1,whsec_' + btoa('another-secret-entirely-different-bytes');
const BODY = '{"sms":{"otp":"123456","phone":"2250700000000"}}';
const NOW = 1_760_000_000_000;
const TS = NOW / 1000;

async function headersFor(secret: string, body = BODY, timestamp = TS, id = 'msg_1'): Promise<Headers> {
  return new Headers(await signedHeaders(secret, body, { id, timestamp }));
}

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof WebhookVerificationError, `unexpected error ${error}`);
    return error.reason;
  }
  return 'accepted';
}

Deno.test('accepts a body signed with the secret', async () => {
  const result = await verifyWebhook([SECRET], await headersFor(SECRET), BODY, { now: NOW });
  assert.deepEqual(result, { id: 'msg_1', timestamp: TS });
});

Deno.test('accepts the raw bytes of the body as well as its text', async () => {
  const bytes = new TextEncoder().encode(BODY);
  await verifyWebhook([SECRET], await headersFor(SECRET), bytes, { now: NOW });
});

Deno.test('matches a known Standard Webhooks vector', async () => {
  // Test vector from the Standard Webhooks reference implementations.
  const signature = await sign('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', {
    id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    timestamp: 1614265330,
    body: '{"test": 2432232314}',
  });
  assert.equal(signature, 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
});

Deno.test('refuses a tampered body', async () => {
  const headers = await headersFor(SECRET);
  assert.equal(
    await reason(verifyWebhook([SECRET], headers, BODY.replace('123456', '000000'), { now: NOW })),
    'invalid_signature',
  );
});

Deno.test('refuses a signature made with another secret', async () => {
  assert.equal(await reason(verifyWebhook([SECRET], await headersFor(OTHER), BODY, { now: NOW })), 'invalid_signature');
});

Deno.test('refuses a tampered webhook-id', async () => {
  const headers = await headersFor(SECRET);
  headers.set('webhook-id', 'msg_2');
  assert.equal(await reason(verifyWebhook([SECRET], headers, BODY, { now: NOW })), 'invalid_signature');
});

Deno.test('refuses timestamps more than five minutes old or ahead', async () => {
  const stale = await headersFor(SECRET, BODY, TS - 301);
  assert.equal(await reason(verifyWebhook([SECRET], stale, BODY, { now: NOW })), 'timestamp_out_of_range');
  const future = await headersFor(SECRET, BODY, TS + 301);
  assert.equal(await reason(verifyWebhook([SECRET], future, BODY, { now: NOW })), 'timestamp_out_of_range');
  const edge = await headersFor(SECRET, BODY, TS - 300);
  assert.equal(await reason(verifyWebhook([SECRET], edge, BODY, { now: NOW })), 'accepted');
});

Deno.test('refuses a timestamp that is not unix seconds', async () => {
  const headers = await headersFor(SECRET);
  headers.set('webhook-timestamp', '2025-10-09T00:00:00Z');
  assert.equal(await reason(verifyWebhook([SECRET], headers, BODY, { now: NOW })), 'invalid_timestamp');
});

Deno.test('accepts when any of several space-separated signatures matches', async () => {
  const good = await sign(SECRET, { id: 'msg_1', timestamp: TS, body: BODY });
  const bad = await sign(OTHER, { id: 'msg_1', timestamp: TS, body: BODY });
  for (const joined of [`${bad} ${good}`, `${bad}, ${good}`, `v2,abc ${good}`]) {
    const headers = new Headers({
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(TS),
      'webhook-signature': joined,
    });
    assert.equal(await reason(verifyWebhook([SECRET], headers, BODY, { now: NOW })), 'accepted', joined);
  }
  const onlyBad = new Headers({
    'webhook-id': 'msg_1',
    'webhook-timestamp': String(TS),
    'webhook-signature': `${bad} v1,`,
  });
  assert.equal(await reason(verifyWebhook([SECRET], onlyBad, BODY, { now: NOW })), 'invalid_signature');
});

Deno.test('accepts any of several secrets separated by | (rotation)', async () => {
  const secrets = parseSecrets(`${OTHER} | ${SECRET}`);
  assert.equal(secrets.length, 2);
  assert.equal(await reason(verifyWebhook(secrets, await headersFor(SECRET), BODY, { now: NOW })), 'accepted');
});

Deno.test('refuses a call with a missing header', async () => {
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    const headers = await headersFor(SECRET);
    headers.delete(name);
    assert.equal(await reason(verifyWebhook([SECRET], headers, BODY, { now: NOW })), 'missing_headers', name);
  }
});

Deno.test('refuses everything when no secret is configured', async () => {
  assert.equal(await reason(verifyWebhook([], await headersFor(SECRET), BODY, { now: NOW })), 'no_secret');
  assert.deepEqual(parseSecrets(undefined), []);
});
