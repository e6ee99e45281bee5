// Couriers: approval only by admins and only with every required document approved and unexpired; document
// review only by admins; presence with valid coordinates; nearest_couriers (online, approved, fresh, by the
// partial GiST index); the courier-documents bucket (each courier their own folder, admins read all).
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newClient } from '../../local-stack/test/stack.ts';
import { PEOPLE, clientFor, ensurePeople, superuser } from './actors.ts';
import { ID, TIASSALE, TIASSALE_CENTRE, resetFixtures } from './fixtures.ts';
import { asService } from './service.ts';

let db: pg.Pool;
beforeAll(async () => {
  db = superuser();
  await ensurePeople();
});
beforeEach(() => resetFixtures(db));
afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});

const C1 = PEOPLE.courier_on_job.id;
const C2 = PEOPLE.courier_not_on_job.id;

describe('courier approval', () => {
  it('refuses a courier approving themselves, or registering approved', async () => {
    await db.query(`update public.couriers set approval_status = 'pending' where user_id = $1`, [C2]);
    const r = await clientFor('courier_not_on_job')
      .from('couriers')
      .update({ approval_status: 'approved' })
      .eq('user_id', C2);
    expect(r.error).toMatchObject({ code: '42501', message: 'only an admin can change approval_status' });
    await db.query('delete from public.couriers where user_id = $1', [C2]);
    const reg = await clientFor('courier_not_on_job')
      .from('couriers')
      .insert({ user_id: C2, vehicle_type: 'car', zone_id: TIASSALE, approval_status: 'approved' });
    expect(reg.error?.message).toBe('only an admin can set approval_status: a new courier starts pending');
  });

  it('lets a courier register (pending) with an upper-cased plate, and refuses an unknown zone', async () => {
    await db.query('delete from public.couriers where user_id = $1', [C2]);
    const reg = await clientFor('courier_not_on_job')
      .from('couriers')
      .insert({ user_id: C2, vehicle_type: 'tricycle', plate: '4321 ef 01', zone_id: TIASSALE })
      .select('approval_status, plate')
      .single();
    expect(reg.data).toEqual({ approval_status: 'pending', plate: '4321 EF 01' });
    const zone = randomUUID();
    const bad = await clientFor('courier_not_on_job').from('couriers').update({ zone_id: zone }).eq('user_id', C2);
    expect(bad.error).toMatchObject({ code: '23503', message: `unknown zone ${zone}` });
  });

  it('refuses approval while a required document is expired, unapproved or missing — even for an admin', async () => {
    await db.query(`update public.couriers set approval_status = 'suspended' where user_id = $1`, [C1]);
    await db.query(`update public.courier_documents set expires_on = '2020-01-01' where id = $1`, [
      ID.docOnJobInsurance,
    ]);
    await db.query(
      `update public.courier_documents set review_status = 'rejected' where courier_id = $1 and kind = 'municipal_card'`,
      [C1],
    );
    const r = await clientFor('admin').from('couriers').update({ approval_status: 'approved' }).eq('user_id', C1);
    expect(r.error).toMatchObject({
      code: '23514',
      message: 'this courier cannot be approved: missing, unapproved or expired: insurance, municipal_card',
    });
    await db.query(`update public.couriers set vest_number = null where user_id = $1`, [C1]);
    await db.query(
      `update public.courier_documents set expires_on = '2031-01-01', review_status = 'approved' where courier_id = $1`,
      [C1],
    );
    const vest = await clientFor('admin').from('couriers').update({ approval_status: 'approved' }).eq('user_id', C1);
    expect(vest.error?.message).toBe('this courier cannot be approved: missing, unapproved or expired: vest_number');
    await db.query(`update public.couriers set vest_number = '017' where user_id = $1`, [C1]);
    const ok = await clientFor('admin')
      .from('couriers')
      .update({ approval_status: 'approved' })
      .eq('user_id', C1)
      .select('approval_status, approved_by')
      .single();
    expect(ok.data).toEqual({ approval_status: 'approved', approved_by: PEOPLE.admin.id });
  });

  it('leaves document review to admins, and sends a changed document back to review', async () => {
    await db.query(`update public.courier_documents set review_status = 'pending' where id = $1`, [
      ID.docOnJobInsurance,
    ]);
    const self = await clientFor('courier_on_job')
      .from('courier_documents')
      .update({ review_status: 'approved' })
      .eq('id', ID.docOnJobInsurance);
    expect(self.error).toMatchObject({ code: '42501', message: 'only an admin can change review_status' });
    const changed = await clientFor('courier_on_job')
      .from('courier_documents')
      .update({ storage_path: `${C1}/assurance-2.pdf` })
      .eq('id', ID.docOnJobInsurance)
      .select('review_status')
      .single();
    expect(changed.data).toEqual({ review_status: 'pending' });
    await db.query(`update public.courier_documents set review_status = 'approved' where id = $1`, [
      ID.docOnJobInsurance,
    ]);
    const again = await clientFor('courier_on_job')
      .from('courier_documents')
      .update({ expires_on: '2032-01-01' })
      .eq('id', ID.docOnJobInsurance)
      .select('review_status, reviewed_by')
      .single();
    expect(again.data).toEqual({ review_status: 'pending', reviewed_by: null });
    const review = await clientFor('admin')
      .from('courier_documents')
      .update({ review_status: 'approved' })
      .eq('id', ID.docOnJobInsurance)
      .select('review_status, reviewed_by')
      .single();
    expect(review.data).toEqual({ review_status: 'approved', reviewed_by: PEOPLE.admin.id });
    const outside = await clientFor('courier_on_job')
      .from('courier_documents')
      .insert({ courier_id: C1, kind: 'insurance', storage_path: `${C2}/assurance.pdf` });
    expect(outside.error?.message).toBe(
      'new row for relation "courier_documents" violates check constraint "courier_documents_path_in_own_folder"',
    );
  });
});

