// The courier's trace during a job (migration 20261121201300): each stored position of a courier holding an active
// order or ride is appended to job_positions (through the courier function as the phone sends it); nothing while
// standing still, nothing without a job or once the job is done; admins and the courier read it, nobody else.
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientFor, PEOPLE } from './actors.ts';
import {
  acceptedOrder,
  call,
  courierId,
  north,
  openOfferOf,
  placeCourier,
  requestRide,
  STORE_X,
  takeOrder,
  withCouriers,
} from './couriers-kit.ts';
import { TIASSALE_CENTRE } from './fixtures.ts';

const K1 = courierId(41);

let db: pg.Pool;
const pool = withCouriers([{ id: K1, vehicle: 'moto' }]);
beforeAll(() => {
  db = pool();
});

/** A stored position, as update_presence writes it once its 5 s throttle has passed. */
const moveTo = (at: { lat: number; lng: number }) =>
  db.query('update public.courier_presence set lat = $2, lng = $3, updated_at = now() where courier_id = $1', [
    K1,
    at.lat,
    at.lng,
  ]);
const traceOf = async (column: 'order_id' | 'ride_id', id: string) =>
  (
    await db.query<{ lat: number; lng: number }>(
      `select lat, lng from public.job_positions where ${column} = $1 order by recorded_at, id`,
      [id],
    )
  ).rows;

describe('job positions', () => {
  it('records the way from the store to the customer, not the standing still, and stops when delivered', async () => {
    await placeCourier(db, K1, north(STORE_X, 100));
    const id = await acceptedOrder(db);
    await takeOrder(db, id, K1);
    // Through the courier function, as the phone sends it: back online after a pause is stored at once.
    expect((await call(K1, 'courier', 'POST', '/presence', { online: false })).body.stored).toBe(true);
    const sent = await call(K1, 'courier', 'POST', '/presence', { online: true, ...north(STORE_X, 50), speed: 4 });
    expect([sent.status, sent.body.stored, sent.body.order_id]).toEqual([200, true, id]);
    await moveTo(north(STORE_X, 20));
    await moveTo(north(STORE_X, 20)); // standing at the counter
    await moveTo(north(STORE_X, 300));
    const trace = await traceOf('order_id', id);
    expect(trace.map((p) => Math.round((p.lat - STORE_X.lat) * 111_320))).toEqual([50, 20, 300]);

    await db.query(`select private.transition_order($1, 'preparing', $2, 'merchant')`, [id, PEOPLE.merchant_x.id]);
    await db.query(`select private.transition_order($1, 'ready', $2, 'merchant')`, [id, PEOPLE.merchant_x.id]);
    await db.query(`select private.transition_order($1, 'picked_up', $2, 'courier')`, [id, K1]);
    await db.query(`select private.transition_order($1, 'delivered', $2, 'courier', null, '4321')`, [id, K1]);
    await moveTo(north(STORE_X, 900));
    expect(await traceOf('order_id', id)).toHaveLength(3);
  });

  it('records a ride, and lets only admins and the courier read a trace', async () => {
    await placeCourier(db, K1, north(TIASSALE_CENTRE, 150));
    const { id } = await requestRide(TIASSALE_CENTRE, north(TIASSALE_CENTRE, 1100));
    const offer = (await openOfferOf(db, 'ride_id', id))!;
    expect((await call(K1, 'courier', 'POST', `/offers/${offer.id}/accept`)).status).toBe(200);
    await moveTo(north(TIASSALE_CENTRE, 100));
    await moveTo(north(TIASSALE_CENTRE, 40));
    expect(await traceOf('ride_id', id)).toHaveLength(2);
    // RLS: the rider (customer_a) sees none of it, an admin all of it.
    const rider = await clientFor('customer_a').from('job_positions').select('id').eq('ride_id', id);
    expect(rider.data).toEqual([]);
    const admin = await clientFor('admin').from('job_positions').select('lat').eq('ride_id', id);
    expect(admin.data).toHaveLength(2);
  });

  it('records nothing for a courier without a job, or offline', async () => {
    await db.query('delete from public.job_positions where courier_id = $1', [K1]);
    await placeCourier(db, K1, north(STORE_X, 500));
    await moveTo(north(STORE_X, 600));
    await db.query('update public.courier_presence set online = false, lat = 5.95 where courier_id = $1', [K1]);
    const { rows } = await db.query('select count(*)::int as n from public.job_positions where courier_id = $1', [K1]);
    expect(rows[0].n).toBe(0);
  });
});
