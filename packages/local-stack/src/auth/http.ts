// HTTP plumbing shared by the Auth endpoints: JSON bodies, GoTrue's error envelope and the request's client IP.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** GoTrue's API version; auth-js only reads `code` from error bodies when the response carries this header. */
export const API_VERSION = '2024-01-01';

/** An error GoTrue would answer with: HTTP status, machine code (apierrors/errorcode.go) and message. */
export class AuthError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** OAuth-style error (`{error, error_description}`) some `/token` paths return. */
export class OAuthError extends Error {
  readonly error: string;
  constructor(error: string, description: string) {
    super(description);
    this.error = error;
  }
}

export const badRequest = (code: string, message: string): AuthError => new AuthError(400, code, message);
export const forbidden = (code: string, message: string): AuthError => new AuthError(403, code, message);
export const unprocessable = (code: string, message: string): AuthError => new AuthError(422, code, message);
export const tooMany = (code: string, message: string): AuthError => new AuthError(429, code, message);

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-supabase-api-version': API_VERSION,
    ...headers,
  });
  res.end(text);
}

export function sendNoContent(res: ServerResponse): void {
  res.writeHead(204, { 'x-supabase-api-version': API_VERSION });
  res.end();
}

/**
 * Writes an error the way GoTrue does for clients that send `X-Supabase-Api-Version: 2024-01-01` (auth-js always
 * does): `{code, message}` plus the version header and `x-sb-error-code`. Anything unexpected becomes a 500
 * `unexpected_failure` without internals in the message.
 */
export function sendError(res: ServerResponse, err: unknown, log: (line: string) => void = () => {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (err instanceof OAuthError) {
    sendJson(res, 400, { error: err.error, error_description: err.message });
    return;
  }
  const e =
    err instanceof AuthError
      ? err
      : new AuthError(500, 'unexpected_failure', 'Unexpected failure, please check server logs for more information');
  if (err instanceof AuthError && err.status >= 500 && err.cause !== undefined)
    log(`[auth] ${err.message}: ${String(err.cause)}`);
  if (!(err instanceof AuthError))
    log(`[auth] unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  sendJson(res, e.status, { code: e.code, message: e.message }, { 'x-sb-error-code': e.code, ...e.headers });
}

const MAX_BODY = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY) throw badRequest('request_too_large', 'Request body too large');
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a JSON object body; an empty body is `{}`. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw badRequest('bad_json', `Could not parse request body as JSON: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest('bad_json', 'Could not parse request body as JSON: expected an object');
  }
  return parsed as Record<string, unknown>;
}

/** Client IP for per-IP limits: first `x-forwarded-for` entry, else the socket peer. */
export function clientIp(req: IncomingMessage): string {
  const xff = req.headers['x-forwarded-for'];
  const first = (Array.isArray(xff) ? xff[0] : xff)?.split(',')[0]?.trim();
  return first || req.socket.remoteAddress || 'unknown';
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  const m = h ? /^bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m?.[1];
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
