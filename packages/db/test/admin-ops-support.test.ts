// The read-only support role (migrations 20261121203100 / 20261121203110): its token carries the role, it reads what
// admins read for operations (the same rows, table by table, through the Data API), the overview included, and it
// changes nothing: table writes, the admin RPCs and the admin endpoints of the edge functions all refuse it. A
// customer still reads nothing of it.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, ensurePeople, PEOPLE, superuser, type Db } from './actors.ts';
import { callFunction, ensureSupport, newKey, SUPPORT, supportClient } from './admin-ops-kit.ts';
import { ID, TIASSALE, resetFixtures } from './fixtures.ts';

let db: pg.Pool;
beforeAll(async () => {
  db = superuser();
  await ensurePeople();
  await ensureSupport(db);
  await resetFixtures(db);
  // A trace point and a queued push, so those tables have rows to see.
  await db.query(`insert into public.job_positions (courier_id, order_id, lat, lng) values ($1, $2, 5.9, -4.82)`, [
    'a0000000-0000-4000-8000-000000000005',
    ID.orderO1,
  ]);
});
afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});

/** The operations tables support reads like admins (and those that follow them through RLS). */
const OPERATIONS_TABLES = [
  'profiles',
  'user_roles',
  'zones',
  'ride_fares',
  'neighbourhoods',
  'neighbourhood_fares',
  'order_rates',
  'ride_rates',
  'courier_cash_limits',
  'promotions',
  'stores',
  'store_members',
  'store_applications',
  'couriers',
  'courier_documents',
  'courier_presence',
  'job_positions',
  'orders',
  'order_items',
  'order_events',
  'order_contacts',
  'rides',
  'ride_events',
  'offers',
  'ratings',
  'disputes',
  'dispute_evidence',
  'ledger_accounts',
  'ledger_entries',
  'ledger_postings',
  'payment_intents',
  'payouts',
  'payout_settings',
  'payout_destinations',
  'notification_deliveries',
  'audit_log',
] as const;

async function visible(client: Db, table: string): Promise<number> {
  const r = await client.from(table as 'orders').select('*', { count: 'exact', head: true });
  expect(r.error, table).toBeNull();
  return r.count ?? -1;
}

