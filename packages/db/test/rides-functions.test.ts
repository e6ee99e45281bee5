// The `rides` edge function through the real stack (gateway → Deno → Postgres): the quote and the fare locked at
// request (a fare sent by the client is ignored), the refusals, a full ride offered to the nearest moto and accepted
// through the `courier` function, the PIN, the notifications each party gets, cancellations by the rider (free, then
// with a fee) and the driver, illegal moves (409), wrong roles (403), other people's rides (404), idempotency, and
// ride dispatch (decline → next driver, expiry when nobody accepts). The fixture couriers are busy (R1, F3) and the
// seed's demo couriers are taken offline for the file, so the drivers here are our own: moto M1 200 m from the
// pickup, moto M2 600 m, and a car 100 m away (nearest, but the wrong vehicle).
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signJwt } from '../../local-stack/src/keys.ts';
import { stack } from '../../local-stack/test/stack.ts';
import { ensurePeople, PEOPLE, type Person, superuser, tokenFor } from './actors.ts';
import { resetFixtures, TIASSALE } from './fixtures.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

const PICKUP = { lat: 5.8983, lng: -4.8228, landmark: 'Devant la pharmacie du marché' } as const;
const DROPOFF = { lat: 5.9083, lng: -4.8228, landmark: 'Gare routière, sous le manguier' } as const;
const driverId = (n: number) => `c9100000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const M1 = driverId(1);
const M2 = driverId(2);
const CAR = driverId(3);
const DRIVERS = [M1, M2, CAR];

let db: pg.Pool;
let seq = 0;
let seeded: Array<{ courier_id: string; online: boolean }> = [];
const newKey = () => `ride-key-${process.pid}-${Date.now()}-${(seq += 1)}`;

const driverToken = (id: string) =>
  signJwt(
    {
      sub: id,
      role: 'authenticated',
      aud: 'authenticated',
      exp: Math.floor(Date.now() / 1000) + 3600,
      user_roles: ['courier'],
    },
    stack().jwtSecret,
  );
const token = (who: Person | string) => (who in PEOPLE ? tokenFor(who as Person) : driverToken(who));

async function call(who: Person | string, method: string, path: string, body?: unknown, headers = {}, fn = 'rides') {
  const s = stack();
  const res = await fetch(`${s.apiUrl}/functions/v1/${fn}${path}`, {
    method,
    headers: { authorization: `Bearer ${token(who)}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Body };
}

const trip = (extra: Record<string, unknown> = {}) => ({
  pickup: PICKUP,
  dropoff: DROPOFF,
  vehicle_type: 'moto',
  ...extra,
});
const quote = (body: unknown, who: Person | string = 'customer_a') => call(who, 'POST', '/quote', body);
const request = (body: unknown, key = newKey(), who: Person | string = 'customer_a') =>
  call(who, 'POST', '', body, { 'idempotency-key': key });
const move = (who: Person | string, id: string, body: Record<string, unknown>) =>
  call(who, 'POST', `/${id}/transition`, body);
const accept = (who: string, offer: string) => call(who, 'POST', `/offers/${offer}/accept`, undefined, {}, 'courier');
const decline = (who: string, offer: string) => call(who, 'POST', `/offers/${offer}/decline`, undefined, {}, 'courier');

