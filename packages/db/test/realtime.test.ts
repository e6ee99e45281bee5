// Private Realtime topics through the stack with unmodified supabase-js: who may join which topic (allowed and
// refused), what the database broadcasts on a transition and an offer (and what it leaves out), and who may
// broadcast (the courier's position on their order topic; nobody on store: topics).
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stack } from '../../local-stack/test/stack.ts';
import { PEOPLE, ensurePeople, superuser, tokenFor, type Person } from './actors.ts';
import { CODES, ID, resetFixtures } from './fixtures.ts';
import { asService } from './service.ts';

let db: pg.Pool;
const clients: SupabaseClient[] = [];
beforeAll(async () => {
  db = superuser();
  await ensurePeople();
  await resetFixtures(db);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.removeAllChannels()));
});
afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, ms: number, what: string) {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A phone's client: anon key, the person's access token for Realtime, set before joining. */
async function as(person: Person): Promise<SupabaseClient> {
  const token = tokenFor(person);
  const c = createClient(stack().apiUrl, stack().anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    accessToken: async () => token,
  });
  await c.realtime.setAuth();
  clients.push(c);
  return c;
}

interface Heard {
  event: string;
  payload: Record<string, unknown>;
}

/** Joins a private topic; resolves with the channel and what it hears, rejects with the refusal. */
function join(c: SupabaseClient, topic: string, ack = false): Promise<{ ch: RealtimeChannel; heard: Heard[] }> {
  const heard: Heard[] = [];
  const ch = c
    .channel(topic, { config: { private: true, broadcast: { ack } } })
    .on('broadcast', { event: '*' }, (m) =>
      heard.push({ event: m.event, payload: m.payload as Record<string, unknown> }),
    );
  return new Promise((resolve, reject) => {
    ch.subscribe((status, err) => {
      if (status === 'SUBSCRIBED') resolve({ ch, heard });
      else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') reject(err ?? new Error(status));
    });
  });
}

const refusal = (topic: string) =>
  `Unauthorized: You do not have permissions to read from this Channel topic: ${topic}`;

describe('joining private topics', () => {
  const cases: Array<[string, Person[], Person[]]> = [
    [
      `order:${ID.orderO1}`,
      ['customer_a', 'merchant_x', 'courier_on_job', 'admin'],
      ['customer_b', 'merchant_y', 'courier_not_on_job'],
    ],
    [
      `ride:${ID.rideR1}`,
      ['customer_a', 'courier_on_job', 'admin'],
      ['customer_b', 'merchant_x', 'courier_not_on_job'],
    ],
    [`store:${ID.storeX}`, ['merchant_x', 'admin'], ['merchant_y', 'customer_a', 'courier_on_job']],
    [`courier:${PEOPLE.courier_on_job.id}`, ['courier_on_job', 'admin'], ['courier_not_on_job', 'customer_a']],
    [`user:${PEOPLE.customer_a.id}`, ['customer_a', 'admin'], ['customer_b', 'courier_on_job']],
    [`chat:${ID.orderO1}`, [], ['customer_a', 'admin']],
    ['order:not-a-uuid', [], ['customer_a', 'admin']],
  ];
  for (const [topic, allowed, refused] of cases) {
    it(`${topic.split(':')[0]}: lets ${allowed.join(', ') || 'nobody'} in, refuses ${refused.join(', ')}`, async () => {
      for (const p of allowed) await expect(join(await as(p), topic), p).resolves.toBeDefined();
      for (const p of refused) await expect(join(await as(p), topic), p).rejects.toThrow(refusal(topic));
    });
  }
});

