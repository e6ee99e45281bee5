// The file backend: object bytes on local disk under the stack's state folder. Every stored version is one file named
// after its `storage.objects.version` (a fresh UUID per write), so a path in a bucket never becomes a path on disk.
// Writes go to `tmp/` first; the caller commits the row, then `commit()` moves the file into `objects/`. A refused
// or failed write only ever leaves a temporary file, which `discard()` (or the next start) removes.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { errors } from './errors.ts';

export interface StagedFile {
  version: string;
  tmpPath: string;
  size: number;
  /** Hex MD5 of the bytes (Storage's ETag, quoted in metadata). */
  md5: string;
}

export class FileStore {
  readonly root: string;
  private readonly objectsDir: string;
  private readonly tmpDir: string;

  constructor(root: string) {
    this.root = root;
    this.objectsDir = join(root, 'objects');
    this.tmpDir = join(root, 'tmp');
  }

  async init(): Promise<void> {
    await rm(this.tmpDir, { recursive: true, force: true });
    await mkdir(this.tmpDir, { recursive: true });
    await mkdir(this.objectsDir, { recursive: true });
  }

  pathOf(version: string): string {
    if (!/^[0-9a-f-]{36}$/.test(version)) throw errors.internal('Corrupt object version');
    return join(this.objectsDir, version);
  }

  /**
   * Streams `source` to a temporary file, hashing as it goes. Past `limit` bytes it stops writing, removes the
   * temporary file and rejects with Storage's 413 — after draining the rest, so the client still reads the answer.
   */
  stage(source: Readable, limit: number): Promise<StagedFile> {
    const version = randomUUID();
    const tmpPath = join(this.tmpDir, `${version}.part`);
    const hash = createHash('md5');
    let size = 0;
    return new Promise<StagedFile>((resolve, reject) => {
      const out = createWriteStream(tmpPath);
      let failed: Error | undefined;
      const fail = (e: Error): void => {
        if (failed) return;
        failed = e;
        source.unpipe(out);
        out.destroy();
        void rm(tmpPath, { force: true }).finally(() => {
          if (source.readableEnded || source.destroyed) reject(e);
          else {
            source.on('end', () => reject(e));
            source.on('error', () => reject(e));
            source.resume();
          }
        });
      };
      source.on('data', (chunk: Buffer) => {
        if (failed) return;
        size += chunk.length;
        if (size > limit) {
          fail(errors.entityTooLarge());
          return;
        }
        hash.update(chunk);
      });
      source.on('error', (e: Error) => fail(e));
      out.on('error', (e: Error) => fail(e));
      out.on('finish', () => {
        if (!failed) resolve({ version, tmpPath, size, md5: hash.digest('hex') });
      });
      source.pipe(out);
    });
  }

  /** Stages a copy of a stored version (object copy). */
  async stageCopy(fromVersion: string): Promise<{ version: string; tmpPath: string }> {
    const version = randomUUID();
    const tmpPath = join(this.tmpDir, `${version}.part`);
    await copyFile(this.pathOf(fromVersion), tmpPath);
    return { version, tmpPath };
  }

  /** Moves a staged file into place once its row is committed. */
  async commit(staged: { version: string; tmpPath: string }): Promise<void> {
    await rename(staged.tmpPath, this.pathOf(staged.version));
  }

  async discard(staged: { tmpPath: string } | undefined): Promise<void> {
    if (staged) await rm(staged.tmpPath, { force: true });
  }

  async remove(version: string | null | undefined): Promise<void> {
    if (version) await rm(this.pathOf(version), { force: true });
  }

  async size(version: string): Promise<number | undefined> {
    try {
      return (await stat(this.pathOf(version))).size;
    } catch {
      return undefined;
    }
  }

  read(version: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.pathOf(version), range);
  }
}
