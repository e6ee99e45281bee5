// Object routes (`/object…`) as storage-js 2.119 calls them. Rows in storage.objects are written and read as the
// caller (RLS decides; the service role bypasses); bytes go to the FileStore: staged to a temporary file, the row
// committed, then the file moved into place, so a refused or failed upload leaves neither a row nor a file.
import busboy from 'busboy';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type pg from 'pg';
import { signJwt, verifyJwt } from '../keys.ts';
import {
  asCaller,
  findBucketAsSuperuser,
  findObjectAsSuperuser,
  ownerUuid,
  type BucketRow,
  type Caller,
  type ObjectMetadata,
  type ObjectRow,
} from './db.ts';
import { errors, sendJson, type StorageError } from './errors.ts';
import type { FileStore, StagedFile } from './files.ts';
import { mimeAllowed, mustBeValidKey, readJson, sendObject } from './http.ts';

export interface ObjectContext {
  pool: pg.Pool;
  files: FileStore;
  jwtSecret: string;
  /** The global `[storage] file_size_limit` in bytes. */
  globalFileSizeLimit: number;
}

/** Signed upload URLs live two hours, as on Supabase (`uploadSignedUrlExpirationTime`). */
const SIGNED_UPLOAD_TTL_SECONDS = 2 * 60 * 60;
const now = (): number => Math.floor(Date.now() / 1000);

type WriteMode = 'create' | 'upsert' | 'update';

interface RowValues {
  id: string;
  bucketId: string;
  name: string;
  caller: Caller;
  metadata: ObjectMetadata | Record<string, never>;
  userMetadata: Record<string, unknown> | null;
  version: string;
}

/**
 * Writes the object's row as the caller. No RETURNING: an upload needs only the INSERT policy on Supabase
 * (an upsert also SELECT and UPDATE, through ON CONFLICT; an update first locks the row it replaces).
 */
async function writeRow(c: pg.PoolClient, mode: WriteMode, v: RowValues): Promise<void> {
  if (mode === 'update') {
    const found = await c.query('select id from storage.objects where bucket_id = $1 and name = $2 for update', [
      v.bucketId,
      v.name,
    ]);
    if (found.rowCount === 0) throw errors.noSuchKey();
  }
  const conflict =
    mode === 'create'
      ? ''
      : `on conflict (bucket_id, name) do update set metadata = excluded.metadata,
           user_metadata = excluded.user_metadata, version = excluded.version, owner = excluded.owner,
           owner_id = excluded.owner_id, last_accessed_at = now()`;
  await c.query(
    `insert into storage.objects (id, bucket_id, name, owner, owner_id, metadata, user_metadata, version)
     values ($1, $2, $3, $4, $5, $6, $7, $8) ${conflict}`,
    [v.id, v.bucketId, v.name, ownerUuid(v.caller), v.caller.sub ?? null, v.metadata, v.userMetadata, v.version],
  );
}

function sizeLimitOf(ctx: ObjectContext, bucket: BucketRow): number {
  const own = bucket.file_size_limit === null ? undefined : Number(bucket.file_size_limit);
  return own !== undefined && own > 0 ? Math.min(own, ctx.globalFileSizeLimit) : ctx.globalFileSizeLimit;
}

function parseUserMetadata(text: string | undefined, base64: boolean): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const parsed: unknown = JSON.parse(base64 ? Buffer.from(text, 'base64').toString('utf8') : text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw errors.invalidRequest('Invalid metadata');
}

interface IncomingFile {
  staged: StagedFile;
  mimetype: string;
  cacheControl: string;
  contentEncoding: string | undefined;
  userMetadata: Record<string, unknown> | null;
}

