// The service role as the edge functions hold it: through the Data API (supabase-js with the service key) for
// plain writes, and over SQL (SUPABASE_DB_URL, `set local role service_role`) for the private functions that
// PostgREST does not expose (private.transition_order, private.respond_to_offer, private.nearest_couriers…).
import type pg from 'pg';
import { newClient } from '../../local-stack/test/stack.ts';
import type { Db } from './actors.ts';

export const serviceClient = (): Db => newClient('service') as Db;

export interface SqlError {
  code?: string;
  message: string;
}

/** Runs one statement as service_role in its own transaction; returns rows, or the error (and rolls back). */
export async function asService<T extends pg.QueryResultRow = pg.QueryResultRow>(
  db: pg.Pool,
  sql: string,
  params: unknown[] = [],
): Promise<{ rows: T[]; error: SqlError | null }> {
  const c = await db.connect();
  try {
    await c.query('begin');
    await c.query('set local role service_role');
    const r = await c.query<T>(sql, params);
    await c.query('commit');
    return { rows: r.rows, error: null };
  } catch (e) {
    await c.query('rollback');
    const err = e as { code?: string; message: string };
    return { rows: [], error: { code: err.code, message: err.message } };
  } finally {
    c.release();
  }
}
