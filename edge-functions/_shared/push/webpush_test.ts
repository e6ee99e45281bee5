import assert from 'node:assert/strict';
import { startFakeServer } from '../sms/testing.ts';
import { b64url, type Bytes, fromB64url } from './jwt.ts';
import { PushError } from './provider.ts';
import { contentKeys, createWebPushProvider, encryptPayload } from './webpush.ts';

// RFC 8291 Appendix A.
const RFC = {
  plaintext: 'When I grow up, I want to be a watermelon',
  asPublic: 'BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8',
  asPrivate: 'yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw',
  uaPublic: 'BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4',
  auth: 'BTBZMqHH6r4Tts7J_aSIgg',
  salt: 'DGv6ra1nlYgDCS1FRnbzlw',
  body:
    'DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_' +
    'yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN',
};

const jwkOf = (pub: string, d: string): JsonWebKey => {
  const p = fromB64url(pub);
  return { kty: 'EC', crv: 'P-256', x: b64url(p.slice(1, 33)), y: b64url(p.slice(33, 65)), d };
};

Deno.test('Web Push: encrypts exactly as RFC 8291 Appendix A', async () => {
  const privateKey = await crypto.subtle.importKey(
    'jwk',
    jwkOf(RFC.asPublic, RFC.asPrivate),
    { name: 'ECDH', namedCurve: 'P-256' },
    true,
    ['deriveBits'],
  );
  const publicKey = await crypto.subtle.importKey(
    'raw',
    fromB64url(RFC.asPublic),
    { name: 'ECDH', namedCurve: 'P-256' },
    true,
    [],
  );
  const body = await encryptPayload(
    { endpoint: 'https://push.example.net/x', keys: { p256dh: RFC.uaPublic, auth: RFC.auth } },
    new TextEncoder().encode(RFC.plaintext) as Bytes,
    { salt: fromB64url(RFC.salt), keyPair: { privateKey, publicKey } },
  );
  assert.equal(b64url(body), RFC.body);
});

/** A browser: its subscription keys, and decryption of what the push service hands it. */
async function userAgent(endpoint: string) {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, [
    'deriveBits',
  ])) as CryptoKeyPair;
  const uaPublic = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const auth = crypto.getRandomValues(new Uint8Array(16));
  return {
    token: JSON.stringify({ endpoint, keys: { p256dh: b64url(uaPublic), auth: b64url(auth) } }),
    async decrypt(body: Bytes): Promise<string> {
      const salt = body.slice(0, 16);
      const rs = new DataView(body.buffer, body.byteOffset).getUint32(16);
      assert.equal(rs, 4096);
      const idlen = body[20]!;
      const asPublic = body.slice(21, 21 + idlen);
      const asKey = await crypto.subtle.importKey('raw', asPublic, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
      const ecdh = new Uint8Array(
        await crypto.subtle.deriveBits({ name: 'ECDH', public: asKey }, pair.privateKey, 256),
      );
      const { cek, nonce } = await contentKeys(ecdh, uaPublic, asPublic, auth, salt);
      const key = await crypto.subtle.importKey('raw', cek, 'AES-GCM', false, ['decrypt']);
      const plain = new Uint8Array(
        await crypto.subtle.decrypt({ name: 'AES-GCM', iv: nonce }, key, body.slice(21 + idlen)),
      );
      assert.equal(plain[plain.length - 1], 2, 'last record ends with the 0x02 delimiter');
      return new TextDecoder().decode(plain.slice(0, -1));
    },
  };
}

async function vapidPair() {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  const pub = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return { verifyKey: pair.publicKey, keys: { publicKey: b64url(pub), privateKey: jwk.d! } };
}

