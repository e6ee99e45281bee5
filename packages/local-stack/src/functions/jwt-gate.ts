// verify_jwt, as the Supabase CLI's edge-runtime main.ts applies it before a request reaches a function: OPTIONS
// passes; otherwise `Authorization: Bearer <JWT>` must carry an HS256 token signed with the project secret and not
// expired. No role check: the anon key passes. Failures answer 401 `{ "msg": … }` with main.ts's exact texts
// (they are `Error#toString()` there, hence the "Error: " prefix on the first two).
import { verifyJwt } from '../keys.ts';

export interface GateRefusal {
  status: 401;
  body: { msg: string };
}

export function checkFunctionJwt(
  method: string | undefined,
  authorization: string | undefined,
  jwtSecret: string,
): GateRefusal | null {
  if (method === 'OPTIONS') return null;
  if (!authorization) return { status: 401, body: { msg: 'Error: Missing authorization header' } };
  const [scheme, token] = authorization.split(' ');
  if (scheme !== 'Bearer') return { status: 401, body: { msg: "Error: Auth header is not 'Bearer {token}'" } };
  if (!token || !verifyJwt(token, jwtSecret).ok) return { status: 401, body: { msg: 'Invalid JWT' } };
  return null;
}
