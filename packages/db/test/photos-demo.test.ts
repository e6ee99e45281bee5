// Store and product photos (public buckets, writes only under one's own store's folder) with the demo photos the
// stack uploads at start, and the demo accounts of seed/040 signing in through the real OTP flow.
import { createClient } from '@supabase/supabase-js';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stack } from '../../local-stack/test/stack.ts';
import { clientFor, ensurePeople, superuser } from './actors.ts';
import { ID, resetFixtures } from './fixtures.ts';
import type { Database } from '../src/database.types.ts';

let db: pg.Pool;
beforeAll(async () => {
  db = superuser();
  await ensurePeople();
});
beforeEach(() => resetFixtures(db));
afterAll(async () => {
  await db.query(`delete from storage.objects where bucket_id in ('store-photos', 'product-photos')
                    and (name like '${ID.storeX}/%' or name like '${ID.storeY}/%')`);
  await resetFixtures(db);
  await db.end();
});

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const GARBA = { store: '51000000-0000-4000-8000-000000000003', name: 'Garba' };
const png = () => Buffer.concat([PNG_SIGNATURE, Buffer.from('demo')]);

describe('demo photos', () => {
  it('serves a seeded product’s photo at its public URL as a real PNG', async () => {
    const row = await db.query<{ photo_path: string }>(
      'select photo_path from public.products where store_id = $1 and name = $2',
      [GARBA.store, GARBA.name],
    );
    const path = row.rows[0]!.photo_path;
    expect(path).toMatch(new RegExp(`^product-photos/${GARBA.store}/[0-9a-f-]{36}\\.png$`));
    const res = await fetch(`${stack().apiUrl}/storage/v1/object/public/${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(body.readUInt32BE(16)).toBeLessThanOrEqual(320); // IHDR width
    expect(body.readUInt32BE(20)).toBeLessThanOrEqual(240); // IHDR height
    expect(body.length).toBeLessThan(16 * 1024);
  });

  it('has an uploaded object behind every photo path of the seed', async () => {
    const r = await db.query<{ paths: number; missing: number }>(
      `with paths as (
         select logo_path as p from public.stores where id::text like '51000000-%'
         union all select cover_path from public.stores where id::text like '51000000-%'
         union all select photo_path from public.products where store_id::text like '51000000-%')
       select count(*)::int as paths,
              count(*) filter (where not exists (
                select 1 from storage.objects o where o.bucket_id || '/' || o.name = paths.p))::int as missing
         from paths`,
    );
    expect(r.rows[0]).toEqual({ paths: 14 * 2 + 82, missing: 0 });
  });

  it('creates both buckets public, 2 MB, JPEG / PNG / WebP only', async () => {
    const r = await db.query(
      `select id, public, file_size_limit, allowed_mime_types from storage.buckets
        where id in ('store-photos', 'product-photos') order by id`,
    );
    const settings = {
      public: true,
      file_size_limit: '2097152',
      allowed_mime_types: ['image/jpeg', 'image/png', 'image/webp'],
    };
    expect(r.rows).toEqual([
      { id: 'product-photos', ...settings },
      { id: 'store-photos', ...settings },
    ]);
  });
});

describe('photo uploads', () => {
  const refusal = { statusCode: '403', message: 'new row violates row-level security policy' };

  it('lets a member upload, replace and remove under their store’s folder', async () => {
    const photos = clientFor('merchant_x').storage.from('product-photos');
    const path = `${ID.storeX}/garba.png`;
    expect((await photos.upload(path, png(), { contentType: 'image/png' })).error).toBeNull();
    expect((await photos.upload(path, png(), { contentType: 'image/png', upsert: true })).error).toBeNull();
    const anon = await fetch(`${stack().apiUrl}/storage/v1/object/public/product-photos/${path}`);
    expect(anon.status).toBe(200);
    const removed = await photos.remove([path]);
    expect(removed.data).toHaveLength(1);
  });

  it('refuses a member writing under another store’s folder, or outside any store', async () => {
    const photos = clientFor('merchant_x').storage.from('store-photos');
    expect((await photos.upload(`${ID.storeY}/logo.png`, png(), { contentType: 'image/png' })).error).toMatchObject(
      refusal,
    );
    expect((await photos.upload('logo.png', png(), { contentType: 'image/png' })).error).toMatchObject(refusal);
    expect((await photos.upload('not-a-store/logo.png', png(), { contentType: 'image/png' })).error).toMatchObject(
      refusal,
    );
  });

  it('refuses customers and visitors, lets admins write in any store’s folder', async () => {
    const path = `${ID.storeY}/cover.png`;
    for (const actor of ['customer_a', 'courier_on_job', 'anon'] as const) {
      const r = await clientFor(actor).storage.from('store-photos').upload(path, png(), { contentType: 'image/png' });
      expect(r.error).toMatchObject({ statusCode: '403' });
    }
    expect(
      (await clientFor('admin').storage.from('store-photos').upload(path, png(), { contentType: 'image/png' })).error,
    ).toBeNull();
    // merchant_x cannot remove merchant_y's photo: nothing is removed.
    const removed = await clientFor('merchant_x').storage.from('store-photos').remove([path]);
    expect(removed.data).toEqual([]);
    expect(
      (await db.query(`select 1 from storage.objects where bucket_id = 'store-photos' and name = $1`, [path])).rowCount,
    ).toBe(1);
  });

  it('refuses a file type other than JPEG, PNG or WebP', async () => {
    const r = await clientFor('merchant_x')
      .storage.from('product-photos')
      .upload(`${ID.storeX}/menu.pdf`, Buffer.from('%PDF-1.4'), { contentType: 'application/pdf' });
    expect(r.error).toMatchObject({ statusCode: '415' });
  });
});

describe('demo accounts', () => {
  const claims = (jwt: string) =>
    JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

  async function signIn(phone: string, ip: string) {
    const s = stack();
    // Each sign-in from its own address: the per-IP limits are not what this test is about.
    const client = createClient<Database>(s.apiUrl, s.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      global: { headers: { 'X-Forwarded-For': ip } },
    });
    const sent = await client.auth.signInWithOtp({ phone, options: { shouldCreateUser: false } });
    expect(sent.error).toBeNull();
    const { data, error } = await client.auth.verifyOtp({ phone, token: '123456', type: 'sms' });
    expect(error).toBeNull();
    return { client, session: data.session!, user: data.user! };
  }

  it('signs in the demo admin by SMS code, with the admin role in the token and the admin’s view', async () => {
    const { client, session, user } = await signIn('+2250700000120', '10.40.0.120');
    expect(user.id).toBe('de000000-0000-4000-8000-000000000120');
    expect(claims(session.access_token).user_roles).toEqual(['customer', 'admin']);
    const profiles = await client
      .from('profiles')
      .select('id')
      .gte('id', 'de000000-0000-4000-8000-000000000000')
      .lte('id', 'de000000-0000-4000-8000-000000000fff');
    expect(profiles.data).toHaveLength(12);
    const pending = await client
      .from('stores')
      .select('slug')
      .eq('approval_status', 'pending')
      .eq('slug', 'cave-chez-ali');
    expect(pending.data).toHaveLength(1);
    const audit = await client.from('audit_log').select('id').eq('table_name', 'stores').limit(1);
    expect(audit.error).toBeNull();
    expect(audit.data).toHaveLength(1);
  });

  it('signs in a demo merchant who runs their stores and nobody else’s', async () => {
    const { client, session, user } = await signIn('+2250700000118', '10.40.0.118');
    expect(user.id).toBe('de000000-0000-4000-8000-000000000118');
    expect(claims(session.access_token).user_roles).toEqual(['customer', 'merchant']);
    const members = await client.from('store_members').select('store_id, role').order('store_id');
    expect(members.data).toEqual([
      { store_id: '51000000-0000-4000-8000-000000000012', role: 'owner' },
      { store_id: '51000000-0000-4000-8000-000000000014', role: 'owner' },
    ]);
    // Their pending store is visible to them, as are the 13 approved ones.
    const stores = await client
      .from('stores')
      .select('id')
      .gte('id', '51000000-0000-4000-8000-000000000000')
      .lte('id', '51000000-0000-4000-8000-000000000fff');
    expect(stores.data).toHaveLength(14);
    const audit = await client.from('audit_log').select('id').limit(1);
    expect(audit.data).toEqual([]);
    const rename = await client
      .from('products')
      .update({ price_xof: 550 })
      .eq('store_id', '51000000-0000-4000-8000-000000000003')
      .select();
    expect(rename.data).toEqual([]);
  });

  it('gives the demo customers a profile in their language and the customer role only', async () => {
    const r = await db.query(
      `select p.full_name, p.language, array_agg(r.role order by r.role)::text[] as roles
         from public.profiles p join public.user_roles r on r.user_id = p.id
        where p.id in ('de000000-0000-4000-8000-000000000101', 'de000000-0000-4000-8000-000000000103')
        group by p.id, p.full_name, p.language order by p.id`,
    );
    expect(r.rows).toEqual([
      { full_name: 'Aya Kouassi', language: 'fr', roles: ['customer'] },
      { full_name: 'Grace Mensah', language: 'en', roles: ['customer'] },
    ]);
  });
});
