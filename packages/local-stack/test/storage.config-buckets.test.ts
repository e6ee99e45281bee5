// Buckets declared in supabase/config.toml (`[storage.buckets.<name>]`) exist when the stack is up, with their
// settings, and the files under their `objects_path` are uploaded, as `supabase start` seeds them.
import { createClient } from '@supabase/supabase-js';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExtraStack } from './stack.ts';

describe('buckets from config.toml', () => {
  let extra: Awaited<ReturnType<typeof startExtraStack>>;
  let seedDir: string;

  beforeAll(async () => {
    seedDir = await mkdtemp(join(tmpdir(), 'ecom-storage-seed-'));
    await mkdir(join(seedDir, 'plats'), { recursive: true });
    await writeFile(join(seedDir, 'plats', 'alloco.png'), Buffer.from('not really a png'));
    await writeFile(join(seedDir, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    extra = await startExtraStack({
      functions: false,
      configure: (config) => {
        config.storage.buckets.push(
          {
            name: 'menus',
            public: true,
            fileSizeLimit: 1024 * 1024,
            allowedMimeTypes: ['image/*'],
            objectsPath: seedDir,
          },
          { name: 'receipts', public: false },
        );
      },
    });
  });

  afterAll(async () => {
    await extra?.stop();
    await rm(seedDir, { recursive: true, force: true });
  });

  it('creates the configured buckets with their settings', async () => {
    const admin = createClient(extra.apiUrl, extra.serviceRoleKey, { auth: { persistSession: false } });
    const menus = await admin.storage.getBucket('menus');
    expect(menus.data).toMatchObject({
      public: true,
      file_size_limit: 1024 * 1024,
      allowed_mime_types: ['image/*'],
    });
    expect((await admin.storage.getBucket('receipts')).data).toMatchObject({ public: false, file_size_limit: null });
  });

  it('uploads the objects_path files, served on their public URLs with a type from the extension', async () => {
    const png = await fetch(`${extra.apiUrl}/storage/v1/object/public/menus/plats/alloco.png`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(await png.text()).toBe('not really a png');
    const svg = await fetch(`${extra.apiUrl}/storage/v1/object/public/menus/logo.svg`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    const admin = createClient(extra.apiUrl, extra.secretKey, { auth: { persistSession: false } });
    const list = await admin.storage.from('menus').list();
    expect(list.data?.map((e) => e.name)).toEqual(['plats', 'logo.svg']);
  });
});
