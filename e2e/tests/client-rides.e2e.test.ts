// Riding in a real browser against a real local stack with its Edge Functions: sign in from Commerce, open Rides,
// choose the Gare routière as drop-off, see the three vehicles with their fixed neighbourhood fares, request a moto
// paid cash (the empty wallet is refused first), wait on the matching screen; a seeded moto driver (online near the
// pickup through the courier function) accepts the offer through the API and his card appears without a reload;
// his moves update the map and the distance; he arrives (the cancel warning names the fee the server quotes),
// starts with the rider's PIN, completes; the rider rates him and finds the ride in "Mes courses". Then a pickup
// outside the zone gets the server's words and nothing is requested. Map tiles never load. Screenshots go to
// e2e/screenshots/ (git-ignored).
import type { Stack } from '@ecom/local-stack';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatXof } from '../../packages/domain/src/money.ts';
import { asService, courierAt, signInByPhone } from '../lib/api.ts';
import { signIn } from '../lib/browser.ts';
import { acceptOffer, declineDeliveries, moveRide, openRideOffer } from '../lib/rides-api.ts';
import { startClientScenario, type ClientScenario } from '../lib/scenario.ts';

const NUMBER = '07 00 00 03 31'; // +225 07 00 00 03 31, code 123456 (config.toml [auth.sms.test_otp])
// Arouna Diabaté, moto 2464 TS 01, vest 044, approved, no seeded job (seed/030_tiassale_couriers.sql).
const DRIVER = { phone: '+2250700000204', id: 'c1000000-0000-4000-8000-000000000204' };
// Quartiers of seed/050_tiassale_neighbourhoods.sql: the rider stands in Commerce, goes to the Gare routière.
const COMMERCE = { latitude: 5.8952, longitude: -4.8192 };
const GARE = '5a1e0100-0000-4000-8000-000000000005';
const ABIDJAN = { latitude: 5.336, longitude: -4.0267 };

let scenario: ClientScenario;
let stack: Stack;
let page: Page;
let driver = '';
let rideId = '';

const shot = (name: string) => scenario.shot(name);
const byTest = (id: string) => page.locator(`[data-test="${id}"]`);
const step = (status: string) => page.locator(`[data-test="ride-steps"] li[data-step="${status}"]`);
const ridesOf = async (riderId: string) =>
  (await asService(stack, `rides?select=id,status,payment_method,fare_quote_xof&rider_id=eq.${riderId}`)) as {
    id: string;
    status: string;
    payment_method: string;
    fare_quote_xof: number;
  }[];
const riderId = () =>
  page.evaluate(
    () => (JSON.parse(localStorage.getItem('ecom.client.auth') ?? '{}') as { user?: { id: string } }).user?.id ?? '',
  );

beforeAll(async () => {
  scenario = await startClientScenario({
    name: 'client-rides',
    functions: true,
    // Only our driver may be offered the ride: the seed's other couriers go offline.
    prepare: (s) =>
      asService(s, `courier_presence?courier_id=neq.${DRIVER.id}`, {
        method: 'PATCH',
        body: JSON.stringify({ online: false }),
      }).then(() => undefined),
  });
  ({ stack, page } = scenario);
  await scenario.context.setGeolocation(COMMERCE);
});

afterAll(() => scenario?.stop());

