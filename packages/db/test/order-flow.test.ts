// The whole order flow through the real stack, as the three apps drive it: customer A places a cash delivery at
// store X (`orders`), merchant X accepts (`orders`, which dispatches), the nearest online courier gets the offer and
// accepts it (`courier`), the merchant prepares and marks it ready, the courier picks it up and delivers it with the
// customer's 4-digit code. At each step: the order events and the notifications each party gets. At the end the
// `notify` function drains the queue and the fake push service receives one push per notification per device.
// Seed couriers sit offline and waiting demo orders are parked (as in dispatch.test.ts); this test's courier FLOW
// is the only free courier near store X. Pending deliveries other files left are marked out of play.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../local-stack/src/keys.ts';
import { stack } from '../../local-stack/test/stack.ts';
import { ensurePeople, PEOPLE, superuser, tokenFor } from './actors.ts';
import { ID, resetFixtures, TIASSALE } from './fixtures.ts';
import { drainNotify, type FakePush, startFakePush, webSubscription } from './push-fake.ts';

const FLOW = 'c9100000-0000-4000-8000-000000000001';
const STORE_X = { lat: 5.899, lng: -4.822 } as const;
const CUSTOMER = PEOPLE.customer_a.id;
const MERCHANT = PEOPLE.merchant_x.id;

let db: pg.Pool;
let fake: FakePush;
let seeded: Array<{ courier_id: string; online: boolean }> = [];
let parked: Array<{ id: string; scheduled_for: string | null; released_at: string | null }> = [];
let since = '';

const courierToken = () =>
  signJwt(
    {
      sub: FLOW,
      role: 'authenticated',
      aud: 'authenticated',
      exp: Math.floor(Date.now() / 1000) + 3600,
      user_roles: ['courier', 'customer'],
    },
    stack().jwtSecret,
  );

async function call(token: string, fn: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack().apiUrl}/functions/v1/${fn}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** What each party was told since the last call, as `event` (data.event) or `offer` per person. */
async function told(): Promise<{ customer: string[]; merchant: string[]; courier: string[] }> {
  const { rows } = await db.query<{ user_id: string; kind: string; event: string | null; created_at: string }>(
    `select user_id, kind::text, data->>'event' as event, created_at::text from public.notifications
      where user_id = any($1) and created_at > $2::timestamptz order by created_at, id`,
    [[CUSTOMER, MERCHANT, FLOW], since],
  );
  since = (await db.query<{ now: string }>('select clock_timestamp()::text as now')).rows[0]!.now;
  const of = (id: string) => rows.filter((r) => r.user_id === id).map((r) => (r.kind === 'offer' ? 'offer' : r.event!));
  return { customer: of(CUSTOMER), merchant: of(MERCHANT), courier: of(FLOW) };
}

const events = async (id: string) =>
  (
    await db.query<{ e: string }>(
      `select coalesce(from_status::text, '∅') || '→' || to_status || ' by ' || actor_role as e
         from public.order_events where order_id = $1 order by id`,
      [id],
    )
  ).rows.map((r) => r.e);