/** Reads the body of an upload: multipart/form-data (Blob, File, FormData in storage-js) or the raw bytes. */
async function receiveFile(
  ctx: ObjectContext,
  req: IncomingMessage,
  bucket: BucketRow,
  limit: number,
): Promise<IncomingFile> {
  const contentType = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(contentType)) {
    const mimetype = contentType || 'application/octet-stream';
    if (!mimeAllowed(mimetype, bucket.allowed_mime_types)) throw errors.invalidMimeType(mimetype);
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limit) throw errors.entityTooLarge();
    const userMetadata = parseUserMetadata(req.headers['x-metadata'] as string | undefined, true);
    const staged = await ctx.files.stage(req, limit);
    return {
      staged,
      mimetype,
      cacheControl: (req.headers['cache-control'] as string | undefined) || 'no-cache',
      contentEncoding: (req.headers['content-encoding'] as string | undefined) || undefined,
      userMetadata,
    };
  }

  return new Promise<IncomingFile>((resolve, reject) => {
    const fields: Record<string, string> = {};
    let settled = false;
    let staging: Promise<void> | undefined;
    const fail = (e: unknown): void => {
      if (settled) return;
      settled = true;
      reject(e);
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 20, fieldSize: 64 * 1024 } });
    } catch {
      fail(errors.invalidRequest('Malformed multipart body'));
      req.resume();
      return;
    }
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (_name, stream, info) => {
      if (staging || settled) {
        stream.resume();
        return;
      }
      const mimetype = info.mimeType || 'application/octet-stream';
      if (!mimeAllowed(mimetype, bucket.allowed_mime_types)) {
        stream.resume();
        fail(errors.invalidMimeType(mimetype));
        return;
      }
      staging = ctx.files.stage(stream, limit).then(
        (staged) => {
          try {
            const cacheTime = fields.cacheControl;
            resolve({
              staged,
              mimetype,
              cacheControl: cacheTime ? `max-age=${cacheTime}` : 'no-cache',
              contentEncoding: fields.contentEncoding || undefined,
              userMetadata: parseUserMetadata(fields.metadata, false),
            });
            settled = true;
          } catch (e) {
            void ctx.files.discard(staged);
            fail(e);
          }
        },
        (e: unknown) => fail(e),
      );
    });
    parser.on('error', () => fail(errors.invalidRequest('Malformed multipart body')));
    parser.on('close', () => {
      if (!staging) fail(errors.invalidRequest('No content provided'));
    });
    req.pipe(parser);
  });
}

function metadataOf(file: IncomingFile): ObjectMetadata {
  const metadata: ObjectMetadata = {
    eTag: `"${file.staged.md5}"`,
    size: file.staged.size,
    mimetype: file.mimetype,
    cacheControl: file.cacheControl,
    lastModified: new Date().toISOString(),
    contentLength: file.staged.size,
    httpStatusCode: 200,
  };
  if (file.contentEncoding) metadata.contentEncoding = file.contentEncoding;
  return metadata;
}

/**
 * An upload (POST), update (PUT) or signed upload: checks the bucket, the caller's permission (before reading the
 * body, as Storage's `canUpload` does), the MIME type and size, then stages, commits the row, moves the file.
 */
async function store(
  ctx: ObjectContext,
  req: IncomingMessage,
  caller: Caller,
  bucketId: string,
  key: string,
  mode: WriteMode,
  operation: string,
): Promise<{ Id: string; Key: string }> {
  mustBeValidKey(key);
  const bucket = await findBucketAsSuperuser(ctx.pool, bucketId);
  if (!bucket) throw errors.noSuchBucket();
  const limit = sizeLimitOf(ctx, bucket);
  const duplicate = (): StorageError => errors.duplicate('KeyAlreadyExists');
  const id = randomUUID();
  const base = { id, bucketId, name: key, caller, userMetadata: null };

  await asCaller(
    ctx.pool,
    caller,
    operation,
    (c) => writeRow(c, mode, { ...base, metadata: {}, version: randomUUID() }),
    duplicate,
    true,
  );

  const file = await receiveFile(ctx, req, bucket, limit);
  const previous = mode === 'create' ? undefined : await findObjectAsSuperuser(ctx.pool, bucketId, key);
  try {
    await asCaller(
      ctx.pool,
      caller,
      operation,
      (c) =>
        writeRow(c, mode, {
          ...base,
          metadata: metadataOf(file),
          userMetadata: file.userMetadata,
          version: file.staged.version,
        }),
      duplicate,
    );
  } catch (e) {
    await ctx.files.discard(file.staged);
    throw e;
  }
  await ctx.files.commit(file.staged);
  if (previous?.version && previous.version !== file.staged.version) await ctx.files.remove(previous.version);
  const row = await findObjectAsSuperuser(ctx.pool, bucketId, key);
  return { Id: row?.id ?? id, Key: `${bucketId}/${key}` };
}

