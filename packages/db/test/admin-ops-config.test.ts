// Configuration and exports for the operations team (migrations 20261121203140, 20261121203150): bad values of the
// fare grid, commissions, cash limits and promotions are refused by the database in words and change nothing; each
// accepted change is in the audit log with the admin as actor; the exports return the period's orders and payouts
// and the couriers' register, to admins and support, and refuse a bad period.
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientFor, ensurePeople, PEOPLE, superuser } from './actors.ts';
import { ensureSupport, supportClient } from './admin-ops-kit.ts';
import { ID, TIASSALE, resetFixtures } from './fixtures.ts';

let db: pg.Pool;
beforeAll(async () => {
  db = superuser();
  await ensurePeople();
  await ensureSupport(db);
});
beforeEach(async () => {
  await resetFixtures(db);
});
afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});

const admin = () => clientFor('admin');

/**
 * Saves a configuration row as the admin app does: update when it exists, insert otherwise (an upsert would update
 * the key columns, which no grant allows).
 */
async function save(
  table: 'order_rates' | 'ride_rates' | 'courier_cash_limits',
  key: Record<string, string>,
  values: Record<string, number>,
) {
  const updated = await admin()
    .from(table)
    .update(values as never)
    .match(key)
    .select();
  if (updated.error || updated.data.length > 0) return updated;
  return admin()
    .from(table)
    .insert({ ...key, ...values } as never)
    .select();
}
const lastAudit = async (table: string, row: string) =>
  (
    await db.query(
      `select actor_id, action, new_data from public.audit_log where table_name = $1 and row_id = $2
        order by id desc limit 1`,
      [table, row],
    )
  ).rows[0];

describe('configuration', () => {
  it('refuses a negative fare in words and keeps the grid', async () => {
    const before = await db.query(
      `select base_fare_xof from public.ride_fares where zone_id = $1 and vehicle_type = 'moto'`,
      [TIASSALE],
    );
    const r = await admin()
      .from('ride_fares')
      .update({ base_fare_xof: -100 })
      .eq('zone_id', TIASSALE)
      .eq('vehicle_type', 'moto');
    expect(r.error).toMatchObject({
      code: '23514',
      message: 'base_fare_xof must be a whole number of FCFA of at least 0, got -100',
    });
    const after = await db.query(
      `select base_fare_xof from public.ride_fares where zone_id = $1 and vehicle_type = 'moto'`,
      [TIASSALE],
    );
    expect(after.rows).toEqual(before.rows);
  });

  it('refuses a commission above 100 %, a negative or huge cash limit, a percent promotion above 100', async () => {
    const rate = await save(
      'order_rates',
      { zone_id: ID.zoneTest, store_kind: 'maquis' },
      { merchant_commission_bps: 10001, delivery_cut_bps: 1000 },
    );
    expect(rate.error).toMatchObject({ code: '23514' });
    expect(rate.error!.message).toContain('order_rates_merchant_commission_bps_range');
    const negative = await save('courier_cash_limits', { zone_id: ID.zoneTest }, { limit_xof: -1 });
    expect(negative.error).toMatchObject({
      code: '23514',
      message: 'limit_xof must be a whole number of FCFA of at least 0, got -1',
    });
    const huge = await save('courier_cash_limits', { zone_id: ID.zoneTest }, { limit_xof: 10_000_001 });
    expect(huge.error!.message).toContain('courier_cash_limits_limit_xof_max');
    const promo = await admin()
      .from('promotions')
      .update({ kind: 'percent', value: 101 })
      .eq('id', ID.promotionPlatform);
    expect(promo.error).toMatchObject({
      code: '23514',
      message: 'a percent promotion needs a value from 1 to 100, got 101',
    });
    const { rows } = await db.query(
      `select (select count(*)::int from public.order_rates where zone_id = $1 and store_kind = 'maquis' and merchant_commission_bps = 10001) as rates,
              (select count(*)::int from public.courier_cash_limits where limit_xof < 0 or limit_xof > 10000000) as limits`,
      [ID.zoneTest],
    );
    expect(rows[0]).toEqual({ rates: 0, limits: 0 });
  });

  // Written in the inactive test zone: the fixtures reset deletes it with its rates, Tiassalé's stay as they are.
  it('writes every accepted change to the audit log with the admin as actor', async () => {
    const rate = await save('ride_rates', { zone_id: ID.zoneTest, vehicle_type: 'tricycle' }, { commission_bps: 1500 });
    expect(rate.error).toBeNull();
    expect(await lastAudit('ride_rates', `${ID.zoneTest}:tricycle`)).toMatchObject({
      actor_id: PEOPLE.admin.id,
      new_data: { commission_bps: 1500 },
    });
    const limit = await save('courier_cash_limits', { zone_id: ID.zoneTest }, { limit_xof: 40000 });
    expect(limit.error).toBeNull();
    expect(await lastAudit('courier_cash_limits', ID.zoneTest)).toMatchObject({
      actor_id: PEOPLE.admin.id,
      new_data: { limit_xof: 40000 },
    });
    const commission = await save(
      'order_rates',
      { zone_id: ID.zoneTest, store_kind: 'pharmacy' },
      { merchant_commission_bps: 800, delivery_cut_bps: 1000 },
    );
    expect(commission.error).toBeNull();
    expect(await lastAudit('order_rates', `${ID.zoneTest}:pharmacy`)).toMatchObject({ actor_id: PEOPLE.admin.id });
  });
});

