// An admin reassigns the courier of an order and the driver of a ride, through the real stack (gateway → Deno →
// Postgres): POST /orders/:id/reassign and POST /rides/:id/reassign (private.reassign_order / reassign_ride). The
// released courier loses the job and is told, the named courier gets it at once (or dispatch offers it to someone
// else, never back to them), the event is written, the parties are told; the refusals (403 for non-admins, 404, 409
// for a job that cannot change hands or a courier who cannot take it, 400) change nothing.
import type pg from 'pg';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PEOPLE } from './actors.ts';
import {
  acceptedOrder,
  call,
  courierId,
  north,
  noticesAbout,
  openOfferOf,
  placeCourier,
  requestRide,
  STORE_X,
  takeOrder,
  withCouriers,
} from './couriers-kit.ts';
import { TIASSALE_CENTRE } from './fixtures.ts';

const K1 = courierId(1); // moto, nearest to store X and to the pickup
const K2 = courierId(2); // moto
const CAR = courierId(3);
const PICKUP = TIASSALE_CENTRE;
const DROPOFF = north(TIASSALE_CENTRE, 1100);
const ADMIN = PEOPLE.admin.id;
const A = PEOPLE.customer_a.id;

let db: pg.Pool;

const reassign = (who: string, kind: 'orders' | 'rides', id: string, body: unknown) =>
  call(who, kind, 'POST', `/${id}/reassign`, body);
const offers = async (column: 'order_id' | 'ride_id', id: string) =>
  (
    await db.query<{ courier_id: string; status: string }>(
      `select courier_id, status::text from public.offers where ${column} = $1 order by created_at, id`,
      [id],
    )
  ).rows.map((f) => [f.courier_id, f.status]);
const orderRow = async (id: string) =>
  (await db.query('select status::text, courier_id from public.orders where id = $1', [id])).rows[0];
const rideRow = async (id: string) =>
  (await db.query('select status::text, courier_id from public.rides where id = $1', [id])).rows[0];

const pool = withCouriers([
  { id: K1, vehicle: 'moto' },
  { id: K2, vehicle: 'moto' },
  { id: CAR, vehicle: 'car' },
]);
beforeAll(() => {
  db = pool();
});
beforeEach(async () => {
  await db.query('delete from public.courier_presence where courier_id = any($1::uuid[])', [[K1, K2, CAR]]);
});

