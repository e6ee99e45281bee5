// Orders: bad input refused by the database with a clear message; the state machine enforced by the trigger and
// private.transition_order (legal path, illegal moves with their exact message, wrong actors, the delivery code);
// the columns clients can never write; offers (one accepted courier per job) and rides (fare locked, start PIN);
// ratings and disputes.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PEOPLE, clientFor, ensurePeople, superuser } from './actors.ts';
import { CODES, ID, resetFixtures } from './fixtures.ts';
import { asService, serviceClient } from './service.ts';

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

const { customer_a, customer_b, merchant_x, merchant_y, courier_on_job, courier_not_on_job, admin } = PEOPLE;

const order = (patch: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  customer_id: customer_a.id,
  customer_first_name: 'Awa',
  store_id: ID.storeX,
  subtotal_xof: 1000,
  delivery_fee_xof: 300,
  discount_xof: 0,
  total_xof: 1300,
  payment_method: 'cash',
  idempotency_key: randomUUID(),
  ...patch,
});

async function count(table: string): Promise<number> {
  return (await db.query<{ n: number }>(`select count(*)::int as n from public.${table}`)).rows[0]!.n;
}

/** Inserts as the service role through the Data API, expects the refusal, checks nothing was written. */
async function refused(
  table: 'orders' | 'order_items' | 'order_contacts' | 'rides',
  row: object,
  code: string,
  message: string,
) {
  const before = await count(table);
  const r = await serviceClient()
    .from(table)
    .insert(row as never);
  expect(r.error?.code).toBe(code);
  expect(r.error?.message).toBe(message);
  expect(await count(table)).toBe(before);
}

const transition = (id: string, to: string, actor: string | null, role: string, reason?: string, code?: string) =>
  asService<{ status: string }>(db, 'select (private.transition_order($1, $2, $3, $4, $5, $6)).status', [
    id,
    to,
    actor,
    role,
    reason ?? null,
    code ?? null,
  ]);

const rideTransition = (id: string, to: string, actor: string | null, role: string, reason?: string, pin?: string) =>
  asService<{ status: string }>(db, 'select (private.transition_ride($1, $2, $3, $4, $5, $6)).status', [
    id,
    to,
    actor,
    role,
    reason ?? null,
    pin ?? null,
  ]);

const statusOf = async (id: string) =>
  (await db.query<{ status: string }>('select status from public.orders where id = $1', [id])).rows[0]!.status;

describe('order input', () => {
  it('refuses a negative delivery fee', () =>
    refused(
      'orders',
      order({ delivery_fee_xof: -300, total_xof: 700 }),
      '23514',
      'delivery_fee_xof must be a whole number of FCFA of at least 0, got -300',
    ));

  it('refuses a fractional amount', () =>
    refused('orders', order({ subtotal_xof: 999.5 }), '22P02', 'invalid input syntax for type integer: "999.5"'));

  it('refuses a total that is not subtotal + fee - discount', () =>
    refused(
      'orders',
      order({ discount_xof: 100, total_xof: 1300 }),
      '23514',
      'total_xof must equal subtotal_xof + delivery_fee_xof - discount_xof (1000 + 300 - 100 = 1200), got 1300',
    ));

  it('refuses cash tendered below the total, and cash tendered for another payment method', async () => {
    await refused(
      'orders',
      order({ cash_tendered_xof: 1000 }),
      '23514',
      'cash tendered (1000 FCFA) must cover the total (1300 FCFA)',
    );
    await refused(
      'orders',
      order({ payment_method: 'wallet', cash_tendered_xof: 2000 }),
      '23514',
      'cash_tendered_xof is only for cash payments, not wallet',
    );
  });

  it('refuses an unknown zone and a new order that is not pending', async () => {
    const zone = randomUUID();
    await refused('orders', order({ zone_id: zone }), '23503', `unknown zone ${zone}`);
    await refused('orders', order({ status: 'delivered' }), '23514', 'a new order starts pending, got delivered');
  });

  it('refuses the same idempotency key twice for one customer', async () => {
    const key = randomUUID();
    expect(
      (
        await serviceClient()
          .from('orders')
          .insert(order({ idempotency_key: key }) as never)
      ).error,
    ).toBeNull();
    await refused(
      'orders',
      order({ idempotency_key: key }),
      '23505',
      'duplicate key value violates unique constraint "orders_idempotency_key_per_customer"',
    );
  });

  it('refuses a quantity of 0 or 51 and computes line totals', async () => {
    const line = (quantity: number) => ({
      order_id: ID.orderO2,
      name: 'Garba',
      unit_price_xof: 500,
      options_price_xof: 100,
      quantity,
    });
    await refused('order_items', line(0), '23514', 'quantity must be a whole number from 1 to 50, got 0');
    await refused('order_items', line(51), '23514', 'quantity must be a whole number from 1 to 50, got 51');
    const ok = await serviceClient().from('order_items').insert(line(3)).select('line_total_xof').single();
    expect(ok.data).toEqual({ line_total_xof: 1800 });
  });

  it('refuses an address snapshot with coordinates out of range or without a landmark', async () => {
    const contact = (address: object) => ({ order_id: ID.orderO2, customer_phone: '+2250100000202', address });
    await db.query('delete from public.order_contacts where order_id = $1', [ID.orderO2]);
    await refused(
      'order_contacts',
      contact({ lat: 95, lng: -4.8, landmark: 'Marché' }),
      '23514',
      'latitude must be between -90 and 90 degrees, got 95',
    );
    await refused(
      'order_contacts',
      contact({ lat: 5.9, lng: -4.8 }),
      '23514',
      'an address snapshot needs lat and lng (numbers) and landmark (text)',
    );
  });
});

