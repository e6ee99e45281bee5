// The courier app in a real browser against a real local stack with its Edge Functions: a seeded moto courier signs
// in by SMS code and goes online (sharing the phone's position); the seed's waiting delivery is offered to him and
// left to expire (said in words); a delivery placed by a customer and accepted by the store through the API reaches
// him live, he accepts it, marks it picked up while the browser is offline (queued, shown pending, sent when the
// network returns), a wrong customer code is refused in words, the right one delivers and the cash is collected;
// then the same for a ride (arrived, started with the rider's PIN, completed). An expired document is refused in
// words, and the day's earnings add up. Screenshots: e2e/screenshots/c*.png.
import type { Stack } from '@ecom/local-stack';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatXof } from '../../packages/domain/src/money.ts';
import { asService, moveOrder, signInByPhone } from '../lib/api.ts';
import { customerWithAddress, openOfferOf, placeDelivery, requestRide } from '../lib/courier-api.ts';
import { storeOpenAndCouriersOffline } from '../lib/courier-onboarding-api.ts';
import { startClientScenario, type ClientScenario } from '../lib/scenario.ts';

const COURIER = { national: '07 00 00 02 09', id: 'c1000000-0000-4000-8000-000000000209' }; // Drissa Sanogo, moto
const SEED_WAITING_ORDER = 'c3d40004-0000-4000-8000-000000000004'; // being prepared, no courier (seed/030)
const MERCHANT = '+2250700000111'; // Awa Traoré, owner of the maquis (seed/040_demo_accounts.sql)
const TANTIE_AWA = '51000000-0000-4000-8000-000000000001';
const NEAR_STORE = { latitude: 5.8993, longitude: -4.8212 };
const nbsp = (s: string) => s.replace(/ /g, '\u00a0');

let scenario: ClientScenario;
let stack: Stack;
let page: Page;
let merchant = '';

const shot = (name: string) => scenario.shot(name);
const byTest = (id: string) => page.locator(`[data-test="${id}"]`);
/** The courier's access token as the app holds it (a second SMS code within a minute would be refused). */
const appToken = () =>
  page.evaluate(
    () => (JSON.parse(localStorage.getItem('ecom.courier.auth') ?? '{}') as { access_token: string }).access_token,
  );
const orderRow = async (id: string) =>
  (
    (await asService(stack, `orders?id=eq.${id}&select=status,courier_id,cash_collected_at`)) as Record<
      string,
      unknown
    >[]
  )[0];

beforeAll(async () => {
  scenario = await startClientScenario({
    name: 'courier',
    app: 'courier',
    functions: true,
    prepare: async (s) => {
      // The maquis takes orders at any hour the suite runs; only our courier is online.
      await storeOpenAndCouriersOffline(s, TANTIE_AWA);
    },
  });
  ({ stack, page } = scenario);
  page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
  page.on(
    'console',
    (m) =>
      m.type() === 'error' && !m.text().startsWith('Failed to load resource') && console.log(`[console] ${m.text()}`),
  );
  await scenario.context.setGeolocation(NEAR_STORE);
  merchant = await signInByPhone(stack, MERCHANT);
});

afterAll(() => scenario?.stop());

