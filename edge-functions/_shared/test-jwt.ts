// Tests only: HS256 access tokens signed like the platform's, with the local stack's demo secret by default.
export const TEST_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/=+$/, '')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
const enc = (value: unknown) => b64url(new TextEncoder().encode(JSON.stringify(value)));

/** Signs exactly `claims`. */
export async function signTestJwt(claims: Record<string, unknown>, secret = TEST_JWT_SECRET): Promise<string> {
  const body = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(claims)}`;
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body)));
  return `${body}.${b64url(sig)}`;
}

/** Signs `claims` with a 10-minute `exp` unless they carry one. */
export function testJwt(claims: Record<string, unknown>, secret = TEST_JWT_SECRET): Promise<string> {
  return signTestJwt({ exp: Math.floor(Date.now() / 1000) + 600, ...claims }, secret);
}
