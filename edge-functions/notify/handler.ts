// The `notify` function (verify_jwt = true, service role only): POST /notify drains the push / SMS queue
// (drain.ts) and answers 200 {claimed, sent, failed, retrying}. Called every 10 s by pg_cron + pg_net on Supabase
// (docs/API.md), and by tests. Any other role gets 403; no or a bad token 401 (the platform refuses it first).
import { errorResponse, jsonResponse, methodNotAllowed, preflight } from '../_shared/http.ts';
import { bearerRole } from '../_shared/caller.ts';
import type { DrainResult } from './drain.ts';

export { bearerRole };

export interface NotifyHandlerDeps {
  drain: (() => Promise<DrainResult>) | undefined;
  /** HS256 secret to re-check signatures (optional: with verify_jwt = true the platform already did). */
  jwtSecret?: string;
  now?: () => number;
  log?: (event: string, fields?: Record<string, unknown>) => void;
}

export function createNotifyHandler(deps: NotifyHandlerDeps): (req: Request) => Promise<Response> {
  const log = deps.log ?? ((event, fields) => console.error(event, fields ?? {}));
  const now = deps.now ?? Date.now;
  return async (req) => {
    const pre = preflight(req);
    if (pre) return pre;
    if (req.method !== 'POST') return methodNotAllowed(['POST']);
    const role = await bearerRole(req, deps.jwtSecret, now());
    if (!role) return errorResponse(401, 'unauthorized', 'A valid JWT is required');
    if (role !== 'service_role')
      return errorResponse(403, 'forbidden', 'Only the service role may drain notifications');
    if (!deps.drain) {
      log('notify: SUPABASE_DB_URL is not set');
      return errorResponse(500, 'internal_error', 'Internal error');
    }
    try {
      const result = await deps.drain();
      if (result.failed || result.retrying) log('notify: drained with failures', { ...result });
      return jsonResponse(result);
    } catch (error) {
      log('notify: drain failed', { error: error instanceof Error ? error.message : String(error) });
      return errorResponse(500, 'internal_error', 'Internal error');
    }
  };
}
