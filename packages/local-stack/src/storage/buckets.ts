// Bucket routes (`/bucket…`) as storage-js calls them: list, get, create, update, empty, delete. Every read and
// write runs as the caller, so policies on storage.buckets (none by default: only the service role) decide.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type pg from 'pg';
import { asCaller, ownerUuid, type BucketRow, type Caller } from './db.ts';
import { errors, sendJson } from './errors.ts';
import type { FileStore } from './files.ts';
import { mustBeValidBucketName, parseFileSizeLimit, readJson } from './http.ts';

export interface BucketContext {
  pool: pg.Pool;
  files: FileStore;
  /** The global `[storage] file_size_limit` in bytes. */
  globalFileSizeLimit: number;
}

const COLUMNS = 'id, name, owner, public, type, file_size_limit, allowed_mime_types, created_at, updated_at';

export function renderBucket(b: BucketRow): Record<string, unknown> {
  return {
    id: b.id,
    name: b.name,
    owner: b.owner ?? '',
    public: b.public,
    type: b.type,
    file_size_limit: b.file_size_limit === null ? null : Number(b.file_size_limit),
    allowed_mime_types: b.allowed_mime_types,
    created_at: b.created_at,
    updated_at: b.updated_at,
  };
}

function limitFrom(ctx: BucketContext, value: unknown): number | null {
  const limit = parseFileSizeLimit(value);
  if (limit !== null && limit > ctx.globalFileSizeLimit) throw errors.entityTooLarge();
  return limit;
}

function mimeTypesFrom(value: unknown): string[] | null {
  if (value === null || value === undefined) return null;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && /^[\w.+-]+\/[\w.+*-]+$/.test(v)))
    throw errors.invalidRequest('Invalid allowed_mime_types');
  return value as string[];
}

export async function listBuckets(ctx: BucketContext, caller: Caller, url: URL, res: ServerResponse): Promise<void> {
  const sortColumn = url.searchParams.get('sortColumn') ?? 'name';
  const column = ['id', 'name', 'created_at', 'updated_at'].includes(sortColumn) ? sortColumn : 'name';
  const order = url.searchParams.get('sortOrder')?.toLowerCase() === 'desc' ? 'desc' : 'asc';
  const limit = Number(url.searchParams.get('limit') ?? '') || null;
  const offset = Number(url.searchParams.get('offset') ?? '') || 0;
  const search = url.searchParams.get('search') ?? '';
  const rows = await asCaller(ctx.pool, caller, 'storage.bucket.list', async (c) => {
    const r = await c.query<BucketRow>(
      `select ${COLUMNS} from storage.buckets where name ilike '%' || $1 || '%'
       order by ${column} ${order} limit $2 offset $3`,
      [search, limit, offset],
    );
    return r.rows;
  });
  sendJson(res, 200, rows.map(renderBucket));
}

export async function getBucket(ctx: BucketContext, caller: Caller, id: string, res: ServerResponse): Promise<void> {
  const row = await asCaller(ctx.pool, caller, 'storage.bucket.get', async (c) => {
    const r = await c.query<BucketRow>(`select ${COLUMNS} from storage.buckets where id = $1`, [id]);
    return r.rows[0];
  });
  if (!row) throw errors.noSuchBucket();
  sendJson(res, 200, renderBucket(row));
}

export async function createBucket(
  ctx: BucketContext,
  caller: Caller,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readJson(req);
  const name = typeof body.name === 'string' ? body.name : undefined;
  if (!name) throw errors.missingParameter('name');
  mustBeValidBucketName(name);
  const id = typeof body.id === 'string' && body.id ? body.id : name;
  mustBeValidBucketName(id);
  const type = typeof body.type === 'string' ? body.type.toUpperCase() : 'STANDARD';
  if (type !== 'STANDARD') throw errors.invalidRequest(`Bucket type ${type} is not supported here`);
  const fileSizeLimit = limitFrom(ctx, body.file_size_limit);
  const allowed = mimeTypesFrom(body.allowed_mime_types);
  await asCaller(
    ctx.pool,
    caller,
    'storage.bucket.create',
    (c) =>
      c.query(
        `insert into storage.buckets (id, name, owner, owner_id, public, file_size_limit, allowed_mime_types)
         values ($1, $2, $3, $4, $5, $6, $7)`,
        [id, name, ownerUuid(caller), caller.sub ?? null, body.public === true, fileSizeLimit, allowed],
      ),
    () => errors.duplicate('BucketAlreadyExists'),
  );
  sendJson(res, 200, { name });
}

export async function updateBucket(
  ctx: BucketContext,
  caller: Caller,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readJson(req);
  const sets: string[] = [];
  const values: unknown[] = [id];
  const set = (column: string, value: unknown): void => {
    values.push(value);
    sets.push(`${column} = $${values.length}`);
  };
  if (typeof body.public === 'boolean') set('public', body.public);
  if ('file_size_limit' in body) set('file_size_limit', limitFrom(ctx, body.file_size_limit));
  if ('allowed_mime_types' in body) set('allowed_mime_types', mimeTypesFrom(body.allowed_mime_types));
  const updated = await asCaller(ctx.pool, caller, 'storage.bucket.update', async (c) => {
    const exists = await c.query('select 1 from storage.buckets where id = $1', [id]);
    if (exists.rowCount === 0) throw errors.noSuchBucket();
    if (sets.length === 0) return 1;
    const r = await c.query(
      `update storage.buckets set ${sets.join(', ')}, updated_at = now() where id = $1 returning id`,
      values,
    );
    return r.rowCount ?? 0;
  });
  if (updated === 0) throw errors.accessDenied('Access denied');
  sendJson(res, 200, { message: 'Successfully updated' });
}

export async function emptyBucket(ctx: BucketContext, caller: Caller, id: string, res: ServerResponse): Promise<void> {
  const versions = await asCaller(ctx.pool, caller, 'storage.bucket.empty', async (c) => {
    const exists = await c.query('select 1 from storage.buckets where id = $1', [id]);
    if (exists.rowCount === 0) throw errors.noSuchBucket();
    const r = await c.query<{ version: string | null }>(
      'delete from storage.objects where bucket_id = $1 returning version',
      [id],
    );
    return r.rows.map((row) => row.version);
  });
  for (const v of versions) await ctx.files.remove(v);
  sendJson(res, 200, { message: 'Successfully emptied' });
}

export async function deleteBucket(ctx: BucketContext, caller: Caller, id: string, res: ServerResponse): Promise<void> {
  await asCaller(ctx.pool, caller, 'storage.bucket.delete', async (c) => {
    const exists = await c.query('select 1 from storage.buckets where id = $1', [id]);
    if (exists.rowCount === 0) throw errors.noSuchBucket();
    // Counted as Storage's superuser: objects the caller cannot see still keep the bucket from going.
    const { rows } = await ctx.pool.query<{ n: number }>(
      'select count(*)::int as n from storage.objects where bucket_id = $1',
      [id],
    );
    if ((rows[0]?.n ?? 0) > 0) throw errors.bucketNotEmpty();
    const r = await c.query('delete from storage.buckets where id = $1', [id]);
    if (r.rowCount === 0) throw errors.accessDenied('Access denied');
  });
  sendJson(res, 200, { message: 'Successfully deleted' });
}
