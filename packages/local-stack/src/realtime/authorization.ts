// Realtime Authorization for private channels (supabase-protocols.md B.9), done the way Supabase Realtime does it:
// RLS policies on `realtime.messages` decide. Read = probe rows inserted by the privileged connection, then
// selected under the subscriber's role, claims and `realtime.topic`; write = an insert under that role. Both
// always roll back, so nothing is left in the table.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { JwtClaims } from '../keys.ts';

const { escapeIdentifier: ident, escapeLiteral: lit } = pg;

export interface AuthContext {
  /** The channel name without `realtime:` (what `realtime.topic()` returns). */
  topic: string;
  claims: JwtClaims & { role: string };
  headers?: Record<string, string>;
}

export type Extension = 'broadcast' | 'presence';

/** `set local role …` and the settings PostgREST and Realtime give a request, as one statement list. */
export function sessionSql(ctx: AuthContext): string {
  const c = ctx.claims;
  return [
    `set local role ${ident(c.role)}`,
    `select set_config('realtime.topic', ${lit(ctx.topic)}, true),
      set_config('request.jwt.claims', ${lit(JSON.stringify(c))}, true),
      set_config('request.jwt.claim.sub', ${lit(typeof c.sub === 'string' ? c.sub : '')}, true),
      set_config('request.jwt.claim.role', ${lit(c.role)}, true),
      set_config('request.headers', ${lit(JSON.stringify(ctx.headers ?? {}))}, true)`,
  ].join(';\n');
}

async function inRolledBackTransaction<T>(pool: pg.Pool, sql: string, pick: (r: pg.QueryResult[]) => T): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const result = (await client.query(`begin;\n${sql};\nrollback`)) as unknown as pg.QueryResult[];
    return pick(result);
  } catch (e) {
    await client.query('rollback').catch((err: Error) => (broken = err));
    throw e;
  } finally {
    client.release(broken);
  }
}

/** Which extensions the subscriber may read on this topic. Errors in policies count as "no". */
export async function readPolicies(pool: pg.Pool, ctx: AuthContext, extensions: Extension[]) {
  const ids = extensions.map(() => randomUUID());
  const rows = extensions
    .map((ext, i) => `(${lit(ids[i]!)}, ${lit(ctx.topic)}, ${lit(ext)}, '{}'::jsonb, 'realtime-authorization', true)`)
    .join(', ');
  const sql = [
    `insert into realtime.messages (id, topic, extension, payload, event, private) values ${rows}`,
    sessionSql(ctx),
    `select extension from realtime.messages where id in (${ids.map(lit).join(', ')})`,
  ].join(';\n');
  try {
    return await inRolledBackTransaction(pool, sql, (results) => {
      const found = new Set(results.at(-2)!.rows.map((r: { extension: string }) => r.extension));
      return { broadcast: found.has('broadcast'), presence: found.has('presence') };
    });
  } catch {
    return { broadcast: false, presence: false };
  }
}

/** Whether the subscriber may send on this topic (broadcast) or track (presence). */
export async function canWrite(pool: pg.Pool, ctx: AuthContext, extension: Extension): Promise<boolean> {
  const sql = [
    sessionSql(ctx),
    `insert into realtime.messages (topic, extension, payload, event, private)
       values (${lit(ctx.topic)}, ${lit(extension)}, '{}'::jsonb, 'realtime-authorization', true)`,
  ].join(';\n');
  try {
    await inRolledBackTransaction(pool, sql, () => undefined);
    return true;
  } catch {
    return false;
  }
}
