// Ordering and following an order in a real browser against a real local stack with its Edge Functions: sign in,
// a dish with an option from a seeded maquis, a new address placed with the map pin while map tiles do not load,
// cash with change; the placement's answer is lost once (the retry gets the same order, not a second one); the
// order shows "pending", then moves live, without a reload, when the store's merchant accepts it and starts
// preparing it through the API; history and "order again". Screenshots go to e2e/screenshots/ (git-ignored).
import type { Stack } from '@ecom/local-stack';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatXof } from '../../packages/domain/src/money.ts';
import { asService, courierAt, moveOrder, signInByPhone } from '../lib/api.ts';
import { signIn } from '../lib/browser.ts';
import { startClientScenario, type ClientScenario } from '../lib/scenario.ts';

const NUMBER = '07 00 00 03 11'; // +225 07 00 00 03 11, code 123456 (config.toml [auth.sms.test_otp])
const MERCHANT = '+2250700000111'; // Awa Traoré, Maquis Chez Tantie Awa (seed/040_demo_accounts.sql)
const TANTIE_AWA = '51000000-0000-4000-8000-000000000001';
// Drissa Sanogo, moto, approved, no seeded job (seed/030_tiassale_couriers.sql).
const COURIER = { phone: '+2250700000209', id: 'c1000000-0000-4000-8000-000000000209' };
const nbsp = (s: string) => s.replace(/ /g, '\u00a0');

let scenario: ClientScenario;
let stack: Stack;
let page: Page;
let orderId = '';
let previewTotal = 0;

const shot = (name: string) => scenario.shot(name);
const byTest = (id: string) => page.locator(`[data-test="${id}"]`);
const step = (status: string) => page.locator(`[data-test="timeline"] li[data-step="${status}"]`);

beforeAll(async () => {
  scenario = await startClientScenario({
    name: 'client-orders',
    functions: true,
    // The maquis takes orders at any hour the suite runs: one slot of 24 hours every day.
    prepare: (s) =>
      asService(s, `store_hours?store_id=eq.${TANTIE_AWA}`, {
        method: 'PATCH',
        body: JSON.stringify({ opens: '00:00', closes: '00:00', closes_next_day: true }),
      }).then(() => undefined),
  });
  ({ stack, page } = scenario);
});

afterAll(() => scenario?.stop());

