// Web Push (RFC 8030) with VAPID (RFC 8292, ES256 JWT signed with WebCrypto) and the payload encrypted per RFC 8291
// (aes128gcm, RFC 8188): ECDH P-256 with the subscription's p256dh key, HKDF-SHA-256 with its auth secret, one
// AES-128-GCM record. The device's push_token is the browser's PushSubscription JSON.
// Endpoints come from devices (user input): only hosts of known push services are called (WEBPUSH_ALLOWED_HOSTS
// replaces the list, e.g. for a local fake), so a crafted subscription cannot make us call arbitrary URLs.
import { type Bytes, fromB64url, importVapidPrivateKey, signEs256, type VapidKeys } from './jwt.ts';
import {
  exchange,
  type FetchLike,
  PushError,
  type PushMessage,
  type PushProvider,
  type PushTarget,
} from './provider.ts';

/** Push services of Chrome / Edge / Firefox / Safari. A suffix match on the endpoint's host. */
export const DEFAULT_WEBPUSH_HOSTS = [
  'fcm.googleapis.com',
  'android.googleapis.com',
  'updates.push.services.mozilla.com',
  'push.services.mozilla.com',
  'notify.windows.com',
  'push.apple.com',
];

export interface WebPushOptions {
  vapid: VapidKeys;
  /** `mailto:` or `https:` contact for the push service (JWT `sub`). */
  subject: string;
  /** Seconds the service keeps an undelivered message (header TTL); default 24 h. */
  ttl?: number;
  urgency?: 'very-low' | 'low' | 'normal' | 'high';
  allowedHosts?: string[];
  timeoutMs?: number;
  fetch?: FetchLike;
  now?: () => number;
}

export interface Subscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export function parseSubscription(token: string): Subscription | null {
  try {
    const s = JSON.parse(token);
    if (typeof s?.endpoint !== 'string' || typeof s?.keys?.p256dh !== 'string' || typeof s?.keys?.auth !== 'string') {
      return null;
    }
    new URL(s.endpoint);
    return { endpoint: s.endpoint, keys: { p256dh: s.keys.p256dh, auth: s.keys.auth } };
  } catch {
    return null;
  }
}

const utf8 = (s: string): Bytes => new TextEncoder().encode(s) as Bytes;

function concat(...parts: Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function hkdf(ikm: Bytes, salt: Bytes, info: Bytes, bytes: number): Promise<Bytes> {
  const key = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, key, bytes * 8));
}

/** The content keys of RFC 8291 §3.4 / RFC 8188 §2.2 from the ECDH secret, both public keys, auth and salt. */
export async function contentKeys(
  ecdhSecret: Bytes,
  uaPublic: Bytes,
  asPublic: Bytes,
  authSecret: Bytes,
  salt: Bytes,
): Promise<{ cek: Bytes; nonce: Bytes }> {
  const ikm = await hkdf(ecdhSecret, authSecret, concat(utf8('WebPush: info\0'), uaPublic, asPublic), 32);
  return {
    cek: await hkdf(ikm, salt, utf8('Content-Encoding: aes128gcm\0'), 16),
    nonce: await hkdf(ikm, salt, utf8('Content-Encoding: nonce\0'), 12),
  };
}

