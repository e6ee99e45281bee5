// public.admin_overview (migration 20261121201400): the dashboard's figures for a period in one call, through the
// Data API as the admin app calls it. The orders of a past day (10 March 2025, nobody else's) are written as history
// (triggers off: they are finished orders, not moves), then read back as counts, GMV, delivery times and series.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE, clientFor, ensurePeople, superuser } from './actors.ts';
import { ID, TIASSALE, resetFixtures } from './fixtures.ts';

let db: pg.Pool;
const DAY = { from_at: '2025-03-10T00:00:00Z', to_at: '2025-03-11T00:00:00Z' };

beforeAll(async () => {
  db = superuser();
  await ensurePeople();
  await resetFixtures(db);
  const c = await db.connect();
  try {
    await c.query('begin');
    await c.query('set local session_replication_role = replica');
    // [created, status, total, delivered after (minutes), payment]
    const history: Array<[string, string, number, number | null, string]> = [
      ['2025-03-10T10:05:00Z', 'delivered', 2300, 30, 'cash'],
      ['2025-03-10T10:20:00Z', 'delivered', 4100, 50, 'wallet'],
      ['2025-03-10T10:40:00Z', 'cancelled', 1500, null, 'cash'],
      ['2025-03-10T12:10:00Z', 'rejected', 900, null, 'cash'],
    ];
    for (const [i, [created, status, total, after, payment]] of history.entries()) {
      await c.query(
        `insert into public.orders (customer_id, customer_first_name, store_id, zone_id, fulfilment, subtotal_xof,
                                    delivery_fee_xof, total_xof, payment_method, status, idempotency_key, created_at,
                                    delivered_at, cancelled_at, rejected_at, cancellation_reason, rejection_reason)
         values ($1, 'Awa', $2, $3, 'delivery', $4::integer - 300, 300, $4, $5::public.payment_method, $6::public.order_status, $7, $8::timestamptz,
                 $8::timestamptz + make_interval(mins => $9::integer), case when $6::text = 'cancelled' then $8::timestamptz end,
                 case when $6::text = 'rejected' then $8::timestamptz end,
                 case when $6::text = 'cancelled' then 'Client injoignable' end,
                 case when $6::text = 'rejected' then 'Plus de garba' end)`,
        [PEOPLE.customer_a.id, ID.storeX, TIASSALE, total, payment, status, `overview-${i}`, created, after],
      );
    }
    await c.query('commit');
  } finally {
    c.release();
  }
});
afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});

const overview = (args: Record<string, unknown>, who: 'admin' | 'customer_a' = 'admin') =>
  clientFor(who).rpc('admin_overview', args as never);

describe('admin_overview', () => {
  it('counts a day of orders: outcomes, GMV, basket, payment, cancellation rate and delivery times', async () => {
    const r = await overview({ ...DAY, zone: TIASSALE });
    expect(r.error).toBeNull();
    const body = r.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(body.orders).toEqual({
      placed: 4,
      delivered: 2,
      cancelled: 1,
      rejected: 1,
      in_progress: 0,
      gmv_xof: 6400,
      average_basket_xof: 3200,
      by_payment: { cash: 1, wallet: 1 },
      cancellation_rate: 0.5,
      delivery_minutes_avg: 40,
      delivery_minutes_p90: 48,
    });
    expect(body.rides).toEqual({ requested: 0, completed: 0, cancelled: 0, expired: 0, fares_xof: 0 });
    expect(body.timezone).toBe('Africa/Abidjan');
    expect(body.series).toHaveLength(24);
    expect(body.series[10]).toEqual({ at: '2025-03-10T10:00', orders: 3, delivered: 2, gmv_xof: 6400, rides: 0 });
    expect(body.series[12]).toMatchObject({ orders: 1, delivered: 0 });
    expect(body.series.reduce((n: number, s: { orders: number }) => n + s.orders, 0)).toBe(4);
    for (const k of ['orders_in_progress', 'rides_in_progress', 'couriers_online', 'stores_open']) {
      expect(typeof body.now[k]).toBe('number');
    }
  });

  it('gives a series per day, and nothing for a zone without orders', async () => {
    const days = await overview({ from_at: '2025-03-09T00:00:00Z', to_at: '2025-03-12T00:00:00Z', bucket: 'day' });
    const series = (days.data as { series: Array<{ at: string; orders: number }> }).series;
    expect(series.map((s) => [s.at, s.orders])).toEqual([
      ['2025-03-09T00:00', 0],
      ['2025-03-10T00:00', 4],
      ['2025-03-11T00:00', 0],
    ]);
    const other = await overview({ ...DAY, zone: ID.zoneTest });
    expect((other.data as { orders: { placed: number } }).orders.placed).toBe(0);
  });

  it('is for admins only, and refuses a bad period, bucket or zone in words', async () => {
    const customer = await overview(DAY, 'customer_a');
    expect(customer.error).toMatchObject({ code: '42501', message: 'admins only' });
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ from_at: DAY.to_at, to_at: DAY.from_at }, '23514', 'to_at must be after from_at'],
      [
        { from_at: '2024-01-01T00:00:00Z', to_at: '2025-03-01T00:00:00Z' },
        '23514',
        'the period is longer than 366 days',
      ],
      [
        { from_at: '2025-01-01T00:00:00Z', to_at: '2025-03-01T00:00:00Z' },
        '23514',
        'hourly series cover 31 days at most',
      ],
      [{ ...DAY, bucket: 'week' }, '23514', 'bucket must be hour or day, got week'],
      [
        { ...DAY, zone: '00000000-0000-4000-8000-000000000000' },
        '23503',
        'unknown zone 00000000-0000-4000-8000-000000000000',
      ],
    ];
    for (const [args, code, message] of cases) {
      const r = await overview(args);
      expect(r.error, message).toMatchObject({ code, message });
    }
  });
});
