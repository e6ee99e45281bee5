// Storage as apps see it through unmodified supabase-js (`client.storage`) and plain fetch (public URLs, headers,
// status codes): buckets, uploads (raw and multipart), downloads, public and signed URLs, listing, move, copy and
// remove, with the project's RLS policies on storage.objects deciding who may do what. Every refusal is checked for
// its Supabase error shape and for leaving neither a row nor a file behind.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../src/index.ts';
import { newClient, stack } from './stack.ts';

interface Person {
  id: string;
  token: string;
  client: SupabaseClient;
}

/** A client carrying a given access token, as the apps pass a session's token to supabase-js. */
function clientWithToken(token: string): SupabaseClient {
  const s = stack();
  return createClient(s.apiUrl, s.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { headers: { Authorization: `Bearer ${token}` } },
  });
}

function accessToken(sub: string, expiresInSeconds = 3600): string {
  return signJwt(
    {
      sub,
      role: 'authenticated',
      aud: 'authenticated',
      exp: Math.floor(Date.now() / 1000) + expiresInSeconds,
      session_id: crypto.randomUUID(),
    },
    stack().jwtSecret,
  );
}

/** A confirmed person created through the Auth admin API, with a minted access token. */
async function createPerson(): Promise<Person> {
  const phone = `+2250799${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  const { data, error } = await newClient('service').auth.admin.createUser({ phone, phone_confirm: true });
  if (error || !data.user) throw error ?? new Error('createUser returned no user');
  const token = accessToken(data.user.id);
  return { id: data.user.id, token, client: clientWithToken(token) };
}

async function superuser(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: stack().dbUrl });
  await client.connect();
  return client;
}

/** Every file the Storage stand-in of the test stack holds (`<state dir>/storage`), stored or still temporary. */
async function filesOnDisk(): Promise<string[]> {
  const dir = join(stack().stateDir, 'storage');
  const list = async (sub: string) => (await readdir(join(dir, sub)).catch(() => [])).map((f) => `${sub}/${f}`);
  return [...(await list('objects')), ...(await list('tmp'))];
}

async function objectRow(db: pg.Client, bucketId: string, name: string) {
  const { rows } = await db.query<{ id: string; owner_id: string | null; version: string; metadata: { size: number } }>(
    'select id, owner_id, version, metadata from storage.objects where bucket_id = $1 and name = $2',
    [bucketId, name],
  );
  return rows[0];
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Bytes that look like a JPEG from a phone camera (SOI + APP0 header, pseudo-random body, EOI). */
function fakeJpeg(size: number, seed = 1): Buffer {
  const buf = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    buf.writeUInt32LE(x >>> 0, Math.min(i, size - 4));
  }
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]).copy(buf, 0);
  buf[size - 2] = 0xff;
  buf[size - 1] = 0xd9;
  return buf;
}

/** A raw HTTP request: fetch would tidy the path before sending it. */
function rawRequest(path: string, init: { method: string; headers?: Record<string, string>; body?: Buffer }) {
  const url = new URL(stack().apiUrl);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path, method: init.method, headers: init.headers },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

// A private bucket of the conformance suite's own, shaped like the project's courier-documents bucket but without
// its MIME list (these tests upload text too); the real bucket and its policies are tested in packages/db.
const DOCS = 'probe-documents';
const PHOTOS = 'product-photos';
const MB = 1000 * 1000;

let db: pg.Client;
let service: SupabaseClient;
let anon: SupabaseClient;
let courierA: Person;
let courierB: Person;

beforeAll(async () => {
  db = await superuser();
  service = newClient('service');
  anon = newClient();
  // What a project migration would hold: a public photo bucket and per-courier folder policies on a private bucket.
  await db.query(`
    insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
    values ('${PHOTOS}', '${PHOTOS}', true, ${5 * MB}, array['image/*'])
    on conflict (id) do nothing;
    drop policy if exists "Couriers can upload their own documents" on storage.objects;
    drop policy if exists "Couriers can view their own documents" on storage.objects;
    drop policy if exists "Couriers can replace their own documents" on storage.objects;
    drop policy if exists "Couriers can delete their own documents" on storage.objects;
    create policy "Couriers can upload their own documents" on storage.objects for insert to authenticated
      with check (bucket_id = '${DOCS}' and (storage.foldername(name))[1] = (select auth.uid())::text);
    create policy "Couriers can view their own documents" on storage.objects for select to authenticated
      using (bucket_id = '${DOCS}' and (storage.foldername(name))[1] = (select auth.uid())::text);
    create policy "Couriers can replace their own documents" on storage.objects for update to authenticated
      using (bucket_id = '${DOCS}' and (storage.foldername(name))[1] = (select auth.uid())::text)
      with check (bucket_id = '${DOCS}' and (storage.foldername(name))[1] = (select auth.uid())::text);
    create policy "Couriers can delete their own documents" on storage.objects for delete to authenticated
      using (bucket_id = '${DOCS}' and (storage.foldername(name))[1] = (select auth.uid())::text);
  `);
  const created = await service.storage.createBucket(DOCS, { public: false });
  expect(created.error).toBeNull();
  [courierA, courierB] = await Promise.all([createPerson(), createPerson()]);
});

afterAll(async () => {
  await db?.end();
});

describe('storage schema', () => {
  it('has the tables, columns and helpers project migrations use, with RLS on', async () => {
    const cols = await db.query<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns where table_schema = 'storage'
        and table_name in ('buckets', 'objects')`,
    );
    const names = cols.rows.map((r) => `${r.table_name}.${r.column_name}`);
    for (const c of [
      'buckets.id',
      'buckets.owner_id',
      'buckets.public',
      'buckets.file_size_limit',
      'buckets.allowed_mime_types',
      'buckets.avif_autodetection',
      'buckets.type',
      'objects.bucket_id',
      'objects.owner_id',
      'objects.metadata',
      'objects.user_metadata',
      'objects.path_tokens',
      'objects.version',
      'objects.last_accessed_at',
    ])
      expect(names).toContain(c);
    const rls = await db.query<{ relname: string; relrowsecurity: boolean }>(
      `select relname, relrowsecurity from pg_class where relnamespace = 'storage'::regnamespace
        and relname in ('buckets', 'objects', 'migrations') order by relname`,
    );
    expect(rls.rows.every((r) => r.relrowsecurity)).toBe(true);
    const helpers = await db.query(
      `select storage.foldername('a/b/c.jpg') as folders, storage.filename('a/b/c.jpg') as file,
              storage.extension('a/b/c.tar.gz') as ext`,
    );
    expect(helpers.rows[0]).toEqual({ folders: ['a', 'b'], file: 'c.jpg', ext: 'gz' });
  });
});

