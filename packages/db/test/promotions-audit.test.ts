// Promotions (bad input with exact messages, who may create what, codes unique ignoring case) and the audit log
// (what a change records, who reads it, that nobody can change it, redaction).
import { createClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stack } from '../../local-stack/test/stack.ts';
import { PEOPLE, clientFor, ensurePeople, superuser, tokenFor } from './actors.ts';
import { ID, resetFixtures } from './fixtures.ts';
import type { Database } from '../src/database.types.ts';

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

const promotion = (patch: Record<string, unknown> = {}) => ({
  code: `TEST${randomUUID().slice(0, 6)}`,
  kind: 'percent',
  value: 10,
  starts_at: '2026-12-01T00:00:00Z',
  ends_at: '2026-12-31T23:59:00Z',
  ...patch,
});
const create = (actor: Parameters<typeof clientFor>[0], patch: Record<string, unknown> = {}) =>
  clientFor(actor)
    .from('promotions')
    .insert(promotion(patch) as never)
    .select()
    .single();

describe('promotions: bad input', () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['percent 0', { value: 0 }, '23514', 'a percent promotion needs a value from 1 to 100, got 0'],
    ['percent 101', { value: 101 }, '23514', 'a percent promotion needs a value from 1 to 100, got 101'],
    ['percent without value', { value: null }, '23514', 'a percent promotion needs a value from 1 to 100, got none'],
    [
      'negative fixed',
      { kind: 'fixed', value: -500 },
      '23514',
      'a fixed promotion needs a value in whole FCFA of at least 1, got -500',
    ],
    ['fractional fixed', { kind: 'fixed', value: 99.5 }, '22P02', 'invalid input syntax for type integer: "99.5"'],
    [
      'free delivery with a value',
      { kind: 'free_delivery', value: 500 },
      '23514',
      'a free_delivery promotion takes no value, got 500',
    ],
    [
      'ends before it starts',
      { starts_at: '2026-12-31T00:00:00Z', ends_at: '2026-12-01T00:00:00Z' },
      '23514',
      'ends_at (2026-12-01 00:00 UTC) must be after starts_at (2026-12-31 00:00 UTC)',
    ],
    [
      'unknown store',
      { store_id: 'dd000000-0000-4000-8000-000000000404' },
      '23503',
      'unknown store dd000000-0000-4000-8000-000000000404',
    ],
    [
      'bad code',
      { code: 'A B' },
      '23514',
      'new row for relation "promotions" violates check constraint "promotions_code_format"',
    ],
    ['unknown kind', { kind: 'bogof' }, '22P02', 'invalid input value for enum promotion_kind: "bogof"'],
    [
      'negative minimum order',
      { min_order_xof: -1 },
      '23514',
      'min_order_xof must be a whole number of FCFA of at least 0, got -1',
    ],
  ];
  for (const [name, patch, code, message] of cases) {
    it(`refuses ${name}: ${message}`, async () => {
      const p = promotion(patch);
      const r = await clientFor('admin')
        .from('promotions')
        .insert(p as never);
      expect(r.error?.code).toBe(code);
      expect(r.error?.message).toBe(message);
      const n = await db.query('select count(*)::int as n from public.promotions where code = upper($1)', [p.code]);
      expect(n.rows[0].n).toBe(0);
    });
  }

  it('stores codes upper-case and refuses the same code in another case', async () => {
    const first = await create('admin', { code: ' TestNoel ' });
    expect(first.error).toBeNull();
    expect((first.data as unknown as { code: string }).code).toBe('TESTNOEL');
    const again = await create('merchant_x', { code: 'testnoel', store_id: ID.storeX });
    expect(again.error?.code).toBe('23505');
    expect(again.error?.message).toBe('duplicate key value violates unique constraint "promotions_code_key"');
  });
});