describe('order state machine', () => {
  it('walks a delivery from pending to delivered, one event per step with actor and role', async () => {
    const id = ID.orderO2;
    for (const [to, actor, role] of [
      ['accepted', merchant_y.id, 'merchant'],
      ['preparing', merchant_y.id, 'merchant'],
      ['ready', merchant_y.id, 'merchant'],
    ] as const) {
      expect((await transition(id, to, actor, role)).rows).toEqual([{ status: to }]);
    }
    await db.query('update public.orders set courier_id = $1 where id = $2', [courier_not_on_job.id, id]);
    expect((await transition(id, 'picked_up', courier_not_on_job.id, 'courier')).error).toBeNull();
    const wrong = await transition(id, 'delivered', courier_not_on_job.id, 'courier', undefined, '0000');
    expect(wrong.error).toEqual({ code: '23514', message: 'wrong delivery code' });
    expect((await transition(id, 'delivered', courier_not_on_job.id, 'courier', undefined, CODES.O2)).error).toBeNull();
    const events = await db.query(
      'select from_status, to_status, actor_id, actor_role from public.order_events where order_id = $1 order by id',
      [id],
    );
    expect(events.rows.map((e) => `${e.from_status ?? '∅'}→${e.to_status} ${e.actor_role}`)).toEqual([
      '∅→pending customer',
      'pending→accepted merchant',
      'accepted→preparing merchant',
      'preparing→ready merchant',
      'ready→picked_up courier',
      'picked_up→delivered courier',
    ]);
    expect(events.rows.at(-1).actor_id).toBe(courier_not_on_job.id);
    const row = await db.query('select accepted_at, ready_at, delivered_at from public.orders where id = $1', [id]);
    expect(Object.values(row.rows[0]).every((v) => v instanceof Date)).toBe(true);
  });

  it('refuses illegal transitions with their exact message and changes nothing', async () => {
    expect((await transition(ID.orderO2, 'delivered', merchant_y.id, 'merchant')).error).toEqual({
      code: '55000',
      message: 'illegal transition from pending to delivered',
    });
    expect((await transition(ID.orderO3, 'pending', admin.id, 'admin')).error).toEqual({
      code: '55000',
      message: 'illegal transition from delivered to pending',
    });
    expect((await transition(ID.orderO3, 'cancelled', admin.id, 'admin', 'trop tard')).error).toEqual({
      code: '55000',
      message: 'illegal transition from delivered to cancelled',
    });
    // A legal move for another role.
    expect((await transition(ID.orderO1, 'cancelled', customer_a.id, 'customer', 'trop long')).error).toEqual({
      code: '55000',
      message: 'illegal transition from picked_up to cancelled for customer',
    });
    // A pickup order is never picked up by a courier; a delivery is never handed over by the store.
    expect((await transition(ID.orderO1, 'delivered', merchant_x.id, 'merchant', undefined, CODES.O1)).error).toEqual({
      code: '55000',
      message: 'illegal transition from picked_up to delivered for merchant',
    });
    expect(await statusOf(ID.orderO1)).toBe('picked_up');
    expect(await statusOf(ID.orderO2)).toBe('pending');
  });

  it('lets the customer cancel only while pending, with a reason; admins cancel until delivery', async () => {
    expect((await transition(ID.orderO2, 'cancelled', customer_b.id, 'customer')).error).toEqual({
      code: '23514',
      message: 'a reason is required to move an order to cancelled',
    });
    expect(
      (await transition(ID.orderO2, 'cancelled', customer_b.id, 'customer', 'Je me suis trompé')).error,
    ).toBeNull();
    const row = await db.query('select cancelled_by, cancellation_reason from public.orders where id = $1', [
      ID.orderO2,
    ]);
    expect(row.rows[0]).toEqual({ cancelled_by: 'customer', cancellation_reason: 'Je me suis trompé' });
    expect((await transition(ID.orderO1, 'cancelled', admin.id, 'admin', 'Client injoignable')).error).toBeNull();
  });

  it('lets the system cancel a pending order (merchant timeout) and nothing else', async () => {
    expect((await transition(ID.orderO2, 'cancelled', null, 'system')).error).toBeNull();
    expect((await transition(ID.orderO1, 'cancelled', null, 'system')).error?.message).toBe(
      'illegal transition from picked_up to cancelled for system',
    );
  });

  it('refuses actors who are not who their role says', async () => {
    expect((await transition(ID.orderO2, 'accepted', merchant_x.id, 'merchant')).error).toEqual({
      code: '42501',
      message: "only a member of this order's store can do this",
    });
    expect((await transition(ID.orderO2, 'cancelled', customer_a.id, 'customer', 'x')).error?.message).toBe(
      'only the customer of this order can do this',
    );
    expect(
      (await transition(ID.orderO1, 'delivered', courier_not_on_job.id, 'courier', undefined, CODES.O1)).error?.message,
    ).toBe('only the courier assigned to this order can do this');
    expect((await transition(ID.orderO2, 'cancelled', customer_a.id, 'admin', 'x')).error?.message).toBe(
      'only an admin can do this',
    );
  });

  it('is the service role’s only: clients cannot call it', async () => {
    const c = await db.connect();
    try {
      await c.query('begin');
      await c.query('set local role authenticated');
      await expect(
        c.query(`select private.transition_order($1, 'accepted', $2, 'merchant')`, [ID.orderO2, merchant_y.id]),
      ).rejects.toThrow('permission denied for function transition_order');
    } finally {
      await c.query('rollback');
      c.release();
    }
  });
});