describe('buckets', () => {
  it('lets the service role create, get, list, update, empty and delete a bucket', async () => {
    const name = 'menus-test';
    const created = await service.storage.createBucket(name, {
      public: false,
      fileSizeLimit: '1MB',
      allowedMimeTypes: ['image/png'],
    });
    expect(created).toEqual({ data: { name }, error: null });
    const got = await service.storage.getBucket(name);
    expect(got.error).toBeNull();
    expect(got.data).toMatchObject({
      id: name,
      name,
      public: false,
      file_size_limit: MB,
      allowed_mime_types: ['image/png'],
    });
    const list = await service.storage.listBuckets();
    expect(list.data?.map((b) => b.id)).toEqual(expect.arrayContaining([name, DOCS, PHOTOS]));
    const searched = await service.storage.listBuckets({ search: 'menus', limit: 5, sortColumn: 'name' });
    expect(searched.data?.map((b) => b.id)).toEqual([name]);

    const updated = await service.storage.updateBucket(name, { public: true, fileSizeLimit: null });
    expect(updated).toEqual({ data: { message: 'Successfully updated' }, error: null });
    expect((await service.storage.getBucket(name)).data).toMatchObject({ public: true, file_size_limit: null });

    const up = await service.storage.from(name).upload('a.png', Buffer.from('png'), { contentType: 'image/png' });
    expect(up.error).toBeNull();
    const refused = await service.storage.deleteBucket(name);
    expect(refused.error).toMatchObject({
      status: 400,
      statusCode: '409',
      message: 'The bucket you tried to delete is not empty',
    });
    const emptied = await service.storage.emptyBucket(name);
    expect(emptied).toEqual({ data: { message: 'Successfully emptied' }, error: null });
    expect(await objectRow(db, name, 'a.png')).toBeUndefined();
    const deleted = await service.storage.deleteBucket(name);
    expect(deleted).toEqual({ data: { message: 'Successfully deleted' }, error: null });
    expect((await service.storage.getBucket(name)).error).toMatchObject({
      statusCode: '404',
      message: 'Bucket not found',
    });
  });

  it('answers an unknown bucket with Supabase’s 404-coded error', async () => {
    const r = await service.storage.getBucket('no-such-bucket');
    expect(r.data).toBeNull();
    expect(r.error).toMatchObject({
      name: 'StorageApiError',
      status: 400,
      statusCode: '404',
      message: 'Bucket not found',
    });
  });

  it('refuses bucket management to anon and to a signed-in person (no policy on storage.buckets)', async () => {
    for (const client of [anon, courierA.client]) {
      const r = await client.storage.createBucket('sneaky', { public: true });
      expect(r.error).toMatchObject({
        status: 400,
        statusCode: '403',
        message: 'new row violates row-level security policy',
      });
      const list = await client.storage.listBuckets();
      expect(list.data).toEqual([]);
      const del = await client.storage.deleteBucket(PHOTOS);
      expect(del.error).toMatchObject({ statusCode: '404' });
    }
    expect((await db.query("select 1 from storage.buckets where id = 'sneaky'")).rowCount).toBe(0);
  });

  it('refuses a duplicate, a bad name and a limit above the global one', async () => {
    expect((await service.storage.createBucket(DOCS, { public: false })).error).toMatchObject({
      statusCode: '409',
      message: 'The resource already exists',
    });
    expect((await service.storage.createBucket('bad/name', { public: false })).error).toMatchObject({
      statusCode: '400',
      message: 'Bucket name invalid',
    });
    expect(
      (await service.storage.createBucket('too-big', { public: false, fileSizeLimit: '60MB' })).error,
    ).toMatchObject({
      statusCode: '413',
    });
  });
});