describe('going online', () => {
  it('signs the courier in by SMS code (a short number refused in words first)', async () => {
    await page.goto('/sign-in');
    await byTest('phone').fill('07 00');
    await byTest('send-code').click();
    await expect
      .poll(() => byTest('error').textContent(), { timeout: 10_000 })
      .toBe('Numéro incomplet : il faut 10 chiffres.');
    await byTest('phone').fill(COURIER.national);
    await shot('c01-sign-in');
    await byTest('send-code').click();
    await byTest('code').pressSequentially('123456');
    await page.waitForURL((u) => u.pathname === '/');
    await expect.poll(() => byTest('duty-toggle').textContent(), { timeout: 10_000 }).toContain('Hors ligne');
  });

  it('goes online sharing the position, with a zone map that needs no tiles', async () => {
    await byTest('duty-toggle').click();
    await expect.poll(() => byTest('duty-toggle').textContent(), { timeout: 15_000 }).toContain('En ligne');
    await page.locator('[data-test="map"] .c-pin-courier').waitFor();
    const [presence] = (await asService(
      stack,
      `courier_presence?courier_id=eq.${COURIER.id}&select=online,lat,lng`,
    )) as {
      online: boolean;
      lat: number;
      lng: number;
    }[];
    expect(presence).toEqual({ online: true, lat: NEAR_STORE.latitude, lng: NEAR_STORE.longitude });
    await shot('c02-online');
  });

  it('shows the waiting delivery the seed left without a courier, and says clearly when the offer expired', async () => {
    await byTest('offer').waitFor({ timeout: 20_000 });
    const offerId = await openOfferOf(stack, COURIER.id, SEED_WAITING_ORDER);
    expect(offerId).not.toBeNull();
    await expect
      .poll(() => byTest('offer-pickup').textContent(), { timeout: 10_000 })
      .toContain('Maquis Chez Tantie Awa');
    // The courier lets the 20 seconds run out.
    await expect
      .poll(() => byTest('offer-closed').textContent(), { timeout: 30_000 })
      .toBe('Cette proposition a expiré.');
    expect(await byTest('offer-accept').count()).toBe(0);
    await shot('c12-offer-expired');
    // The server agrees: accepting it now is refused and the order stays without a courier.
    const refused = await fetch(`${stack.apiUrl}/functions/v1/courier/offers/${offerId}/accept`, {
      method: 'POST',
      headers: { apikey: stack.anonKey, Authorization: `Bearer ${await appToken()}` },
    });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toMatch(/^offer_(expired|closed)$/);
    expect((await orderRow(SEED_WAITING_ORDER))!.courier_id).toBeNull();
    await byTest('offer-close').click();
    await byTest('offer').waitFor({ state: 'detached' });
  });
});