/** Encrypts `plaintext` for a subscription: header (salt, rs 4096, keyid = our ephemeral public key) + one record. */
export async function encryptPayload(
  sub: Subscription,
  plaintext: Bytes,
  fixed?: { salt: Bytes; keyPair: CryptoKeyPair },
): Promise<Bytes> {
  const uaPublic = fromB64url(sub.keys.p256dh);
  const authSecret = fromB64url(sub.keys.auth);
  const salt = fixed?.salt ?? crypto.getRandomValues(new Uint8Array(16));
  const local =
    fixed?.keyPair ??
    ((await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])) as CryptoKeyPair);
  const asPublic = new Uint8Array(await crypto.subtle.exportKey('raw', local.publicKey));
  const uaKey = await crypto.subtle.importKey('raw', uaPublic, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  const ecdh = new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: uaKey }, local.privateKey, 256));
  const { cek, nonce } = await contentKeys(ecdh, uaPublic, asPublic, authSecret, salt);
  const key = await crypto.subtle.importKey('raw', cek, 'AES-GCM', false, ['encrypt']);
  // Last (only) record: the content, then the padding delimiter 0x02.
  const record = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce }, key, concat(plaintext, new Uint8Array([2]))),
  );
  const header = new Uint8Array(21 + asPublic.length);
  header.set(salt, 0);
  new DataView(header.buffer).setUint32(16, 4096);
  header[20] = asPublic.length;
  header.set(asPublic, 21);
  return concat(header, record);
}

function hostAllowed(host: string, allowed: string[]): boolean {
  return allowed.some((a) => host === a || host.endsWith(`.${a}`));
}

export function createWebPushProvider(options: WebPushOptions): PushProvider {
  const name = 'webpush';
  if (!options.vapid?.publicKey || !options.vapid?.privateKey || !options.subject) {
    throw new PushError('config', name, 'VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT are required');
  }
  const ttl = options.ttl ?? 86400;
  const urgency = options.urgency ?? 'high';
  const allowed = options.allowedHosts ?? DEFAULT_WEBPUSH_HOSTS;
  const timeoutMs = options.timeoutMs ?? 5000;
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  let signingKey: Promise<CryptoKey> | null = null;
  const jwtCache = new Map<string, { jwt: string; until: number }>();

  async function vapidJwt(audience: string): Promise<string> {
    const hit = jwtCache.get(audience);
    if (hit && hit.until > now()) return hit.jwt;
    signingKey ??= importVapidPrivateKey(options.vapid);
    const exp = Math.floor(now() / 1000) + 12 * 3600;
    const jwt = await signEs256({ aud: audience, exp, sub: options.subject }, await signingKey);
    jwtCache.set(audience, { jwt, until: now() + 11 * 3600 * 1000 });
    return jwt;
  }

  return {
    name,
    async send(target: PushTarget, message: PushMessage) {
      const sub = parseSubscription(target.token);
      if (!sub) throw new PushError('invalid_token', name, 'the push token is not a Web Push subscription');
      const endpoint = new URL(sub.endpoint);
      if (!hostAllowed(endpoint.hostname, allowed)) {
        throw new PushError('config', name, `push endpoint host ${endpoint.hostname} is not allowed`);
      }
      const payload = utf8(
        JSON.stringify({ id: message.id, title: message.title, body: message.body, data: message.data }),
      );
      let body: Bytes;
      try {
        body = await encryptPayload(sub, payload);
      } catch (cause) {
        throw new PushError('invalid_token', name, 'the subscription keys are not usable', { cause });
      }
      const { status, headers } = await exchange(
        name,
        fetchImpl,
        sub.endpoint,
        {
          method: 'POST',
          headers: {
            Authorization: `vapid t=${await vapidJwt(endpoint.origin)}, k=${options.vapid.publicKey}`,
            'Content-Encoding': 'aes128gcm',
            'Content-Type': 'application/octet-stream',
            TTL: String(ttl),
            Urgency: urgency,
            // Replaces an undelivered earlier copy of the same notification (≤ 32 base64url characters).
            Topic: message.id.replace(/-/g, '').slice(0, 32),
          },
          body,
        },
        timeoutMs,
      );
      if (status >= 200 && status < 300) return { messageId: headers.get('Location') ?? `webpush:${message.id}` };
      const why = `the push service answered HTTP ${status}`;
      if (status === 404 || status === 410) throw new PushError('invalid_token', name, why, { status });
      if (status === 429 || status >= 500 || status === 401 || status === 403)
        throw new PushError('http', name, why, { status });
      throw new PushError('rejected', name, why, { status });
    },
  };
}