describe('courier documents (private bucket, a folder per person)', () => {
  const pdf = Buffer.from('%PDF-1.4 permis de conduire\n');

  it('lets a person upload and download their own document', async () => {
    const path = `${courierA.id}/permis.pdf`;
    const up = await courierA.client.storage.from(DOCS).upload(path, pdf, { contentType: 'application/pdf' });
    expect(up.error).toBeNull();
    expect(up.data).toMatchObject({ path, fullPath: `${DOCS}/${path}` });
    expect(up.data?.id).toMatch(/^[0-9a-f-]{36}$/);
    const row = await objectRow(db, DOCS, path);
    expect(row).toMatchObject({ owner_id: courierA.id, metadata: { size: pdf.length } });

    const down = await courierA.client.storage.from(DOCS).download(path);
    expect(down.error).toBeNull();
    expect(Buffer.from(await down.data!.arrayBuffer())).toEqual(pdf);
    expect(down.data!.type).toBe('application/pdf');

    const viaAuthenticated = await fetch(`${stack().apiUrl}/storage/v1/object/authenticated/${DOCS}/${path}`, {
      headers: { apikey: stack().anonKey, authorization: `Bearer ${courierA.token}` },
    });
    expect(viaAuthenticated.status).toBe(200);
    expect(Buffer.from(await viaAuthenticated.arrayBuffer())).toEqual(pdf);
  });

  it('refuses another person reading, overwriting or removing that document', async () => {
    const path = `${courierA.id}/cni.pdf`;
    expect(
      (await courierA.client.storage.from(DOCS).upload(path, pdf, { contentType: 'application/pdf' })).error,
    ).toBeNull();
    const before = await objectRow(db, DOCS, path);

    const read = await courierB.client.storage.from(DOCS).download(path);
    expect(read.error).toMatchObject({ status: 400, statusCode: '404', message: 'Object not found' });
    const sign = await courierB.client.storage.from(DOCS).createSignedUrl(path, 60);
    expect(sign.error).toMatchObject({ statusCode: '404' });

    const overwrite = await courierB.client.storage
      .from(DOCS)
      .upload(path, Buffer.from('forged'), { contentType: 'application/pdf', upsert: true });
    expect(overwrite.error).toMatchObject({ status: 400, statusCode: '403' });
    expect(overwrite.error?.message).toMatch(/row-level security/);
    const update = await courierB.client.storage
      .from(DOCS)
      .update(path, Buffer.from('forged'), { contentType: 'application/pdf' });
    expect(update.error).toMatchObject({ statusCode: '404' });
    const removed = await courierB.client.storage.from(DOCS).remove([path]);
    expect(removed).toEqual({ data: [], error: null });

    expect(await objectRow(db, DOCS, path)).toEqual(before);
    const still = await courierA.client.storage.from(DOCS).download(path);
    expect(Buffer.from(await still.data!.arrayBuffer())).toEqual(pdf);
  });

  it('refuses an upload into another person’s folder and leaves no row and no file', async () => {
    const filesBefore = await filesOnDisk();
    const path = `${courierA.id}/intrus.pdf`;
    const r = await courierB.client.storage.from(DOCS).upload(path, pdf, { contentType: 'application/pdf' });
    expect(r.error).toMatchObject({
      status: 400,
      statusCode: '403',
      message: 'new row violates row-level security policy',
    });
    expect(await objectRow(db, DOCS, path)).toBeUndefined();
    expect(await filesOnDisk()).toEqual(filesBefore);
  });

  it('forgets an upload whose client vanishes mid-stream: no row, no file, and the server stays up', async () => {
    const filesBefore = await filesOnDisk();
    const path = `${courierA.id}/coupure.jpg`;
    const url = new URL(`${stack().apiUrl}/storage/v1/object/${DOCS}/${path}`);
    await new Promise<void>((resolve) => {
      const req = httpRequest(url, {
        method: 'POST',
        headers: {
          apikey: stack().anonKey,
          authorization: `Bearer ${courierA.token}`,
          'content-type': 'image/jpeg',
          'content-length': String(4 * 1024 * 1024),
        },
      });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      // A weak network drops after the first 256 KB of a 4 MB photo.
      req.write(Buffer.alloc(256 * 1024, 0xff), () => setTimeout(() => req.destroy(), 50));
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(await objectRow(db, DOCS, path)).toBeUndefined();
    expect(await filesOnDisk()).toEqual(filesBefore);
    const after = await courierA.client.storage.from(DOCS).upload(path, pdf, { contentType: 'application/pdf' });
    expect(after.error).toBeNull();
    await courierA.client.storage.from(DOCS).remove([path]);
  });

  it('refuses anon and a bad or expired JWT', async () => {
    const path = `${courierA.id}/permis.pdf`;
    const anonRead = await anon.storage.from(DOCS).download(path);
    expect(anonRead.error).toMatchObject({ statusCode: '404' });
    const anonWrite = await anon.storage
      .from(DOCS)
      .upload(`${courierA.id}/x.pdf`, pdf, { contentType: 'application/pdf' });
    expect(anonWrite.error).toMatchObject({ statusCode: '403' });

    const forged = signJwt(
      { sub: courierA.id, role: 'authenticated', exp: 4102444800 },
      'not-the-secret-not-the-secret-00',
    );
    const expired = accessToken(courierA.id, -60);
    for (const [token, message] of [
      [forged, 'invalid signature'],
      [expired, 'jwt expired'],
      ['garbage', 'jwt malformed'],
    ] as const) {
      const r = await clientWithToken(token).storage.from(DOCS).download(path);
      expect(r.error).toMatchObject({ status: 400, statusCode: '403', message });
    }
    const noKey = await fetch(`${stack().apiUrl}/storage/v1/object/${DOCS}/${path}`);
    expect(noKey.status).toBe(400);
    expect(await noKey.json()).toMatchObject({ statusCode: '403', error: 'Unauthorized' });
  });

  it('refuses a second upload to the same path unless upsert, and replaces the file on upsert', async () => {
    const path = `${courierA.id}/carte-grise.pdf`;
    const docs = courierA.client.storage.from(DOCS);
    expect((await docs.upload(path, Buffer.from('v1'), { contentType: 'application/pdf' })).error).toBeNull();
    const v1 = await objectRow(db, DOCS, path);
    const files = await filesOnDisk();

    const again = await docs.upload(path, Buffer.from('v2'), { contentType: 'application/pdf' });
    expect(again.error).toMatchObject({ status: 400, statusCode: '409', message: 'The resource already exists' });
    expect(await filesOnDisk()).toEqual(files);

    const upsert = await docs.upload(path, Buffer.from('v2!'), { contentType: 'application/pdf', upsert: true });
    expect(upsert.error).toBeNull();
    expect(upsert.data?.id).toBe(v1!.id);
    const v2 = await objectRow(db, DOCS, path);
    expect(v2!.version).not.toBe(v1!.version);
    expect((await filesOnDisk()).length).toBe(files.length);
    expect(await (await docs.download(path)).data!.text()).toBe('v2!');

    const updated = await docs.update(path, Buffer.from('v3'), { contentType: 'application/pdf' });
    expect(updated.error).toBeNull();
    expect(await (await docs.download(path)).data!.text()).toBe('v3');
    const missing = await docs.update(`${courierA.id}/nope.pdf`, Buffer.from('x'), { contentType: 'application/pdf' });
    expect(missing.error).toMatchObject({ statusCode: '404', message: 'Object not found' });
  });

  it('takes multipart uploads (Blob, File) with their type, cache control and metadata', async () => {
    const docs = courierA.client.storage.from(DOCS);
    const blobPath = `${courierA.id}/scan.png`;
    const up = await docs.upload(blobPath, new Blob([Buffer.from('fake png')], { type: 'image/png' }), {
      cacheControl: '60',
      metadata: { side: 'recto' },
    });
    expect(up.error).toBeNull();
    const info = await docs.info(blobPath);
    expect(info.error).toBeNull();
    expect(info.data).toMatchObject({
      name: blobPath,
      bucketId: DOCS,
      size: 8,
      contentType: 'image/png',
      cacheControl: 'max-age=60',
      metadata: { side: 'recto' },
    });
    const filePath = `${courierA.id}/selfie.jpg`;
    const file = new File([fakeJpeg(2048)], 'selfie.jpg', { type: 'image/jpeg' });
    expect((await docs.upload(filePath, file)).error).toBeNull();
    const down = await docs.download(filePath);
    expect(down.data!.type).toBe('image/jpeg');
    expect(down.data!.size).toBe(2048);
  });

  it('answers info and exists for one’s own files, and false for a missing one', async () => {
    const docs = courierA.client.storage.from(DOCS);
    expect(await docs.exists(`${courierA.id}/permis.pdf`)).toMatchObject({ data: true, error: null });
    const missing = await docs.exists(`${courierA.id}/nothing.pdf`);
    expect(missing.data).toBe(false);
    expect(missing.error).toMatchObject({ statusCode: '404' });
    expect((await courierB.client.storage.from(DOCS).exists(`${courierA.id}/permis.pdf`)).data).toBe(false);
  });

  it('uploads and downloads a 6 MB phone photo intact (streamed)', async () => {
    const photo = fakeJpeg(6 * 1024 * 1024, 42);
    const path = `${courierA.id}/photos/vehicule.jpg`;
    const docs = courierA.client.storage.from(DOCS);
    const t0 = performance.now();
    const up = await docs.upload(path, photo, { contentType: 'image/jpeg' });
    const t1 = performance.now();
    expect(up.error).toBeNull();
    const down = await docs.download(path);
    const bytes = new Uint8Array(await down.data!.arrayBuffer());
    const t2 = performance.now();
    expect(bytes.length).toBe(photo.length);
    expect(sha256(bytes)).toBe(sha256(photo));
    const mbps = (ms: number) => ((photo.length / 1024 / 1024 / ms) * 1000).toFixed(0);
    console.log(
      `[storage] 6 MiB photo: upload ${(t1 - t0).toFixed(0)} ms (${mbps(t1 - t0)} MiB/s), download ${(t2 - t1).toFixed(0)} ms (${mbps(t2 - t1)} MiB/s)`,
    );
  });

  it('lists a folder as Supabase does: sub-folders first (no id), then files, with limit, offset, sort and search', async () => {
    const docs = courierA.client.storage.from(DOCS);
    const base = `${courierA.id}/list`;
    for (const name of ['b.txt', 'a.txt', 'c.txt', 'sub/x.txt', 'sub/deeper/y.txt', 'other/z.txt'])
      expect((await docs.upload(`${base}/${name}`, Buffer.from(name), { contentType: 'text/plain' })).error).toBeNull();

    const all = await docs.list(base);
    expect(all.error).toBeNull();
    expect(all.data!.map((e) => [e.name, e.id === null])).toEqual([
      ['other', true],
      ['sub', true],
      ['a.txt', false],
      ['b.txt', false],
      ['c.txt', false],
    ]);
    const file = all.data!.find((e) => e.name === 'a.txt')!;
    expect(file.metadata).toMatchObject({ size: 5, mimetype: 'text/plain', eTag: expect.stringMatching(/^".+"$/) });

    const page = await docs.list(base, { limit: 2, offset: 2 });
    expect(page.data!.map((e) => e.name)).toEqual(['a.txt', 'b.txt']);
    const desc = await docs.list(base, { sortBy: { column: 'name', order: 'desc' } });
    expect(desc.data!.map((e) => e.name)).toEqual(['sub', 'other', 'c.txt', 'b.txt', 'a.txt']);
    const searched = await docs.list(base, { search: 'b' });
    expect(searched.data!.map((e) => e.name)).toEqual(['b.txt']);
    const top = await docs.list(courierA.id);
    expect(top.data!.map((e) => e.name)).toContain('list');

    expect((await courierB.client.storage.from(DOCS).list(base)).data).toEqual([]);
  });

  it('moves and copies within one’s own folder, and refuses moving into another person’s', async () => {
    const docs = courierA.client.storage.from(DOCS);
    const from = `${courierA.id}/move-me.pdf`;
    expect((await docs.upload(from, pdf, { contentType: 'application/pdf' })).error).toBeNull();

    const copied = await docs.copy(from, `${courierA.id}/copy.pdf`);
    expect(copied).toEqual({ data: { path: `${DOCS}/${courierA.id}/copy.pdf` }, error: null });
    const moved = await docs.move(from, `${courierA.id}/moved.pdf`);
    expect(moved).toEqual({ data: { message: 'Successfully moved' }, error: null });
    expect(await objectRow(db, DOCS, from)).toBeUndefined();
    expect(Buffer.from(await (await docs.download(`${courierA.id}/moved.pdf`)).data!.arrayBuffer())).toEqual(pdf);
    expect(Buffer.from(await (await docs.download(`${courierA.id}/copy.pdf`)).data!.arrayBuffer())).toEqual(pdf);

    const intoB = await docs.move(`${courierA.id}/moved.pdf`, `${courierB.id}/stolen.pdf`);
    expect(intoB.error).toMatchObject({ statusCode: '403' });
    expect(await objectRow(db, DOCS, `${courierA.id}/moved.pdf`)).toBeDefined();
    const bCopies = await courierB.client.storage
      .from(DOCS)
      .copy(`${courierA.id}/moved.pdf`, `${courierB.id}/mine.pdf`);
    expect(bCopies.error).toMatchObject({ statusCode: '404' });
    expect((await docs.move(`${courierA.id}/nope.pdf`, `${courierA.id}/x.pdf`)).error).toMatchObject({
      statusCode: '404',
    });
  });

  it('removes several files at once, deleting rows and files, and only those the caller may delete', async () => {
    const docs = courierA.client.storage.from(DOCS);
    const paths = [`${courierA.id}/rm/1.txt`, `${courierA.id}/rm/2.txt`];
    for (const p of paths)
      expect((await docs.upload(p, Buffer.from(p), { contentType: 'text/plain' })).error).toBeNull();
    const versions = await Promise.all(paths.map(async (p) => (await objectRow(db, DOCS, p))!.version));
    const removed = await docs.remove([...paths, `${courierA.id}/rm/missing.txt`]);
    expect(removed.error).toBeNull();
    expect(removed.data!.map((o) => o.name).sort()).toEqual(paths);
    for (const p of paths) expect(await objectRow(db, DOCS, p)).toBeUndefined();
    const files = await filesOnDisk();
    for (const v of versions) expect(files).not.toContain(`objects/${v}`);
  });

  it('validates paths: no .. segment, no characters outside Supabase’s set', async () => {
    // The gateway already resolves `..` in URLs; keys in bodies (move, copy, remove, sign) are checked here.
    const docs = courierA.client.storage.from(DOCS);
    const escape = await docs.move(`${courierA.id}/permis.pdf`, `${courierA.id}/../${courierB.id}/x.pdf`);
    expect(escape.error).toMatchObject({ status: 400, statusCode: '400', code: 'InvalidKey' });
    const r = await rawRequest(`/storage/v1/object/${DOCS}//etc/passwd`, {
      method: 'POST',
      headers: { authorization: `Bearer ${courierA.token}`, 'content-type': 'application/pdf' },
      body: pdf,
    });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ statusCode: '400', code: 'InvalidKey' });
    const unicode = await courierA.client.storage
      .from(DOCS)
      .upload(`${courierA.id}/reçu.pdf`, pdf, { contentType: 'application/pdf' });
    expect(unicode.error).toMatchObject({ statusCode: '400', message: expect.stringContaining('Invalid key') });
  });
});