describe('courier presence', () => {
  it('refuses coordinates out of range and an online courier without a position', async () => {
    const lat = await clientFor('courier_on_job').from('courier_presence').update({ lat: 91 }).eq('courier_id', C1);
    expect(lat.error).toMatchObject({ code: '23514', message: 'latitude must be between -90 and 90 degrees, got 91' });
    const lng = await clientFor('courier_on_job').from('courier_presence').update({ lng: -181 }).eq('courier_id', C1);
    expect(lng.error?.message).toBe('longitude must be between -180 and 180 degrees, got -181');
    const none = await clientFor('courier_not_on_job')
      .from('courier_presence')
      .insert({ courier_id: C2, online: true });
    expect(none.error?.message).toBe(
      'new row for relation "courier_presence" violates check constraint "courier_presence_position_when_online"',
    );
  });

  it('keeps the table HOT-friendly (fillfactor below 100)', async () => {
    const r = await db.query(`select reloptions from pg_class where oid = 'public.courier_presence'::regclass`);
    expect(r.rows[0].reloptions).toEqual(['fillfactor=70']);
  });
});

describe('nearest_couriers', () => {
  // Only the fixture couriers: the seed's Tiassalé couriers are fresh too when the stack has just started.
  const nearest = async (args: string, params: unknown[]) => {
    const r = await asService<{ courier_id: string; vehicle_type: string; distance_m: number }>(
      db,
      `select courier_id, vehicle_type, distance_m from private.nearest_couriers(${args}, lim => 100)`,
      params,
    );
    return { ...r, rows: r.rows.filter((row) => row.courier_id === C1 || row.courier_id === C2) };
  };

  it('finds online, approved couriers with a fresh position, nearest first, by vehicle', async () => {
    await db.query(
      `insert into public.courier_presence (courier_id, online, lat, lng) values ($1, true, 5.9050, -4.8228)`,
      [C2],
    );
    const all = await nearest('$1, $2, 2000', [TIASSALE_CENTRE.lat, TIASSALE_CENTRE.lng]);
    expect(all.rows.map((r) => r.courier_id)).toEqual([C1, C2]);
    expect(all.rows[0]!.distance_m).toBeLessThan(all.rows[1]!.distance_m);
    const cars = await nearest(`$1, $2, 2000, 'car'`, [TIASSALE_CENTRE.lat, TIASSALE_CENTRE.lng]);
    expect(cars.rows.map((r) => r.courier_id)).toEqual([C2]);
    const close = await nearest('$1, $2, 100', [TIASSALE_CENTRE.lat, TIASSALE_CENTRE.lng]);
    expect(close.rows.map((r) => r.courier_id)).toEqual([C1]);
  });

  it('leaves out stale positions, offline and unapproved couriers', async () => {
    await db.query(
      `update public.courier_presence set updated_at = now() - interval '1 minute' where courier_id = $1`,
      [C1],
    );
    // The trigger keeps updated_at true: age the row by disabling it for this statement only.
    await db.query('alter table public.courier_presence disable trigger courier_presence_touch_updated_at');
    await db.query(
      `update public.courier_presence set updated_at = now() - interval '1 minute' where courier_id = $1`,
      [C1],
    );
    await db.query('alter table public.courier_presence enable trigger courier_presence_touch_updated_at');
    expect((await nearest('$1, $2, 2000', [TIASSALE_CENTRE.lat, TIASSALE_CENTRE.lng])).rows).toEqual([]);
    expect(
      (await nearest(`$1, $2, 2000, null, '2 minutes'`, [TIASSALE_CENTRE.lat, TIASSALE_CENTRE.lng])).rows,
    ).toHaveLength(1);
    await db.query(`update public.couriers set approval_status = 'suspended' where user_id = $1`, [C1]);
    expect((await nearest(`$1, $2, 2000, null, '2 minutes'`, [TIASSALE_CENTRE.lat, TIASSALE_CENTRE.lng])).rows).toEqual(
      [],
    );
    await db.query(`update public.courier_presence set online = false where courier_id = $1`, [C1]);
    await db.query(`update public.couriers set approval_status = 'approved' where user_id = $1`, [C1]);
    expect((await nearest(`$1, $2, 2000, null, '2 minutes'`, [TIASSALE_CENTRE.lat, TIASSALE_CENTRE.lng])).rows).toEqual(
      [],
    );
  });

  it('refuses a bad radius or coordinates, and anyone but the service role', async () => {
    expect((await nearest('$1, $2, 0', [5.9, -4.8])).error).toEqual({
      code: '23514',
      message: 'radius_m must be between 1 and 50000 metres, got 0',
    });
    expect((await nearest('$1, $2, 100', [5.9, -200])).error?.message).toBe(
      'longitude must be between -180 and 180 degrees, got -200',
    );
    const c = await db.connect();
    try {
      await c.query('begin');
      await c.query('set local role authenticated');
      await expect(c.query('select * from private.nearest_couriers(5.9, -4.8, 100)')).rejects.toThrow(
        'permission denied for function nearest_couriers',
      );
    } finally {
      await c.query('rollback');
      c.release();
    }
  });

  it('answers with an index scan on courier_presence_location_idx among 5 000 couriers', async () => {
    const c = await db.connect();
    const notices: string[] = [];
    c.on('notice', (n) => notices.push(n.message ?? ''));
    try {
      await c.query('begin');
      await c.query('alter table public.couriers disable trigger couriers_guard');
      await c.query(
        `with u as (
           insert into auth.users (instance_id, id, aud, role, phone, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
           select '00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated',
                  '2250799' || lpad(i::text, 6, '0'), '{}', '{}', now(), now()
             from generate_series(1, 5000) i
           returning id)
         , c as (
           insert into public.couriers (user_id, vehicle_type, zone_id, approval_status)
           select id, 'moto', $1, 'approved' from u returning user_id)
         insert into public.courier_presence (courier_id, online, lat, lng)
         select user_id, random() < 0.7, 5.8983 + (random() - 0.5) * 0.36, -4.8228 + (random() - 0.5) * 0.36 from c`,
        [TIASSALE],
      );
      await c.query('analyze public.courier_presence, public.couriers');
      await c.query("load 'auto_explain'");
      await c.query('set local auto_explain.log_min_duration = 0');
      await c.query('set local auto_explain.log_nested_statements = on');
      await c.query("set local auto_explain.log_level = 'notice'");
      await c.query('set local role service_role');
      const r = await c.query('select count(*)::int as n from private.nearest_couriers(5.8983, -4.8228, 3000)');
      expect(r.rows[0].n).toBe(10);
    } finally {
      await c.query('rollback');
      c.release();
    }
    const plan = notices.find((n) => n.includes('earth_box'));
    expect(plan, notices.join('\n---\n')).toMatch(
      /Index Scan using courier_presence_location_idx|Bitmap Index Scan on courier_presence_location_idx/,
    );
    expect(plan).not.toMatch(/Seq Scan on courier_presence/);
  });
});