describe('ordering and tracking', () => {
  it('puts a dish with an option from a maquis in the cart', async () => {
    await signIn(page, NUMBER);
    await page.goto('/stores/maquis-chez-tantie-awa');
    await byTest('product-row').filter({ hasText: 'Attiéké poisson braisé' }).click();
    await byTest('sheet').getByText('Capitaine').click();
    await expect.poll(() => byTest('add-to-cart').textContent()).toMatch(/Ajouter · 3\s500\sFCFA/);
    await byTest('add-to-cart').click();
    await byTest('sheet').waitFor({ state: 'detached' });
    await page.goto('/tabs/cart');
    await byTest('order').click();
    await byTest('checkout').waitFor();
  });

  it('adds an address with the map pin and a landmark while map tiles do not load', async () => {
    await byTest('address-form').waitFor();
    // A place outside the town we serve (Divo, 60 km away): refused in words, nothing saved.
    await scenario.context.setGeolocation({ latitude: 5.8372, longitude: -5.3572 });
    await byTest('address-form').getByRole('button', { name: 'Ma position' }).click();
    await expect.poll(() => byTest('address-coords').textContent()).toBe('Position : 5.83720, -5.35720');
    await byTest('address-landmark').fill('Carrefour de la gare');
    await byTest('address-save').click();
    await expect
      .poll(() => byTest('address-error').textContent())
      .toBe('Cet endroit est en dehors de la zone desservie.');
    await shot('13a-checkout-address-outside');
    expect(await byTest('address-option').count()).toBe(0);
    await byTest('address-landmark').fill('');
    await scenario.context.setGeolocation({ latitude: 5.8991, longitude: -4.8214 });
    await byTest('address-form').getByRole('button', { name: 'Ma position' }).click();
    await expect.poll(() => byTest('address-coords').textContent()).toBe('Position : 5.89910, -4.82140');
    // Tiles point at a closed port: the map says so and the pin still works.
    await byTest('map-offline').first().waitFor();
    expect(await byTest('map-offline').first().textContent()).toContain('la position et le repère suffisent');
    const before = await byTest('address-coords').textContent();
    await byTest('address-form')
      .locator('.leaflet-container')
      .click({ position: { x: 250, y: 60 } });
    await expect.poll(() => byTest('address-coords').textContent()).not.toBe(before);
    expect(await byTest('address-coords').textContent()).toMatch(/^Position : 5\.\d{5}, -4\.\d{5}$/);
    await byTest('address-save').click();
    await expect.poll(() => byTest('address-error').textContent()).toBe('Décrivez le repère en 3 caractères au moins.');
    await byTest('address-landmark').fill('Derrière la mosquée, portail bleu');
    await shot('13-checkout-address');
    await byTest('address-save').click();
    await byTest('address-option').waitFor();
    expect(await byTest('address-option').textContent()).toContain('Derrière la mosquée, portail bleu');
    await byTest('address-form').waitFor({ state: 'detached' });
  });

  it('shows the fee breakdown, the wallet refusal in words, and pays cash with change', async () => {
    await expect.poll(() => byTest('total-subtotal').textContent()).toBe(nbsp('3 500 FCFA'));
    const fee = Number((await byTest('total-delivery').textContent())!.replace(/\D/g, ''));
    expect(fee % 25).toBe(0);
    expect(fee).toBeGreaterThanOrEqual(300); // Tiassalé: 300 + 100 per km
    const total = Number((await byTest('total-total').textContent())!.replace(/\D/g, ''));
    expect(total).toBe(3500 + fee);
    previewTotal = total;
    // The wallet: its balance when there is one, and the server's answer in words (not open yet, or no funds).
    await byTest('pay-wallet').click();
    await byTest('wallet').waitFor();
    await byTest('place-order').click();
    await byTest('checkout-error').waitFor();
    expect(await byTest('checkout-error').textContent()).toMatch(/paiement|solde/i);
    await shot('14a-checkout-wallet-refused');
    await byTest('pay-cash').click();
    await byTest('cash-5000').click();
    await expect
      .poll(() => byTest('cash-change').textContent())
      .toBe(`Monnaie à vous rendre : ${formatXof(5000 - total)}`);
    await shot('14-checkout');
  });

  it('retries a placement whose answer was lost with the same key: one order, not two', async () => {
    let dropped: { order: { id: string } } | undefined;
    const keys: string[] = [];
    const loseAnswer = async (route: Route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      const answer = await route.fetch(); // the server places the order…
      dropped = (await answer.json()) as { order: { id: string } };
      await route.abort('timedout'); // …and the phone never hears it
    };
    await page.route('**/functions/v1/orders', loseAnswer);
    await byTest('place-order').click();
    await byTest('checkout-unknown').waitFor();
    expect(await byTest('checkout-unknown').textContent()).toContain('elle ne sera pas passée deux fois');
    await shot('15-checkout-no-answer');
    await page.unroute('**/functions/v1/orders', loseAnswer);
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/functions/v1/orders'))
        keys.push(r.headers()['idempotency-key'] ?? '');
    });
    await byTest('checkout-retry').click();
    await page.waitForURL('**/orders/*');
    orderId = new URL(page.url()).pathname.split('/').pop()!;
    expect(orderId).toBe(dropped?.order.id);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    const customerId = await page.evaluate(
      () => (JSON.parse(localStorage.getItem('ecom.client.auth') ?? '{}') as { user?: { id: string } }).user?.id,
    );
    const mine = (await asService(stack, `orders?select=id&customer_id=eq.${customerId}`)) as { id: string }[];
    expect(mine.map((o) => o.id)).toEqual([orderId]);
  });

  it('shows the order pending with its delivery code and the change from the server', async () => {
    await byTest('tracking').waitFor();
    expect(await byTest('order-status').getAttribute('data-status')).toBe('pending');
    expect(await byTest('order-status').textContent()).toBe('Envoyée au magasin');
    expect(await byTest('delivery-code').textContent()).toMatch(/^\d{4}$/);
    expect(await step('pending').getAttribute('data-state')).toBe('current');
    expect(await byTest('eta').textContent()).toBe('En attente de la réponse du magasin');
    // The server's total and change: the same as the preview.
    expect(await byTest('total-total').textContent()).toBe(formatXof(previewTotal));
    expect(await byTest('order-cash').textContent()).toBe(
      `Vous payez avec ${formatXof(5000)} : monnaie ${formatXof(5000 - previewTotal)}`,
    );
    await shot('16-tracking-pending');
  });

  it('moves the timeline live, without a reload, when the merchant accepts and prepares', async () => {
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    const merchant = await signInByPhone(stack, MERCHANT);
    await moveOrder(stack, merchant, orderId, { to: 'accepted', prep_minutes: 20 });
    await expect.poll(() => step('accepted').getAttribute('data-state'), { timeout: 15_000 }).toBe('current');
    expect(await byTest('order-status').textContent()).toBe('Acceptée');
    expect(await byTest('eta').textContent()).toMatch(/^Arrivée vers \d\d:\d\d \(environ \d+ min\)$/);
    expect(await byTest('cancel-order').count()).toBe(0); // accepted: no longer the customer's to cancel
    await shot('17-tracking-accepted');
    await moveOrder(stack, merchant, orderId, { to: 'preparing' });
    await expect.poll(() => step('preparing').getAttribute('data-state'), { timeout: 15_000 }).toBe('current');
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    await shot('18-tracking-preparing');
  });

  it('shows the courier once assigned, and moves their pin with each position, on the same page', async () => {
    // Dispatch assigns couriers (service role); the courier's app sends positions through the courier function.
    await asService(stack, `orders?id=eq.${orderId}`, {
      method: 'PATCH',
      body: JSON.stringify({ courier_id: COURIER.id }),
    });
    await expect
      .poll(() => byTest('courier-state').textContent(), { timeout: 15_000 })
      .toBe('Un coursier est en charge de votre commande.');
    const courier = await signInByPhone(stack, COURIER.phone);
    expect((await courierAt(stack, courier, { lat: 5.9, lng: -4.824 })).order_id).toBe(orderId);
    const pin = page.locator('[data-test="map"] .ecom-pin-courier');
    await pin.waitFor({ timeout: 15_000 });
    await byTest('courier-position').waitFor();
    const before = await pin.evaluate((el) => (el as HTMLElement).style.transform);
    await courierAt(stack, courier, { lat: 5.902, lng: -4.8225 });
    await expect.poll(() => pin.evaluate((el) => (el as HTMLElement).style.transform)).not.toBe(before);
    expect(await byTest('map-offline').textContent()).toContain('Carte indisponible');
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    await shot('18b-tracking-courier');
  });

  it('lists the order in the history and orders it again', async () => {
    await page.goto('/tabs/orders');
    const row = page.locator(`[data-test="order-row"][data-order-id="${orderId}"]`);
    await row.waitFor();
    expect(await row.locator('[data-test="order-status"]').textContent()).toBe('En préparation');
    expect(await row.textContent()).toContain('Maquis Chez Tantie Awa');
    await shot('19-order-history');
    await row.locator('[data-test="reorder"]').click();
    await page.waitForURL('**/tabs/cart');
    await expect.poll(() => byTest('cart-subtotal').textContent()).toBe(nbsp('3 500 FCFA'));
    expect(await byTest('cart-line').textContent()).toContain('Capitaine');
    await shot('20-reorder-cart');
  });
});