describe('broadcast from the database', () => {
  it('tells the order topic and the store topic about a transition, without the delivery code or the phone', async () => {
    const customer = await join(await as('customer_b'), `order:${ID.orderO2}`);
    const store = await join(await as('merchant_y'), `store:${ID.storeY}`);
    expect(
      (
        await asService(db, `select private.transition_order($1, 'accepted', $2, 'merchant')`, [
          ID.orderO2,
          PEOPLE.merchant_y.id,
        ])
      ).error,
    ).toBeNull();
    await waitFor(() => customer.heard.length >= 2 && store.heard.length >= 1, 5000, 'order broadcasts');
    expect(customer.heard.map((h) => h.event).sort()).toEqual(['order', 'order_event']);
    const onStore = store.heard[0]!;
    expect(onStore).toMatchObject({
      event: 'order',
      payload: { id: ID.orderO2, status: 'accepted', customer_first_name: 'Brice' },
    });
    const text = JSON.stringify([...customer.heard, ...store.heard]);
    expect(text).not.toContain(CODES.O2);
    expect(text).not.toContain(PEOPLE.customer_b.phone);
    expect(text).not.toContain('customer_phone');
  });

  it('sends a courier their offer with the job’s places, and nothing about the customer', async () => {
    const courier = await join(await as('courier_on_job'), `courier:${PEOPLE.courier_on_job.id}`);
    const other = await join(await as('courier_not_on_job'), `courier:${PEOPLE.courier_not_on_job.id}`);
    await asService(
      db,
      `insert into public.offers (job_kind, order_id, courier_id, distance_m) values ('order', $1, $2, 420)`,
      [ID.orderO2, PEOPLE.courier_on_job.id],
    );
    await waitFor(() => courier.heard.length === 1, 5000, 'offer');
    const offer = courier.heard[0]!;
    expect(offer).toMatchObject({
      event: 'offer',
      payload: {
        job_kind: 'order',
        job_id: ID.orderO2,
        status: 'offered',
        distance_m: 420,
        job: { store_name: 'Store Y', dropoff: { landmark: 'En face de la mairie' }, total_xof: 800 },
      },
    });
    const text = JSON.stringify(offer);
    for (const secret of [PEOPLE.customer_b.id, PEOPLE.customer_b.phone, 'Brice', CODES.O2])
      expect(text).not.toContain(secret);
    await sleep(200);
    expect(other.heard).toEqual([]);
  });

  it('tells the ride topic about a ride’s progress, without the PIN', async () => {
    const rider = await join(await as('customer_a'), `ride:${ID.rideR1}`);
    await asService(db, `select private.transition_ride($1, 'arrived', $2, 'courier')`, [
      ID.rideR1,
      PEOPLE.courier_on_job.id,
    ]);
    await waitFor(() => rider.heard.length === 1, 5000, 'ride broadcast');
    expect(rider.heard[0]).toMatchObject({ event: 'ride', payload: { id: ID.rideR1, status: 'arrived' } });
    expect(JSON.stringify(rider.heard)).not.toContain(CODES.R1);
  });
});

describe('broadcast from clients', () => {
  it('carries the courier’s position on their order topic to the customer', async () => {
    const customer = await join(await as('customer_a'), `order:${ID.orderO1}`);
    const courier = await join(await as('courier_on_job'), `order:${ID.orderO1}`, true);
    expect(await courier.ch.send({ type: 'broadcast', event: 'position', payload: { lat: 5.899, lng: -4.8229 } })).toBe(
      'ok',
    );
    await waitFor(() => customer.heard.some((h) => h.event === 'position'), 3000, 'position');
  });

  it('drops broadcasts on read-only topics (store:, courier:, user:)', async () => {
    const member = await join(await as('merchant_x'), `store:${ID.storeX}`);
    const sender = await join(await as('merchant_x'), `store:${ID.storeX}`);
    await sender.ch.send({ type: 'broadcast', event: 'spoof', payload: {} });
    const me = await join(await as('customer_a'), `user:${PEOPLE.customer_a.id}`);
    await me.ch.send({ type: 'broadcast', event: 'spoof', payload: {} });
    await sleep(400);
    expect(member.heard).toEqual([]);
    expect(me.heard).toEqual([]);
  });
});