beforeAll(async () => {
  db = superuser();
  await ensurePeople();
  await resetFixtures(db);
  fake = await startFakePush();
  seeded = (await db.query('select courier_id, online from public.courier_presence where courier_id <> $1', [FLOW]))
    .rows;
  await db.query('update public.courier_presence set online = false where courier_id <> $1', [FLOW]);
  parked = (
    await db.query(
      `update public.orders o set scheduled_for = now() + interval '7 days', released_at = null
         from public.orders old
        where old.id = o.id and o.fulfilment = 'delivery' and o.courier_id is null
          and o.status in ('accepted', 'preparing', 'ready')
       returning o.id, old.scheduled_for, old.released_at`,
    )
  ).rows;
  const c = await db.connect();
  try {
    await c.query('begin');
    await c.query('delete from auth.users where id = $1', [FLOW]);
    await c.query(
      `insert into auth.users (instance_id, id, aud, role, phone, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
       values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', '2250799000001', '{}', '{}', now(), now())`,
      [FLOW],
    );
    await c.query(`insert into public.user_roles (user_id, role) values ($1, 'courier') on conflict do nothing`, [
      FLOW,
    ]);
    await c.query('alter table public.couriers disable trigger couriers_guard');
    await c.query(
      `insert into public.couriers (user_id, vehicle_type, zone_id, approval_status) values ($1, 'moto', $2, 'approved')`,
      [FLOW, TIASSALE],
    );
    await c.query('alter table public.couriers enable trigger couriers_guard');
    await c.query('commit');
  } catch (e) {
    await c.query('rollback');
    throw e;
  } finally {
    c.release();
  }
  // Store X open around the clock; the three parties' phones and browser.
  await db.query(`update public.stores set status = 'open', busy_until = null where id = $1`, [ID.storeX]);
  await db.query('delete from public.store_hours where store_id = $1', [ID.storeX]);
  await db.query(
    `insert into public.store_hours (store_id, weekday, opens, closes, closes_next_day)
     select $1, d, '00:00', '00:00', true from generate_series(1, 7) d`,
    [ID.storeX],
  );
  await db.query('delete from public.store_hour_exceptions where store_id = $1', [ID.storeX]);
  await db.query('delete from public.devices where user_id = any($1)', [[CUSTOMER, MERCHANT, FLOW]]);
  await db.query(
    `insert into public.devices (user_id, platform, push_token) values
       ($1, 'android', 'fcm-flow-customer-' || $4), ($2, 'web', $5), ($3, 'android', 'fcm-flow-courier-' || $4)`,
    [CUSTOMER, MERCHANT, FLOW, process.pid, webSubscription('flow-merchant')],
  );
  await db.query(
    `update public.notification_deliveries set status = 'failed', last_error = 'out of play (order-flow test)'
      where status = 'pending'`,
  );
  since = (await db.query<{ now: string }>('select clock_timestamp()::text as now')).rows[0]!.now;
});

afterAll(async () => {
  await db.query('delete from public.devices where user_id = any($1)', [[CUSTOMER, MERCHANT, FLOW]]);
  await resetFixtures(db);
  await db.query('delete from public.orders where courier_id = $1', [FLOW]);
  await db.query('delete from public.courier_presence where courier_id = $1', [FLOW]);
  await db.query('delete from auth.users where id = $1', [FLOW]);
  for (const s of seeded) {
    await db.query('update public.courier_presence set online = $2 where courier_id = $1', [s.courier_id, s.online]);
  }
  for (const o of parked) {
    await db.query('update public.orders set scheduled_for = $2, released_at = $3 where id = $1', [
      o.id,
      o.scheduled_for,
      o.released_at,
    ]);
  }
  await fake.close();
  await db.end();
});

