// The Storage stand-in: Supabase Storage's HTTP API (the part storage-js 2.119 speaks) over the `storage` schema of
// the stack database and a file folder in the stack's state folder. The gateway hands it everything under
// `/storage/v1`. Rows are read and written as the caller so the project's RLS policies decide; public objects and
// signed URLs need no key. Contract and deviations: docs/local-stack.md.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type pg from 'pg';
import type { StackConfig } from '../config.ts';
import * as buckets from './buckets.ts';
import { errors, sendError, StorageError } from './errors.ts';
import { FileStore } from './files.ts';
import { callerOf } from './http.ts';
import * as objects from './objects.ts';
import { seedBuckets } from './seed.ts';

export interface StorageServiceOptions {
  /** Superuser pool on the stack database. */
  pool: pg.Pool;
  config: StackConfig;
  jwtSecret: string;
  anonKey: string;
  serviceRoleKey: string;
  /** Public base URL of the API, e.g. http://127.0.0.1:54321 (for signed and public URLs). */
  apiUrl: string;
  /** Folder for the files (inside the stack's state folder). */
  dataDir: string;
  log: (line: string) => void;
}

export interface StorageService {
  /** path = what follows /storage/v1, e.g. '/object/public/menus/a.jpg'. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
  close(): Promise<void>;
}

/** Lets the client finish sending before an early answer (an upload refused before its body was read). */
async function drain(req: IncomingMessage): Promise<void> {
  if (req.readableEnded || req.destroyed) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 30_000);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    req.once('end', done);
    req.once('close', done);
    req.once('error', done);
    req.resume();
  });
}

function notFound(req: IncomingMessage, pathname: string): StorageError {
  return new StorageError({
    status: 404,
    httpStatus: 404,
    code: 'NotFound',
    error: 'Not Found',
    message: `Route ${req.method}:${pathname} not found`,
  });
}

export async function startStorageService(opts: StorageServiceOptions): Promise<StorageService> {
  const files = new FileStore(opts.dataDir);
  await files.init();
  const globalFileSizeLimit = opts.config.storage.fileSizeLimit;
  await seedBuckets(opts.pool, files, opts.config.storage.buckets, globalFileSizeLimit, opts.log);
  const bucketCtx: buckets.BucketContext = { pool: opts.pool, files, globalFileSizeLimit };
  const objectCtx: objects.ObjectContext = { pool: opts.pool, files, jwtSecret: opts.jwtSecret, globalFileSizeLimit };

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    let segs: string[];
    try {
      segs = url.pathname.split('/').slice(1).map(decodeURIComponent);
    } catch {
      throw errors.invalidRequest('Malformed path');
    }
    if (segs[segs.length - 1] === '' && segs.length > 1) segs = segs.slice(0, -1);
    const caller = () => callerOf(req, opts.jwtSecret);
    const [head, ...rest] = segs;

    if (head === 'bucket') {
      const [id, action, ...more] = rest;
      if (more.length === 0) {
        if (id === undefined) {
          if (method === 'GET') return buckets.listBuckets(bucketCtx, caller(), url, res);
          if (method === 'POST') return buckets.createBucket(bucketCtx, caller(), req, res);
        } else if (action === undefined) {
          if (method === 'GET') return buckets.getBucket(bucketCtx, caller(), id, res);
          if (method === 'PUT') return buckets.updateBucket(bucketCtx, caller(), id, req, res);
          if (method === 'DELETE') return buckets.deleteBucket(bucketCtx, caller(), id, res);
        } else if (action === 'empty' && method === 'POST') {
          return buckets.emptyBucket(bucketCtx, caller(), id, res);
        }
      }
      throw notFound(req, url.pathname);
    }

    if (head === 'object') {
      const [first, second, third] = rest;
      const keyFrom = (n: number): string => rest.slice(n).join('/');
      if (method === 'POST' && first === 'move' && rest.length === 1)
        return objects.moveObject(objectCtx, req, res, caller());
      if (method === 'POST' && first === 'copy' && rest.length === 1)
        return objects.copyObject(objectCtx, req, res, caller());
      if (method === 'POST' && first === 'list' && second && rest.length === 2)
        return objects.listObjects(objectCtx, req, res, caller(), second);
      if (first === 'public' && second && rest.length > 2 && method === 'GET')
        return objects.publicObject(objectCtx, req, res, second, keyFrom(2), url);
      if (first === 'authenticated' && second && rest.length > 2 && method === 'GET')
        return objects.downloadObject(objectCtx, req, res, caller(), second, keyFrom(2), url);
      if (first === 'info' && method === 'GET') {
        if (second === 'public' && third && rest.length > 3)
          return objects.objectInfo(objectCtx, res, 'public', third, keyFrom(3));
        if (second === 'authenticated' && third && rest.length > 3)
          return objects.objectInfo(objectCtx, res, caller(), third, keyFrom(3));
        if (second && rest.length > 2) return objects.objectInfo(objectCtx, res, caller(), second, keyFrom(2));
      }
      if (first === 'sign' && second) {
        if (method === 'POST' && rest.length === 2) return objects.signObjects(objectCtx, req, res, caller(), second);
        if (method === 'POST') return objects.signObject(objectCtx, req, res, caller(), second, keyFrom(2));
        if (method === 'GET' && rest.length > 2)
          return objects.signedObject(objectCtx, req, res, second, keyFrom(2), url);
      }
      if (first === 'upload' && second === 'sign' && third && rest.length > 3) {
        if (method === 'POST') return objects.signUpload(objectCtx, req, res, caller(), third, keyFrom(3));
        if (method === 'PUT') return objects.uploadToSignedUrl(objectCtx, req, res, third, keyFrom(3), url);
      }
      if (first && rest.length === 1 && method === 'DELETE')
        return objects.removeObjects(objectCtx, req, res, caller(), first);
      if (first && rest.length > 1) {
        const key = keyFrom(1);
        if (method === 'POST' || method === 'PUT')
          return objects.uploadObject(objectCtx, req, res, caller(), first, key);
        if (method === 'GET') return objects.downloadObject(objectCtx, req, res, caller(), first, key, url);
        if (method === 'DELETE') return objects.removeObject(objectCtx, res, caller(), first, key);
      }
    }
    if (head === 'health' || head === 'status') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok' }));
      return;
    }
    throw notFound(req, url.pathname);
  };

  return {
    handle: async (req, res, path) => {
      const url = new URL(path || '/', 'http://storage');
      try {
        await route(req, res, url);
      } catch (e) {
        const err = e instanceof StorageError ? e : errors.internal();
        if (!(e instanceof StorageError)) opts.log(`[storage] ${req.method} ${url.pathname}: ${String(e)}`);
        await drain(req);
        sendError(res, err);
      }
    },
    close: async () => undefined,
  };
}