export async function uploadObject(
  ctx: ObjectContext,
  req: IncomingMessage,
  res: ServerResponse,
  caller: Caller,
  bucketId: string,
  key: string,
): Promise<void> {
  const upsert = req.method === 'PUT' ? 'update' : req.headers['x-upsert'] === 'true' ? 'upsert' : 'create';
  const op = req.method === 'PUT' ? 'storage.object.update' : 'storage.object.upload';
  sendJson(res, 200, await store(ctx, req, caller, bucketId, key, upsert, op));
}

async function findAsCaller(
  ctx: ObjectContext,
  caller: Caller,
  bucketId: string,
  key: string,
  operation: string,
): Promise<ObjectRow> {
  mustBeValidKey(key);
  const row = await asCaller(ctx.pool, caller, operation, async (c) => {
    const r = await c.query<ObjectRow>('select * from storage.objects where bucket_id = $1 and name = $2', [
      bucketId,
      key,
    ]);
    return r.rows[0];
  });
  if (!row) {
    if (!(await findBucketAsSuperuser(ctx.pool, bucketId))) throw errors.noSuchBucket();
    throw errors.noSuchKey();
  }
  return row;
}

export async function downloadObject(
  ctx: ObjectContext,
  req: IncomingMessage,
  res: ServerResponse,
  caller: Caller,
  bucketId: string,
  key: string,
  url: URL,
): Promise<void> {
  const row = await findAsCaller(ctx, caller, bucketId, key, 'storage.object.get_authenticated');
  await sendObject(req, res, ctx.files, row, url.searchParams.get('download'));
}

export async function publicObject(
  ctx: ObjectContext,
  req: IncomingMessage,
  res: ServerResponse,
  bucketId: string,
  key: string,
  url: URL,
): Promise<void> {
  mustBeValidKey(key);
  const bucket = await findBucketAsSuperuser(ctx.pool, bucketId);
  if (!bucket || !bucket.public) throw errors.noSuchBucket();
  const row = await findObjectAsSuperuser(ctx.pool, bucketId, key);
  if (!row) throw errors.noSuchKey();
  await sendObject(req, res, ctx.files, row, url.searchParams.get('download'));
}

function renderInfo(row: ObjectRow): Record<string, unknown> {
  return {
    id: row.id,
    version: row.version,
    name: row.name,
    bucket_id: row.bucket_id,
    created_at: row.created_at,
    last_modified: row.updated_at,
    size: row.metadata?.size,
    cache_control: row.metadata?.cacheControl,
    content_type: row.metadata?.mimetype,
    content_encoding: row.metadata?.contentEncoding ?? null,
    etag: row.metadata?.eTag,
    metadata: row.user_metadata ?? {},
  };
}

export async function objectInfo(
  ctx: ObjectContext,
  res: ServerResponse,
  caller: Caller | 'public',
  bucketId: string,
  key: string,
): Promise<void> {
  let row: ObjectRow;
  if (caller === 'public') {
    mustBeValidKey(key);
    const bucket = await findBucketAsSuperuser(ctx.pool, bucketId);
    if (!bucket || !bucket.public) throw errors.noSuchBucket();
    const found = await findObjectAsSuperuser(ctx.pool, bucketId, key);
    if (!found) throw errors.noSuchKey();
    row = found;
  } else {
    row = await findAsCaller(ctx, caller, bucketId, key, 'storage.object.info');
  }
  sendJson(res, 200, renderInfo(row));
}

function expiresInOf(body: Record<string, unknown>): number {
  const expiresIn = Number(body.expiresIn);
  if (!Number.isInteger(expiresIn) || expiresIn < 1) throw errors.invalidRequest('body/expiresIn must be >= 1');
  return expiresIn;
}