describe('promotions: who may create what', () => {
  it('refuses a merchant creating a platform-wide promotion', async () => {
    const r = await create('merchant_x');
    expect(r.error?.code).toBe('42501');
    expect(r.error?.message).toBe('new row violates row-level security policy for table "promotions"');
  });

  it('refuses a merchant creating a promotion for another merchant’s store', async () => {
    const r = await create('merchant_x', { store_id: ID.storeY });
    expect(r.error?.message).toBe('new row violates row-level security policy for table "promotions"');
  });

  it('refuses staff creating their store’s promotions (owners only)', async () => {
    const r = await create('staff_x', { store_id: ID.storeX });
    expect(r.error?.message).toBe('new row violates row-level security policy for table "promotions"');
  });

  it('lets an owner create one for their store and an admin a platform-wide one, stamped with their creator', async () => {
    const own = await create('merchant_x', { store_id: ID.storeX, kind: 'free_delivery', value: null });
    expect(own.error).toBeNull();
    expect(own.data).toMatchObject({ store_id: ID.storeX, created_by: PEOPLE.merchant_x.id });
    const platform = await create('admin', { kind: 'fixed', value: 500, max_discount_xof: 500, min_order_xof: 2000 });
    expect(platform.error).toBeNull();
    expect(platform.data).toMatchObject({ store_id: null, created_by: PEOPLE.admin.id });
  });

  it('refuses moving a promotion to another store or to the whole platform', async () => {
    const r = await clientFor('merchant_x').from('promotions').update({ store_id: ID.storeP }).eq('id', ID.promotionX);
    expect(r.error?.code).toBe('42501');
    expect(r.error?.message).toBe('store_id of a row in promotions cannot be changed');
  });

  it('hides expired and future promotions from customers, by code in any case', async () => {
    await db.query(
      `update public.promotions set ends_at = now() - interval '1 hour', starts_at = now() - interval '2 days'
                     where id = $1`,
      [ID.promotionY],
    );
    const found = await clientFor('customer_a').from('promotions').select('code').eq('code', 'bienvenue'.toUpperCase());
    expect(found.data).toEqual([{ code: 'BIENVENUE' }]);
    const expired = await clientFor('customer_a').from('promotions').select('code').eq('code', 'SANTE');
    expect(expired.data).toEqual([]);
    const owner = await clientFor('merchant_y').from('promotions').select('code').eq('code', 'SANTE');
    expect(owner.data).toEqual([{ code: 'SANTE' }]);
  });

  it('hides the promotions of a store that is not approved', async () => {
    await db.query(
      `insert into public.promotions (code, store_id, kind, value, ends_at)
                    values ('TESTPENDING', $1, 'percent', 5, now() + interval '1 day')`,
      [ID.storeP],
    );
    const customer = await clientFor('customer_a').from('promotions').select('code').eq('code', 'TESTPENDING');
    expect(customer.data).toEqual([]);
    const owner = await clientFor('merchant_x').from('promotions').select('code').eq('code', 'TESTPENDING');
    expect(owner.data).toEqual([{ code: 'TESTPENDING' }]);
  });
});