describe('orders', () => {
  beforeEach(async () => {
    await placeCourier(db, K1, north(STORE_X, 200));
    await placeCourier(db, K2, north(STORE_X, 600));
  });

  it('hands the order to a named courier: the first is released and told, an event, everybody told', async () => {
    const id = await acceptedOrder(db);
    await takeOrder(db, id, K1);
    const r = await reassign('admin', 'orders', id, { courier_id: K2, reason: 'Moto en panne' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      order: { id, status: 'accepted', courier_id: K2 },
      previous_courier_id: K1,
      offer: { courier_id: K2, status: 'accepted' },
    });
    expect(await orderRow(id)).toEqual({ status: 'accepted', courier_id: K2 });
    expect(await offers('order_id', id)).toEqual([
      [K1, 'released'],
      [K2, 'accepted'],
    ]);
    const events = await db.query(
      `select from_status::text, to_status::text, actor_id, actor_role::text, reason, kind from public.order_events
        where order_id = $1 and kind <> 'status'`,
      [id],
    );
    expect(events.rows).toEqual([
      {
        from_status: 'accepted',
        to_status: 'accepted',
        actor_id: ADMIN,
        actor_role: 'admin',
        reason: 'Moto en panne',
        kind: 'courier_reassigned',
      },
    ]);
    const notes = (await noticesAbout(db, 'order_id', id)).filter((n) => n.event?.startsWith('courier_'));
    expect(notes.map((n) => [n.user_id, n.event]).sort()).toEqual(
      [
        [K1, 'courier_released'],
        [K2, 'courier_assigned'],
        [A, 'courier_reassigned'],
        [PEOPLE.merchant_x.id, 'courier_reassigned'],
        [PEOPLE.staff_x.id, 'courier_reassigned'],
      ].sort(),
    );
    expect(notes.find((n) => n.user_id === K1)!.body).toBe(
      `Ecom vous a retiré la commande ${id.slice(0, 8).toUpperCase()} (Moto en panne). Vous êtes libre pour une autre course.`,
    );
    // An assignment is not announced as an offer.
    const offerNotes = await db.query(`select 1 from public.notifications where user_id = $1 and kind = 'offer'`, [K2]);
    expect(offerNotes.rowCount).toBe(0);
    // The new courier can go on with the job; the released one cannot.
    expect((await call(K1, 'orders', 'POST', `/${id}/transition`, { to: 'picked_up' })).status).toBe(404);
  });

  it('sends the order back to dispatch without a name, and never offers it back to the released courier', async () => {
    const id = await acceptedOrder(db);
    await takeOrder(db, id, K1);
    const r = await reassign('admin', 'orders', id, { reason: 'Coursier injoignable' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.order.courier_id).toBeNull();
    expect(r.body.offer).toMatchObject({ courier_id: K2, status: 'offered' });
    // K2 declines: nobody else but K1 is around, and K1 was taken off this order.
    const declined = await call(K2, 'courier', 'POST', `/offers/${r.body.offer.id}/decline`);
    expect(declined.status).toBe(200);
    await db.query('select private.run_dispatch()');
    expect(await openOfferOf(db, 'order_id', id)).toBeUndefined();
    expect(await orderRow(id)).toEqual({ status: 'accepted', courier_id: null });
  });

  it('refuses non-admins (403), strangers (404), jobs past pickup or pickup orders (409), bad couriers', async () => {
    const id = await acceptedOrder(db);
    await takeOrder(db, id, K1);
    const before = await offers('order_id', id);
    const cases: Array<[string, unknown, number, Record<string, unknown>]> = [
      ['customer_a', { reason: 'x' }, 403, { code: 'admin_only' }],
      ['merchant_y', { reason: 'x' }, 404, { code: 'order_not_found' }],
      ['admin', { reason: 'x', courier_id: K1 }, 409, { code: 'courier_unavailable', reason: 'already_assigned' }],
      ['admin', { reason: 'x', courier_id: courierId(99) }, 404, { code: 'courier_not_found' }],
      ['admin', { courier_id: K2 }, 400, { code: 'validation_failed' }],
      ['admin', { reason: '   ' }, 400, { code: 'validation_failed' }],
    ];
    for (const [who, body, status, error] of cases) {
      const r = await reassign(who, 'orders', id, body);
      expect([r.status, r.body.error], `${who} ${JSON.stringify(body)}`).toEqual([
        status,
        expect.objectContaining(error),
      ]);
    }
    expect((await reassign('customer_a', 'orders', id, { reason: 'x' })).body.error.message).toBe(
      'Seul un administrateur peut faire cela.',
    );
    await db.query('update public.courier_presence set online = false where courier_id = $1', [K2]);
    let r = await reassign('admin', 'orders', id, { reason: 'x', courier_id: K2 });
    expect([r.status, r.body.error.reason, r.body.error.message]).toEqual([
      409,
      'offline',
      "Ce coursier n'est pas en ligne.",
    ]);
    // Busy: K2 holds another order (K1 is busy with this one, so dispatch offers that one to K2).
    await placeCourier(db, K2, north(STORE_X, 600));
    await takeOrder(db, await acceptedOrder(db), K2);
    r = await reassign('admin', 'orders', id, { reason: 'x', courier_id: K2 });
    expect([r.status, r.body.error.reason]).toEqual([409, 'busy']);
    expect(await offers('order_id', id)).toEqual(before);
    expect(await orderRow(id)).toEqual({ status: 'accepted', courier_id: K1 });

    await db.query(`select private.transition_order($1, 'preparing', $2, 'merchant')`, [id, PEOPLE.merchant_x.id]);
    await db.query(`select private.transition_order($1, 'ready', $2, 'merchant')`, [id, PEOPLE.merchant_x.id]);
    await db.query(`select private.transition_order($1, 'picked_up', $2, 'courier')`, [id, K1]);
    r = await reassign('admin', 'orders', id, { reason: 'x' });
    expect([r.status, r.body.error.code, r.body.error.status, r.body.error.message]).toEqual([
      409,
      'cannot_reassign',
      'picked_up',
      'Impossible de changer de coursier : la commande est récupérée par le coursier.',
    ]);
    const pickup = await acceptedOrder(db, 'pickup');
    expect((await reassign('admin', 'orders', pickup, { reason: 'x' })).body.error.code).toBe('cannot_reassign');
    const events = await db.query(
      `select 1 from public.order_events where kind = 'courier_reassigned' and order_id = $1`,
      [id],
    );
    expect(events.rowCount).toBe(0);
  });
});

describe('rides', () => {
  beforeEach(async () => {
    await placeCourier(db, CAR, north(PICKUP, 50));
    await placeCourier(db, K1, north(PICKUP, 200));
    await placeCourier(db, K2, north(PICKUP, 600));
  });

  async function acceptedRide(): Promise<string> {
    const { id } = await requestRide(PICKUP, DROPOFF);
    const offer = (await openOfferOf(db, 'ride_id', id))!;
    expect(offer.courier_id).toBe(K1);
    expect((await call(K1, 'courier', 'POST', `/offers/${offer.id}/accept`)).status).toBe(200);
    return id;
  }

  it('hands an accepted ride to a named driver: back to requested, then accepted by them; rider and drivers told', async () => {
    const id = await acceptedRide();
    await call(K1, 'rides', 'POST', `/${id}/transition`, { to: 'arrived' });
    const r = await reassign('admin', 'rides', id, { courier_id: K2, reason: 'Chauffeur malade' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ ride: { status: 'accepted', courier_id: K2 }, previous_courier_id: K1 });
    expect(await offers('ride_id', id)).toEqual([
      [K1, 'released'],
      [K2, 'accepted'],
    ]);
    const events = await db.query(
      `select coalesce(from_status::text, '∅') || '→' || to_status || ' ' || actor_role || coalesce(' ' || reason, '') as e
         from public.ride_events where ride_id = $1 order by id`,
      [id],
    );
    expect(events.rows.map((e) => e.e)).toEqual([
      '∅→requested customer',
      'requested→accepted courier',
      'accepted→arrived courier',
      'arrived→requested admin Chauffeur malade',
      'requested→accepted courier',
    ]);
    const notes = (await noticesAbout(db, 'ride_id', id)).filter((n) => n.event?.startsWith('driver_'));
    expect(notes.map((n) => [n.user_id, n.event]).sort()).toEqual(
      [
        [K1, 'driver_released'],
        [K2, 'driver_assigned'],
        [A, 'driver_reassigned'],
      ].sort(),
    );
    expect((await call(K2, 'rides', 'POST', `/${id}/transition`, { to: 'arrived' })).status).toBe(200);
  });

  it('re-dispatches without a name; the 5-minute expiry counts from the reassignment', async () => {
    const id = await acceptedRide();
    const r = await reassign('admin', 'rides', id, { reason: 'Trop loin' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.ride).toMatchObject({ status: 'requested', courier_id: null, accepted_at: null });
    expect(r.body.offer).toMatchObject({ courier_id: K2, status: 'offered' });
    expect(await rideRow(id)).toEqual({ status: 'requested', courier_id: null });
  });

  it('counts the expiry of a ride sent back to requested from then, not from its request', async () => {
    const old = await acceptedRide();
    const other = (await requestRide(PICKUP, north(DROPOFF, 200))).id; // offered to K2
    const c = await db.connect();
    try {
      // Both rides were requested 20 minutes ago; an admin reassigns the first one now (same transaction, so the
      // dispatch clock cannot expire it in between).
      await c.query('begin');
      await c.query('alter table public.rides disable trigger rides_guard');
      await c.query(`update public.rides set requested_at = now() - interval '20 minutes' where id = any($1::uuid[])`, [
        [old, other],
      ]);
      await c.query('alter table public.rides enable trigger rides_guard');
      await c.query(
        `update public.ride_events set created_at = now() - interval '20 minutes' where ride_id = any($1::uuid[])`,
        [[old, other]],
      );
      await c.query('set local role service_role');
      await c.query(`select private.reassign_ride($1, $2, null, 'Trop loin')`, [old, ADMIN]);
      await c.query('commit');
    } catch (e) {
      await c.query('rollback');
      throw e;
    } finally {
      c.release();
    }
    await db.query('select private.run_dispatch()');
    expect((await rideRow(old)).status).toBe('requested');
    expect((await rideRow(other)).status).toBe('expired');
  });

  it('refuses a driver with another vehicle, a ride in progress, and non-admins', async () => {
    const id = await acceptedRide();
    let r = await reassign('admin', 'rides', id, { courier_id: CAR, reason: 'x' });
    expect([r.status, r.body.error.code, r.body.error.reason]).toEqual([409, 'courier_unavailable', 'wrong_vehicle']);
    r = await reassign('customer_a', 'rides', id, { reason: 'x' });
    expect([r.status, r.body.error.code, r.body.error.message]).toEqual([
      403,
      'admin_only',
      'Seul un administrateur peut changer le chauffeur d’une course.',
    ]);
    expect((await reassign('customer_b', 'rides', id, { reason: 'x' })).status).toBe(404);
    const pin = (await db.query('select pin from public.ride_start_pins where ride_id = $1', [id])).rows[0].pin;
    await call(K1, 'rides', 'POST', `/${id}/transition`, { to: 'arrived' });
    await call(K1, 'rides', 'POST', `/${id}/transition`, { to: 'in_progress', pin });
    r = await reassign('admin', 'rides', id, { reason: 'x' });
    expect([r.status, r.body.error.code, r.body.error.status]).toEqual([409, 'cannot_reassign', 'in_progress']);
    expect(await rideRow(id)).toEqual({ status: 'in_progress', courier_id: K1 });
  });
});
