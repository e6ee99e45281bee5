// What every user-facing function does with a request before its own logic: the caller's language, the path after
// the function's name, field-level validation details, and the hash that ties an idempotency key to its request.
import type { z } from 'npm:zod@3.25.76';
import type { Caller } from './caller.ts';
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