describe('the courier-documents bucket', () => {
  const pdf = Buffer.from('%PDF-1.4 fake');

  it('is private, 10 MB, images and PDF', async () => {
    const r = await db.query(
      `select public, file_size_limit, allowed_mime_types from storage.buckets where id = 'courier-documents'`,
    );
    expect(r.rows[0]).toEqual({
      public: false,
      file_size_limit: '10485760',
      allowed_mime_types: ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf'],
    });
  });

  it('lets a courier write and read their own folder only; admins read all; others nothing', async () => {
    const path = `${C1}/permis-${randomUUID().slice(0, 8)}.pdf`;
    const own = await clientFor('courier_on_job')
      .storage.from('courier-documents')
      .upload(path, pdf, { contentType: 'application/pdf' });
    expect(own.error).toBeNull();
    const planted = await clientFor('courier_not_on_job')
      .storage.from('courier-documents')
      .upload(`${C1}/planted.pdf`, pdf, { contentType: 'application/pdf' });
    expect(planted.error?.message).toBe('new row violates row-level security policy');
    expect((await clientFor('courier_on_job').storage.from('courier-documents').download(path)).error).toBeNull();
    expect((await clientFor('admin').storage.from('courier-documents').download(path)).error).toBeNull();
    for (const actor of ['courier_not_on_job', 'customer_a', 'merchant_x'] as const) {
      const r = await clientFor(actor).storage.from('courier-documents').download(path);
      expect(r.error, actor).not.toBeNull();
    }
    // A customer without the courier role cannot use their own folder either.
    const customer = await clientFor('customer_a')
      .storage.from('courier-documents')
      .upload(`${PEOPLE.customer_a.id}/cni.pdf`, pdf, { contentType: 'application/pdf' });
    expect(customer.error?.message).toBe('new row violates row-level security policy');
    const text = await clientFor('courier_on_job')
      .storage.from('courier-documents')
      .upload(`${C1}/note.txt`, Buffer.from('x'), {
        contentType: 'text/plain',
      });
    expect(text.error).not.toBeNull();
  });
});