describe('a delivery, with a step taken offline', () => {
  let order: { id: string; total_xof: number; delivery_code: string };

  it('receives the offer of an order the store accepted, live, and accepts it', async () => {
    const customer = await customerWithAddress(stack, 61, {
      lat: 5.9042,
      lng: -4.8262,
      landmark: 'Quartier Commerce, portail bleu après la pharmacie',
    });
    order = await placeDelivery(stack, customer, TANTIE_AWA, 'Jus de bissap', 10_000);
    await moveOrder(stack, merchant, order.id, { to: 'accepted', prep_minutes: 15 });
    await byTest('offer').waitFor({ timeout: 20_000 });
    await expect
      .poll(() => byTest('offer-pickup').textContent(), { timeout: 10_000 })
      .toContain('Maquis Chez Tantie Awa');
    await expect
      .poll(() => byTest('offer-dropoff').textContent())
      .toBe('Quartier Commerce, portail bleu après la pharmacie');
    const [row] = (await asService(stack, `orders?id=eq.${order.id}&select=delivery_fee_xof`)) as {
      delivery_fee_xof: number;
    }[];
    expect(await byTest('offer-earnings').textContent()).toContain(nbsp(formatXof(row!.delivery_fee_xof)));
    await shot('c03-offer');
    await byTest('offer-accept').click();
    await page.waitForURL(`**/jobs/order/${order.id}`);
    expect((await orderRow(order.id))!.courier_id).toBe(COURIER.id);
  });

  it('shows the way to the store, the customer to call and the cash to collect', async () => {
    await byTest('waiting-store').waitFor();
    await expect
      .poll(() => byTest('cash').textContent(), { timeout: 10_000 })
      .toContain(nbsp(formatXof(order.total_xof)));
    expect(await byTest('cash').textContent()).toContain(nbsp(formatXof(10_000 - order.total_xof)));
    expect(await byTest('call').getAttribute('href')).toBe('tel:+2250700000961');
    expect(await byTest('navigate').getAttribute('href')).toBe(
      'https://www.google.com/maps/dir/?api=1&destination=5.8991,-4.8214',
    );
    await page.locator('[data-test="map"] .c-pin-dropoff').waitFor();
    // The customer's gate photo, which Storage lets the courier of the active delivery read.
    await byTest('gate-photo').waitFor();
    await expect
      .poll(() => byTest('gate-photo').evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 10_000 })
      .toBe(192);
    await shot('c04-job-to-store');
    await moveOrder(stack, merchant, order.id, { to: 'preparing' });
    await moveOrder(stack, merchant, order.id, { to: 'ready' });
    await byTest('step-picked_up').waitFor({ timeout: 15_000 });
  });

  it('marks it picked up without a connection: queued, shown pending, sent when the network returns', async () => {
    await scenario.context.setOffline(true);
    try {
      await byTest('offline').waitFor();
      await byTest('step-picked_up').click();
      await expect
        .poll(() => byTest('pending-step').textContent(), { timeout: 10_000 })
        .toContain('Commande récupérée');
      await shot('c05-offline-pending');
      await page.waitForTimeout(1500);
      expect((await orderRow(order.id))!.status).toBe('ready');
    } finally {
      await scenario.context.setOffline(false);
    }
    await expect.poll(() => byTest('outcome-ok').first().textContent(), { timeout: 20_000 }).toContain('envoyé');
    expect(await byTest('pending').count()).toBe(0);
    expect((await orderRow(order.id))!.status).toBe('picked_up');
    const [event] = (await asService(
      stack,
      `order_events?order_id=eq.${order.id}&to_status=eq.picked_up&select=reported_at,reported_lat,reported_lng`,
    )) as { reported_at: string | null; reported_lat: number | null }[];
    expect(event!.reported_at).not.toBeNull();
    expect(event!.reported_lat).toBeCloseTo(NEAR_STORE.latitude, 3);
    await byTest('step-delivered').waitFor();
    await shot('c06-synced');
  });

  it('refuses a malformed and a wrong code in words, then delivers with the right one and collects the cash', async () => {
    await byTest('step-code').fill('12');
    await byTest('step-delivered').click();
    await expect
      .poll(() => byTest('code-error').textContent(), { timeout: 10_000 })
      .toBe('Le code de livraison a 4 chiffres.');
    const wrong = order.delivery_code === '0000' ? '1111' : '0000';
    await byTest('step-code').fill(wrong);
    await byTest('step-delivered').click();
    await expect
      .poll(() => byTest('outcome-refused').first().textContent(), { timeout: 15_000 })
      .toMatch(/Code de livraison incorrect\. Encore \d essais avant le blocage\./);
    expect((await orderRow(order.id))!.status).toBe('picked_up');
    await shot('c11-bad-code');
    await byTest('step-code').fill(order.delivery_code);
    await byTest('step-delivered').click();
    await byTest('step-cash_collected').waitFor({ timeout: 15_000 });
    await byTest('step-cash_collected').click();
    await byTest('job-done').waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await orderRow(order.id))!.cash_collected_at, { timeout: 10_000 }).not.toBeNull();
    expect((await orderRow(order.id))!.status).toBe('delivered');
    await shot('c07-delivered');
  });
});