describe('exports', () => {
  const period = () => ({
    p_from: new Date(Date.now() - 3600_000).toISOString(),
    p_to: new Date(Date.now() + 3600_000).toISOString(),
  });

  it('lists the orders of a period with store, customer, amounts and refunds, to admins and support', async () => {
    for (const client of [admin(), supportClient()]) {
      const r = await client.rpc('admin_export_orders', period());
      expect(r.error).toBeNull();
      const o3 = r.data!.find((o) => o.order_id === ID.orderO3)!;
      expect(o3).toMatchObject({
        status: 'delivered',
        store_name: expect.any(String),
        customer_phone: '+2250100000201',
        fulfilment: 'pickup',
        payment_method: 'mobile_money',
        total_xof: 1000,
      });
      expect(r.data!.map((o) => o.order_id)).toEqual(expect.arrayContaining([ID.orderO1, ID.orderO2, ID.orderO3]));
    }
    const past = await admin().rpc('admin_export_orders', {
      p_from: '2020-01-01T00:00:00Z',
      p_to: '2020-02-01T00:00:00Z',
    });
    expect(past.data).toEqual([]);
  });

  it('refuses a period that ends before it starts or is longer than 366 days', async () => {
    for (const p of [
      { p_from: '2026-02-01T00:00:00Z', p_to: '2026-01-01T00:00:00Z' },
      { p_from: '2024-01-01T00:00:00Z', p_to: '2026-01-01T00:00:00Z' },
    ]) {
      expect((await admin().rpc('admin_export_orders', p)).error).toMatchObject({
        code: 'EO400',
        message: 'period_invalid',
      });
      expect((await admin().rpc('admin_export_payouts', p)).error).toMatchObject({
        code: 'EO400',
        message: 'period_invalid',
      });
    }
  });

  it('lists the payouts of a period with payee, number and status', async () => {
    const { rows } = await db.query<{ created_at: Date }>('select created_at from public.payouts where id = $1', [
      ID.payoutX,
    ]);
    const at = rows[0]!.created_at.getTime();
    const r = await admin().rpc('admin_export_payouts', {
      p_from: new Date(at - 1000).toISOString(),
      p_to: new Date(at + 1000).toISOString(),
    });
    expect(r.error).toBeNull();
    const x = r.data!.find((p) => p.payout_id === ID.payoutX)!;
    expect(x).toMatchObject({ payee_kind: 'store', status: 'succeeded' });
    const courier = r.data!.find((p) => p.payout_id === ID.payoutCourier);
    if (courier) expect(courier).toMatchObject({ payee_kind: 'courier', status: 'rejected' });
  });

  it('gives the couriers register with vehicle, plate, municipal and vest numbers and document expiries', async () => {
    const r = await supportClient().rpc('admin_courier_register');
    expect(r.error).toBeNull();
    const c1 = r.data!.find((c) => c.courier_id === PEOPLE.courier_on_job.id)!;
    const docs = await db.query<{ kind: string; expires_on: string | null }>(
      `select kind::text, to_char(expires_on, 'YYYY-MM-DD') as expires_on from public.courier_documents
        where courier_id = $1 and review_status = 'approved'`,
      [PEOPLE.courier_on_job.id],
    );
    const expiry = Object.fromEntries(docs.rows.map((d) => [`${d.kind}_expires_on`, d.expires_on]));
    expect(c1).toMatchObject({ phone: '+2250100000205', vehicle_type: 'moto', suspended: false, ...expiry });
    expect(c1.documents).toContain('national_id');
    // The seed's couriers are there too (the register is every courier).
    expect(r.data!.length).toBeGreaterThan(10);
  });
});
