// Who is calling a function (verify_jwt = true): the bearer JWT's subject and claims. The platform checked the
// signature; we check it again when the secret is given, and always the role ('authenticated') and the expiry. The
// claims go to Postgres as request.jwt.claims so row-level security sees the caller (see _shared/pg.ts).

export interface Caller {
  userId: string;
  /** The JWT claims, handed to Postgres as request.jwt.claims so RLS sees the caller. */
  claims: Record<string, unknown>;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function b64urlBytes(s: string): Uint8Array<ArrayBuffer> {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The claims of `Authorization: Bearer <jwt>` when it parses and (with a secret) its HS256 signature verifies. */
async function verifiedClaims(req: Request, jwtSecret: string | undefined): Promise<Record<string, unknown> | null> {
  const match = /^Bearer\s+([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/.exec(
    req.headers.get('Authorization') ?? '',
  );
  if (!match) return null;
  const [, h, p, s] = match as unknown as [string, string, string, string];
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(b64urlBytes(h)));
    claims = JSON.parse(new TextDecoder().decode(b64urlBytes(p)));
  } catch {
    return null;
  }
  if (typeof claims !== 'object' || claims === null) return null;
  if (jwtSecret) {
    if (header.alg !== 'HS256') return null;
    const key = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(jwtSecret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    const ok = await crypto.subtle.verify('HMAC', key, b64urlBytes(s), new TextEncoder().encode(`${h}.${p}`));
    if (!ok) return null;
  }
  return claims;
}

/** The signed-in person behind `Authorization: Bearer <jwt>`, or null (no token, bad signature, anon, expired). */
export async function callerFrom(req: Request, jwtSecret: string | undefined, now: number): Promise<Caller | null> {
  const claims = await verifiedClaims(req, jwtSecret);
  if (!claims) return null;
  if (claims.role !== 'authenticated' || typeof claims.sub !== 'string' || !UUID_RE.test(claims.sub)) return null;
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) return null;
  return { userId: claims.sub, claims };
}

/** The role of a valid bearer JWT (service_role for the platform's jobs), or null. */
export async function bearerRole(req: Request, jwtSecret: string | undefined, now: number): Promise<string | null> {
  const claims = await verifiedClaims(req, jwtSecret);
  if (!claims) return null;
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= now) return null;
  return typeof claims.role === 'string' ? claims.role : null;
}