describe('the whole order flow', () => {
  it('places, accepts, dispatches, prepares, picks up, delivers, and pushes each party the news', async () => {
    const customer = tokenFor('customer_a');
    const merchant = tokenFor('merchant_x');
    const courier = courierToken();

    // The courier comes online 150 m from store X.
    const on = await call(courier, 'courier', '/presence', {
      online: true,
      lat: STORE_X.lat + 150 / 111_320,
      lng: STORE_X.lng,
    });
    expect(on.status, JSON.stringify(on.body)).toBe(200);

    // 1. The customer places a cash delivery.
    const placed = await call(
      customer,
      'orders',
      '',
      {
        store_id: ID.storeX,
        items: [{ product_id: ID.productX, quantity: 2, option_ids: [ID.optionX] }],
        fulfilment: 'delivery',
        address_id: ID.addressA,
        payment_method: 'cash',
        cash_tendered_xof: 5000,
      },
      { 'idempotency-key': `order-flow-${process.pid}-${Date.now()}` },
    );
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const id = placed.body.order.id as string;
    const code = placed.body.order.delivery_code as string;
    expect(code).toMatch(/^\d{4}$/);
    expect(await events(id)).toEqual(['∅→pending by customer']);
    expect(await told()).toEqual({ customer: [], merchant: ['placed'], courier: [] });

    // 2. The merchant accepts: the order is dispatched to the nearest free courier.
    const accepted = await call(merchant, 'orders', `/${id}/transition`, { to: 'accepted' });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const { rows: offers } = await db.query<{ id: string; courier_id: string; status: string }>(
      `select id, courier_id, status::text from public.offers where order_id = $1`,
      [id],
    );
    expect(offers).toMatchObject([{ courier_id: FLOW, status: 'offered' }]);
    // The offer reaches the courier as a Realtime broadcast (event `offer` on courier:<id>) and as a notification of
    // kind offer, pushed to their phone: a courier whose app is in the background hears of it too.
    expect(await told()).toEqual({ customer: ['accepted'], merchant: [], courier: ['offer'] });
    const { rows: broadcasts } = await db.query<{ event: string }>(
      `select event from realtime.messages where topic = $1 and payload->>'id' = $2`,
      [`courier:${FLOW}`, offers[0]!.id],
    );
    expect(broadcasts.map((b) => b.event)).toEqual(['offer']);

    // 3. The courier accepts the offer.
    const took = await call(courier, 'courier', `/offers/${offers[0]!.id}/accept`, {});
    expect(took.status, JSON.stringify(took.body)).toBe(200);
    expect((await db.query('select courier_id from public.orders where id = $1', [id])).rows[0].courier_id).toBe(FLOW);
    // Accepting an offer tells nobody through notifications (the order broadcast on order:<id> does).
    expect(await told()).toEqual({ customer: [], merchant: [], courier: [] });

    // 4. Preparing, ready (merchant); picked up, delivered with the customer's code (courier).
    const steps: Array<
      [string, Record<string, unknown>, { customer: string[]; merchant: string[]; courier: string[] }]
    > = [
      [merchant, { to: 'preparing' }, { customer: ['preparing'], merchant: [], courier: ['preparing'] }],
      [merchant, { to: 'ready' }, { customer: ['ready'], merchant: [], courier: ['ready'] }],
      [courier, { to: 'picked_up' }, { customer: ['picked_up'], merchant: ['picked_up'], courier: [] }],
      [courier, { to: 'delivered', code }, { customer: ['delivered'], merchant: ['delivered'], courier: [] }],
    ];
    for (const [token, body, expected] of steps) {
      const r = await call(token, 'orders', `/${id}/transition`, body);
      expect(r.status, `${JSON.stringify(body)} → ${JSON.stringify(r.body)}`).toBe(200);
      expect(await told(), JSON.stringify(body)).toEqual(expected);
    }
    expect(await events(id)).toEqual([
      '∅→pending by customer',
      'pending→accepted by merchant',
      'accepted→preparing by merchant',
      'preparing→ready by merchant',
      'ready→picked_up by courier',
      'picked_up→delivered by courier',
    ]);

    // 5. The drain: one push per notification per device (customer android 5, courier android 3, merchant web 3).
    const drained = await drainNotify(stack().apiUrl, stack().serviceRoleKey);
    expect(drained.status, JSON.stringify(drained.body)).toBe(200);
    const fcmFor = (prefix: string) =>
      fake
        .fcm()
        .filter((r) => String(r.json?.message?.token).startsWith(prefix) && r.json?.message?.data?.order_id === id)
        .map((r) => r.json!.message.data.event as string)
        .sort(); // a batch is sent in parallel: the fake hears it in any order
    expect(fcmFor('fcm-flow-customer-')).toEqual(['accepted', 'preparing', 'ready', 'picked_up', 'delivered'].sort());
    expect(fcmFor('fcm-flow-courier-')).toEqual(['offer', 'preparing', 'ready'].sort());
    expect(fake.webpush().filter((r) => r.path === '/wp/flow-merchant')).toHaveLength(3);
    const { rows: queue } = await db.query(
      `select d.status::text, count(*)::int as n from public.notification_deliveries d
         join public.notifications n on n.id = d.notification_id
        where n.data->>'order_id' = $1 and d.channel = 'push' and n.user_id = any($2) group by 1`,
      [id, [CUSTOMER, MERCHANT, FLOW]],
    );
    expect(queue).toEqual([{ status: 'sent', n: 11 }]);
  });
});