describe('guarded order columns', () => {
  it('refuses clients writing status, totals or the courier (no grant), even the store and admins', async () => {
    for (const [actor, patch] of [
      ['merchant_y', { status: 'accepted' }],
      ['customer_b', { total_xof: 1 }],
      ['admin', { courier_id: courier_on_job.id }],
    ] as const) {
      const r = await clientFor(actor).from('orders').update(patch).eq('id', ID.orderO2);
      expect(r.error?.code).toBe('42501');
      expect(r.error?.message).toBe('permission denied for table orders');
    }
    expect(await statusOf(ID.orderO2)).toBe('pending');
  });

  it('refuses even the service role changing amounts, or the status outside the state machine', async () => {
    const total = await asService(
      db,
      'update public.orders set total_xof = 1, subtotal_xof = 1, delivery_fee_xof = 0 where id = $1',
      [ID.orderO2],
    );
    expect(total.error).toEqual({
      code: '42501',
      message: 'the customer, store, fulfilment and amounts of an order are fixed at placement',
    });
    const jump = await asService(db, `update public.orders set status = 'delivered' where id = $1`, [ID.orderO2]);
    expect(jump.error).toEqual({ code: '55000', message: 'illegal transition from pending to delivered' });
    const asSystem = await asService(db, `update public.orders set status = 'accepted' where id = $1`, [ID.orderO2]);
    expect(asSystem.error?.message).toBe('illegal transition from pending to accepted for system');
  });

  it('keeps the delivery code from the courier and the store, and gives it to the customer', async () => {
    for (const actor of ['courier_on_job', 'merchant_x'] as const) {
      const r = await clientFor(actor).from('order_delivery_codes').select('code').eq('order_id', ID.orderO1);
      expect(r.data).toEqual([]);
    }
    const mine = await clientFor('customer_a').from('order_delivery_codes').select('code').eq('order_id', ID.orderO1);
    expect(mine.data).toEqual([{ code: CODES.O1 }]);
  });

  it('shows the courier the address and phone of their delivery, and none of the customer’s other orders', async () => {
    const contact = await clientFor('courier_on_job').from('order_contacts').select('customer_phone, address');
    expect(contact.data).toHaveLength(1);
    expect(contact.data![0]!.customer_phone).toBe(customer_a.phone);
    const orders = await clientFor('courier_on_job').from('orders').select('id, customer_first_name');
    expect(orders.data).toEqual([{ id: ID.orderO1, customer_first_name: 'Awa' }]);
    const store = await clientFor('merchant_x').from('order_contacts').select('order_id');
    expect(store.data).toEqual([{ order_id: ID.orderO3 }]); // the pickup order only
  });
});

