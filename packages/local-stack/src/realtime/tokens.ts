// JWT rules of Supabase Realtime (supabase-protocols.md B.1, B.3, B.4): HS256 with the project secret, claims
// `role` and `exp` mandatory. Messages follow the server's wording so the client shows the same text.
import { verifyJwt, type JwtClaims } from '../keys.ts';

export type TokenCheck =
  { ok: true; claims: JwtClaims & { role: string; exp: number } } | { ok: false; message: string };

export function checkToken(token: string | undefined, secret: string, now = Math.floor(Date.now() / 1000)): TokenCheck {
  if (!token) return { ok: false, message: 'API key missing' };
  // Expiry is judged below (to say by how much), so the signature check runs with a clock at 0.
  const v = verifyJwt(token, secret, 0);
  if (!v.ok) {
    return { ok: false, message: v.reason === 'signature' ? 'Signature error' : 'Token is not a valid JWT' };
  }
  const { role, exp } = v.claims;
  if (typeof role !== 'string' || !role || typeof exp !== 'number') {
    return { ok: false, message: 'Fields `role` and `exp` are required in JWT' };
  }
  if (exp <= now) return { ok: false, message: `Token has expired ${now - exp} seconds ago` };
  return { ok: true, claims: v.claims as JwtClaims & { role: string; exp: number } };
}

/** Tokens the server ignores and replaces by the connection's apikey (B.3): absent, not a string, `sb_` keys. */
export const usableToken = (t: unknown): t is string => typeof t === 'string' && t.length > 0 && !t.startsWith('sb_');