export async function signObject(
  ctx: ObjectContext,
  req: IncomingMessage,
  res: ServerResponse,
  caller: Caller,
  bucketId: string,
  key: string,
): Promise<void> {
  const expiresIn = expiresInOf(await readJson(req));
  await findAsCaller(ctx, caller, bucketId, key, 'storage.object.sign');
  const iat = now();
  const token = signJwt({ url: `${bucketId}/${key}`, iat, exp: iat + expiresIn }, ctx.jwtSecret);
  sendJson(res, 200, { signedURL: `/object/sign/${bucketId}/${key}?token=${token}` });
}

export async function signObjects(
  ctx: ObjectContext,
  req: IncomingMessage,
  res: ServerResponse,
  caller: Caller,
  bucketId: string,
): Promise<void> {
  const body = await readJson(req);
  const expiresIn = expiresInOf(body);
  const paths = body.paths;
  if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === 'string'))
    throw errors.invalidRequest('body/paths must be a non-empty array of strings');
  const visible = await asCaller(ctx.pool, caller, 'storage.object.sign_many', async (c) => {
    const r = await c.query<{ name: string }>(
      'select name from storage.objects where bucket_id = $1 and name = any($2::text[])',
      [bucketId, paths],
    );
    return new Set(r.rows.map((row) => row.name));
  });
  const iat = now();
  sendJson(
    res,
    200,
    (paths as string[]).map((path) =>
      visible.has(path)
        ? {
            error: null,
            path,
            signedURL: `/object/sign/${bucketId}/${path}?token=${signJwt({ url: `${bucketId}/${path}`, iat, exp: iat + expiresIn }, ctx.jwtSecret)}`,
          }
        : { error: 'Either the object does not exist or you do not have access to it', path, signedURL: null },
    ),
  );
}

/** Verifies a signed-URL token for `bucket/key`: bad → InvalidJWT, expired → ExpiredToken, other path → InvalidSignature. */
function verifySignedToken(ctx: ObjectContext, url: URL, bucketId: string, key: string): Record<string, unknown> {
  const token = url.searchParams.get('token');
  if (!token) throw errors.invalidRequest("querystring must have required property 'token'");
  const check = verifyJwt(token, ctx.jwtSecret);
  if (!check.ok) {
    if (check.reason === 'expired') throw errors.expiredSignature();
    throw errors.invalidJwt(check.reason === 'signature' ? 'invalid signature' : 'jwt malformed');
  }
  if (check.claims.url !== `${bucketId}/${key}`) throw errors.invalidSignature();
  return check.claims;
}

export async function signedObject(
  ctx: ObjectContext,
  req: IncomingMessage,
  res: ServerResponse,
  bucketId: string,
  key: string,
  url: URL,
): Promise<void> {
  verifySignedToken(ctx, url, bucketId, key);
  const row = await findObjectAsSuperuser(ctx.pool, bucketId, key);
  if (!row) throw errors.noSuchKey();
  await sendObject(req, res, ctx.files, row, url.searchParams.get('download'));
}

export async function signUpload(
  ctx: ObjectContext,
  req: IncomingMessage,
  res: ServerResponse,
  caller: Caller,
  bucketId: string,
  key: string,
): Promise<void> {
  mustBeValidKey(key);
  const upsert = req.headers['x-upsert'] === 'true';
  if (!(await findBucketAsSuperuser(ctx.pool, bucketId))) throw errors.noSuchBucket();
  await asCaller(
    ctx.pool,
    caller,
    'storage.object.upload_sign',
    (c) =>
      writeRow(c, upsert ? 'upsert' : 'create', {
        id: randomUUID(),
        bucketId,
        name: key,
        caller,
        metadata: {},
        userMetadata: null,
        version: randomUUID(),
      }),
    () => errors.duplicate('KeyAlreadyExists'),
    true,
  );
  const iat = now();
  const token = signJwt(
    { owner: caller.sub, url: `${bucketId}/${key}`, upsert, iat, exp: iat + SIGNED_UPLOAD_TTL_SECONDS },
    ctx.jwtSecret,
  );
  sendJson(res, 200, { url: `/object/upload/sign/${bucketId}/${key}?token=${token}` });
}