describe('a ride', () => {
  let ride: { id: string; fare_quote_xof: number; start_pin: string };

  it('receives the ride offer live and accepts it', async () => {
    await byTest('back-home').click();
    await page.waitForURL((u) => u.pathname === '/');
    const rider = await signInByPhone(stack, '+2250700000962');
    ride = await requestRide(
      stack,
      rider,
      { lat: 5.8995, lng: -4.8216, landmark: 'Devant la pharmacie du marché' },
      { lat: 5.9101, lng: -4.8301, landmark: 'Gare routière, quai des taxis' },
    );
    await byTest('offer').waitFor({ timeout: 20_000 });
    await expect
      .poll(() => byTest('offer-pickup').textContent(), { timeout: 10_000 })
      .toContain('Devant la pharmacie du marché');
    expect(await byTest('offer-earnings').textContent()).toContain(nbsp(formatXof(ride.fare_quote_xof)));
    await shot('c08-ride-offer');
    await byTest('offer-accept').click();
    await page.waitForURL(`**/jobs/ride/${ride.id}`);
  });

  it('arrives, starts with the rider’s PIN and completes the ride', async () => {
    await byTest('step-arrived').click();
    await byTest('step-in_progress').waitFor({ timeout: 15_000 });
    await byTest('step-code').fill(ride.start_pin);
    await shot('c09-ride-pin');
    await byTest('step-in_progress').click();
    await byTest('step-completed').waitFor({ timeout: 15_000 });
    await byTest('step-completed').click();
    await byTest('job-done').filter({ hasText: 'Course terminée' }).waitFor({ timeout: 15_000 });
    const [row] = (await asService(stack, `rides?id=eq.${ride.id}&select=status,courier_id`)) as Record<
      string,
      unknown
    >[];
    expect(row).toEqual({ status: 'completed', courier_id: COURIER.id });
    await shot('c10-ride-done');
  });
});

describe('documents and earnings', () => {
  it('refuses a document that has already expired, in words, and records nothing', async () => {
    const before = ((await asService(stack, `courier_documents?courier_id=eq.${COURIER.id}&select=id`)) as unknown[])
      .length;
    await page.goto('/documents');
    await byTest('document').first().waitFor();
    await page.locator('[data-test^="renew-"]').first().click();
    await byTest('doc-expiry').fill('2020-01-15');
    await byTest('doc-photo').setInputFiles(
      new URL('../../apps/courier/public/icons/icon-512.png', import.meta.url).pathname,
    );
    await byTest('doc-send').click();
    await expect
      .poll(() => byTest('doc-error').textContent(), { timeout: 15_000 })
      .toBe('Ce document a expiré le 15 janvier 2020 : envoyez le document renouvelé.');
    expect(
      ((await asService(stack, `courier_documents?courier_id=eq.${COURIER.id}&select=id`)) as unknown[]).length,
    ).toBe(before);
    await shot('c13-document-expired');
  });

  it('adds up the day’s earnings: the delivery fee and the ride fare', async () => {
    const midnight = new Date(new Date().setHours(0, 0, 0, 0)).toISOString();
    const orders = (await asService(
      stack,
      `orders?courier_id=eq.${COURIER.id}&status=eq.delivered&delivered_at=gte.${midnight}&select=delivery_fee_xof`,
    )) as { delivery_fee_xof: number }[];
    const rides = (await asService(
      stack,
      `rides?courier_id=eq.${COURIER.id}&status=eq.completed&completed_at=gte.${midnight}&select=final_fare_xof`,
    )) as { final_fare_xof: number }[];
    expect(orders.length).toBeGreaterThanOrEqual(1);
    expect(rides.length).toBeGreaterThanOrEqual(1);
    const expected = [...orders.map((o) => o.delivery_fee_xof), ...rides.map((r) => r.final_fare_xof)].reduce(
      (a, b) => a + b,
      0,
    );
    await page.goto('/earnings');
    await byTest('earnings').waitFor();
    const today = await byTest('earn-today').textContent();
    expect(today).toBe(nbsp(formatXof(expected)));
    expect(await byTest('earned-job').count()).toBeGreaterThanOrEqual(2);
    await shot('c14-earnings');
  });

  it('speaks English when chosen, and stays online after a reload', async () => {
    await page.goto('/');
    await expect.poll(() => byTest('duty-toggle').textContent(), { timeout: 15_000 }).toContain('En ligne');
    await byTest('locale').click();
    await expect.poll(() => byTest('duty-toggle').textContent(), { timeout: 10_000 }).toContain('Online');
    expect(await byTest('duty-status').textContent()).toBe('You receive offers. Your position is shared.');
  });
});
