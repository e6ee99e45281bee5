// Tests only: HS256 access tokens signed like the platform's, with the local stack's demo secret by default.
export const TEST_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/=+$/, '')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
const enc = (value: unknown) => b64url(new TextEncoder().encode(JSON.stringify(value)));

export async function testJwt(claims: Record<string, unknown>, secret = TEST_JWT_SECRET): Promise<string> {
  const body = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ exp: Math.floor(Date.now() / 1000) + 600, ...claims })}`;
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