describe('support role', () => {
  it('reaches the access token through the Custom Access Token Hook', async () => {
    const { rows } = await db.query<{ claims: { user_roles: string[] } }>(
      `select private.custom_access_token_hook(jsonb_build_object('user_id', $1::text, 'claims', '{}'::jsonb))
                -> 'claims' as claims`,
      [SUPPORT.id],
    );
    expect(rows[0]!.claims.user_roles).toEqual(['customer', 'support']);
  });

  it('reads exactly the rows admins read, table by table', async () => {
    const support = supportClient();
    const admin = clientFor('admin');
    for (const table of OPERATIONS_TABLES) {
      const [s, a] = [await visible(support, table), await visible(admin, table)];
      expect(s, table).toBe(a);
      expect(s, table).toBeGreaterThan(0);
    }
  });

  it('does not read the delivery codes, start PINs and raw provider callbacks', async () => {
    const support = supportClient();
    expect(await visible(clientFor('admin'), 'order_delivery_codes')).toBeGreaterThan(0);
    for (const table of ['order_delivery_codes', 'ride_start_pins', 'payment_callbacks']) {
      expect(await visible(support, table), table).toBe(0);
    }
  });

  it('reads the overview', async () => {
    const args = { from_at: '2026-01-01T00:00:00Z', to_at: '2026-01-02T00:00:00Z', zone: TIASSALE, bucket: 'day' };
    const r = await supportClient().rpc('admin_overview', args);
    expect(r.error).toBeNull();
    expect((r.data as { orders: { placed: number } }).orders.placed).toBe(0);
    const customer = await clientFor('customer_b').rpc('admin_overview', args);
    expect(customer.error).toMatchObject({ code: '42501', message: 'admins only' });
  });

  it('reads the phone book (admin_people) the dashboard names people with', async () => {
    const ids = [PEOPLE.customer_a.id];
    const people = await supportClient().rpc('admin_people', { p_ids: ids });
    expect(people.error).toBeNull();
    expect(people.data).toMatchObject([{ id: PEOPLE.customer_a.id, phone: PEOPLE.customer_a.phone }]);
    const customer = await clientFor('customer_b').rpc('admin_people', { p_ids: ids });
    expect(customer.error).toMatchObject({ code: 'EO403', message: 'not_admin' });
  });

  it('changes no table: inserts are refused, updates and deletes reach no row', async () => {
    const support = supportClient();
    const zone = await support.from('zones').insert({
      name: 'Zone test support',
      country_code: 'CI',
      timezone: 'Africa/Abidjan',
      center_lat: 5.9,
      center_lng: -4.8,
      radius_m: 5000,
      delivery_base_fee_xof: 500,
      delivery_fee_per_km_xof: 100,
    });
    expect(zone.error).toMatchObject({ code: '42501' });
    const role = await support.from('user_roles').insert({ user_id: SUPPORT.id, role: 'admin' });
    expect(role.error).toMatchObject({ code: '42501' });

    const updates = await Promise.all([
      support.from('ride_fares').update({ base_fare_xof: 1 }).eq('zone_id', TIASSALE).select(),
      support.from('disputes').update({ status: 'resolved' }).eq('id', ID.disputeO1).select(),
      support.from('couriers').update({ approval_status: 'suspended' }).neq('approval_status', 'suspended').select(),
      support.from('payout_settings').update({ approval_threshold_xof: 1 }).eq('id', true).select(),
      support.from('promotions').delete().eq('id', ID.promotionPlatform).select(),
      support.from('stores').update({ approval_status: 'suspended' }).eq('id', ID.storeX).select(),
    ]);
    for (const r of updates) {
      expect(r.error).toBeNull();
      expect(r.data).toEqual([]);
    }
    const { rows } = await db.query(
      `select (select count(*)::int from public.user_roles where user_id = $1 and role = 'admin') as admin_role,
              (select status::text from public.disputes where id = $2) as dispute,
              (select approval_status::text from public.stores where id = $3) as store,
              (select count(*)::int from public.promotions where id = $4) as promotion`,
      [SUPPORT.id, ID.disputeO1, ID.storeX, ID.promotionPlatform],
    );
    expect(rows[0]).toEqual({ admin_role: 0, dispute: 'open', store: 'approved', promotion: 1 });
  });

  it('is refused by every admin RPC, with the code', async () => {
    const support = supportClient();
    const calls = await Promise.all([
      support.rpc('admin_set_suspension', { p_user_id: ID.storeX, p_suspended: true, p_reason: 'Fraude' }),
      support.rpc('admin_set_role', { p_user_id: SUPPORT.id, p_role: 'admin', p_grant: true }),
      support.rpc('admin_dispute_take', { p_dispute_id: ID.disputeO1 }),
      support.rpc('admin_dispute_attach_evidence', { p_dispute_id: ID.disputeO1, p_kind: 'timeline' }),
      support.rpc('admin_dispute_resolve', {
        p_dispute_id: ID.disputeO1,
        p_outcome: 'no_refund',
        p_amount_xof: 0,
        p_note: 'Rien à rembourser',
        p_idempotency_key: newKey(),
      }),
    ]);
    for (const r of calls) expect(r.error).toMatchObject({ code: 'EO403', message: 'admin_only' });
    const review = await support.rpc('review_store_application', { store_id: ID.storeP, approve: true });
    expect(review.error).toMatchObject({ message: 'not_admin' });
    const { rows } = await db.query(
      `select (select status::text from public.disputes where id = $1) as dispute,
              (select count(*)::int from public.dispute_evidence where dispute_id = $1) as evidence,
              (select approval_status::text from public.stores where id = $2) as pending_store`,
      [ID.disputeO1, ID.storeP],
    );
    expect(rows[0]).toEqual({ dispute: 'open', evidence: 1, pending_store: 'pending' });
  });

  it('is refused by the admin endpoints of the edge functions (refund, reassign, payout review)', async () => {
    const refund = await callFunction(
      'support',
      `orders/${ID.orderO3}/refund`,
      { amount_xof: 100, reason: 'Geste commercial' },
      { 'idempotency-key': newKey() },
    );
    expect([refund.status, refund.body.error.code]).toEqual([403, 'admin_only']);
    const reassignOrder = await callFunction('support', `orders/${ID.orderO1}/reassign`, { reason: 'Coursier bloqué' });
    expect(reassignOrder.status).toBe(403);
    const reassignRide = await callFunction('support', `rides/${ID.rideR1}/reassign`, { reason: 'Chauffeur en panne' });
    expect(reassignRide.status).toBe(403);
    const approve = await callFunction('support', `payouts/${ID.payoutY}/approve`, undefined, {
      'idempotency-key': newKey(),
    });
    expect([approve.status, approve.body.error.code]).toEqual([403, 'not_admin']);
    const { rows } = await db.query(
      `select (select count(*)::int from public.ledger_entries where order_id = $1 and kind = 'refund') as refunds,
              (select courier_id::text from public.orders where id = $2) as courier`,
      [ID.orderO3, ID.orderO1],
    );
    expect(rows[0]).toEqual({ refunds: 0, courier: 'a0000000-0000-4000-8000-000000000005' });
  });

  it('leaves customers where they were: none of the operations data, no operations RPC', async () => {
    const customer = clientFor('customer_b');
    for (const table of ['audit_log', 'order_rates', 'job_positions', 'payout_settings', 'notification_deliveries']) {
      expect(await visible(customer, table), table).toBe(0);
    }
    const calls = await Promise.all([
      customer.rpc('admin_users', { p_query: '0100' }),
      customer.rpc('admin_disputes', {}),
      customer.rpc('admin_export_orders', { p_from: '2026-01-01T00:00:00Z', p_to: '2026-02-01T00:00:00Z' }),
      customer.rpc('admin_courier_register'),
    ]);
    for (const r of calls) expect(r.error).toMatchObject({ code: 'EO403', message: 'staff_only' });
  });
});