const MESSAGE = {
  id: '11111111-2222-4333-8444-555555555555',
  title: 'Nouvelle course',
  body: 'Garba x2',
  data: { order_id: 'o1' },
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

Deno.test(
  'Web Push: VAPID JWT (ES256) verifies, TTL and Urgency are set, the browser decrypts the payload',
  async () => {
    const server = startFakeServer(() => new Response(null, { status: 201, headers: { Location: '/m/1' } }));
    try {
      const vapid = await vapidPair();
      const endpoint = `${server.url}/push/abc`;
      const ua = await userAgent(endpoint);
      const wp = createWebPushProvider({
        vapid: vapid.keys,
        subject: 'mailto:tech@ecom.ci',
        ttl: 3600,
        urgency: 'high',
        allowedHosts: ['127.0.0.1'],
      });
      assert.deepEqual(await wp.send({ platform: 'web', token: ua.token }, MESSAGE), { messageId: '/m/1' });
      const [req] = server.requests;
      assert.equal(req?.path, '/push/abc');
      assert.equal(req?.headers.get('ttl'), '3600');
      assert.equal(req?.headers.get('urgency'), 'high');
      assert.equal(req?.headers.get('content-encoding'), 'aes128gcm');
      const m = /^vapid t=([^.]+)\.([^.]+)\.([^,]+), k=(.+)$/.exec(req?.headers.get('authorization') ?? '');
      assert.ok(m, 'vapid authorization header');
      const [, h, p, s, k] = m as unknown as string[];
      assert.equal(k, vapid.keys.publicKey);
      assert.deepEqual(JSON.parse(new TextDecoder().decode(fromB64url(h!))), { typ: 'JWT', alg: 'ES256' });
      const claims = JSON.parse(new TextDecoder().decode(fromB64url(p!)));
      assert.equal(claims.aud, server.url);
      assert.equal(claims.sub, 'mailto:tech@ecom.ci');
      assert.ok(claims.exp > Date.now() / 1000 && claims.exp <= Date.now() / 1000 + 24 * 3600);
      const verifyWith = await crypto.subtle.importKey(
        'raw',
        fromB64url(k!),
        { name: 'ECDSA', namedCurve: 'P-256' },
        false,
        ['verify'],
      );
      for (const key of [vapid.verifyKey, verifyWith]) {
        assert.ok(
          await crypto.subtle.verify(
            { name: 'ECDSA', hash: 'SHA-256' },
            key,
            fromB64url(s!),
            new TextEncoder().encode(`${h}.${p}`),
          ),
        );
      }
      assert.deepEqual(JSON.parse(await ua.decrypt(req!.bytes)), MESSAGE);
    } finally {
      await server.close();
    }
  },
);

Deno.test('Web Push: 410 / 404 mean the subscription is gone, 5xx and 429 are retryable, 400 refused', async () => {
  const answers = [410, 404, 500, 429, 400];
  let i = 0;
  const server = startFakeServer(() => new Response('', { status: answers[i++]! }));
  try {
    const vapid = await vapidPair();
    const ua = await userAgent(`${server.url}/push/1`);
    const wp = createWebPushProvider({ vapid: vapid.keys, subject: 'mailto:a@b.c', allowedHosts: ['127.0.0.1'] });
    const kinds = [];
    for (const _ of answers) kinds.push((await failure(wp.send({ platform: 'web', token: ua.token }, MESSAGE))).kind);
    assert.deepEqual(kinds, ['invalid_token', 'invalid_token', 'http', 'http', 'rejected']);
  } finally {
    await server.close();
  }
});

Deno.test('Web Push: times out, refuses hosts outside the list and tokens that are not subscriptions', async () => {
  let release = () => {};
  const hung = new Promise<void>((r) => (release = r));
  const server = startFakeServer(async () => {
    await hung;
    return new Response(null, { status: 201 });
  });
  try {
    const vapid = await vapidPair();
    const ua = await userAgent(`${server.url}/push/1`);
    const wp = createWebPushProvider({
      vapid: vapid.keys,
      subject: 'mailto:a@b.c',
      allowedHosts: ['127.0.0.1'],
      timeoutMs: 150,
    });
    assert.equal((await failure(wp.send({ platform: 'web', token: ua.token }, MESSAGE))).kind, 'timeout');
    const strict = createWebPushProvider({ vapid: vapid.keys, subject: 'mailto:a@b.c' });
    assert.equal((await failure(strict.send({ platform: 'web', token: ua.token }, MESSAGE))).kind, 'config');
    assert.equal(
      (await failure(strict.send({ platform: 'web', token: 'not-a-subscription-json' }, MESSAGE))).kind,
      'invalid_token',
    );
  } finally {
    release();
    await server.close();
  }
});
