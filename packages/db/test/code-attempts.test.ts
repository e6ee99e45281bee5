// Wrong delivery codes and ride PINs are counted, through the real stack (private.check_job_code via the orders and
// rides functions): each wrong try is a committed event of kind wrong_code (evidence for disputes) and a 422 saying
// how many tries are left; the 5th in a row locks the step for 10 minutes (429 code_locked with Retry-After), when
// even the right code is refused and nothing is written; the right code clears the count.
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE } from './actors.ts';
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

const K1 = courierId(11);

let db: pg.Pool;

const attemptsOf = async (column: 'order_id' | 'ride_id', id: string) =>
  (await db.query(`select failures, locked_until from private.code_attempts where ${column} = $1`, [id])).rows[0];
const unlock = (column: 'order_id' | 'ride_id', id: string) =>
  db.query(`update private.code_attempts set locked_until = now() - interval '1 second' where ${column} = $1`, [id]);

const pool = withCouriers([{ id: K1, vehicle: 'moto' }]);
beforeAll(() => {
  db = pool();
});

describe('delivery code', () => {
  /** An order picked up by K1 (its code is 4321). */
  async function pickedUp(): Promise<string> {
    await placeCourier(db, K1, north(STORE_X, 100));
    const id = await acceptedOrder(db);
    await takeOrder(db, id, K1);
    await db.query(`select private.transition_order($1, 'preparing', $2, 'merchant')`, [id, PEOPLE.merchant_x.id]);
    await db.query(`select private.transition_order($1, 'ready', $2, 'merchant')`, [id, PEOPLE.merchant_x.id]);
    await db.query(`select private.transition_order($1, 'picked_up', $2, 'courier')`, [id, K1]);
    return id;
  }
  const deliver = (id: string, code: string) =>
    call(K1, 'orders', 'POST', `/${id}/transition`, { to: 'delivered', code });

  it('records and counts each wrong code, locks at the 5th, refuses even the right code while locked', async () => {
    const id = await pickedUp();
    for (let left = 4; left >= 2; left -= 1) {
      const r = await deliver(id, `000${left}`);
      expect(r).toMatchObject({
        status: 422,
        body: { error: { code: 'wrong_delivery_code', attempts_left: left } },
      });
    }
    expect((await deliver(id, '0001')).body.error.message).toBe(
      'Code de livraison incorrect. Encore 1 essai avant le blocage.',
    );
    const locked = await deliver(id, '0000');
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('600');
    expect(locked.body.error).toMatchObject({ code: 'code_locked', retry_after_s: 600 });
    expect(locked.body.error.message).toBe(
      'Trop de codes incorrects : la remise de cette commande est bloquée. Réessayez dans 10 min avec le code du client.',
    );
    // Locked: the right code is refused too, and nothing more is written.
    const right = await deliver(id, '4321');
    expect([right.status, right.body.error.code]).toEqual([429, 'code_locked']);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(590);

    const { rows } = await db.query(
      `select from_status::text, to_status::text, actor_id, actor_role::text, reason from public.order_events
        where order_id = $1 and kind = 'wrong_code' order by id`,
      [id],
    );
    expect(rows.map((e) => e.reason)).toEqual([
      'wrong delivery code 0004 (try 1 of 5)',
      'wrong delivery code 0003 (try 2 of 5)',
      'wrong delivery code 0002 (try 3 of 5)',
      'wrong delivery code 0001 (try 4 of 5)',
      'wrong delivery code 0000 (try 5 of 5)',
    ]);
    expect(rows[0]).toMatchObject({
      from_status: 'picked_up',
      to_status: 'picked_up',
      actor_id: K1,
      actor_role: 'courier',
    });
    expect((await db.query('select status::text from public.orders where id = $1', [id])).rows[0].status).toBe(
      'picked_up',
    );
    // The customer sees the tries in the order's events.
    const mine = await call('customer_a', 'orders', 'GET', `/${id}`);
    expect(mine.body.order.events.filter((e: { kind: string }) => e.kind === 'wrong_code')).toHaveLength(5);

    // Once the lock is over the count starts again, and the right code delivers and clears it.
    await unlock('order_id', id);
    expect((await deliver(id, '9999')).body.error.attempts_left).toBe(4);
    const done = await deliver(id, '4321');
    expect([done.status, done.body.order?.status]).toEqual([200, 'delivered']);
    expect(await attemptsOf('order_id', id)).toBeUndefined();
  });

  it('counts a store handing over a pickup order the same way', async () => {
    const id = await acceptedOrder(db, 'pickup');
    await db.query(`select private.transition_order($1, 'preparing', $2, 'merchant')`, [id, PEOPLE.merchant_x.id]);
    await db.query(`select private.transition_order($1, 'ready', $2, 'merchant')`, [id, PEOPLE.merchant_x.id]);
    const r = await call('merchant_x', 'orders', 'POST', `/${id}/transition`, { to: 'delivered', code: '1111' });
    expect([r.status, r.body.error.attempts_left]).toEqual([422, 4]);
    expect(await attemptsOf('order_id', id)).toMatchObject({ failures: 1, locked_until: null });
    const ok = await call('merchant_x', 'orders', 'POST', `/${id}/transition`, { to: 'delivered', code: '4321' });
    expect(ok.status).toBe(200);
  });
});

describe('start PIN', () => {
  it('records wrong PINs as ride events, locks at the 5th, and the right PIN starts the ride afterwards', async () => {
    await placeCourier(db, K1, north(TIASSALE_CENTRE, 100));
    const { id, pin } = await requestRide(TIASSALE_CENTRE, north(TIASSALE_CENTRE, 1100));
    const offer = (await openOfferOf(db, 'ride_id', id))!;
    expect((await call(K1, 'courier', 'POST', `/offers/${offer.id}/accept`)).status).toBe(200);
    expect((await call(K1, 'rides', 'POST', `/${id}/transition`, { to: 'arrived' })).status).toBe(200);
    const wrong = pin === '0000' ? '1111' : '0000';
    const start = (p: string) => call(K1, 'rides', 'POST', `/${id}/transition`, { to: 'in_progress', pin: p });
    for (let left = 4; left >= 1; left -= 1) {
      expect((await start(wrong)).body.error).toMatchObject({ code: 'wrong_start_pin', attempts_left: left });
    }
    const locked = await start(wrong);
    expect([locked.status, locked.body.error.code]).toEqual([429, 'code_locked']);
    expect((await start(pin)).status).toBe(429);
    const events = await db.query(
      `select count(*)::int as n from public.ride_events where ride_id = $1 and kind = 'wrong_code'
          and from_status = 'arrived' and to_status = 'arrived' and actor_id = $2`,
      [id, K1],
    );
    expect(events.rows[0].n).toBe(5);
    expect((await db.query('select status::text from public.rides where id = $1', [id])).rows[0].status).toBe(
      'arrived',
    );
    await unlock('ride_id', id);
    const started = await start(pin);
    expect([started.status, started.body.ride?.status]).toEqual([200, 'in_progress']);
    expect(await attemptsOf('ride_id', id)).toBeUndefined();
  });
});
