import assert from 'node:assert/strict';
import { startFakeServer } from '../sms/testing.ts';
import { createFcmProvider } from './fcm.ts';
import { fromB64url } from './jwt.ts';
import { PushError } from './provider.ts';

const TARGET = { platform: 'android' as const, token: 'fcm-registration-token-0001' };
const MESSAGE = {
  id: '11111111-2222-4333-8444-555555555555',
  title: 'Commande acceptée',
  body: 'En préparation',
  data: { order_id: 'o1', n: 2 },
};

async function failure(promise: Promise<unknown>): Promise<PushError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof PushError, `unexpected error ${error}`);
    return error;
  }
  assert.fail('expected a failure');
}

const fcmError = (status: number, code: string, errorCode?: string, message = 'x') =>
  Response.json(
    {
      error: {
        code: status,
        message,
        status: code,
        details: errorCode ? [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] : [],
      },
    },
    { status },
  );

Deno.test('FCM v1: posts the message with the access token and returns the message name', async () => {
  const server = startFakeServer(() => Response.json({ name: 'projects/ecom/messages/0:1' }));
  try {
    const fcm = createFcmProvider({ projectId: 'ecom', accessToken: 'ya29.token', baseUrl: server.url });
    assert.deepEqual(await fcm.send(TARGET, MESSAGE), { messageId: 'projects/ecom/messages/0:1' });
    const [req] = server.requests;
    assert.equal(req?.method, 'POST');
    assert.equal(req?.path, '/v1/projects/ecom/messages:send');
    assert.equal(req?.headers.get('authorization'), 'Bearer ya29.token');
    const body = JSON.parse(req?.body ?? '');
    assert.equal(body.message.token, TARGET.token);
    assert.deepEqual(body.message.notification, { title: MESSAGE.title, body: MESSAGE.body });
    assert.deepEqual(body.message.data, { notification_id: MESSAGE.id, order_id: 'o1', n: '2' });
    assert.equal(body.message.android.priority, 'HIGH');
  } finally {
    await server.close();
  }
});

Deno.test(
  'FCM v1: UNREGISTERED (404) is an invalid token, 400 INVALID_ARGUMENT a refusal, 5xx / 429 retryable',
  async () => {
    const answers = [
      fcmError(404, 'NOT_FOUND', 'UNREGISTERED'),
      fcmError(
        400,
        'INVALID_ARGUMENT',
        'INVALID_ARGUMENT',
        'The registration token is not a valid FCM registration token',
      ),
      fcmError(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'Invalid JSON payload'),
      fcmError(503, 'UNAVAILABLE', 'UNAVAILABLE'),
      fcmError(429, 'RESOURCE_EXHAUSTED', 'QUOTA_EXCEEDED'),
      new Response('<html>bad gateway</html>', { status: 502 }),
    ];
    let i = 0;
    const server = startFakeServer(() => answers[i++]!);
    try {
      const fcm = createFcmProvider({ projectId: 'ecom', accessToken: 't', baseUrl: server.url });
      const kinds = [];
      for (let n = 0; n < answers.length; n++) kinds.push((await failure(fcm.send(TARGET, MESSAGE))).kind);
      assert.deepEqual(kinds, ['invalid_token', 'invalid_token', 'rejected', 'http', 'http', 'http']);
    } finally {
      await server.close();
    }
  },
);

Deno.test('FCM v1: gives up after its deadline', async () => {
  let release = () => {};
  const hung = new Promise<void>((r) => (release = r));
  const server = startFakeServer(async () => {
    await hung;
    return Response.json({ name: 'late' });
  });
  try {
    const fcm = createFcmProvider({ projectId: 'ecom', accessToken: 't', baseUrl: server.url, timeoutMs: 150 });
    assert.equal((await failure(fcm.send(TARGET, MESSAGE))).kind, 'timeout');
  } finally {
    release();
    await server.close();
  }
});

Deno.test('FCM v1: a service account signs an RS256 assertion, exchanges it once and reuses the token', async () => {
  const keys = (await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const der = new Uint8Array(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
  const pem = `-----BEGIN PRIVATE KEY-----\n${btoa(String.fromCharCode(...der)).replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`;
  const server = startFakeServer((req) =>
    new URL(req.url).pathname === '/token'
      ? Response.json({ access_token: 'ya29.from-assertion', expires_in: 3599, token_type: 'Bearer' })
      : Response.json({ name: 'projects/p/messages/1' }),
  );
  try {
    const fcm = createFcmProvider({
      serviceAccount: {
        client_email: 'notify@ecom-ci.iam.gserviceaccount.com',
        private_key: pem,
        private_key_id: 'kid-1',
        project_id: 'ecom-ci',
        token_uri: `${server.url}/token`,
      },
      baseUrl: server.url,
    });
    await fcm.send(TARGET, MESSAGE);
    await fcm.send(TARGET, MESSAGE);
    const paths = server.requests.map((r) => r.path);
    assert.deepEqual(paths, ['/token', '/v1/projects/ecom-ci/messages:send', '/v1/projects/ecom-ci/messages:send']);
    const form = new URLSearchParams(server.requests[0]!.body);
    assert.equal(form.get('grant_type'), 'urn:ietf:params:oauth:grant-type:jwt-bearer');
    const [h, p, s] = form.get('assertion')!.split('.') as [string, string, string];
    const header = JSON.parse(new TextDecoder().decode(fromB64url(h)));
    const claims = JSON.parse(new TextDecoder().decode(fromB64url(p)));
    assert.deepEqual(header, { alg: 'RS256', typ: 'JWT', kid: 'kid-1' });
    assert.equal(claims.iss, 'notify@ecom-ci.iam.gserviceaccount.com');
    assert.equal(claims.scope, 'https://www.googleapis.com/auth/firebase.messaging');
    assert.equal(claims.aud, `${server.url}/token`);
    assert.equal(claims.exp - claims.iat, 3600);
    const ok = await crypto.subtle.verify(
      'RSASSA-PKCS1-v1_5',
      keys.publicKey,
      fromB64url(s),
      new TextEncoder().encode(`${h}.${p}`),
    );
    assert.ok(ok, 'the assertion verifies with the public key');
    assert.equal(server.requests[1]!.headers.get('authorization'), 'Bearer ya29.from-assertion');
  } finally {
    await server.close();
  }
});

Deno.test('FCM v1: refuses to start without a project or credentials', () => {
  assert.throws(
    () => createFcmProvider({ accessToken: 't' }),
    (e: unknown) => e instanceof PushError && e.kind === 'config',
  );
  assert.throws(
    () => createFcmProvider({ projectId: 'p' }),
    (e: unknown) => e instanceof PushError && e.kind === 'config',
  );
});
