// Small factories for the tests of jobs in motion (reassignment, counted codes, job notices): approved couriers of our
// own (fixed ids c9200000-…-0000000000NN, phones +22507000004NN: each test file takes its own NN), their tokens and positions, a delivery order of
// customer A at store X, a ride of customer A, and one way to call the edge functions as anybody. The seed's demo
// couriers and its orders waiting for a courier sit these tests out (couriers offline, orders parked as scheduled
// for later, so the dispatch clock offers our couriers nothing else) and come back as they were.
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { signJwt } from '../../local-stack/src/keys.ts';
import { stack } from '../../local-stack/test/stack.ts';
import { ensurePeople, PEOPLE, type Person, superuser, tokenFor } from './actors.ts';
import { ID, resetFixtures, TIASSALE } from './fixtures.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Body = Record<string, any>;
export type VehicleType = 'moto' | 'tricycle' | 'car';

export const STORE_X = { lat: 5.899, lng: -4.822 } as const;
/** The dropoff of the orders made here (the contact address snapshot). */
export const HOME_A = { lat: 5.8995, lng: -4.8231 } as const;
/** Courier NN (1–99) of these tests; its phone is +22507000004NN. */
export const courierId = (n: number) => `c9200000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const courierToken = (id: string) =>
  signJwt(
    {
      sub: id,
      role: 'authenticated',
      aud: 'authenticated',
      exp: Math.floor(Date.now() / 1000) + 3600,
      user_roles: ['courier', 'customer'],
    },
    stack().jwtSecret,
  );

/** Calls an edge function as a named person of actors.ts or as one of our couriers (by id). */
export async function call(
  who: Person | string,
  fn: 'orders' | 'rides' | 'courier',
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Body }> {
  const token = who in PEOPLE ? tokenFor(who as Person) : courierToken(who);
  const res = await fetch(`${stack().apiUrl}/functions/v1/${fn}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Body };
}

/** Creates approved couriers (auth user, courier role, courier row) and parks every other online courier. */
export async function addCouriers(
  db: pg.Pool,
  couriers: Array<{ id: string; vehicle: VehicleType }>,
): Promise<() => Promise<void>> {
  const ids = couriers.map((c) => c.id);
  const seeded = (
    await db.query<{ courier_id: string; online: boolean }>(
      'select courier_id, online from public.courier_presence where courier_id <> all($1::uuid[])',
      [ids],
    )
  ).rows;
  await db.query('update public.courier_presence set online = false where courier_id <> all($1::uuid[])', [ids]);
  const parked = (
    await db.query<{ id: string; scheduled_for: string | null; released_at: string | null }>(
      `update public.orders o set scheduled_for = now() + interval '7 days', released_at = null
         from public.orders old
        where old.id = o.id and o.fulfilment = 'delivery' and o.courier_id is null
          and o.status in ('accepted', 'preparing', 'ready') and o.customer_id <> all($1::uuid[])
       returning o.id, old.scheduled_for, old.released_at`,
      [Object.values(PEOPLE).map((p) => p.id)],
    )
  ).rows;
  const c = await db.connect();
  try {
    await c.query('begin');
    await c.query('delete from auth.users where id = any($1::uuid[])', [ids]);
    await c.query(
      `insert into auth.users (instance_id, id, aud, role, phone, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
       select '00000000-0000-0000-0000-000000000000', id, 'authenticated', 'authenticated',
              '22507000004' || right(id::text, 2), '{}', '{}', now(), now()
         from unnest($1::uuid[]) id`,
      [ids],
    );
    await c.query(`insert into public.user_roles (user_id, role) select id, 'courier' from unnest($1::uuid[]) id`, [
      ids,
    ]);
    await c.query('alter table public.couriers disable trigger couriers_guard');
    await c.query(
      `insert into public.couriers (user_id, vehicle_type, zone_id, approval_status)
       select x.id, x.vehicle::public.vehicle_type, $2, 'approved'
         from jsonb_to_recordset($1::jsonb) as x (id uuid, vehicle text)`,
      [JSON.stringify(couriers), TIASSALE],
    );
    await c.query('alter table public.couriers enable trigger couriers_guard');
    await c.query('commit');
  } catch (e) {
    await c.query('rollback');
    throw e;
  } finally {
    c.release();
  }
  return async () => {
    await db.query('delete from public.orders where courier_id = any($1::uuid[])', [ids]);
    await db.query('delete from public.rides where courier_id = any($1::uuid[])', [ids]);
    await db.query('delete from auth.users where id = any($1::uuid[])', [ids]);
    for (const { courier_id, online } of seeded) {
      await db.query('update public.courier_presence set online = $2 where courier_id = $1', [courier_id, online]);
    }
    for (const o of parked) {
      await db.query('update public.orders set scheduled_for = $2, released_at = $3 where id = $1', [
        o.id,
        o.scheduled_for,
        o.released_at,
      ]);
    }
  };
}

/**
 * The hooks these test files share: the people, our couriers (addCouriers) for the file, the fixtures reset before
 * each test and at the end. Returns the superuser pool (valid from the file's own beforeAll on).
 */
