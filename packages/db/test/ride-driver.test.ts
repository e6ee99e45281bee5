// rpc/ride_driver (migration 20261121200100_create_ride_driver_card): the rider of a ride reads the card of the
// driver who accepted it (first name, vehicle, plate, vest, rating), through PostgREST with their own token, as the
// customer app does. Anybody else — another customer, the driver, anon — is refused; before a driver accepts the
// card is null. Uses the seed's demo rides (seed/030_tiassale_couriers.sql): ride …001 of Kouadio Brou, driven by
// Koffi Kouassi; ride …002 of Aminata Kouyaté, still requested.
import { describe, expect, it } from 'vitest';
import { signJwt } from '../../local-stack/src/keys.ts';
import { stack } from '../../local-stack/test/stack.ts';

const KOUADIO = 'c2000000-0000-4000-8000-000000000222';
const AMINATA = 'c2000000-0000-4000-8000-000000000221';
const KOFFI = 'c1000000-0000-4000-8000-000000000202';
const RIDE_DRIVEN = 'c4a10001-0000-4000-8000-000000000001';
const RIDE_WAITING = 'c4b20002-0000-4000-8000-000000000002';

const tokenOf = (sub: string) =>
  signJwt(
    { sub, role: 'authenticated', aud: 'authenticated', exp: Math.floor(Date.now() / 1000) + 600 },
    stack().jwtSecret,
  );

async function rideDriver(who: string | null, rideId: string) {
  const s = stack();
  const res = await fetch(`${s.apiUrl}/rest/v1/rpc/ride_driver`, {
    method: 'POST',
    headers: {
      apikey: s.anonKey,
      authorization: `Bearer ${who ? tokenOf(who) : s.anonKey}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ ride_id: rideId }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> | null };
}

describe('rpc/ride_driver', () => {
  it("gives the rider their driver's first name, vehicle, plate, vest and rating, never a phone", async () => {
    const r = await rideDriver(KOUADIO, RIDE_DRIVEN);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      courier_id: KOFFI,
      first_name: 'Koffi',
      vehicle_type: 'moto',
      plate: '2462 TS 01',
      vest_number: '027',
    });
    expect(typeof r.body!.rating_count).toBe('number');
    expect(JSON.stringify(r.body)).not.toMatch(/2250700000202|phone/);
  });

  it('answers null while no driver has accepted the ride', async () => {
    const r = await rideDriver(AMINATA, RIDE_WAITING);
    expect([r.status, r.body]).toEqual([200, null]);
  });

  it('refuses another customer, the driver and anon with EO404 ride_not_found', async () => {
    for (const who of [AMINATA, KOFFI]) {
      const r = await rideDriver(who, RIDE_DRIVEN);
      expect([r.body?.code, r.body?.message]).toEqual(['EO404', 'ride_not_found']);
    }
    const anon = await rideDriver(null, RIDE_DRIVEN);
    expect([anon.status, anon.body?.code]).toEqual([401, '42501']);
  });
});
