// Fixed neighbourhood ride fares (public.neighbourhoods, public.neighbourhood_fares, private.ride_fare) through the
// rides function and the Data API: a ride between the two neighbourhoods of a pair costs the fixed fare, both ways,
// and the quote says so; any other ride (one end outside, both in one neighbourhood, a vehicle without a fixed fare)
// costs the grid; the fare locked at request is the quote's. Admins write the tables, everybody reads them; bad rows
// are refused with a clear error. Uses the seed's Tiassalé quartiers (seed/050_tiassale_neighbourhoods.sql).
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientFor, ensurePeople, superuser } from './actors.ts';
import { call, requestRide } from './couriers-kit.ts';
import { ID, resetFixtures, TIASSALE, TIASSALE_CENTRE } from './fixtures.ts';

const COMMERCE = { lat: 5.895, lng: -4.819 } as const;
const GARE = { lat: 5.912, lng: -4.83 } as const;
const DIOULABOUGOU = { lat: 5.893, lng: -4.829 } as const;

let db: pg.Pool;

const quote = async (pickup: object, dropoff: object, vehicle_type = 'moto') => {
  const r = await call('customer_a', 'rides', 'POST', '/quote', { pickup, dropoff, vehicle_type });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.quote;
};

beforeAll(async () => {
  db = superuser();
  await ensurePeople();
});
afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});
beforeEach(async () => {
  await resetFixtures(db);
});

describe('quotes', () => {
  it('uses the fixed fare between two quartiers of a pair, both ways, and says so', async () => {
    const there = await quote(COMMERCE, GARE);
    expect(there).toMatchObject({
      fare_xof: 300,
      pricing: 'fixed',
      neighbourhoods: { pickup: 'Commerce', dropoff: 'Gare routière' },
      grid: { minimum_fare_xof: 200 },
    });
    expect(await quote(GARE, COMMERCE)).toMatchObject({ fare_xof: 300, pricing: 'fixed' });
    expect(await quote(COMMERCE, GARE, 'car')).toMatchObject({ fare_xof: 1000, pricing: 'fixed' });
  });

  it('uses the grid when one end is in no quartier, both are in one, or the vehicle has no fixed fare', async () => {
    const gridOnly = await quote(TIASSALE_CENTRE, GARE);
    expect(gridOnly).toMatchObject({ pricing: 'grid', neighbourhoods: { pickup: null, dropoff: 'Gare routière' } });
    // The grid's own formula (Tiassalé moto: 150 + 100 / km + 10 / min, rounded up to 25, minimum 200).
    const grid = Math.max(
      200,
      Math.ceil((150 + (100 * gridOnly.distance_m) / 1000 + (10 * gridOnly.duration_s) / 60) / 25) * 25,
    );
    expect(gridOnly.fare_xof).toBe(grid);
    const inside = await quote(COMMERCE, { lat: 5.8975, lng: -4.819 });
    expect(inside).toMatchObject({ pricing: 'grid', neighbourhoods: { pickup: 'Commerce', dropoff: 'Commerce' } });
    expect(await quote(COMMERCE, DIOULABOUGOU, 'car')).toMatchObject({ pricing: 'grid' });
    expect(await quote(COMMERCE, DIOULABOUGOU, 'moto')).toMatchObject({ pricing: 'fixed', fare_xof: 200 });
  });

  it('locks the fixed fare on the ride at request, whatever the client sends', async () => {
    const { body } = await requestRide(GARE, COMMERCE);
    expect(body.ride.fare_quote_xof).toBe(300);
    expect(body.quote).toMatchObject({ pricing: 'fixed', fare_xof: 300 });
  });
});

describe('who writes', () => {
  it('lets an admin add a quartier and a fare (stored in one order whichever way it is given)', async () => {
    const admin = clientFor('admin');
    const { data: n, error } = await admin
      .from('neighbourhoods')
      .insert({
        zone_id: TIASSALE,
        name: 'Quartier test Château',
        center_lat: 5.886,
        center_lng: -4.846,
        radius_m: 150,
      })
      .select()
      .single();
    expect(error).toBeNull();
    const fare = await admin
      .from('neighbourhood_fares')
      .insert({ neighbourhood_a_id: n!.id, neighbourhood_b_id: ID.neighbourhoodA, vehicle_type: 'moto', fare_xof: 250 })
      .select()
      .single();
    expect(fare.error).toBeNull();
    const [first, second] = [ID.neighbourhoodA, n!.id as string].sort();
    expect(fare.data).toMatchObject({ neighbourhood_a_id: first, neighbourhood_b_id: second });
    expect(await quote({ lat: 5.886, lng: -4.846 }, { lat: 5.885, lng: -4.84 })).toMatchObject({
      pricing: 'fixed',
      fare_xof: 250,
      neighbourhoods: { pickup: 'Quartier test Château', dropoff: 'Fixture A' },
    });
    // Everybody reads them, even without signing in.
    const anon = await clientFor('anon').from('neighbourhoods').select('name').eq('id', n!.id);
    expect(anon.data).toEqual([{ name: 'Quartier test Château' }]);
  });

  it('refuses non-admins and bad rows with a clear error, writing nothing', async () => {
    const customer = await clientFor('customer_a').from('neighbourhoods').insert({
      zone_id: TIASSALE,
      name: 'Quartier test pirate',
      center_lat: 5.886,
      center_lng: -4.846,
      radius_m: 150,
    });
    expect(customer.error?.message).toBe('new row violates row-level security policy for table "neighbourhoods"');
    const admin = clientFor('admin');
    const far = await admin
      .from('neighbourhoods')
      .insert({ zone_id: TIASSALE, name: 'Quartier test Abidjan', center_lat: 5.35, center_lng: -4.0, radius_m: 300 });
    expect(far.error?.message).toMatch(/km from the centre of Tiassalé, outside its 8.0 km radius/);
    const self = await admin.from('neighbourhood_fares').insert({
      neighbourhood_a_id: ID.neighbourhoodA,
      neighbourhood_b_id: ID.neighbourhoodA,
      vehicle_type: 'car',
      fare_xof: 900,
    });
    expect(self.error?.message).toBe(
      'a fixed fare joins two different neighbourhoods (a ride inside one neighbourhood uses the grid)',
    );
    const zones = await admin.from('neighbourhood_fares').insert({
      neighbourhood_a_id: ID.neighbourhoodA,
      neighbourhood_b_id: ID.neighbourhoodC,
      vehicle_type: 'car',
      fare_xof: 900,
    });
    expect(zones.error?.message).toBe('both neighbourhoods of a fixed fare must be in the same zone');
    const free = await admin.from('neighbourhood_fares').insert({
      neighbourhood_a_id: ID.neighbourhoodA,
      neighbourhood_b_id: ID.neighbourhoodB,
      vehicle_type: 'car',
      fare_xof: 0,
    });
    expect(free.error?.code).toBe('23514');
    const count = await db.query(
      `select (select count(*)::int from public.neighbourhoods where name like 'Quartier test%') as n,
              (select count(*)::int from public.neighbourhood_fares where vehicle_type = 'car'
                  and neighbourhood_a_id in ($1, $2)) as f`,
      [ID.neighbourhoodA, ID.neighbourhoodC],
    );
    expect(count.rows[0]).toEqual({ n: 0, f: 0 });
  });
});
