// Tests only: an HS256 JWT signed with WebCrypto, as Supabase Auth (or the service-role key) would carry it.
import { b64url } from './push/jwt.ts';

export async function signTestJwt(claims: Record<string, unknown>, secret: string): Promise<string> {
  const encode = (value: unknown) => b64url(new TextEncoder().encode(JSON.stringify(value)));
  const input = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return `${input}.${b64url(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(input)))}`;
}