describe('offers', () => {
  it('refuses a second accepted offer for the same job', async () => {
    // O2: offered to both couriers; the first to accept gets it.
    const ins = await asService<{ id: string }>(
      db,
      `insert into public.offers (job_kind, order_id, courier_id) values ('order', $1, $2), ('order', $1, $3) returning id`,
      [ID.orderO2, courier_on_job.id, courier_not_on_job.id],
    );
    const [first, second] = ins.rows.map((r) => r.id);
    expect(
      (await asService(db, 'select private.respond_to_offer($1, $2, true)', [first, courier_on_job.id])).error,
    ).toBeNull();
    const again = await asService(db, 'select private.respond_to_offer($1, $2, true)', [second, courier_not_on_job.id]);
    expect(again.error).toEqual({
      code: '23505',
      message: 'duplicate key value violates unique constraint "offers_one_accepted_per_job"',
    });
    const o = await db.query('select courier_id from public.orders where id = $1', [ID.orderO2]);
    expect(o.rows[0].courier_id).toBe(courier_on_job.id);
  });

  it('refuses answering an expired or already answered offer, and someone else’s', async () => {
    const late = await db.query<{ id: string }>(
      `insert into public.offers (job_kind, order_id, courier_id, created_at, expires_at)
       values ('order', $1, $2, now() - interval '30 seconds', now() - interval '10 seconds') returning id`,
      [ID.orderO2, courier_not_on_job.id],
    );
    const lateId = late.rows[0]!.id;
    expect(
      (await asService(db, 'select private.respond_to_offer($1, $2, true)', [lateId, courier_not_on_job.id])).error,
    ).toEqual({
      code: '55000',
      message: 'this offer has expired',
    });
    expect(
      (await asService(db, 'select private.respond_to_offer($1, $2, false)', [ID.offerF2, courier_not_on_job.id])).error
        ?.message,
    ).toBe('this offer was already declined');
    expect(
      (await asService(db, 'select private.respond_to_offer($1, $2, true)', [ID.offerF1, courier_not_on_job.id])).error,
    ).toEqual({
      code: 'P0002',
      message: `offer ${ID.offerF1} not found`,
    });
  });

  it('refuses an offer that names two jobs or none', async () => {
    const r = await asService(
      db,
      `insert into public.offers (job_kind, order_id, ride_id, courier_id) values ('order', $1, $2, $3)`,
      [ID.orderO2, ID.rideR2, courier_on_job.id],
    );
    expect(r.error?.message).toBe('new row for relation "offers" violates check constraint "offers_one_job"');
  });
});