async function requested(body: unknown = trip()): Promise<Body> {
  const r = await request(body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}
const offersOf = async (ride: string) =>
  (
    await db.query<{ id: string; courier_id: string; status: string }>(
      'select id, courier_id, status::text from public.offers where ride_id = $1 order by created_at, id',
      [ride],
    )
  ).rows;
const openOffer = async (ride: string) => (await offersOf(ride)).find((f) => f.status === 'offered');
const rideRow = async (ride: string) =>
  (await db.query<Body>('select * from public.rides where id = $1', [ride])).rows[0]!;
const noticesOf = async (ride: string) =>
  (
    await db.query<{ user_id: string; event: string; title: string; body: string }>(
      `select user_id, data ->> 'event' as event, title, body from public.notifications
        where kind = 'ride_update' and data ->> 'ride_id' = $1 order by created_at, id`,
      [ride],
    )
  ).rows;

/** Requests a moto ride for customer A and takes it as M1 to `status`. */
async function rideIn(
  status: 'requested' | 'accepted' | 'arrived' | 'in_progress',
): Promise<{ id: string; pin: string }> {
  const body = await requested();
  const id = body.ride.id as string;
  if (status === 'requested') return { id, pin: body.start_pin };
  const offer = (await openOffer(id))!;
  expect((await accept(M1, offer.id)).status).toBe(200);
  if (status === 'accepted') return { id, pin: body.start_pin };
  expect((await move(M1, id, { to: 'arrived' })).status).toBe(200);
  if (status === 'arrived') return { id, pin: body.start_pin };
  expect((await move(M1, id, { to: 'in_progress', pin: body.start_pin })).status).toBe(200);
  return { id, pin: body.start_pin };
}

async function online(id: string, metresNorth: number): Promise<void> {
  await db.query(
    `insert into public.courier_presence (courier_id, online, lat, lng) values ($1, true, $2, $3)
     on conflict (courier_id) do update set online = true, lat = excluded.lat, lng = excluded.lng`,
    [id, PICKUP.lat + metresNorth / 111_320, PICKUP.lng],
  );
}

beforeAll(async () => {
  db = superuser();
  await ensurePeople();
  seeded = (
    await db.query<{ courier_id: string; online: boolean }>(
      'select courier_id, online from public.courier_presence where courier_id <> all($1::uuid[])',
      [DRIVERS],
    )
  ).rows;
  await db.query('update public.courier_presence set online = false where courier_id <> all($1::uuid[])', [DRIVERS]);
  const c = await db.connect();
  try {
    await c.query('begin');
    await c.query('delete from auth.users where id = any($1::uuid[])', [DRIVERS]);
    await c.query(
      `insert into auth.users (instance_id, id, aud, role, phone, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
       select '00000000-0000-0000-0000-000000000000', id, 'authenticated', 'authenticated',
              '2250799' || lpad(n::text, 6, '0'), '{}', '{}', now(), now()
         from unnest($1::uuid[]) with ordinality as u (id, n)`,
      [DRIVERS],
    );
    await c.query(
      `insert into public.user_roles (user_id, role) select id, 'courier' from unnest($1::uuid[]) id on conflict do nothing`,
      [DRIVERS],
    );
    await c.query('alter table public.couriers disable trigger couriers_guard');
    await c.query(
      `insert into public.couriers (user_id, vehicle_type, zone_id, approval_status)
       select id, case when id = $3 then 'car' else 'moto' end::public.vehicle_type, $2, 'approved'
         from unnest($1::uuid[]) id`,
      [DRIVERS, TIASSALE, CAR],
    );
    await c.query('alter table public.couriers enable trigger couriers_guard');
    await c.query('commit');
  } catch (e) {
    await c.query('rollback');
    throw e;
  } finally {
    c.release();
  }
});

afterAll(async () => {
  await resetFixtures(db);
  await db.query('delete from public.courier_presence where courier_id = any($1::uuid[])', [DRIVERS]);
  await db.query('delete from public.rides where courier_id = any($1::uuid[])', [DRIVERS]);
  await db.query('delete from auth.users where id = any($1::uuid[])', [DRIVERS]);
  for (const { courier_id, online: was } of seeded) {
    await db.query('update public.courier_presence set online = $2 where courier_id = $1', [courier_id, was]);
  }
  await db.end();
});

beforeEach(async () => {
  await db.query('delete from public.courier_presence where courier_id = any($1::uuid[])', [DRIVERS]);
  await resetFixtures(db);
  await online(CAR, 100);
  await online(M1, 200);
  await online(M2, 600);
});

describe('quote and request', () => {
  it('quotes without writing, and locks that fare at request whatever the client sends', async () => {
    const before = (await db.query('select count(*)::int as n from public.rides')).rows[0].n;
    const q = await quote(trip());
    expect(q.status, JSON.stringify(q.body)).toBe(200);
    expect((await db.query('select count(*)::int as n from public.rides')).rows[0].n).toBe(before);
    // The grid (Tiassalé moto: 150 + 100 / km + 10 / min, minimum 200) on straight line × 1.3 at 25 km/h.
    const straight = (
      await db.query<{ m: number }>(
        'select extensions.earth_distance(extensions.ll_to_earth($1, $2), extensions.ll_to_earth($3, $4)) as m',
        [PICKUP.lat, PICKUP.lng, DROPOFF.lat, DROPOFF.lng],
      )
    ).rows[0]!.m;
    const distance = Math.round(straight * 1.3);
    const duration = Math.ceil((distance * 3.6) / 25);
    const fare = Math.max(200, Math.ceil((150 + (100 * distance) / 1000 + (10 * duration) / 60) / 25) * 25);
    expect(q.body.quote).toMatchObject({
      vehicle_type: 'moto',
      distance_m: distance,
      duration_s: duration,
      fare_xof: fare,
      road_factor: 1.3,
      speed_kmh: 25,
      cancellation_fee_xof: 200,
    });
    expect(fare % 25).toBe(0);

    const r = await requested(trip({ fare_quote_xof: 1, fare_xof: 1, distance_m: 1, duration_s: 1 }));
    expect(r.ride).toMatchObject({
      status: 'requested',
      fare_quote_xof: fare,
      distance_m: distance,
      duration_s: duration,
    });
    expect(r.start_pin).toMatch(/^\d{4}$/);
    expect(r.ride.idempotency_key).toBeUndefined();
    expect((await rideRow(r.ride.id)).fare_quote_xof).toBe(fare);
  });

  it('refuses a pickup or dropoff outside the zone, the same place, an unknown vehicle, a missing key', async () => {
    const abidjan = { lat: 5.35, lng: -4.0, landmark: 'Plateau, Abidjan' };
    let r = await quote(trip({ pickup: abidjan }));
    expect([r.status, r.body.error.code, r.body.error.place]).toEqual([422, 'outside_zone', 'pickup']);
    expect(r.body.error.message).toBe('Le point de départ est en dehors de la zone desservie.');
    r = await request(trip({ dropoff: abidjan }));
    expect([r.status, r.body.error.code, r.body.error.place]).toEqual([422, 'outside_zone', 'dropoff']);
    r = await request(trip({ dropoff: { ...PICKUP, lat: PICKUP.lat + 0.0002 } }));
    expect([r.status, r.body.error.code]).toEqual([422, 'same_place']);
    r = await request(trip({ vehicle_type: 'bus' }));
    expect([r.status, r.body.error.code]).toEqual([422, 'vehicle_unavailable']);
    expect(r.body.error.message).toBe("Ce type de véhicule n'est pas disponible dans cette zone.");
    r = await call('customer_a', 'POST', '', trip());
    expect([r.status, r.body.error.code]).toEqual([400, 'idempotency_key_required']);
    r = await request(trip({ pickup: { lat: 5.9, lng: -4.8 } }));
    expect([r.status, r.body.error.code]).toEqual([400, 'validation_failed']);
  });

  it('replays the same request for the same key and refuses the key for another request', async () => {
    const key = newKey();
    const first = await request(trip(), key);
    expect(first.status).toBe(201);
    const again = await request(trip(), key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const { rows } = await db.query('select count(*)::int as n from public.rides where idempotency_key = $1', [key]);
    expect(rows[0].n).toBe(1);
    const other = await request(trip({ vehicle_type: 'car' }), key);
    expect([other.status, other.body.error.code]).toEqual([422, 'idempotency_key_reused']);
  });
});

describe('a ride', () => {
  it('goes to the nearest moto, is accepted, arrives, starts with the PIN only, completes, and tells the rider', async () => {
    const body = await requested();
    const id = body.ride.id as string;
    const offers = await offersOf(id);
    expect(offers).toEqual([{ id: expect.any(String), courier_id: M1, status: 'offered' }]); // not the nearer car
    const a = await accept(M1, offers[0]!.id);
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(await rideRow(id)).toMatchObject({ status: 'accepted', courier_id: M1 });

    let r = await move(M1, id, { to: 'arrived' });
    expect([r.status, r.body.previous_status, r.body.ride.status]).toEqual([200, 'accepted', 'arrived']);
    const wrong = body.start_pin === '0000' ? '1111' : '0000';
    r = await move(M1, id, { to: 'in_progress', pin: wrong });
    expect([r.status, r.body.error.code, r.body.error.message]).toEqual([
      422,
      'wrong_start_pin',
      'Code PIN de départ incorrect. Encore 4 essais avant le blocage.',
    ]);
    expect((await rideRow(id)).status).toBe('arrived');
    r = await move(M1, id, { to: 'in_progress', pin: body.start_pin });
    expect([r.status, r.body.ride.status]).toEqual([200, 'in_progress']);
    r = await move(M1, id, { to: 'completed' });
    expect([r.status, r.body.ride.status, r.body.ride.final_fare_xof]).toEqual([
      200,
      'completed',
      body.ride.fare_quote_xof,
    ]);

    const notices = await noticesOf(id);
    expect(notices.map((n) => [n.user_id, n.event])).toEqual([
      [PEOPLE.customer_a.id, 'accepted'],
      [PEOPLE.customer_a.id, 'arrived'],
      [PEOPLE.customer_a.id, 'in_progress'],
      [PEOPLE.customer_a.id, 'completed'],
    ]);
    expect(notices[3]!.body).toContain(`: ${body.ride.fare_quote_xof} FCFA à payer.`);
    const events = await db.query(
      'select to_status::text, kind from public.ride_events where ride_id = $1 order by id',
      [id],
    );
    // The wrong PIN is an event too (evidence), while the driver waits at the pickup.
    expect(events.rows.map((e) => `${e.to_status} ${e.kind}`)).toEqual([
      'requested status',
      'accepted status',
      'arrived status',
      'arrived wrong_code',
      'in_progress status',
      'completed status',
    ]);
    // The driver reads the ride (not the PIN); the rider reads the PIN.
    const asDriver = await call(M1, 'GET', `/${id}`);
    expect([asDriver.status, asDriver.body.ride.start_pin]).toEqual([200, null]);
    const asRider = await call('customer_a', 'GET', `/${id}`);
    expect(asRider.body.ride.start_pin).toBe(body.start_pin);
  });

  it('can be accepted through POST /rides/:id/transition by the courier holding the offer', async () => {
    const { id } = await rideIn('requested');
    const r = await move(M1, id, { to: 'accepted' });
    expect([r.status, r.body.ride.status, r.body.ride.courier_id]).toEqual([200, 'accepted', M1]);
    // M2 was never offered it: not theirs.
    const other = await move(M2, id, { to: 'accepted' });
    expect([other.status, other.body.error.code]).toEqual([404, 'ride_not_found']);
  });
});

describe('cancellations', () => {
  it('are free for the rider before a driver accepts (the open offer closes)', async () => {
    const { id } = await rideIn('requested');
    const r = await move('customer_a', id, { to: 'cancelled' });
    expect([r.status, r.body.ride.status, r.body.ride.cancellation_fee_xof]).toEqual([200, 'cancelled', null]);
    expect((await offersOf(id)).map((f) => f.status)).toEqual(['expired']);
    expect(await rideRow(id)).toMatchObject({ cancelled_by: 'customer', cancel_reason: 'annulée par le passager' });
  });

  it('cost the rider the grid minimum once the driver has arrived; the driver is told', async () => {
    const { id } = await rideIn('arrived');
    const r = await move('customer_a', id, { to: 'cancelled', reason: 'Plus besoin' });
    expect([r.status, r.body.ride.cancellation_fee_xof]).toEqual([200, 200]);
    const toDriver = (await noticesOf(id)).filter((n) => n.user_id === M1);
    expect(toDriver.map((n) => n.event)).toEqual(['cancelled_by_rider']);
    expect(toDriver[0]!.body).toBe(
      `Le passager a annulé la course ${id.slice(0, 8).toUpperCase()}. Frais d'annulation : 200 FCFA.`,
    );
  });

  it('by the driver before the start need a reason, and tell the rider', async () => {
    const { id } = await rideIn('accepted');
    let r = await move(M1, id, { to: 'cancelled' });
    expect([r.status, r.body.error.code]).toEqual([400, 'reason_required']);
    r = await move(M1, id, { to: 'cancelled', reason: 'Crevaison' });
    expect([r.status, r.body.ride.cancelled_by, r.body.ride.cancellation_fee_xof]).toEqual([200, 'courier', null]);
    const toRider = (await noticesOf(id)).filter((n) => n.user_id === PEOPLE.customer_a.id);
    expect(toRider.map((n) => n.event)).toEqual(['accepted', 'cancelled_by_driver']);
    expect(toRider[1]!.body).toContain('(Crevaison)');
  });
});

describe('refusals', () => {
  it('409 for a move that does not exist from the current status', async () => {
    const { id } = await rideIn('accepted');
    const r = await move(M1, id, { to: 'completed' });
    expect([r.status, r.body.error.code, r.body.error.status, r.body.error.message]).toEqual([
      409,
      'illegal_transition',
      'accepted',
      'Impossible : la course est acceptée, elle ne peut pas passer à « terminée ».',
    ]);
  });

  it('403 for the driver cancelling a started ride (only admins may)', async () => {
    const started = await rideIn('in_progress');
    const c = await move(M1, started.id, { to: 'cancelled', reason: 'Trop loin' });
    expect([c.status, c.body.error.code]).toEqual([403, 'wrong_role']);
  });

  it('403 for a move of another role, 404 for somebody else’s ride', async () => {
    const { id } = await rideIn('accepted');
    let r = await move('customer_a', id, { to: 'arrived' });
    expect([r.status, r.body.error.code, r.body.error.message]).toEqual([
      403,
      'wrong_role',
      'Vous ne pouvez pas faire passer cette course à « chauffeur arrivé ».',
    ]);
    r = await move('customer_b', id, { to: 'cancelled', reason: 'x' });
    expect([r.status, r.body.error.code]).toEqual([404, 'ride_not_found']);
    r = await call('customer_b', 'GET', `/${id}`);
    expect([r.status, r.body.error.code]).toEqual([404, 'ride_not_found']);
    r = await move(M2, id, { to: 'arrived' });
    expect([r.status, r.body.error.code]).toEqual([404, 'ride_not_found']);
    r = await move('customer_a', '00000000-0000-4000-8000-000000000000', { to: 'cancelled' });
    expect([r.status, r.body.error.code]).toEqual([404, 'ride_not_found']);
  });
});

describe('ride dispatch', () => {
  it('offers the ride to the next moto on decline and when an offer expires', async () => {
    const { id } = await rideIn('requested');
    const first = (await openOffer(id))!;
    expect(first.courier_id).toBe(M1);
    expect((await decline(M1, first.id)).status).toBe(200);
    const second = (await openOffer(id))!;
    expect(second.courier_id).toBe(M2);
    await db.query(`update public.offers set expires_at = created_at + interval '1 millisecond' where id = $1`, [
      second.id,
    ]);
    const late = await accept(M2, second.id);
    // Refused as expired; the dispatch clock (every 5 s in the background) may have closed the overdue offer first.
    expect(late.status).toBe(409);
    expect(['offer_expired', 'offer_closed']).toContain(late.body.error.code);
    expect(late.body.error.status).toBe('expired');
    await db.query('select private.run_dispatch()');
    // M1 and M2 were both offered it in the last 10 minutes: nobody else fits, the ride waits.
    expect((await offersOf(id)).map((f) => [f.courier_id, f.status])).toEqual([
      [M1, 'declined'],
      [M2, 'expired'],
    ]);
    expect((await rideRow(id)).status).toBe('requested');
  });

  it('expires a ride nobody accepts in time and tells the rider', async () => {
    await db.query('update public.courier_presence set online = false where courier_id = any($1::uuid[])', [DRIVERS]);
    const { id } = await rideIn('requested');
    expect(await offersOf(id)).toEqual([]);
    const kept = await db.query<{ r: Body }>(`select private.run_ride_dispatch(interval '5 minutes') as r`);
    expect(kept.rows[0]!.r).toMatchObject({ expired: 0 });
    expect((await rideRow(id)).status).toBe('requested');
    await db.query(`select private.run_ride_dispatch(interval '0 seconds')`);
    expect(await rideRow(id)).toMatchObject({ status: 'expired' });
    expect((await noticesOf(id)).map((n) => [n.user_id, n.event, n.title])).toEqual([
      [PEOPLE.customer_a.id, 'expired', 'Aucun chauffeur disponible'],
    ]);
    const r = await move('customer_a', id, { to: 'cancelled' });
    expect([r.status, r.body.error.code]).toEqual([409, 'illegal_transition']);
  });

  it('is part of the dispatch clock', async () => {
    const r = await db.query<{ r: Body }>('select private.run_dispatch() as r');
    expect(Object.keys(r.rows[0]!.r).sort()).toEqual([
      'notified',
      'offered',
      'released',
      'rides_expired',
      'rides_offered',
    ]);
  });
});
