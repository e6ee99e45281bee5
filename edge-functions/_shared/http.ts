// The one place edge functions build HTTP responses: a JSON body for success, one error envelope
// `{ "error": { "code", "message" } }` with a real status code, and the CORS headers browsers need.
// Messages are stable strings for clients; details (stack, SQL, provider bodies) go to the logs, never out.

/** CORS for browser callers (supabase-js sends authorization, apikey, content-type, x-client-info, x-region). */
export const corsHeaders: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers':
    'authorization, x-client-info, apikey, content-type, x-region, idempotency-key, accept-language',
  'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
};

export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'insufficient_funds'
  | 'rate_limited'
  | 'internal_error'
  | 'unavailable';

/** Extra members of the error object: field errors of a 400, the current status of a 409, `busy_until`… */
export type ErrorExtra = Record<string, unknown>;

/** A failure a handler may throw; `withErrorEnvelope` turns it into the error envelope. */
export class HttpError extends Error {
  readonly status: number;
  /** One of ErrorCode, or a function's own stable code (`store_closed`, `illegal_transition`…). */
  readonly code: string;
  readonly extra: ErrorExtra;
  constructor(status: number, code: ErrorCode | string, message: string, extra: ErrorExtra = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

/** Success: `body` serialised as JSON, with CORS. */
export function jsonResponse(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  h.set('Content-Type', 'application/json');
  for (const [k, v] of Object.entries(corsHeaders)) h.set(k, v);
  return new Response(JSON.stringify(body), { status, headers: h });
}

/** Failure: `{ "error": { "code", "message", ...extra } }`. */
export function errorResponse(
  status: number,
  code: ErrorCode | string,
  message: string,
  headers: HeadersInit = {},
  extra: ErrorExtra = {},
): Response {
  return jsonResponse({ error: { ...extra, code, message } }, status, headers);
}

/** Answers a CORS preflight, or returns null when `req` is not one. */
export function preflight(req: Request): Response | null {
  if (req.method !== 'OPTIONS') return null;
  return new Response('ok', { status: 200, headers: corsHeaders });
}

export function methodNotAllowed(allowed: string[]): Response {
  return errorResponse(405, 'method_not_allowed', 'Method not allowed', { Allow: allowed.join(', ') });
}

/** Reads a JSON object body; a missing or malformed body is a 400, never a 500. */
export async function readJsonObject(req: Request): Promise<Record<string, unknown>> {
  let value: unknown;
  try {
    value = await req.json();
  } catch {
    throw new HttpError(400, 'bad_request', 'Request body must be JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'bad_request', 'Request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/**
 * Wraps a handler so a thrown HttpError becomes its envelope and anything else a stable 500
 * (the error itself is logged, not sent).
 */
export function withErrorEnvelope(
  handler: (req: Request) => Promise<Response> | Response,
  log: (message: string, error: unknown) => void = (m, e) => console.error(m, e),
): (req: Request) => Promise<Response> {
  return async (req) => {
    try {
      return await handler(req);
    } catch (error) {
      if (error instanceof HttpError) return errorResponse(error.status, error.code, error.message, {}, error.extra);
      log('unhandled error', error);
      return errorResponse(500, 'internal_error', 'Internal error');
    }
  };
}

/**
 * Auth hooks are the one exception to the envelope above: GoTrue reads `{ "error": { "http_code", "message" } }`
 * from a hook's answer (supabase-protocols.md A.10), so hook functions answer in that shape.
 */
export function authHookError(httpCode: number, message: string): Response {
  return new Response(JSON.stringify({ error: { http_code: httpCode, message } }), {
    status: httpCode,
    headers: { 'Content-Type': 'application/json' },
  });
}

/** The success answer of an Auth hook: 200 with an empty JSON object (a Content-Type is required). */
export function authHookOk(): Response {
  return new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } });
}