describe('rides', () => {
  const ride = (patch: Record<string, unknown> = {}) => ({
    rider_id: customer_b.id,
    vehicle_type: 'moto',
    pickup_lat: 5.9,
    pickup_lng: -4.82,
    pickup_landmark: 'Carrefour de la gare',
    dropoff_lat: 5.91,
    dropoff_lng: -4.83,
    dropoff_landmark: 'Marché central',
    distance_m: 2500,
    duration_s: 600,
    fare_quote_xof: 1,
    idempotency_key: randomUUID(),
    ...patch,
  });

  it('quotes the fare from the zone’s grid at request, whatever the caller sent', async () => {
    const r = await serviceClient()
      .from('rides')
      .insert(ride() as never)
      .select('fare_quote_xof, zone_id, status')
      .single();
    // moto in Tiassalé: 150 + 100 × 2.5 km + 10 × 10 min = 500 FCFA.
    expect(r.data).toEqual({
      fare_quote_xof: 500,
      zone_id: '5a1e0000-0000-4000-8000-000000000001',
      status: 'requested',
    });
    const short = await serviceClient()
      .from('rides')
      .insert(ride({ distance_m: 100, duration_s: 30 }) as never)
      .select('fare_quote_xof')
      .single();
    expect(short.data).toEqual({ fare_quote_xof: 200 }); // the minimum fare
  });

  it('refuses coordinates out of range and a pickup outside every zone', async () => {
    await refused('rides', ride({ pickup_lat: -91 }), '23514', 'latitude must be between -90 and 90 degrees, got -91');
    await refused(
      'rides',
      ride({ pickup_lat: 5.3364, pickup_lng: -4.0267 }),
      '23514',
      'this place (5.3364, -4.0267) is outside every zone we serve',
    );
  });

  it('starts only with the rider’s PIN, and refuses illegal moves', async () => {
    expect(
      (await rideTransition(ID.rideR1, 'in_progress', courier_on_job.id, 'courier', undefined, CODES.R1)).error,
    ).toEqual({
      code: '55000',
      message: 'illegal transition from accepted to in_progress',
    });
    expect((await rideTransition(ID.rideR1, 'arrived', courier_on_job.id, 'courier')).error).toBeNull();
    expect(
      (await rideTransition(ID.rideR1, 'in_progress', courier_on_job.id, 'courier', undefined, '0000')).error,
    ).toEqual({
      code: '23514',
      message: 'wrong start PIN',
    });
    expect(
      (await rideTransition(ID.rideR1, 'in_progress', courier_on_job.id, 'courier', undefined, CODES.R1)).rows,
    ).toEqual([{ status: 'in_progress' }]);
    expect((await rideTransition(ID.rideR1, 'cancelled', customer_a.id, 'customer', 'x')).error?.message).toBe(
      'illegal transition from in_progress to cancelled for customer',
    );
    expect((await rideTransition(ID.rideR3, 'requested', admin.id, 'admin')).error?.message).toBe(
      'illegal transition from completed to requested',
    );
  });

  it('lets only an approved driver of the right vehicle accept, and expires unanswered requests', async () => {
    expect((await rideTransition(ID.rideR2, 'accepted', courier_on_job.id, 'courier')).error?.message).toBe(
      'only an approved car driver can accept this ride',
    );
    expect((await rideTransition(ID.rideR2, 'expired', null, 'system')).rows).toEqual([{ status: 'expired' }]);
  });

  it('keeps the start PIN from the driver', async () => {
    const r = await clientFor('courier_on_job').from('ride_start_pins').select('pin');
    expect(r.data).toEqual([]);
    const mine = await clientFor('customer_a').from('ride_start_pins').select('pin').eq('ride_id', ID.rideR1);
    expect(mine.data).toEqual([{ pin: CODES.R1 }]);
  });
});

describe('ratings and disputes', () => {
  it('refuses rating before delivery, twice, or out of 1–5 stars', async () => {
    await db.query(`update public.orders set courier_id = null where id = $1`, [ID.orderO2]);
    const early = await clientFor('customer_b')
      .from('ratings')
      .insert({ order_id: ID.orderO2, target: 'store', stars: 5 });
    expect(early.error).toMatchObject({ code: '23514', message: 'an order can be rated once it is delivered' });
    const stars = await clientFor('customer_a')
      .from('ratings')
      .insert({ order_id: ID.orderO3, target: 'store', stars: 6 });
    expect(stars.error?.message).toBe('new row for relation "ratings" violates check constraint "ratings_stars_range"');
    const first = await clientFor('customer_a')
      .from('ratings')
      .insert({ order_id: ID.orderO3, target: 'store', stars: 4 })
      .select('store_id, courier_id')
      .single();
    expect(first.data).toEqual({ store_id: ID.storeX, courier_id: null });
    const twice = await clientFor('customer_a')
      .from('ratings')
      .insert({ order_id: ID.orderO3, target: 'store', stars: 1 });
    expect(twice.error?.message).toBe(
      'duplicate key value violates unique constraint "ratings_once_per_target_and_job"',
    );
    const noCourier = await clientFor('customer_a')
      .from('ratings')
      .insert({ order_id: ID.orderO3, target: 'courier', stars: 5 });
    expect(noCourier.error?.message).toBe('this order had no courier to rate');
    await db.query('delete from public.ratings where id = $1', [ID.ratingR3]);
    const comment = await clientFor('customer_a')
      .from('ratings')
      .insert({ ride_id: ID.rideR3, target: 'courier', stars: 3, comment: 'x'.repeat(501) });
    expect(comment.error?.message).toBe('comment must have 1 to 500 characters, got 501');
  });

  it('leaves the dispute status to admins, who resolve it', async () => {
    const own = await clientFor('customer_a')
      .from('disputes')
      .insert({ order_id: ID.orderO3, reason: 'Sac déchiré', status: 'resolved' } as never);
    expect(own.error?.message).toBe('permission denied for table disputes');
    const r = await clientFor('admin')
      .from('disputes')
      .update({ status: 'resolved', resolution_note: 'Remboursé 500 FCFA' })
      .eq('id', ID.disputeO1)
      .select('status, resolved_by')
      .single();
    expect(r.data).toEqual({ status: 'resolved', resolved_by: admin.id });
  });
});
