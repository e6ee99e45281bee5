// Shared pieces of the functions that talk to Postgres over SUPABASE_DB_URL (postgres.js): every request is one
// transaction that first acts as the caller (role authenticated + request.jwt.claims, so row-level security decides
// what they may see), then switches to service_role for the one privileged call into `private`. Business refusals
// come back from SQL as SQLSTATE `EO<http status>` (private.refuse_order): message = stable code, detail = JSON.
import type postgres from 'npm:postgres@3.4.7';
import type { Caller } from './caller.ts';
import type { Language } from './language.ts';

type Tx = postgres.TransactionSql;

export async function asCaller(tx: Tx, caller: Caller): Promise<void> {
  await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(
    caller.claims,
  )}, true)`;
}

export async function asService(tx: Tx): Promise<void> {
  await tx`select set_config('role', 'service_role', true), set_config('request.jwt.claims', '', true)`;
}

/** An `EO<status>` refusal raised by private.refuse_order, or null for any other error. */
export function eoRefusal(error: unknown): { status: number; code: string; detail: Record<string, unknown> } | null {
  const e = error as { code?: unknown; message?: unknown; detail?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  if (!/^EO\d{3}$/.test(code)) return null;
  let detail: Record<string, unknown> = {};
  try {
    detail = typeof e.detail === 'string' && e.detail ? JSON.parse(e.detail) : {};
  } catch {
    detail = {};
  }
  return { status: Number(code.slice(2)), code: typeof e.message === 'string' ? e.message : '', detail };
}

/** The language saved on the person's profile, or null. */
export async function profileLanguage(sql: postgres.Sql, userId: string): Promise<Language | null> {
  const [row] = await sql`select language from public.profiles where id = ${userId}`;
  const lang = row?.language;
  return lang === 'fr' || lang === 'en' ? (lang as Language) : null;
}

/**
 * A refusal the database answered instead of raising, because it had to commit something first (a wrong delivery
 * code or PIN is counted and recorded): `{ "refused": { status, code, detail } }` → its parts, or null.
 */
export function answeredRefusal(
  body: unknown,
): { status: number; code: string; detail: Record<string, unknown> } | null {
  const refused = (body as { refused?: unknown } | null)?.refused as
    { status?: unknown; code?: unknown; detail?: unknown } | undefined;
  if (!refused || typeof refused.status !== 'number' || typeof refused.code !== 'string') return null;
  const detail =
    refused.detail && typeof refused.detail === 'object' ? (refused.detail as Record<string, unknown>) : {};
  return { status: refused.status, code: refused.code, detail };
}
