// What reaches people while a job moves, through the real stack: a job offer is a notification of kind offer queued as
// a push to the courier's device (drained by `notify`); the customer is told once, by push and SMS, when the courier
// comes within 300 m of the dropoff with their order or of the pickup for a ride; the driver's position goes out on
// ride:<id> as the courier's does on order:<id> (private.update_presence through POST /courier/presence).
import type pg from 'pg';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PEOPLE } from './actors.ts';
import {
  acceptedOrder,
  call,
  courierId,
  HOME_A,
  north,
  noticesAbout,
  openOfferOf,
  placeCourier,
  requestRide,
  STORE_X,
  takeOrder,
  withCouriers,
} from './couriers-kit.ts';
import { ID, TIASSALE_CENTRE } from './fixtures.ts';

const K1 = courierId(21);
const DEVICE_K1 = 'eb000000-0000-4000-8000-000000000001';
const A = PEOPLE.customer_a.id;

let db: pg.Pool;

const presence = (at: { lat: number; lng: number }) =>
  call(K1, 'courier', 'POST', '/presence', { online: true, ...at });
const deliveriesOf = async (notification: string) =>
  (
    await db.query<{ channel: string; device_id: string | null; status: string }>(
      `select channel::text, device_id, status::text from public.notification_deliveries
        where notification_id = $1 order by channel`,
      [notification],
    )
  ).rows;

const pool = withCouriers([{ id: K1, vehicle: 'moto' }]);
beforeAll(() => {
  db = pool();
});
beforeEach(async () => {
  await db.query('delete from public.notifications where user_id = $1', [K1]);
  await db.query(
    `insert into public.devices (id, user_id, platform, push_token, app, locale)
     values ($1, $2, 'android', 'test-token-courier-k1', 'courier', 'fr-CI') on conflict (id) do nothing`,
    [DEVICE_K1, K1],
  );
});

describe('offers', () => {
  it('pushes a job offer to the courier’s phone (a notification of kind offer), not by SMS', async () => {
    await placeCourier(db, K1, north(STORE_X, 100));
    const id = await acceptedOrder(db);
    await db.query('select private.dispatch_order($1)', [id]);
    const offer = (await openOfferOf(db, 'order_id', id))!;
    const { rows } = await db.query(
      `select id, user_id, title, body, data from public.notifications where kind = 'offer' and user_id = $1`,
      [K1],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      title: 'Nouvelle livraison',
      data: { offer_id: offer.id, job_kind: 'order', job_id: id, order_id: id },
    });
    expect(rows[0].body).toMatch(
      /^Store X : une livraison, 300 FCFA de frais de livraison\. Acceptez dans les (19|20) secondes\.$/,
    );
    expect(await deliveriesOf(rows[0].id)).toEqual([{ channel: 'push', device_id: DEVICE_K1, status: 'pending' }]);
  });

  it('pushes a ride offer with the pickup and the fare', async () => {
    await placeCourier(db, K1, north(TIASSALE_CENTRE, 100));
    const { id, body } = await requestRide(TIASSALE_CENTRE, north(TIASSALE_CENTRE, 1100));
    const { rows } = await db.query(
      `select title, body, data ->> 'ride_id' as ride_id from public.notifications where kind = 'offer' and user_id = $1`,
      [K1],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].ride_id).toBe(id);
    expect(rows[0].body).toContain(`Départ : Devant la pharmacie, ${String(body.ride.fare_quote_xof)} FCFA.`);
  });
});

describe('arriving', () => {
  it('tells the customer once, by push and SMS, when the courier is under 300 m with their order', async () => {
    await placeCourier(db, K1, north(STORE_X, 100));
    const id = await acceptedOrder(db);
    await takeOrder(db, id, K1);
    expect((await presence(north(HOME_A, 100))).status).toBe(200); // not picked up yet: no notice
    for (const s of ['preparing', 'ready']) {
      await db.query(`select private.transition_order($1, $2, $3, 'merchant')`, [id, s, PEOPLE.merchant_x.id]);
    }
    await db.query(`select private.transition_order($1, 'picked_up', $2, 'courier')`, [id, K1]);
    const arriving = async () => (await noticesAbout(db, 'order_id', id)).filter((n) => n.event === 'courier_arriving');

    expect((await presence(north(HOME_A, 600))).body.order_id).toBe(id);
    expect(await arriving()).toEqual([]);
    await presence(north(HOME_A, 250));
    await presence(north(HOME_A, 80));
    const notes = await arriving();
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      user_id: A,
      kind: 'order_update',
      title: 'Votre coursier arrive',
      body: `Votre coursier est à moins de 300 m avec la commande ${id.slice(0, 8).toUpperCase()}. Préparez votre code de livraison.`,
    });
    const { rows } = await db.query(
      `select id from public.notifications where data ->> 'order_id' = $1 and data ->> 'event' = 'courier_arriving'`,
      [id],
    );
    // Customer A has an Android device (fixtures) and a phone: a push and an SMS.
    expect(await deliveriesOf(rows[0].id)).toEqual([
      { channel: 'push', device_id: ID.deviceA, status: 'pending' },
      { channel: 'sms', device_id: null, status: 'pending' },
    ]);
    const told = await db.query('select courier_id, distance_m from private.arrival_notices where order_id = $1', [id]);
    expect(told.rows).toEqual([{ courier_id: K1, distance_m: expect.any(Number) }]);
    expect(told.rows[0].distance_m).toBeLessThan(300);
  });

  it('broadcasts the driver’s position on ride:<id> and tells the rider once when the driver nears the pickup', async () => {
    await placeCourier(db, K1, north(TIASSALE_CENTRE, 900));
    const { id } = await requestRide(TIASSALE_CENTRE, north(TIASSALE_CENTRE, 1100));
    const offer = (await openOfferOf(db, 'ride_id', id))!;
    expect((await call(K1, 'courier', 'POST', `/offers/${offer.id}/accept`)).status).toBe(200);

    const far = await presence(north(TIASSALE_CENTRE, 800));
    expect([far.body.ride_id, far.body.order_id]).toEqual([id, null]);
    const { rows } = await db.query(
      `select private, payload - 'at' - 'id' as payload from realtime.messages where topic = $1 and event = 'position'`,
      [`ride:${id}`],
    );
    expect(rows).toEqual([
      {
        private: true,
        payload: { courier_id: K1, ...north(TIASSALE_CENTRE, 800), heading: null, speed_mps: null },
      },
    ]);
    const arriving = async () => (await noticesAbout(db, 'ride_id', id)).filter((n) => n.event === 'driver_arriving');
    expect(await arriving()).toEqual([]);
    await presence(north(TIASSALE_CENTRE, 120));
    await presence(north(TIASSALE_CENTRE, 20));
    expect((await arriving()).map((n) => [n.user_id, n.title])).toEqual([[A, 'Votre chauffeur arrive']]);
  });
});