export function withCouriers(couriers: Array<{ id: string; vehicle: VehicleType }>): () => pg.Pool {
  let db: pg.Pool | undefined;
  let cleanup = async (): Promise<void> => undefined;
  beforeAll(async () => {
    db = superuser();
    await ensurePeople();
    cleanup = await addCouriers(db, couriers);
  });
  afterAll(async () => {
    await resetFixtures(db!);
    await cleanup();
    await db!.end();
  });
  beforeEach(async () => {
    await resetFixtures(db!);
  });
  return () => db!;
}

/** Puts a courier online at a place (superuser: no throttle, fresh updated_at). */
export async function placeCourier(db: pg.Pool, id: string, at: { lat: number; lng: number }): Promise<void> {
  await db.query(
    `insert into public.courier_presence (courier_id, online, lat, lng) values ($1, true, $2, $3)
     on conflict (courier_id) do update set online = true, lat = excluded.lat, lng = excluded.lng`,
    [id, at.lat, at.lng],
  );
}

/** `metres` north of a place. */
export const north = (at: { lat: number; lng: number }, metres: number) => ({
  lat: at.lat + metres / 111_320,
  lng: at.lng,
});

let seq = 0;
/** A delivery order of customer A at store X (delivered to HOME_A, code 4321), accepted by the store, no courier. */
export async function acceptedOrder(db: pg.Pool, fulfilment: 'delivery' | 'pickup' = 'delivery'): Promise<string> {
  const c = await db.connect();
  try {
    await c.query('begin');
    const { rows } = await c.query<{ id: string }>(
      `insert into public.orders (customer_id, customer_first_name, store_id, fulfilment, subtotal_xof,
                                  delivery_fee_xof, total_xof, payment_method, cash_tendered_xof, idempotency_key)
       values ($1, 'Awa', $2, $3, 500, $4, 500 + $4, 'cash', 1000, $5) returning id`,
      [
        PEOPLE.customer_a.id,
        ID.storeX,
        fulfilment,
        fulfilment === 'delivery' ? 300 : 0,
        `kit-${process.pid}-${Date.now()}-${(seq += 1)}`,
      ],
    );
    const id = rows[0]!.id;
    await c.query(
      `insert into public.order_contacts (order_id, customer_phone, address) values ($1, '+2250100000201', $2)`,
      [id, fulfilment === 'delivery' ? JSON.stringify({ label: 'Maison', ...HOME_A, landmark: 'Portail bleu' }) : null],
    );
    await c.query(`insert into public.order_delivery_codes (order_id, code) values ($1, '4321')`, [id]);
    await c.query(`select private.transition_order($1, 'accepted', $2, 'merchant')`, [id, PEOPLE.merchant_x.id]);
    await c.query('commit');
    return id;
  } catch (e) {
    await c.query('rollback');
    throw e;
  } finally {
    c.release();
  }
}

/** Offers an order to the nearest courier (private.dispatch_order) and has `courier` accept it through `courier`. */
export async function takeOrder(db: pg.Pool, orderId: string, courier: string): Promise<void> {
  await db.query('select private.dispatch_order($1)', [orderId]);
  const { rows } = await db.query<{ id: string }>(
    `select id from public.offers where order_id = $1 and courier_id = $2 and status = 'offered'`,
    [orderId, courier],
  );
  if (!rows[0]) throw new Error(`order ${orderId} was not offered to ${courier}`);
  const r = await call(courier, 'courier', 'POST', `/offers/${rows[0].id}/accept`);
  if (r.status !== 200) throw new Error(`accept: ${JSON.stringify(r.body)}`);
}

/** A ride of customer A through the rides function (offered at once to the nearest free driver); its id and PIN. */
export async function requestRide(
  pickup: { lat: number; lng: number },
  dropoff: { lat: number; lng: number },
  vehicle: VehicleType = 'moto',
): Promise<{ id: string; pin: string; body: Body }> {
  const r = await call(
    'customer_a',
    'rides',
    'POST',
    '',
    {
      pickup: { ...pickup, landmark: 'Devant la pharmacie' },
      dropoff: { ...dropoff, landmark: 'Gare routière' },
      vehicle_type: vehicle,
    },
    { 'idempotency-key': `kit-ride-${process.pid}-${Date.now()}-${(seq += 1)}` },
  );
  if (r.status !== 201) throw new Error(`request ride: ${JSON.stringify(r.body)}`);
  return { id: r.body.ride.id, pin: r.body.start_pin, body: r.body };
}

/** The open offer of a job, if any. */
export async function openOfferOf(db: pg.Pool, column: 'order_id' | 'ride_id', id: string) {
  const { rows } = await db.query<{ id: string; courier_id: string }>(
    `select id, courier_id from public.offers where ${column} = $1 and status = 'offered' and expires_at > now()`,
    [id],
  );
  return rows[0];
}

/** Notifications about a job: [user, kind, event]. */
export async function noticesAbout(db: pg.Pool, key: 'order_id' | 'ride_id', id: string) {
  const { rows } = await db.query<{ user_id: string; kind: string; event: string; title: string; body: string }>(
    `select user_id, kind::text, data ->> 'event' as event, title, body from public.notifications
      where data ->> $1 = $2 order by created_at, id`,
    [key, id],
  );
  return rows;
}
