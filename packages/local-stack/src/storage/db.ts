// Database access for the Storage stand-in, as Supabase Storage does it: caller-facing reads and writes run in a
// transaction under the caller's role with the JWT claims in `request.jwt.claims`, so the project's RLS policies on
// storage.objects / storage.buckets decide (service_role has BYPASSRLS); bucket look-ups that Storage itself does
// as its superuser (limits, public flag) use the pool directly.
import type pg from 'pg';
import type { JwtClaims } from '../keys.ts';
import { fromDatabaseError, type StorageError } from './errors.ts';

export interface Caller {
  /** The Postgres role the request acts as (the JWT `role` claim). */
  role: string;
  claims: JwtClaims;
  /** JWT `sub`, when present. */
  sub: string | undefined;
}

export interface BucketRow {
  id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  public: boolean;
  type: string;
  file_size_limit: string | number | null;
  allowed_mime_types: string[] | null;
  created_at: Date;
  updated_at: Date;
}

export interface ObjectRow {
  id: string;
  bucket_id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  version: string | null;
  metadata: ObjectMetadata | null;
  user_metadata: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  last_accessed_at: Date;
}

export interface ObjectMetadata {
  eTag: string;
  size: number;
  mimetype: string;
  cacheControl: string;
  lastModified: string;
  contentLength: number;
  httpStatusCode: number;
  contentEncoding?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The deprecated `owner uuid` column takes the subject only when it is a UUID (as Storage does). */
export const ownerUuid = (caller: Caller): string | null => (caller.sub && UUID.test(caller.sub) ? caller.sub : null);

/**
 * Runs `fn` in a transaction as the caller. Postgres errors become Storage errors (`duplicate` picks the 409
 * flavour); a StorageError thrown by `fn` rolls back and propagates unchanged.
 */
export async function asCaller<T>(
  pool: pg.Pool,
  caller: Caller,
  operation: string,
  fn: (client: pg.PoolClient) => Promise<T>,
  duplicate?: () => StorageError,
  /** Test the permission only: run `fn`, then roll back (Storage's `canUpload`). */
  rollback = false,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(
      `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
              set_config('storage.operation', $3, true)`,
      [caller.role, JSON.stringify(caller.claims), operation],
    );
    const result = await fn(client);
    await client.query(rollback ? 'rollback' : 'commit');
    return result;
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw fromDatabaseError(e, duplicate);
  } finally {
    client.release();
  }
}

export async function findBucketAsSuperuser(pool: pg.Pool, id: string): Promise<BucketRow | undefined> {
  const { rows } = await pool.query<BucketRow>('select * from storage.buckets where id = $1', [id]);
  return rows[0];
}

export async function findObjectAsSuperuser(
  pool: pg.Pool,
  bucketId: string,
  name: string,
): Promise<ObjectRow | undefined> {
  const { rows } = await pool.query<ObjectRow>('select * from storage.objects where bucket_id = $1 and name = $2', [
    bucketId,
    name,
  ]);
  return rows[0];
}