export async function uploadToSignedUrl(
  ctx: ObjectContext,
  req: IncomingMessage,
  res: ServerResponse,
  bucketId: string,
  key: string,
  url: URL,
): Promise<void> {
  const claims = verifySignedToken(ctx, url, bucketId, key);
  const owner = typeof claims.owner === 'string' ? claims.owner : undefined;
  // The token is the permission: the row is written as Storage's own role, owned by whoever signed the URL.
  const caller: Caller = { role: 'service_role', claims: { role: 'service_role', sub: owner }, sub: owner };
  const result = await store(
    ctx,
    req,
    caller,
    bucketId,
    key,
    claims.upsert === true ? 'upsert' : 'create',
    'storage.object.upload_signed',
  );
  sendJson(res, 200, result);
}

export async function listObjects(
  ctx: ObjectContext,
  req: IncomingMessage,
  res: ServerResponse,
  caller: Caller,
  bucketId: string,
): Promise<void> {
  const body = await readJson(req);
  let prefix = typeof body.prefix === 'string' ? body.prefix : '';
  if (prefix.length > 0 && !prefix.endsWith('/')) prefix = `${prefix}/`;
  const levels = prefix.length > 0 ? prefix.split('/').length : 1;
  const limit = Number.isInteger(body.limit) && (body.limit as number) > 0 ? (body.limit as number) : 100;
  const offset = Number.isInteger(body.offset) && (body.offset as number) > 0 ? (body.offset as number) : 0;
  const sortBy = (body.sortBy ?? {}) as { column?: unknown; order?: unknown };
  const search = typeof body.search === 'string' ? body.search : '';
  const rows = await asCaller(ctx.pool, caller, 'storage.object.list', async (c) => {
    const r = await c.query('select * from storage.search($1, $2, $3, $4, $5, $6, $7, $8)', [
      prefix,
      bucketId,
      limit,
      levels,
      offset,
      search,
      typeof sortBy.column === 'string' ? sortBy.column : 'name',
      typeof sortBy.order === 'string' ? sortBy.order : 'asc',
    ]);
    return r.rows;
  });
  sendJson(res, 200, rows);
}

function moveBody(body: Record<string, unknown>): { bucketId: string; from: string; to: string; toBucket: string } {
  const bucketId = body.bucketId;
  const from = body.sourceKey;
  const to = body.destinationKey;
  if (typeof bucketId !== 'string' || !bucketId) throw errors.missingParameter('bucketId');
  if (typeof from !== 'string') throw errors.missingParameter('sourceKey');
  if (typeof to !== 'string') throw errors.missingParameter('destinationKey');
  mustBeValidKey(from);
  mustBeValidKey(to);
  const toBucket =
    typeof body.destinationBucket === 'string' && body.destinationBucket ? body.destinationBucket : bucketId;
  return { bucketId, from, to, toBucket };
}

export async function moveObject(
  ctx: ObjectContext,
  req: IncomingMessage,
  res: ServerResponse,
  caller: Caller,
): Promise<void> {
  const { bucketId, from, to, toBucket } = moveBody(await readJson(req));
  if (!(await findBucketAsSuperuser(ctx.pool, toBucket))) throw errors.noSuchBucket();
  await asCaller(
    ctx.pool,
    caller,
    'storage.object.move',
    async (c) => {
      const found = await c.query<{ id: string }>(
        'select id from storage.objects where bucket_id = $1 and name = $2 for update',
        [bucketId, from],
      );
      const id = found.rows[0]?.id;
      if (!id) throw errors.noSuchKey();
      await c.query('update storage.objects set bucket_id = $2, name = $3, last_accessed_at = now() where id = $1', [
        id,
        toBucket,
        to,
      ]);
    },
    () => errors.duplicate('KeyAlreadyExists'),
  );
  sendJson(res, 200, { message: 'Successfully moved' });
}

