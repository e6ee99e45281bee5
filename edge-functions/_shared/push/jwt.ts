// Compact JWS with WebCrypto: RS256 (Google service-account assertions) and ES256 (VAPID, RFC 8292).
export type Bytes = Uint8Array<ArrayBuffer>;

export function b64url(bytes: Uint8Array | ArrayBuffer): string {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let bin = '';
  for (const b of u8) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromB64url(s: string): Bytes {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

const utf8 = (s: string): Bytes => new TextEncoder().encode(s) as Bytes;

function signingInput(header: Record<string, unknown>, claims: Record<string, unknown>): string {
  return `${b64url(utf8(JSON.stringify(header)))}.${b64url(utf8(JSON.stringify(claims)))}`;
}

/** RS256 with a PKCS#8 PEM private key (the `private_key` of a Google service-account JSON). */
export async function signRs256(claims: Record<string, unknown>, pem: string, kid?: string): Promise<string> {
  const der = fromB64url(
    pem
      .replace(/-----(BEGIN|END) PRIVATE KEY-----/g, '')
      .replace(/\s+/g, '')
      .replace(/\+/g, '-')
      .replace(/\//g, '_'),
  );
  const key = await crypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const input = signingInput({ alg: 'RS256', typ: 'JWT', ...(kid ? { kid } : {}) }, claims);
  const sig = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, utf8(input));
  return `${input}.${b64url(sig)}`;
}

/** A VAPID key pair as the Web Push world writes it: public = uncompressed P-256 point, private = d, base64url. */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

export async function importVapidPrivateKey(keys: VapidKeys): Promise<CryptoKey> {
  const pub = fromB64url(keys.publicKey);
  if (pub.length !== 65 || pub[0] !== 4) throw new Error('VAPID public key must be an uncompressed P-256 point');
  const jwk: JsonWebKey = {
    kty: 'EC',
    crv: 'P-256',
    x: b64url(pub.slice(1, 33)),
    y: b64url(pub.slice(33, 65)),
    d: keys.privateKey,
    ext: false,
  };
  return await crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
}

/** ES256: WebCrypto's ECDSA signature is already the raw r‖s form JWS wants. */
export async function signEs256(claims: Record<string, unknown>, key: CryptoKey): Promise<string> {
  const input = signingInput({ typ: 'JWT', alg: 'ES256' }, claims);
  const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, utf8(input));
  return `${input}.${b64url(sig)}`;
}