describe('requesting and following a ride', () => {
  it('opens Rides from home and takes my position as the pickup', async () => {
    await signIn(page, NUMBER);
    await byTest('service-rides').click();
    await byTest('ride-request').waitFor();
    await byTest('pickup-me').click();
    await expect.poll(() => byTest('pickup-coords').textContent()).toBe('Position : 5.89520, -4.81920');
    await byTest('pickup-landmark').fill('Devant la pharmacie du marché');
    await shot('31-rides-request');
  });

  it('quotes each vehicle for a quartier drop-off, with the fixed neighbourhood fares', async () => {
    await byTest(`dropoff-hood:${GARE}`).click();
    expect(await byTest('dropoff-landmark').inputValue()).toBe('Gare routière');
    await byTest('vehicle-moto').locator('[data-test="vehicle-fare"]').waitFor();
    const fare = (v: string) => byTest(`vehicle-${v}`).locator('[data-test="vehicle-fare"]').textContent();
    expect(await fare('moto')).toBe(formatXof(300));
    expect(await fare('tricycle')).toBe(formatXof(400));
    expect(await fare('car')).toBe(formatXof(1000));
    expect(await byTest('vehicle-moto').locator('[data-test="vehicle-fixed"]').textContent()).toBe('prix fixe');
    expect(await byTest('vehicle-moto').getAttribute('aria-checked')).toBe('true');
    expect(await byTest('pay-cash').getAttribute('aria-checked')).toBe('true');
    expect(await byTest('request-ride').textContent()).toContain(`Commander · ${formatXof(300)}`);
    await byTest('quotes').scrollIntoViewIfNeeded();
    await shot('32-rides-quotes');
  });

  it('refuses the wallet in the server’s words when it cannot hold the fare, and creates no ride', async () => {
    await byTest('pay-wallet').click();
    await byTest('request-ride').click();
    await byTest('request-error').waitFor();
    // The server's own amounts (its spacing, not necessarily formatXof's).
    expect(await byTest('request-error').textContent()).toMatch(
      /^Solde insuffisant : votre portefeuille contient 0\sFCFA, il faut 300\sFCFA\.$/,
    );
    expect(await ridesOf(await riderId())).toEqual([]);
    await byTest('pay-cash').click();
  });

  it('requests a moto paid cash and waits on the matching screen', async () => {
    // The driver's app is on, a few hundred metres from the pickup, before the request (dispatch looks then).
    driver = await signInByPhone(stack, DRIVER.phone);
    await courierAt(stack, driver, { lat: 5.9, lng: -4.823 });
    await declineDeliveries(stack, driver, DRIVER.id);
    await courierAt(stack, driver, { lat: 5.9, lng: -4.823 });
    await byTest('request-ride').click();
    await page.waitForURL('**/rides/*');
    rideId = new URL(page.url()).pathname.split('/').pop()!;
    await byTest('matching').waitFor();
    expect(await byTest('matching').textContent()).toContain('Recherche d’un chauffeur…');
    expect(await byTest('ride-fare').textContent()).toBe(`Moto-taxi · ${formatXof(300)} à payer en espèces`);
    expect(await byTest('cancel-ride').count()).toBe(1);
    const mine = await ridesOf(await riderId());
    expect(mine).toEqual([{ id: rideId, status: 'requested', payment_method: 'cash', fare_quote_xof: 300 }]);
    await shot('33-rides-matching');
  });

  it('shows the driver card without a reload when the driver accepts, then follows him on the map', async () => {
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    const offer = await openRideOffer(stack, rideId);
    expect(offer.courier_id).toBe(DRIVER.id);
    await acceptOffer(stack, driver, offer.id);
    await byTest('driver-card').waitFor({ timeout: 15_000 });
    expect(await byTest('driver-name').textContent()).toBe('Arouna');
    expect(await byTest('driver-initials').textContent()).toBe('A');
    expect(await byTest('driver-plate').textContent()).toBe('2464 TS 01');
    expect(await byTest('driver-rating').textContent()).toContain('Pas encore d’avis');
    expect(await byTest('matching').count()).toBe(0);
    expect(await step('accepted').getAttribute('data-state')).toBe('current');
    expect(await byTest('ride-pin').textContent()).toMatch(/^\d{4}$/);
    // The rider can call him while the ride is on (rpc job_courier_contact).
    await byTest('call-driver').waitFor();
    expect(await byTest('call-driver').evaluate((el) => (el as HTMLElement & { href?: string }).href)).toBe(
      `tel:${DRIVER.phone}`,
    );
    // His phone sends positions: the pin and the distance move.
    await courierAt(stack, driver, { lat: 5.9035, lng: -4.8192 });
    const pin = page.locator('[data-test="map"] .ecom-pin-courier');
    await pin.waitFor({ timeout: 15_000 });
    await expect
      .poll(() => byTest('ride-eta').textContent())
      .toBe('Votre chauffeur est à 920\u00a0m, arrivée dans environ 3 min');
    const before = await pin.evaluate((el) => (el as HTMLElement).style.transform);
    await courierAt(stack, driver, { lat: 5.8972, lng: -4.8192 });
    await expect
      .poll(() => byTest('ride-eta').textContent())
      .toBe('Votre chauffeur est à 220\u00a0m, arrivée dans environ 1 min');
    await expect.poll(() => pin.evaluate((el) => (el as HTMLElement).style.transform)).not.toBe(before);
    expect(await byTest('map-offline').textContent()).toContain('Carte indisponible');
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    await shot('34-rides-driver');
  });

  it('shows the PIN when the driver arrives, and the fee the server quotes before a cancel', async () => {
    await moveRide(stack, driver, rideId, { to: 'arrived' });
    await expect.poll(() => step('arrived').getAttribute('data-state'), { timeout: 15_000 }).toBe('current');
    expect(await byTest('ride-eta').textContent()).toBe('Votre chauffeur est arrivé au point de départ');
    expect(await byTest('ride-pin').textContent()).toMatch(/^\d{4}$/);
    await shot('35-rides-pin');
    await byTest('cancel-ride').click();
    const alert = page.locator('ion-alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(`annuler maintenant vous coûte ${formatXof(200)}`);
    await alert.locator('.alert-button-role-cancel').click();
    await alert.waitFor({ state: 'detached' });
    expect((await ridesOf(await riderId()))[0]!.status).toBe('arrived');
  });

  it('starts with the rider’s PIN, completes, and the rider rates the driver', async () => {
    const pin = (await byTest('ride-pin').textContent())!;
    await expect(
      moveRide(stack, driver, rideId, { to: 'in_progress', pin: pin === '0000' ? '1111' : '0000' }),
    ).rejects.toThrow(/wrong_start_pin/);
    await moveRide(stack, driver, rideId, { to: 'in_progress', pin });
    await expect.poll(() => step('in_progress').getAttribute('data-state'), { timeout: 15_000 }).toBe('current');
    expect(await byTest('ride-pin').count()).toBe(0);
    expect(await byTest('cancel-ride').count()).toBe(0);
    await moveRide(stack, driver, rideId, { to: 'completed' });
    await byTest('ride-done').waitFor({ timeout: 15_000 });
    expect(await byTest('call-driver').count()).toBe(0); // the ride is over: no more number
    expect(await byTest('ride-done').textContent()).toBe(
      `Course terminée : ${formatXof(300)}. Merci d’avoir voyagé avec nous !`,
    );
    await byTest('star-5').click();
    await byTest('rate-send').click();
    await byTest('rated').waitFor();
    const ratings = (await asService(
      stack,
      `ratings?select=courier_id,stars,target&ride_id=eq.${rideId}`,
    )) as unknown[];
    expect(ratings).toEqual([{ courier_id: DRIVER.id, stars: 5, target: 'courier' }]);
    await shot('36-rides-done');
  });

  it('lists the ride in my rides', async () => {
    await page.goto('/rides');
    await byTest('rides-tab-mine').click();
    const row = page.locator(`[data-test="ride-row"][data-ride-id="${rideId}"]`);
    await row.waitFor();
    expect(await row.locator('[data-test="ride-row-status"]').textContent()).toBe('Terminée');
    expect(await row.textContent()).toContain('Devant la pharmacie du marché → Gare routière');
  });

  it('refuses a pickup outside the zone in the server’s words, and requests nothing', async () => {
    await scenario.context.setGeolocation(ABIDJAN);
    await page.goto('/rides');
    await byTest('pickup-me').click();
    await expect.poll(() => byTest('pickup-coords').textContent()).toBe('Position : 5.33600, -4.02670');
    await byTest(`dropoff-hood:${GARE}`).click();
    await byTest('quote-refusal').waitFor();
    expect(await byTest('quote-refusal').textContent()).toContain(
      'Le point de départ est en dehors de la zone desservie.',
    );
    expect(await byTest('request-ride').count()).toBe(0);
    expect((await ridesOf(await riderId())).length).toBe(1);
    await shot('37-rides-refused');
  });

  it('cancels a ride still looking for a driver, free of charge', async () => {
    await scenario.context.setGeolocation(COMMERCE);
    await page.goto('/rides');
    await byTest('pickup-me').click();
    await byTest('pickup-landmark').fill('Devant la pharmacie du marché');
    await byTest(`dropoff-hood:${GARE}`).click();
    await byTest('vehicle-car').locator('[data-test="vehicle-fare"]').waitFor();
    await byTest('vehicle-car').click();
    await byTest('request-ride').click();
    await page.waitForURL('**/rides/*');
    const id = new URL(page.url()).pathname.split('/').pop()!;
    await byTest('matching').waitFor();
    // Leaving and coming back: Rides leads back to the ride still going on.
    await page.goto('/rides');
    await byTest('active-ride').waitFor();
    expect(await byTest('active-ride').textContent()).toContain('Course en cours · Recherche');
    await byTest('active-ride').click();
    await page.waitForURL(`**/rides/${id}`);
    await byTest('matching').waitFor();
    await byTest('cancel-ride').click();
    const alert = page.locator('ion-alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('L’annulation est gratuite tant que le chauffeur n’est pas arrivé.');
    await alert.locator('.alert-button-role-confirm').click();
    await byTest('ride-cancelled').waitFor({ timeout: 15_000 });
    expect(await byTest('ride-cancelled').textContent()).toContain('Course annulée.');
    expect(await step('cancelled').getAttribute('data-state')).toBe('current');
    const row = ((await ridesOf(await riderId())) as { id: string; status: string }[]).find((r) => r.id === id);
    expect(row?.status).toBe('cancelled');
  });

  it('says so in words when no driver accepts within five minutes', async () => {
    // A tricycle: the seed's tricycle drivers are offline, so nobody gets the offer.
    await page.goto('/rides');
    await byTest('pickup-me').click();
    await byTest('pickup-landmark').fill('Devant la pharmacie du marché');
    await byTest(`dropoff-hood:${GARE}`).click();
    await byTest('vehicle-tricycle').locator('[data-test="vehicle-fare"]').waitFor();
    await byTest('vehicle-tricycle').click();
    await byTest('request-ride').click();
    await page.waitForURL('**/rides/*');
    const id = new URL(page.url()).pathname.split('/').pop()!;
    await byTest('matching').waitFor();
    // Five minutes pass (fixture: the request's event is dated back; expiry counts from it); the dispatch clock
    // (every 5 s) expires the ride.
    const past = new Date(Date.now() - 6 * 60_000).toISOString();
    await asService(stack, `ride_events?ride_id=eq.${id}&to_status=eq.requested`, {
      method: 'PATCH',
      body: JSON.stringify({ created_at: past }),
    });
    await byTest('ride-expired').waitFor({ timeout: 20_000 });
    expect(await byTest('ride-expired').textContent()).toContain('Aucun chauffeur n’a accepté votre course.');
    expect(await byTest('matching').count()).toBe(0);
    expect(await byTest('cancel-ride').count()).toBe(0);
    expect(await byTest('ride-again').count()).toBe(1);
    await shot('37b-rides-expired');
  });
});