export async function copyObject(
  ctx: ObjectContext,
  req: IncomingMessage,
  res: ServerResponse,
  caller: Caller,
): Promise<void> {
  const body = await readJson(req);
  const { bucketId, from, to, toBucket } = moveBody(body);
  const upsert = req.headers['x-upsert'] === 'true';
  const source = await findAsCaller(ctx, caller, bucketId, from, 'storage.object.copy');
  const target = await findBucketAsSuperuser(ctx.pool, toBucket);
  if (!target) throw errors.noSuchBucket();
  if (!source.version || !source.metadata) throw errors.noSuchKey();
  const metadata: ObjectMetadata = { ...source.metadata, lastModified: new Date().toISOString() };
  if (body.copyMetadata === false && body.metadata && typeof body.metadata === 'object') {
    const o = body.metadata as { cacheControl?: unknown; mimetype?: unknown; contentEncoding?: unknown };
    if (typeof o.cacheControl === 'string') metadata.cacheControl = o.cacheControl;
    if (typeof o.mimetype === 'string') metadata.mimetype = o.mimetype;
    if (typeof o.contentEncoding === 'string') {
      if (o.contentEncoding) metadata.contentEncoding = o.contentEncoding;
      else delete metadata.contentEncoding;
    }
  }
  if (!mimeAllowed(metadata.mimetype, target.allowed_mime_types)) throw errors.invalidMimeType(metadata.mimetype);
  if (metadata.size > sizeLimitOf(ctx, target)) throw errors.entityTooLarge();

  const staged = await ctx.files.stageCopy(source.version);
  const previous = upsert ? await findObjectAsSuperuser(ctx.pool, toBucket, to) : undefined;
  const id = randomUUID();
  try {
    await asCaller(
      ctx.pool,
      caller,
      'storage.object.copy',
      (c) =>
        writeRow(c, upsert ? 'upsert' : 'create', {
          id,
          bucketId: toBucket,
          name: to,
          caller,
          metadata,
          userMetadata: body.copyMetadata === false ? null : source.user_metadata,
          version: staged.version,
        }),
      () => errors.duplicate('KeyAlreadyExists'),
    );
  } catch (e) {
    await ctx.files.discard(staged);
    throw e;
  }
  await ctx.files.commit(staged);
  if (previous?.version) await ctx.files.remove(previous.version);
  const row = await findObjectAsSuperuser(ctx.pool, toBucket, to);
  sendJson(res, 200, { Id: row?.id ?? id, Key: `${toBucket}/${to}` });
}

export async function removeObjects(
  ctx: ObjectContext,
  req: IncomingMessage,
  res: ServerResponse,
  caller: Caller,
  bucketId: string,
): Promise<void> {
  const body = await readJson(req);
  const prefixes = body.prefixes;
  if (!Array.isArray(prefixes) || prefixes.length === 0)
    throw errors.invalidRequest('body/prefixes must NOT have fewer than 1 items');
  const names = prefixes.map((p: unknown) =>
    typeof p === 'string' ? p : p && typeof p === 'object' ? String((p as { path?: unknown }).path ?? '') : '',
  );
  const deleted = await asCaller(ctx.pool, caller, 'storage.object.delete_many', async (c) => {
    const r = await c.query<ObjectRow>(
      `delete from storage.objects where bucket_id = $1 and name = any($2::text[])
       returning id, bucket_id, name, owner, owner_id, version, metadata, user_metadata, created_at, updated_at,
                 last_accessed_at`,
      [bucketId, names],
    );
    return r.rows;
  });
  for (const row of deleted) await ctx.files.remove(row.version);
  sendJson(res, 200, deleted);
}

export async function removeObject(
  ctx: ObjectContext,
  res: ServerResponse,
  caller: Caller,
  bucketId: string,
  key: string,
): Promise<void> {
  mustBeValidKey(key);
  const version = await asCaller(ctx.pool, caller, 'storage.object.delete', async (c) => {
    const r = await c.query<{ version: string | null }>(
      'delete from storage.objects where bucket_id = $1 and name = $2 returning version',
      [bucketId, key],
    );
    if (r.rowCount === 0) throw errors.noSuchKey();
    return r.rows[0]?.version;
  });
  await ctx.files.remove(version);
  sendJson(res, 200, { message: 'Successfully deleted' });
}
