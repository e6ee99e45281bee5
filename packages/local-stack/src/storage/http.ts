// Request plumbing shared by the bucket and object routes: the caller from the bearer JWT (Supabase Storage's
// jwt plugin: a missing or bad token is 400 with statusCode "403"), JSON bodies, key and bucket-name validation, and
// serving a stored file with the headers an <img> or <video> tag needs (ETag, Cache-Control, Range).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyJwt } from '../keys.ts';
import type { Caller, ObjectRow } from './db.ts';
import { errors } from './errors.ts';
import type { FileStore } from './files.ts';

const BEARER = /^Bearer\s+/i;

/** The caller a request acts as; throws Storage's 403-coded error when the JWT is missing or invalid. */
export function callerOf(req: IncomingMessage, jwtSecret: string): Caller {
  const token = (req.headers.authorization ?? '').replace(BEARER, '').trim();
  if (!token) throw errors.accessDenied('jwt must be provided');
  const check = verifyJwt(token, jwtSecret);
  if (!check.ok) {
    const message = { malformed: 'jwt malformed', signature: 'invalid signature', expired: 'jwt expired' }[
      check.reason
    ];
    throw errors.accessDenied(message);
  }
  const role = typeof check.claims.role === 'string' && check.claims.role ? check.claims.role : 'anon';
  return { role, claims: check.claims, sub: typeof check.claims.sub === 'string' ? check.claims.sub : undefined };
}

export async function readJson(req: IncomingMessage, max = 1024 * 1024): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw errors.entityTooLarge();
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw errors.invalidRequest('Body is not valid JSON');
}

/**
 * Supabase Storage's object key rule (S3-safe characters), plus, because keys here become nothing on disk but are
 * still echoed in paths: no empty, `.` or `..` segment (so no leading or doubled slash).
 */
export function mustBeValidKey(key: string): void {
  const valid =
    key.length > 0 &&
    key.length <= 1024 &&
    /^(\w|\/|!|-|\.|\*|'|\(|\)| |&|\$|@|=|;|:|\+|,|\?)*$/.test(key) &&
    !key.startsWith('/') &&
    key.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
  if (!valid) throw errors.invalidKey(key);
}

export function mustBeValidBucketName(name: string): void {
  if (!(name.length > 0 && name.length < 101 && /^(\w|!|-|\.|\*|'|\(|\)| |&|\$|@|=|;|:|\+|,|\?)*$/.test(name)))
    throw errors.invalidBucketName();
}

/** `image/*` matches any image type; parameters (`;charset=…`) are ignored on both sides. */
export function mimeAllowed(mimeType: string, allowed: string[] | null | undefined): boolean {
  if (!allowed || allowed.length === 0) return true;
  const [type, sub] = mimeType.split(';')[0]!.trim().toLowerCase().split('/');
  if (!type || !sub) return false;
  return allowed.some((a) => {
    const [at, as] = a.split(';')[0]!.trim().toLowerCase().split('/');
    return at === type && (as === '*' || as === sub);
  });
}

/** Size strings Storage accepts for `file_size_limit` ("5MB", "20GB", "300KB", "3B") or a byte count. */
export function parseFileSizeLimit(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.floor(value);
  if (typeof value === 'string') {
    if (/^\d+$/.test(value)) return Number(value);
    const m = /^([0-9]+(?:\.[0-9]+)?)(gb|mb|kb|b)$/i.exec(value.trim());
    if (m) {
      const factor = { gb: 1e9, mb: 1e6, kb: 1e3, b: 1 }[m[2]!.toLowerCase() as 'gb' | 'mb' | 'kb' | 'b'];
      return Math.round(Number(m[1]) * factor);
    }
  }
  throw errors.invalidFileSizeLimit();
}

function parseRange(header: string, size: number): { start: number; end: number } | 'invalid' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined; // multi-range or garbage: serve the whole file
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'invalid';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'invalid';
  return { start, end };
}

/** Sends a stored object: conditional requests (ETag / Last-Modified), Range, `?download`, HEAD. */
export async function sendObject(
  req: IncomingMessage,
  res: ServerResponse,
  files: FileStore,
  object: ObjectRow,
  download: string | null,
): Promise<void> {
  const meta = object.metadata;
  const size = object.version ? await files.size(object.version) : undefined;
  if (!meta || !object.version || size === undefined) throw errors.noSuchKey();
  const lastModified = new Date(meta.lastModified || object.updated_at).toUTCString();
  const headers: Record<string, string | number> = {
    'content-type': meta.mimetype || 'application/octet-stream',
    'cache-control': meta.cacheControl || 'no-cache',
    etag: meta.eTag,
    'last-modified': lastModified,
    'accept-ranges': 'bytes',
  };
  if (meta.contentEncoding) headers['content-encoding'] = meta.contentEncoding;
  if (download !== null) {
    const filename = download || object.name.split('/').pop() || 'download';
    headers['content-disposition'] = `attachment; filename=${encodeURIComponent(filename)}`;
  }

  const inm = req.headers['if-none-match'];
  const ims = req.headers['if-modified-since'];
  if (
    (inm && inm.split(',').some((t) => t.trim() === meta.eTag || t.trim() === '*')) ||
    (!inm && ims && Date.parse(ims) >= Date.parse(lastModified))
  ) {
    res.writeHead(304, headers);
    res.end();
    return;
  }

  const rangeHeader = req.headers.range;
  const range = rangeHeader ? parseRange(rangeHeader, size) : undefined;
  if (range === 'invalid') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${size}`, 'content-length': 0 });
    res.end();
    return;
  }
  if (range) {
    headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
    headers['content-length'] = range.end - range.start + 1;
    res.writeHead(206, headers);
  } else {
    headers['content-length'] = size;
    res.writeHead(200, headers);
  }
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = files.read(object.version, range);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
