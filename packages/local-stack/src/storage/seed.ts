// What `supabase start` does with `[storage.buckets.<name>]` of config.toml: the bucket exists (created, or brought
// to the configured settings), and the files under its `objects_path` are uploaded to it (overwriting), with a
// Content-Type from the file extension.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import type pg from 'pg';
import type { BucketConfig } from '../config.ts';
import type { FileStore } from './files.ts';

const MIME_BY_EXTENSION: Record<string, string> = {
  '.avif': 'image/avif',
  '.css': 'text/css',
  '.csv': 'text/csv',
  '.gif': 'image/gif',
  '.html': 'text/html',
  '.ico': 'image/x-icon',
  '.jpeg': 'image/jpeg',
  '.jpg': 'image/jpeg',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.mp3': 'audio/mpeg',
  '.mp4': 'video/mp4',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain',
  '.webm': 'video/webm',
  '.webp': 'image/webp',
};

export const mimeTypeOf = (file: string): string =>
  MIME_BY_EXTENSION[extname(file).toLowerCase()] ?? 'application/octet-stream';

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(full)));
    else if (e.isFile() && !e.name.startsWith('.')) out.push(full);
  }
  return out.sort();
}

export async function seedBuckets(
  pool: pg.Pool,
  files: FileStore,
  buckets: BucketConfig[],
  globalLimit: number,
  log: (line: string) => void,
): Promise<void> {
  for (const b of buckets) {
    await pool.query(
      `insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
       values ($1, $1, $2, $3, $4)
       on conflict (id) do update set public = excluded.public, file_size_limit = excluded.file_size_limit,
         allowed_mime_types = excluded.allowed_mime_types, updated_at = now()`,
      [b.name, b.public, b.fileSizeLimit ?? null, b.allowedMimeTypes ?? null],
    );
    if (!b.objectsPath) continue;
    let paths: string[];
    try {
      paths = await walk(b.objectsPath);
    } catch {
      log(`[storage] objects_path of bucket ${b.name} not found: ${b.objectsPath}`);
      continue;
    }
    for (const path of paths) {
      const key = relative(b.objectsPath, path).split(sep).join('/');
      const staged = await files.stage(createReadStream(path), b.fileSizeLimit ?? globalLimit).catch(() => undefined);
      if (!staged) {
        log(`[storage] ${b.name}/${key} is over the bucket's size limit: skipped`);
        continue;
      }
      const mimetype = mimeTypeOf(path);
      const metadata = {
        eTag: `"${staged.md5}"`,
        size: staged.size,
        mimetype,
        cacheControl: 'max-age=3600',
        lastModified: new Date().toISOString(),
        contentLength: staged.size,
        httpStatusCode: 200,
      };
      const previous = await pool.query<{ version: string | null }>(
        'select version from storage.objects where bucket_id = $1 and name = $2',
        [b.name, key],
      );
      await pool.query(
        `insert into storage.objects (id, bucket_id, name, metadata, version) values ($1, $2, $3, $4, $5)
         on conflict (bucket_id, name) do update set metadata = excluded.metadata, version = excluded.version`,
        [randomUUID(), b.name, key, metadata, staged.version],
      );
      await files.commit(staged);
      await files.remove(previous.rows[0]?.version);
    }
    log(`[storage] bucket ${b.name}: ${paths.length} file(s) from ${relative(process.cwd(), b.objectsPath) || '.'}`);
  }
}
