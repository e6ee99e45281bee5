// Reports who called: the role and user of the bearer JWT. The platform (verify_jwt = true) has already checked the
// token's signature and expiry before the request reaches us, so decoding the payload is enough here.
import { errorResponse, jsonResponse, methodNotAllowed, preflight } from '../_shared/http.ts';

export interface HealthHandlerDeps {
  supabaseUrl: string | undefined;
}

function bearerClaims(req: Request): Record<string, unknown> | null {
  const match = /^Bearer\s+([^.\s]+)\.([^.\s]+)\.([^.\s]*)$/.exec(req.headers.get('Authorization') ?? '');
  if (!match) return null;
  try {
    const b64 = match[2]!.replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims === 'object' && claims !== null ? claims : null;
  } catch {
    return null;
  }
}

export function createHealthHandler(deps: HealthHandlerDeps): (req: Request) => Promise<Response> {
  return (req) => {
    const cors = preflight(req);
    if (cors) return Promise.resolve(cors);
    if (req.method !== 'GET' && req.method !== 'POST')
      return Promise.resolve(methodNotAllowed(['GET', 'POST', 'OPTIONS']));
    if (!deps.supabaseUrl) {
      return Promise.resolve(errorResponse(503, 'unavailable', 'SUPABASE_URL is not set'));
    }
    const claims = bearerClaims(req);
    return Promise.resolve(
      jsonResponse({
        status: 'ok',
        role: typeof claims?.role === 'string' ? claims.role : null,
        user_id: typeof claims?.sub === 'string' ? claims.sub : null,
      }),
    );
  };
}
