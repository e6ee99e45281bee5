// What every user-facing function does with a request before its own logic: the caller's language, the path after
// the function's name, field-level validation details, and the hash that ties an idempotency key to its request.
import type { z } from 'npm:zod@3.25.76';
import { type Caller, callerFrom } from './caller.ts';
import { errorResponse, preflight } from './http.ts';
import { type Language, languageFromHeader } from './language.ts';

/** `Accept-Language` first, then the caller's profile, then French. A failing profile lookup is not an error. */
export async function callerLanguage(
  req: Request,
  caller: Caller | null,
  profileLanguage: ((userId: string) => Promise<Language | null>) | undefined,
): Promise<Language> {
  const fromHeader = languageFromHeader(req.headers.get('Accept-Language'));
  if (fromHeader) return fromHeader;
  if (caller && profileLanguage) {
    try {
      return (await profileLanguage(caller.userId)) ?? 'fr';
    } catch {
      return 'fr';
    }
  }
  return 'fr';
}

/** The path segments after the function's name: `/orders/abc/transition` → ['abc', 'transition']. */
export function pathAfter(req: Request, functionName: string): string[] {
  const parts = new URL(req.url).pathname.split('/').filter(Boolean);
  const at = parts.lastIndexOf(functionName);
  return at >= 0 ? parts.slice(at + 1) : parts;
}

/** Field-level details of a zod failure: [{ field: "items.0.quantity", code, message }]. */
export function fieldErrors(error: z.ZodError): Array<{ field: string; code: string; message: string }> {
  return error.issues.map((i) => ({ field: i.path.join('.'), code: i.code, message: i.message }));
}

/** Canonical JSON (sorted keys, no null/undefined members): two requests that mean the same hash the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 hex of the canonical request, stored with an idempotency key to spot a replay with another payload. */
export async function requestHash(request: unknown): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical(request)));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A refusal with its HTTP status and stable code; `detail` becomes message parameters and error members. */
export class RequestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: Record<string, unknown>;
  constructor(status: number, code: string, detail: Record<string, unknown> = {}) {
    super(code);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

/** The request's JSON body; a missing or malformed one is a 400 `invalid_json`, never a 500. */
export async function readJsonBody(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new RequestError(400, 'invalid_json');
  }
}

/** The Idempotency-Key header of a money or placement call: 8 to 100 characters, else 400 idempotency_key_required. */
export function idempotencyKeyOf(req: Request): string {
  const key = req.headers.get('Idempotency-Key')?.trim() ?? '';
  if (key.length < 8 || key.length > 100) throw new RequestError(400, 'idempotency_key_required');
  return key;
}

export type Log = (event: string, fields?: Record<string, unknown>) => void;

/**
 * The frame of every user-facing function: CORS preflight, the caller from the JWT (401 without one), 503 when the
 * database is not configured, then `route`; a RequestError becomes the error envelope in the caller's language,
 * anything else a logged 500 with a stable message.
 */
export function serveAsCaller<Db>(options: {
  name: string;
  /** Methods for the Allow header of a 405. */
  allow: string;
  db: Db | undefined;
  jwtSecret: string | undefined;
  now: () => number;
  log: Log;
  message: (code: string, lang: Language, params?: Record<string, unknown>) => string;
  language: (req: Request, caller: Caller | null) => Promise<Language>;
  route: (req: Request, caller: Caller, db: Db) => Promise<Response>;
}): (req: Request) => Promise<Response> {
  const { name, db, log, message, language } = options;
  return async (req) => {
    const cors = preflight(req);
    if (cors) return cors;
    let caller: Caller | null = null;
    try {
      caller = await callerFrom(req, options.jwtSecret, options.now());
      if (!caller) throw new RequestError(401, 'unauthorized');
      if (!db) {
        log(`${name}: SUPABASE_DB_URL is not set`);
        return errorResponse(503, 'unavailable', message('internal_error', await language(req, null)));
      }
      return await options.route(req, caller, db);
    } catch (error) {
      const lang = await language(req, caller);
      if (error instanceof RequestError) {
        const headers: Record<string, string> = error.status === 405 ? { Allow: options.allow } : {};
        // A lock (429) says when to come back.
        if (error.status === 429 && typeof error.detail.retry_after_s === 'number') {
          headers['Retry-After'] = String(error.detail.retry_after_s);
        }
        return errorResponse(error.status, error.code, message(error.code, lang, error.detail), headers, error.detail);
      }
      log(`${name}: unhandled error`, { error: error instanceof Error ? error.message : String(error) });
      return errorResponse(500, 'internal_error', message('internal_error', lang));
    }
  };
}

/** A zod-checked JSON value: 400 validation_failed with field-level details when it does not fit. */
export function validated<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new RequestError(400, 'validation_failed', { details: fieldErrors(parsed.error) });
  return parsed.data;
}

/** The request's JSON body checked against `schema` (400 invalid_json, or 400 validation_failed with details). */
export async function validBody<T extends z.ZodTypeAny>(schema: T, req: Request): Promise<z.infer<T>> {
  return validated(schema, await readJsonBody(req));
}

/**
 * A placement or money call: its Idempotency-Key (checked first), its checked body, and the hash of what it asks
 * (`hashed`: the body with what else identifies the request, e.g. the order it refunds) that ties the key to it.
 */
export async function idempotentBody<T extends z.ZodTypeAny>(
  schema: T,
  req: Request,
  hashed: (body: z.infer<T>) => unknown = (body) => body,
): Promise<{ key: string; body: z.infer<T>; hash: string }> {
  const key = idempotencyKeyOf(req);
  const body = await validBody(schema, req);
  return { key, body, hash: await requestHash(hashed(body)) };
}

/** What every user-facing function's database layer answers besides its own calls. */
export interface CallerDb {
  /** The caller's profile language, for refusals when the request names none. */
  profileLanguage(userId: string): Promise<Language | null>;
}

/** What every user-facing function's handler factory takes besides its own providers. */
export interface CallerHandlerDeps<Db> {
  db: Db | undefined;
  /** HS256 secret to re-check signatures (optional: with verify_jwt = true the platform already did). */
  jwtSecret?: string;
  log?: Log;
  now?: () => number;
}

/**
 * A user-facing function's frame from its deps: the log and clock (console and Date.now unless a test gives its
 * own), the caller's language (header, then profile, then French), and `serve(route)`, the serveAsCaller around it.
 */
export function callerFrame<Db extends CallerDb>(
  name: string,
  deps: CallerHandlerDeps<Db>,
  options: {
    message: (code: string, lang: Language, params?: Record<string, unknown>) => string;
    /** Methods for the Allow header of a 405 (default GET, POST, OPTIONS). */
    allow?: string;
  },
) {
  const { db } = deps;
  const log: Log = deps.log ?? ((event, fields) => console.error(event, fields ?? {}));
  const now = deps.now ?? Date.now;
  const language = (req: Request, caller: Caller | null): Promise<Language> =>
    callerLanguage(req, caller, db ? (id) => db.profileLanguage(id) : undefined);
  const serve = (route: (req: Request, caller: Caller, db: Db) => Promise<Response>) =>
    serveAsCaller({
      name,
      allow: options.allow ?? 'GET, POST, OPTIONS',
      db,
      jwtSecret: deps.jwtSecret,
      now,
      log,
      message: options.message,
      language,
      route,
    });
  return { log, now, language, serve };
}