describe('signed URLs', () => {
  const pdf = Buffer.from('%PDF-1.4 signed\n');
  it('shares a private file for a while, without a key, then refuses it once expired', async () => {
    const path = `${courierA.id}/permis.pdf`;
    const docs = courierA.client.storage.from(DOCS);
    const signed = await docs.createSignedUrl(path, 60);
    expect(signed.error).toBeNull();
    expect(signed.data!.signedUrl).toMatch(new RegExp(`/storage/v1/object/sign/${DOCS}/${path}\\?token=`));
    const ok = await fetch(signed.data!.signedUrl);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await ok.arrayBuffer()).toString()).toContain('permis de conduire');
    const dl = await docs.createSignedUrl(path, 60, { download: 'mon-permis.pdf' });
    expect((await fetch(dl.data!.signedUrl)).headers.get('content-disposition')).toContain('mon-permis.pdf');

    const short = await docs.createSignedUrl(path, 1);
    await new Promise((r) => setTimeout(r, 2100));
    const expired = await fetch(short.data!.signedUrl);
    expect(expired.status).toBe(400);
    expect(await expired.json()).toMatchObject({
      statusCode: '400',
      error: 'ExpiredToken',
      message: 'The provided token has expired.',
    });
  });

  it('refuses a tampered token and a token for another path', async () => {
    const docs = courierA.client.storage.from(DOCS);
    const signed = (await docs.createSignedUrl(`${courierA.id}/permis.pdf`, 60)).data!.signedUrl;
    const tampered = await fetch(signed.replace(/token=(.*)$/, (_m, t: string) => `token=${t.slice(0, -3)}abc`));
    expect(tampered.status).toBe(400);
    expect(await tampered.json()).toMatchObject({ statusCode: '400', code: 'InvalidJWT' });
    const other = await fetch(signed.replace('permis.pdf', 'cni.pdf'));
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ code: 'InvalidSignature' });
  });

  it('signs several paths at once, with an error entry for what the caller cannot see', async () => {
    const docs = courierA.client.storage.from(DOCS);
    const paths = [`${courierA.id}/permis.pdf`, `${courierA.id}/absent.pdf`];
    const r = await docs.createSignedUrls(paths, 60);
    expect(r.error).toBeNull();
    expect(r.data![0]).toMatchObject({ path: paths[0], error: null });
    expect((await fetch(r.data![0]!.signedUrl!)).status).toBe(200);
    expect(r.data![1]).toMatchObject({
      path: paths[1],
      signedUrl: null,
      error: 'Either the object does not exist or you do not have access to it',
    });
  });

  it('lets a person hand out a signed upload URL for their own folder only', async () => {
    const path = `${courierA.id}/via-signed-upload.pdf`;
    const signed = await courierA.client.storage.from(DOCS).createSignedUploadUrl(path);
    expect(signed.error).toBeNull();
    expect(signed.data).toMatchObject({ path, token: expect.any(String) });
    const up = await anon.storage
      .from(DOCS)
      .uploadToSignedUrl(path, signed.data!.token, pdf, { contentType: 'application/pdf' });
    expect(up.error).toBeNull();
    expect(up.data).toMatchObject({ path, fullPath: `${DOCS}/${path}` });
    expect(await objectRow(db, DOCS, path)).toMatchObject({ owner_id: courierA.id });
    const reuse = await anon.storage
      .from(DOCS)
      .uploadToSignedUrl(path, signed.data!.token, pdf, { contentType: 'application/pdf' });
    expect(reuse.error).toMatchObject({ statusCode: '409' });

    const intoA = await courierB.client.storage.from(DOCS).createSignedUploadUrl(`${courierA.id}/planted.pdf`);
    expect(intoA.error).toMatchObject({ statusCode: '403' });
    expect(await objectRow(db, DOCS, `${courierA.id}/planted.pdf`)).toBeUndefined();
  });
});