describe('the Tiassalé couriers seed', () => {
  it('has at least ten approved couriers of every vehicle type, each with a phone identity and a position', async () => {
    const r = await db.query<{ vehicle_type: string; n: number }>(
      `select c.vehicle_type, count(*)::int as n
         from public.couriers c
         join auth.identities i on i.user_id = c.user_id and i.provider = 'phone'
         join public.courier_presence p on p.courier_id = c.user_id
         join public.user_roles r on r.user_id = c.user_id and r.role = 'courier'
        where c.user_id::text like 'c1000000-%' and c.approval_status = 'approved'
        group by 1 order by 1`,
    );
    expect(r.rows).toEqual([
      { vehicle_type: 'moto', n: 9 },
      { vehicle_type: 'tricycle', n: 3 },
      { vehicle_type: 'car', n: 2 },
    ]);
  });

  it('signs a demo courier in with the test code of config.toml', async () => {
    const client = newClient();
    expect((await client.auth.signInWithOtp({ phone: '+2250700000213' })).error).toBeNull();
    const { data, error } = await client.auth.verifyOtp({ phone: '+2250700000213', token: '123456', type: 'sms' });
    expect(error).toBeNull();
    expect(data.user?.id).toBe('c1000000-0000-4000-8000-000000000213');
  });
});
