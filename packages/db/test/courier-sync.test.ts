// Steps a courier took offline, sent later through `POST /courier/sync` on the real stack (gateway → Deno →
// private.apply_courier_action → move_order / move_ride): applied once per action id in the phone's order, with the
// phone's time and position kept on the event rows; refused one by one with a reason the courier can read (the
// order was cancelled or given to someone else meanwhile, a wrong code, a phone clock in the future); a replay or a
// concurrent copy of the same batch answers the same and writes nothing more.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE } from './actors.ts';
import {
  acceptedOrder,
  type Body,
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

const K1 = courierId(31);
const K2 = courierId(32);

let db: pg.Pool;
const pool = withCouriers([
  { id: K1, vehicle: 'moto' },
  { id: K2, vehicle: 'moto' },
]);
beforeAll(() => {
  db = pool();
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const HANDOVER = { lat: 5.8995, lng: -4.8231 };

const orderStep = (orderId: string, to: string, extra: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  job: 'order',
  job_id: orderId,
  to,
  occurred_at: minutesAgo(10),
  ...HANDOVER,
  ...extra,
});
const sync = (actions: unknown[], who: string = K1, headers: Record<string, string> = {}) =>
  call(who, 'courier', 'POST', '/sync', { actions }, headers);

/** An order K1 holds, ready at the store (code 4321, cash 1 000 for 800). */
async function readyFor(courier: string): Promise<string> {
  await placeCourier(db, courier, north(STORE_X, 100));
  const id = await acceptedOrder(db);
  await takeOrder(db, id, courier);
  await db.query(`select private.transition_order($1, 'preparing', $2, 'merchant')`, [id, PEOPLE.merchant_x.id]);
  await db.query(`select private.transition_order($1, 'ready', $2, 'merchant')`, [id, PEOPLE.merchant_x.id]);
  return id;
}

const orderOf = async (id: string) =>
  (await db.query('select status::text, courier_id, cash_collected_at from public.orders where id = $1', [id])).rows[0];
const eventsOf = async (id: string) =>
  (
    await db.query(
      `select to_status::text, kind::text, reported_at, reported_lat, reported_lng, created_at
         from public.order_events where order_id = $1 and actor_role = 'courier' order by id`,
      [id],
    )
  ).rows;

describe('offline steps of a delivery', () => {
  it('applies picked up, delivered and cash collected in order, with the phone’s time and place as evidence', async () => {
    const id = await readyFor(K1);
    const steps = [
      orderStep(id, 'picked_up', { occurred_at: minutesAgo(25), lat: 5.899, lng: -4.822 }),
      orderStep(id, 'delivered', { code: '4321', occurred_at: minutesAgo(12) }),
      orderStep(id, 'cash_collected', { occurred_at: minutesAgo(11) }),
    ];
    const r = await sync(steps);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.results.map((x: Body) => [x.id, x.ok, x.status_after, x.replayed])).toEqual([
      [steps[0]!.id, true, 'picked_up', false],
      [steps[1]!.id, true, 'delivered', false],
      [steps[2]!.id, true, 'delivered', false],
    ]);
    const order = await orderOf(id);
    expect(order.status).toBe('delivered');
    expect(order.cash_collected_at).not.toBeNull();
    const events = await eventsOf(id);
    const picked = events.find((e) => e.to_status === 'picked_up')!;
    expect(picked.reported_at.toISOString()).toBe(steps[0]!.occurred_at);
    expect([picked.reported_lat, picked.reported_lng]).toEqual([5.899, -4.822]);
    expect(picked.created_at.getTime()).toBeGreaterThan(picked.reported_at.getTime());
    const delivered = events.find((e) => e.to_status === 'delivered')!;
    expect(delivered.reported_at.toISOString()).toBe(steps[1]!.occurred_at);
  });

  it('answers a replay, and two copies sent at once, with the same outcome and writes nothing more', async () => {
    const id = await readyFor(K1);
    const steps = [orderStep(id, 'picked_up'), orderStep(id, 'delivered', { code: '4321' })];
    const [a, b] = await Promise.all([sync(steps), sync(steps)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const strip = (x: Body) => ({ ...x, replayed: undefined });
    expect(a.body.results.map(strip)).toEqual(b.body.results.map(strip));
    expect([...a.body.results, ...b.body.results].filter((x: Body) => !x.replayed)).toHaveLength(2);
    const again = await sync(steps);
    expect(again.body.results.map((x: Body) => [x.ok, x.replayed])).toEqual([
      [true, true],
      [true, true],
    ]);
    expect((await eventsOf(id)).map((e) => e.to_status)).toEqual(['picked_up', 'delivered']);
  });

  it('refuses a step on an order cancelled meanwhile, says so, and keeps the cancellation', async () => {
    const id = await readyFor(K1);
    await call('admin', 'orders', 'POST', `/${id}/transition`, { to: 'cancelled', reason: 'Client injoignable' });
    const r = await sync([orderStep(id, 'picked_up')]);
    expect(r.body.results[0]).toMatchObject({
      ok: false,
      status: 409,
      code: 'job_cancelled',
      detail: { status: 'cancelled' },
      message: 'Annulée entre-temps : cette étape n’a pas été enregistrée. Ne remettez rien et contactez le support.',
    });
    expect((await orderOf(id)).status).toBe('cancelled');
    expect(await eventsOf(id)).toEqual([]);
  });

  it('refuses a step on an order given to another courier meanwhile', async () => {
    const id = await readyFor(K1);
    await placeCourier(db, K2, north(STORE_X, 200));
    const moved = await call('admin', 'orders', 'POST', `/${id}/reassign`, { reason: 'Moto en panne', courier_id: K2 });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const r = await sync([orderStep(id, 'picked_up')], K1, { 'accept-language': 'en' });
    expect(r.body.results[0]).toMatchObject({
      ok: false,
      code: 'job_reassigned',
      message: 'This job was given to another courier meanwhile: this step was not recorded.',
    });
    expect((await orderOf(id)).courier_id).toBe(K2);
  });

  it('counts a wrong code typed offline like one typed online, with the phone’s time on the evidence', async () => {
    const id = await readyFor(K1);
    const steps = [orderStep(id, 'picked_up'), orderStep(id, 'delivered', { code: '0000' })];
    const r = await sync(steps);
    expect(r.body.results[1]).toMatchObject({
      ok: false,
      status: 422,
      code: 'wrong_delivery_code',
      detail: { attempts_left: 4 },
      message: 'Code de livraison incorrect. Encore 4 essais avant le blocage.',
    });
    expect((await orderOf(id)).status).toBe('picked_up');
    const wrong = (await eventsOf(id)).find((e) => e.kind === 'wrong_code')!;
    expect(wrong.reported_at.toISOString()).toBe(steps[1]!.occurred_at);
    // Back online, the right code: that step carries no phone time (the offline settings lived for one step).
    const online = await call(K1, 'orders', 'POST', `/${id}/transition`, { to: 'delivered', code: '4321' });
    expect(online.status).toBe(200);
    const delivered = (await eventsOf(id)).find((e) => e.to_status === 'delivered' && e.kind !== 'wrong_code')!;
    expect(delivered.reported_at).toBeNull();
  });

  it('refuses a phone clock in the future, another courier’s order, and a customer, changing nothing', async () => {
    const id = await readyFor(K1);
    const future = await sync([
      orderStep(id, 'picked_up', { occurred_at: new Date(Date.now() + 3600_000).toISOString() }),
    ]);
    expect(future.body.results[0]).toMatchObject({
      ok: false,
      code: 'device_time_invalid',
      message: 'L’heure de votre téléphone est fausse : réglez la date et l’heure, puis réessayez.',
    });
    const stranger = await sync([orderStep(id, 'picked_up')], K2);
    expect(stranger.body.results[0]).toMatchObject({ ok: false, status: 404, code: 'order_not_found' });
    const customer = await sync([orderStep(id, 'picked_up')], 'customer_a');
    expect([customer.status, customer.body.error.code]).toEqual([403, 'not_a_courier']);
    expect((await orderOf(id)).status).toBe('ready');
    expect(await eventsOf(id)).toEqual([]);
    // Someone else's action id is not theirs to read back.
    const step = orderStep(id, 'picked_up');
    expect((await sync([step], K2)).body.results[0].code).toBe('order_not_found');
    const reused = await sync([step], K1);
    expect(reused.body.results[0]).toMatchObject({ ok: false, status: 409, code: 'action_id_reused' });
    expect((await orderOf(id)).status).toBe('ready');
  });
});

describe('offline steps of a ride', () => {
  it('applies arrived, started with the PIN and completed; refuses a ride the rider cancelled meanwhile', async () => {
    await placeCourier(db, K1, north(TIASSALE_CENTRE, 150));
    await db.query('update public.courier_presence set online = false where courier_id = $1', [K2]);
    const { id, pin } = await requestRide(TIASSALE_CENTRE, north(TIASSALE_CENTRE, 1100));
    const offer = (await openOfferOf(db, 'ride_id', id))!;
    expect(offer.courier_id).toBe(K1);
    expect((await call(K1, 'courier', 'POST', `/offers/${offer.id}/accept`)).status).toBe(200);
    const step = (to: string, extra: Record<string, unknown> = {}) => ({
      id: randomUUID(),
      job: 'ride',
      job_id: id,
      to,
      occurred_at: minutesAgo(5),
      ...extra,
    });
    const r = await sync([step('arrived'), step('in_progress', { pin }), step('completed')]);
    expect(r.body.results.map((x: Body) => [x.ok, x.status_after])).toEqual([
      [true, 'arrived'],
      [true, 'in_progress'],
      [true, 'completed'],
    ]);
    const { rows } = await db.query(
      `select to_status::text, reported_at from public.ride_events where ride_id = $1 and actor_role = 'courier'
        order by id`,
      [id],
    );
    expect(rows.filter((e) => e.reported_at !== null).map((e) => e.to_status)).toEqual([
      'arrived',
      'in_progress',
      'completed',
    ]);

    const other = await requestRide(TIASSALE_CENTRE, north(TIASSALE_CENTRE, 900));
    const offer2 = (await openOfferOf(db, 'ride_id', other.id))!;
    expect((await call(K1, 'courier', 'POST', `/offers/${offer2.id}/accept`)).status).toBe(200);
    expect((await call('customer_a', 'rides', 'POST', `/${other.id}/transition`, { to: 'cancelled' })).status).toBe(
      200,
    );
    const late = await sync([{ ...step('arrived'), job_id: other.id }]);
    expect(late.body.results[0]).toMatchObject({ ok: false, code: 'job_cancelled' });
  });
});