describe('product photos (public bucket, 5 MB, images only)', () => {
  const photo = fakeJpeg(300 * 1024, 7);

  beforeAll(async () => {
    const up = await service.storage
      .from(PHOTOS)
      .upload('attieke/plat.jpg', photo, { contentType: 'image/jpeg', upsert: true });
    expect(up.error).toBeNull();
  });

  it('serves the public URL to an <img> tag without a key, with the right headers', async () => {
    const { publicUrl } = anon.storage.from(PHOTOS).getPublicUrl('attieke/plat.jpg').data;
    expect(publicUrl).toBe(`${stack().apiUrl}/storage/v1/object/public/${PHOTOS}/attieke/plat.jpg`);
    const r = await fetch(publicUrl);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/jpeg');
    expect(r.headers.get('cache-control')).toBe('max-age=3600');
    expect(r.headers.get('content-length')).toBe(String(photo.length));
    expect(r.headers.get('etag')).toBe(`"${createHash('md5').update(photo).digest('hex')}"`);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(sha256(new Uint8Array(await r.arrayBuffer()))).toBe(sha256(photo));

    const again = await fetch(publicUrl, { headers: { 'if-none-match': r.headers.get('etag')! } });
    expect(again.status).toBe(304);
    const head = await fetch(publicUrl, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(photo.length));
  });

  it('answers Range requests (video and photo viewers)', async () => {
    const url = anon.storage.from(PHOTOS).getPublicUrl('attieke/plat.jpg').data.publicUrl;
    const part = await fetch(url, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${photo.length}`);
    expect(part.headers.get('content-length')).toBe('100');
    expect(Buffer.from(await part.arrayBuffer())).toEqual(photo.subarray(100, 200));
    const tail = await fetch(url, { headers: { range: 'bytes=-10' } });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(photo.subarray(photo.length - 10));
    const bad = await fetch(url, { headers: { range: `bytes=${photo.length + 10}-` } });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe(`bytes */${photo.length}`);
  });

  it('has no public URL for a private bucket or a missing photo', async () => {
    const priv = await fetch(`${stack().apiUrl}/storage/v1/object/public/${DOCS}/${courierA.id}/permis.pdf`);
    expect(priv.status).toBe(400);
    expect(await priv.json()).toMatchObject({ statusCode: '404', error: 'Bucket not found' });
    const missing = await fetch(`${stack().apiUrl}/storage/v1/object/public/${PHOTOS}/nope.jpg`);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ statusCode: '404', code: 'NoSuchKey', message: 'Object not found' });
  });

  it('refuses anon and signed-in people writing to the public bucket (no write policy)', async () => {
    for (const client of [anon, courierA.client]) {
      const r = await client.storage.from(PHOTOS).upload('pirate.jpg', photo, { contentType: 'image/jpeg' });
      expect(r.error).toMatchObject({ statusCode: '403' });
    }
    expect(await objectRow(db, PHOTOS, 'pirate.jpg')).toBeUndefined();
  });

  it('refuses a non-image with 415 and a 6 MB photo with 413, leaving no row and no file', async () => {
    const files = await filesOnDisk();
    const pdfUp = await service.storage
      .from(PHOTOS)
      .upload('menu.pdf', Buffer.from('%PDF'), { contentType: 'application/pdf' });
    expect(pdfUp.error).toMatchObject({
      status: 400,
      statusCode: '415',
      message: 'mime type application/pdf is not supported',
    });
    const big = fakeJpeg(6 * MB);
    const raw = await service.storage.from(PHOTOS).upload('big.jpg', big, { contentType: 'image/jpeg' });
    expect(raw.error).toMatchObject({
      status: 400,
      statusCode: '413',
      message: 'The object exceeded the maximum allowed size',
    });
    const multipart = await service.storage.from(PHOTOS).upload('big2.jpg', new Blob([big], { type: 'image/jpeg' }));
    expect(multipart.error).toMatchObject({ statusCode: '413' });
    const wrongType = await service.storage
      .from(PHOTOS)
      .upload('x.gif', new Blob([Buffer.from('gif')], { type: 'text/html' }));
    expect(wrongType.error).toMatchObject({ statusCode: '415' });
    for (const name of ['menu.pdf', 'big.jpg', 'big2.jpg', 'x.gif'])
      expect(await objectRow(db, PHOTOS, name)).toBeUndefined();
    expect(await filesOnDisk()).toEqual(files);
  });

  it('accepts an image type matched by the image/* wildcard', async () => {
    const r = await service.storage
      .from(PHOTOS)
      .upload('logo.webp', Buffer.from('RIFF'), { contentType: 'image/webp', upsert: true });
    expect(r.error).toBeNull();
  });
});
