// Calling the courier: rpc job_courier_contact answers the assigned courier's first name, phone, vehicle and plate to
// the customer of an order / the rider of a ride while the job is active, and nothing to anybody else or afterwards.
// Fixtures: order O1 (customer A, picked up by courier_on_job), ride R1 (customer A, accepted by courier_on_job),
// ride R3 (customer A, completed).
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PEOPLE, clientFor, ensurePeople, superuser, type Actor } from './actors.ts';
import { CODES, ID, resetFixtures } from './fixtures.ts';

let db: pg.Pool;
beforeAll(async () => {
  db = superuser();
  await ensurePeople();
});
beforeEach(async () => {
  await resetFixtures(db);
  await db.query(`update public.profiles set full_name = 'Drissa Ouattara' where id = $1`, [PEOPLE.courier_on_job.id]);
});
afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});

const contact = (actor: Actor, job: { p_order_id?: string; p_ride_id?: string }) =>
  clientFor(actor).rpc('job_courier_contact', job);

const DRISSA = { first_name: 'Drissa', phone: PEOPLE.courier_on_job.phone, vehicle_type: 'moto', plate: '1234 AB 01' };

describe('job_courier_contact', () => {
  it('gives the customer the courier of their order while it is on its way', async () => {
    const { data, error } = await contact('customer_a', { p_order_id: ID.orderO1 });
    expect(error).toBeNull();
    expect(data).toEqual([DRISSA]);
  });

  it('gives the rider the driver of their ride while it is under way', async () => {
    const { data, error } = await contact('customer_a', { p_ride_id: ID.rideR1 });
    expect(error).toBeNull();
    expect(data).toEqual([DRISSA]);
  });

  it('answers a null first name when the courier has no name on the profile', async () => {
    await db.query(`update public.profiles set full_name = '' where id = $1`, [PEOPLE.courier_on_job.id]);
    const { data } = await contact('customer_a', { p_order_id: ID.orderO1 });
    expect(data).toEqual([{ ...DRISSA, first_name: null }]);
  });

  it('tells nothing to another customer, the store, the other courier or the admin (not their job)', async () => {
    for (const actor of ['customer_b', 'merchant_x', 'courier_not_on_job', 'admin'] as const) {
      const order = await contact(actor, { p_order_id: ID.orderO1 });
      expect(order.error, actor).toBeNull();
      expect(order.data, actor).toEqual([]);
      const ride = await contact(actor, { p_ride_id: ID.rideR1 });
      expect(ride.data, actor).toEqual([]);
    }
  });

  it('refuses anonymous callers', async () => {
    const { data, error } = await contact('anon', { p_order_id: ID.orderO1 });
    expect(data).toBeNull();
    expect(error?.code).toBe('42501');
  });

  it('tells nothing once the order is delivered', async () => {
    await db.query(`select private.transition_order($1, 'delivered', $2, 'courier', null, $3)`, [
      ID.orderO1,
      PEOPLE.courier_on_job.id,
      CODES.O1,
    ]);
    const { data, error } = await contact('customer_a', { p_order_id: ID.orderO1 });
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });

  it('tells nothing once the ride is cancelled, nor for a completed ride', async () => {
    await db.query(`select private.transition_ride($1, 'cancelled', $2, 'customer', 'Plus besoin')`, [
      ID.rideR1,
      PEOPLE.customer_a.id,
    ]);
    expect((await contact('customer_a', { p_ride_id: ID.rideR1 })).data).toEqual([]);
    expect((await contact('customer_a', { p_ride_id: ID.rideR3 })).data).toEqual([]);
  });

  it('tells nothing while no courier is assigned yet', async () => {
    const { data, error } = await contact('customer_b', { p_order_id: ID.orderO2 }); // pending, nobody yet
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });

  it('refuses a call with both ids or none, with a clear message', async () => {
    const both = await contact('customer_a', { p_order_id: ID.orderO1, p_ride_id: ID.rideR1 });
    expect(both.error).toMatchObject({
      code: '22023',
      message: 'give either p_order_id or p_ride_id, not both and not neither',
    });
    const none = await contact('customer_a', {});
    expect(none.error?.code).toBe('22023');
  });
});
