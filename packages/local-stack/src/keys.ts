// The well-known local demo keys the Supabase CLI prints (`supabase status`), and the HS256 JWT helpers every
// stand-in shares. These keys are public: they only ever protect a stack bound to 127.0.0.1.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const DEMO_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
export const DEMO_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
export const DEMO_SERVICE_ROLE_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';
export const DEMO_PUBLISHABLE_KEY = 'sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH';
export const DEMO_SECRET_KEY = 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz';

export type JwtClaims = Record<string, unknown> & { role?: string; sub?: string; exp?: number };

const b64url = (input: Buffer | string): string => Buffer.from(input).toString('base64url');

export function signJwt(claims: JwtClaims, secret: string): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

export type JwtCheck = { ok: true; claims: JwtClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

/** Verifies an HS256 token's signature and `exp` (seconds). Never throws. */
export function verifyJwt(token: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): JwtCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [head, body, sig] = parts as [string, string, string];
  let header: { alg?: string };
  let claims: JwtClaims;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (header.alg !== 'HS256' || typeof claims !== 'object' || claims === null)
    return { ok: false, reason: 'malformed' };
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  if (typeof claims.exp === 'number' && claims.exp <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

/** The legacy JWT keys for a given secret (the demo values when the secret is the demo one). */
export function apiKeysFor(secret: string): { anon: string; serviceRole: string } {
  if (secret === DEMO_JWT_SECRET) return { anon: DEMO_ANON_KEY, serviceRole: DEMO_SERVICE_ROLE_KEY };
  const exp = 1983812996;
  return {
    anon: signJwt({ iss: 'supabase-demo', role: 'anon', exp }, secret),
    serviceRole: signJwt({ iss: 'supabase-demo', role: 'service_role', exp }, secret),
  };
}

/**
 * Standard Webhooks secret the local stack gives both Auth (to sign Send SMS hook calls) and the send-sms function
 * (to verify them) when `SEND_SMS_HOOK_SECRETS` is not set. Local only, like the demo keys above.
 */
export const DEV_SEND_SMS_HOOK_SECRET = 'v1,whsec_ZWNvbS1sb2NhbC1zZW5kLXNtcy1ob29rLXNlY3JldA==';