describe('audit log', () => {
  const lastAudit = async (table: string, rowId: string) =>
    (
      await db.query(
        `select actor_id, actor_role, action, old_data, new_data, request_id from public.audit_log
          where table_name = $1 and row_id = $2 order by id desc limit 1`,
        [table, rowId],
      )
    ).rows[0] as Record<string, unknown> | undefined;

  it('records who granted a role through the API, with the request id', async () => {
    const requestId = randomUUID();
    const s = stack();
    const admin = createClient<Database>(s.apiUrl, s.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      global: { headers: { Authorization: `Bearer ${tokenFor('admin')}`, 'x-request-id': requestId } },
    });
    const r = await admin.from('user_roles').insert({ user_id: PEOPLE.customer_b.id, role: 'courier' });
    expect(r.error).toBeNull();
    expect(await lastAudit('user_roles', `${PEOPLE.customer_b.id}:courier`)).toMatchObject({
      actor_id: PEOPLE.admin.id,
      actor_role: 'authenticated',
      action: 'insert',
      old_data: null,
      new_data: { user_id: PEOPLE.customer_b.id, role: 'courier', granted_by: PEOPLE.admin.id },
      request_id: requestId,
    });
  });

  it('records an approval and a commission change with the row before and after, not a busy status', async () => {
    await clientFor('admin')
      .from('stores')
      .update({ approval_status: 'approved', commission_bps: 700 })
      .eq('id', ID.storeP);
    const entry = await lastAudit('stores', ID.storeP);
    expect(entry).toMatchObject({
      actor_id: PEOPLE.admin.id,
      action: 'update',
      old_data: { approval_status: 'pending', commission_bps: null },
      new_data: { approval_status: 'approved', commission_bps: 700 },
    });
    const before = await db.query('select max(id) as id from public.audit_log');
    await clientFor('merchant_x').from('stores').update({ status: 'open' }).eq('id', ID.storeX);
    const after = await db.query(
      `select count(*)::int as n from public.audit_log where id > $1 and table_name = 'stores'`,
      [before.rows[0].id],
    );
    expect(after.rows[0].n).toBe(0);
  });

  it('records promotion, zone and fare changes', async () => {
    await clientFor('merchant_x').from('promotions').update({ active: false }).eq('id', ID.promotionX);
    expect(await lastAudit('promotions', ID.promotionX)).toMatchObject({
      actor_id: PEOPLE.merchant_x.id,
      action: 'update',
      old_data: { active: true },
      new_data: { active: false },
    });
    await clientFor('admin')
      .from('ride_fares')
      .update({ per_km_xof: 150 })
      .match({ zone_id: ID.zoneTest, vehicle_type: 'moto' });
    expect(await lastAudit('ride_fares', `${ID.zoneTest}:moto`)).toMatchObject({
      action: 'update',
      new_data: { per_km_xof: 150 },
    });
    await clientFor('admin').from('zones').delete().eq('id', ID.zoneTest);
    expect(await lastAudit('zones', ID.zoneTest)).toMatchObject({ action: 'delete', new_data: null });
  });

  it('refuses every change to the log, to admins through the API and to the owner in SQL', async () => {
    const admin = clientFor('admin');
    const insert = await admin
      .from('audit_log')
      .insert({ actor_role: 'x', action: 'insert', table_name: 't', row_id: '1' } as never);
    expect(insert.error?.message).toBe('permission denied for table audit_log');
    const del = await admin.from('audit_log').delete().eq('id', Number(ID.auditRow));
    expect(del.error?.message).toBe('permission denied for table audit_log');
    const service = createClient(stack().apiUrl, stack().serviceRoleKey, { auth: { persistSession: false } });
    const serviceDelete = await service.from('audit_log').delete().eq('id', Number(ID.auditRow));
    expect(serviceDelete.error?.message).toBe('permission denied for table audit_log');
    await expect(db.query('update public.audit_log set row_id = $1 where id = -1', ['x'])).rejects.toThrow(
      'the audit log is append-only: rows cannot be changed or deleted',
    );
    await expect(db.query('delete from public.audit_log where id = -1')).rejects.toThrow(
      'the audit log is append-only: rows cannot be changed or deleted',
    );
    await expect(db.query('truncate public.audit_log')).rejects.toThrow(
      'the audit log is append-only: rows cannot be changed or deleted',
    );
  });

  it('redacts secrets everywhere and the columns named by the trigger', async () => {
    const c = await db.connect();
    try {
      await c.query('begin');
      await c.query('create table public.audit_probe (id int primary key, pin text, phone text, note text)');
      await c.query(`create trigger audit_probe_audit after insert on public.audit_probe
                     for each row execute function private.audit_row('phone')`);
      await c.query(`insert into public.audit_probe values (1, '4821', '+2250700000101', 'ok')`);
      const r = await c.query(`select new_data, actor_role from public.audit_log where table_name = 'audit_probe'`);
      expect(r.rows).toEqual([
        { new_data: { id: 1, pin: '[redacted]', phone: '[redacted]', note: 'ok' }, actor_role: 'postgres' },
      ]);
    } finally {
      await c.query('rollback');
      c.release();
    }
  });
});
