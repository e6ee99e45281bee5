// The whole platform at once (issue 11): one local stack with the Tiassalé seed and its Edge Functions, the four
// apps built for it, and one Chromium with a context per person, side by side: customers on the client app (phones),
// the owner of Maquis Chez Tantie Awa on the merchant app (a tablet), two moto couriers on the courier app (phones),
// and the seeded admin (+225 07 00 00 01 20) on the admin dashboard (a laptop). The admin signs in on screen; the
// ledger reads "as the admin" through the API use the admin's own token (the dashboard's, from its storage).
// Five scenarios, in order:
//   p1  a cash order with change, from the order to the ledger: accepted live (ringing), offered to the nearest
//       courier, picked up, the courier seen moving on the customer's map, delivered with the customer's code, cash
//       collected; the admin's live map shows the courier on the job; then every balance screen agrees with the
//       ledger and the invariants hold, and the admin finds the order by the customer's number: timeline and ledger
//       entries agreeing with the merchant's and the courier's screens;
//   p2  the same paid from the wallet after a sandbox mobile-money top-up confirmed with the PIN;
//   p3  a moto-taxi ride from request to rating;
//   p4  a store that does not answer: the order times out and the wallet hold comes back (the customer reads why in
//       French; the admin sees the system's cancellation and the hold released);
//   p5  two couriers tap accept on the same job at the same moment: one wins, the other is told.
// Screenshots: e2e/screenshots/p<scenario>-<step>-….png. The file prints how long the five took together.
import type { Stack } from '@ecom/local-stack';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatXof } from '../../packages/domain/src/money.ts';
import { asService, courierAt } from '../lib/api.ts';
import { signIn } from '../lib/browser.ts';
import { topUp } from '../lib/merchant-api.ts';
import {
  ADMIN,
  adminFindsOrder,
  adminPostings,
  byTest,
  checkoutAtTantieAwa,
  COURIER_A,
  COURIER_B,
  customerNumber,
  ledgerAsAdmin,
  ledgerViolations,
  MERCHANT,
  offersOf,
  orderPostingsAsAdmin,
  placeFromCheckout,
  plain,
  readAs,
  reissueOffer,
  runOrderClockFor,
  SEED_WAITING_ORDER,
  shortRef,
  signedInId,
  squash,
  storedToken,
  staffSignIn,
  TANTIE_AWA,
} from '../lib/platform.ts';
import { startAppsScenario, type AppPage, type AppsScenario } from '../lib/scenario.ts';
import { confirmOnPhone, paymentIntents, walletBalances } from '../lib/wallet-api.ts';

// Places (central Tiassalé): the maquis, courier A a street away, courier B across town (farther from everything).
const NEAR_STORE = { latitude: 5.8993, longitude: -4.8212 };
const ACROSS_TOWN = { latitude: 5.9085, longitude: -4.8335 };
const CUSTOMER_HOME = { latitude: 5.9042, longitude: -4.8262 };
// The route courier A rides from the maquis to the customer: each point a presence update his app sends.
const ROUTE = [
  { latitude: 5.9005, longitude: -4.8225 },
  { latitude: 5.9018, longitude: -4.8238 },
  { latitude: 5.9031, longitude: -4.8251 },
];
// Rides: the rider stands in Commerce and goes to the Gare routière (seed/050_tiassale_neighbourhoods.sql).
const COMMERCE = { latitude: 5.8952, longitude: -4.8192 };
const GARE = '5a1e0100-0000-4000-8000-000000000005';
const TAKEN = 'Cette course a déjà été prise par un autre coursier.';

let scenario: AppsScenario;
let stack: Stack;
let admin = '';
let adminApp: AppPage;
let merchant: AppPage;
let courierA: AppPage;
let courierB: AppPage;
const t0 = performance.now();

const customerPage = async (n: number, at: { latitude: number; longitude: number }) => {
  const c = await scenario.open('client', { geolocation: at });
  await signIn(c.page, customerNumber(n).national);
  return c;
};
const orderRow = async (id: string) =>
  (
    (await asService(
      stack,
      `orders?id=eq.${id}&select=status,courier_id,total_xof,subtotal_xof,delivery_fee_xof,cash_collected_at`,
    )) as {
      status: string;
      courier_id: string | null;
      total_xof: number;
      subtotal_xof: number;
      delivery_fee_xof: number;
      cash_collected_at: string | null;
    }[]
  )[0]!;
const merchantOrder = (id: string) => merchant.page.locator(`[data-test="queue-order"][data-order="${id}"]`);
const pinTransform = (p: Page) =>
  p.locator('[data-test="map"] .ecom-pin-courier').evaluate((el) => (el as HTMLElement).style.transform);

/**
 * A courier on the home screen, online, at `at`: his phone's GPS there and one presence sent now through
 * POST /courier/presence with his app's token (an idle app sends one every 10 s, dispatch wants one under 30 s
 * old; sent now so that the scenario need not wait for the next one).
 */
async function courierWaitsAt(c: AppPage, at: { latitude: number; longitude: number }) {
  await c.context.setGeolocation(at);
  await c.page.goto('/');
  await expect.poll(() => byTest(c.page, 'duty-toggle').textContent(), { timeout: 15_000 }).toContain('En ligne');
  const token = await c.page.evaluate(
    () => (JSON.parse(localStorage.getItem('ecom.courier.auth') ?? '{}') as { access_token: string }).access_token,
  );
  await courierAt(stack, token, { lat: at.latitude, lng: at.longitude });
}

/** The merchant's tablet shows the order queue, marked so that a reload would show (orders must arrive live). */
async function merchantWatchesQueue() {
  await merchant.page.goto('/tabs/orders');
  await byTest(merchant.page, 'queue').waitFor();
  await merchant.page.evaluate(() => ((window as unknown as { watching: boolean }).watching = true));
}
const merchantDidNotReload = () =>
  merchant.page.evaluate(() => (window as unknown as { watching?: boolean }).watching === true);

/** The merchant answers a new order on the tablet: it arrived without a reload and rang; accept with 15 minutes. */
async function merchantAccepts(orderId: string, shotPrefix: string) {
  const { page } = merchant;
  await merchantOrder(orderId).waitFor({ timeout: 15_000 });
  expect(await merchantDidNotReload()).toBe(true);
  await byTest(page, 'alarm').waitFor();
  expect(await byTest(page, 'alarm').textContent()).toContain('Nouvelle commande');
  await merchant.shot(`${shotPrefix}-merchant-ringing`);
  await merchantOrder(orderId).click();
  await byTest(page, 'prep-15').click();
  await byTest(page, 'accept').click();
  await expect.poll(() => byTest(page, 'order-status').textContent(), { timeout: 10_000 }).toBe('Acceptée');
}

/** The merchant starts preparing and marks the order ready, on the order's page. */
async function merchantReadies(shot: string) {
  const { page } = merchant;
  await byTest(page, 'start-preparing').click();
  await expect.poll(() => byTest(page, 'order-status').textContent(), { timeout: 10_000 }).toBe('En préparation');
  await byTest(page, 'mark-ready').click();
  await expect.poll(() => byTest(page, 'order-status').textContent(), { timeout: 10_000 }).toBe('Prête');
  await merchant.shot(shot);
}

/** A courier's phone shows an offer for the maquis; he accepts it and lands on the job. */
async function courierAcceptsOffer(c: AppPage, orderId: string, shot: string) {
  await byTest(c.page, 'offer').waitFor({ timeout: 25_000 });
  await expect
    .poll(() => byTest(c.page, 'offer-pickup').textContent(), { timeout: 10_000 })
    .toContain('Maquis Chez Tantie Awa');
  await c.shot(shot);
  await byTest(c.page, 'offer-accept').click();
  await c.page.waitForURL(`**/jobs/order/${orderId}`);
}

/** Money screens against the ledger, read as the admin: merchant money page, courier earnings, customer wallet. */
async function balanceScreensAgree(customer: AppPage, customerId: string, courierId: string, prefix: string) {
  const ledger = await ledgerAsAdmin(stack, admin, [TANTIE_AWA.id, courierId, customerId]);
  await merchant.page.goto('/tabs/money');
  await expect
    .poll(async () => plain(await byTest(merchant.page, 'wallet-balance').textContent()), { timeout: 15_000 })
    .toBe(plain(formatXof(ledger.balance('merchant_wallet', TANTIE_AWA.id))));
  await merchant.shot(`${prefix}-merchant-money`);
  await courierA.page.goto('/earnings');
  await byTest(courierA.page, 'earnings').waitFor();
  expect(plain(await courierA.page.getByText(/^Solde à recevoir :/).textContent())).toBe(
    plain(`Solde à recevoir : ${formatXof(ledger.balance('courier_wallet', courierId))}`),
  );
  expect(plain(await byTest(courierA.page, 'cash-in-hand').textContent())).toBe(
    plain(`Espèces en main : ${formatXof(Math.max(0, -ledger.balance('courier_cash', courierId)))}`),
  );
  await courierA.shot(`${prefix}-courier-earnings`);
  await customer.page.goto('/wallet');
  await expect
    .poll(async () => plain(await byTest(customer.page, 'wallet-balance').textContent()), { timeout: 15_000 })
    .toBe(plain(formatXof(ledger.balance('customer_wallet', customerId))));
  expect(ledger.balance('customer_hold', customerId)).toBe(0);
  expect(await byTest(customer.page, 'wallet-hold').count()).toBe(0);
  await customer.shot(`${prefix}-customer-wallet`);
  expect(await ledgerViolations(stack)).toEqual([]);
  return ledger;
}

/** Courier A's job from the maquis to the door: picked up, the route ridden, delivered with the code. */
async function deliverWithCode(customer: AppPage, orderId: string, prefix: string, wrongCodeFirst = false) {
  const { page } = courierA;
  await byTest(page, 'step-picked_up').waitFor({ timeout: 15_000 });
  await byTest(page, 'step-picked_up').click();
  await byTest(page, 'step-delivered').waitFor({ timeout: 15_000 });
  await expect.poll(async () => (await orderRow(orderId)).status, { timeout: 15_000 }).toBe('picked_up');
  await expect
    .poll(() => byTest(customer.page, 'order-status').getAttribute('data-status'), { timeout: 15_000 })
    .toBe('picked_up');
  // On the way: his phone's GPS moves, his app sends each position (every 5 s on a job), the customer's pin moves.
  const pin = customer.page.locator('[data-test="map"] .ecom-pin-courier');
  await pin.waitFor({ timeout: 20_000 });
  let seen = await pinTransform(customer.page);
  const positions = new Set([seen]);
  for (const point of ROUTE) {
    await courierA.context.setGeolocation(point);
    await expect.poll(() => pinTransform(customer.page), { timeout: 20_000, interval: 250 }).not.toBe(seen);
    seen = await pinTransform(customer.page);
    positions.add(seen);
  }
  expect(positions.size).toBeGreaterThanOrEqual(ROUTE.length);
  await customer.shot(`${prefix}-customer-courier-moving`);
  // At the door: the code the customer reads out from their screen.
  const code = (await byTest(customer.page, 'delivery-code').textContent())!.trim();
  expect(code).toMatch(/^\d{4}$/);
  await courierA.context.setGeolocation(CUSTOMER_HOME);
  if (wrongCodeFirst) {
    // A misheard code: refused in words, nothing delivered.
    await byTest(page, 'step-code').fill(code === '0000' ? '1111' : '0000');
    await byTest(page, 'step-delivered').click();
    await expect
      .poll(() => byTest(page, 'outcome-refused').first().textContent(), { timeout: 15_000 })
      .toMatch(/refusé :\s*Code de livraison incorrect\. Encore \d essais avant le blocage\./);
    expect((await orderRow(orderId)).status).toBe('picked_up');
    await courierA.shot(`${prefix}-courier-wrong-code`);
  }
  await byTest(page, 'step-code').fill(code);
  await courierA.shot(`${prefix}-courier-code`);
  await byTest(page, 'step-delivered').click();
}

beforeAll(async () => {
  scenario = await startAppsScenario({
    name: 'platform',
    apps: ['client', 'merchant', 'courier', 'admin'],
    functions: true,
    prepare: async (s) => {
      // The maquis takes orders at any hour the suite runs; no seeded courier is online (their presence is the
      // seed's, stale or not): only the couriers of this file will be.
      await asService(s, `store_hours?store_id=eq.${TANTIE_AWA.id}`, {
        method: 'PATCH',
        body: JSON.stringify({ opens: '00:00', closes: '00:00', closes_next_day: true }),
      });
      await asService(s, `stores?id=eq.${TANTIE_AWA.id}`, {
        method: 'PATCH',
        body: JSON.stringify({ status: 'open', busy_until: null }),
      });
      await asService(s, 'courier_presence?online=is.true', {
        method: 'PATCH',
        body: JSON.stringify({ online: false }),
      });
    },
  });
  stack = scenario.stack;
});

afterAll(async () => {
  console.log(`[e2e platform] the five scenarios: ${Math.round((performance.now() - t0) / 1000)} s in all`);
  await scenario?.stop();
});

describe('the team on duty', () => {
  it('the admin signs in on a laptop and takes the seed’s courierless order off the board', async () => {
    // It would be offered to our couriers by the dispatch clock in the middle of the scenarios.
    adminApp = await scenario.open('admin', {
      viewport: { width: 1366, height: 860 },
      deviceScaleFactor: 1,
      isMobile: false,
      hasTouch: false,
    });
    const { page } = adminApp;
    await staffSignIn(page, ADMIN.national, (u) => u.pathname === '/');
    await byTest(page, 'kpi-orders').waitFor();
    admin = await storedToken(page, 'admin');
    await page.goto(`/orders/${SEED_WAITING_ORDER}`);
    await byTest(page, 'cancel').click();
    await byTest(page, 'action-reason').fill('Commande de démonstration');
    await byTest(page, 'action-confirm').click();
    await byTest(page, 'action-answer').waitFor({ timeout: 15_000 });
    await expect.poll(() => byTest(page, 'status').textContent(), { timeout: 10_000 }).toBe('Annulée');
    await adminApp.shot('p0-00-admin-seed-order-cancelled');
    expect((await orderRow(SEED_WAITING_ORDER)).status).toBe('cancelled');
  });

  it('the merchant signs in on a tablet, two couriers on their phones and go online', async () => {
    // They stay signed in for the whole file (a seeded number gets one SMS code a minute).
    merchant = await scenario.open('merchant', { viewport: { width: 800, height: 1280 }, deviceScaleFactor: 1 });
    await staffSignIn(merchant.page, MERCHANT.national, (u) => u.pathname === '/tabs/orders');
    await expect.poll(() => byTest(merchant.page, 'store-name').textContent()).toBe('Maquis Chez Tantie Awa');
    courierA = await scenario.open('courier', { geolocation: NEAR_STORE });
    courierB = await scenario.open('courier', { geolocation: ACROSS_TOWN });
    for (const [c, who] of [
      [courierA, COURIER_A],
      [courierB, COURIER_B],
    ] as const) {
      await staffSignIn(c.page, who.national, (u) => u.pathname === '/');
      await byTest(c.page, 'duty-toggle').click();
      await expect.poll(() => byTest(c.page, 'duty-toggle').textContent(), { timeout: 15_000 }).toContain('En ligne');
    }
    await merchant.shot('p0-01-merchant-queue');
    await courierA.shot('p0-02-courier-online');
  });
});

describe('p1: a cash order with change, from the phone to the ledger', () => {
  let customer: AppPage;
  let customerId = '';
  let orderId = '';
  let total = 0;

  it('the customer orders from the maquis and pays cash with a 5 000 FCFA note', async () => {
    customer = await customerPage(11, CUSTOMER_HOME);
    customerId = await signedInId(customer.page, 'client');
    total = await checkoutAtTantieAwa(
      customer.page,
      { method: 'cash', tendered: 5000 },
      'Quartier Commerce, portail bleu',
    );
    expect(plain(await byTest(customer.page, 'cash-change').textContent())).toBe(
      plain(`Monnaie à vous rendre : ${formatXof(5000 - total)}`),
    );
    await customer.shot('p1-01-customer-checkout');
    await merchantWatchesQueue();
    orderId = await placeFromCheckout(customer.page);
    expect(await byTest(customer.page, 'order-status').getAttribute('data-status')).toBe('pending');
    expect((await orderRow(orderId)).total_xof).toBe(total);
    await customer.shot('p1-02-customer-pending');
  });

  it('the order arrives live on the merchant’s tablet, rings, and is accepted; the customer sees it at once', async () => {
    await courierWaitsAt(courierA, NEAR_STORE);
    await courierWaitsAt(courierB, ACROSS_TOWN);
    await merchantAccepts(orderId, 'p1-03');
    expect(plain(await byTest(merchant.page, 'order-change').textContent())).toBe(
      plain(`Le client paie avec ${formatXof(5000)} : prévoir ${formatXof(5000 - total)} de monnaie.`),
    );
    await merchant.shot('p1-04-merchant-accepted');
    await expect
      .poll(() => byTest(customer.page, 'order-status').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('accepted');
    await customer.shot('p1-05-customer-accepted');
  });

  it('dispatch offers it to the nearest online courier (A, a street away), not to B across town', async () => {
    await courierAcceptsOffer(courierA, orderId, 'p1-06-courier-offer');
    expect(await byTest(courierB.page, 'offer').count()).toBe(0);
    const offers = await offersOf(stack, orderId);
    expect(offers.map((o) => [o.courier_id, o.status])).toEqual([[COURIER_A.id, 'accepted']]);
    expect((await orderRow(orderId)).courier_id).toBe(COURIER_A.id);
    // The courier sees the cash to collect and the change to give.
    await expect
      .poll(async () => plain(await byTest(courierA.page, 'cash').textContent()), { timeout: 10_000 })
      .toContain(plain(formatXof(total)));
    expect(plain(await byTest(courierA.page, 'cash').textContent())).toContain(plain(formatXof(5000 - total)));
    await courierA.shot('p1-07-courier-job');
    await expect
      .poll(() => byTest(customer.page, 'courier-state').textContent(), { timeout: 15_000 })
      .toBe('Un coursier est en charge de votre commande.');
    // The admin's live map: courier A on this job (his row links to the order), the order among those in progress.
    const { page } = adminApp;
    await page.locator('[data-test="nav-nav.map"]').click();
    await byTest(page, 'legend').waitFor();
    const jobLink = page.locator(`a[href="/orders/${orderId}"]`);
    const courierRow = page.locator('tr').filter({ has: jobLink }).filter({ hasText: 'Jean-Marc Yao' });
    await expect.poll(() => courierRow.count(), { timeout: 15_000 }).toBe(1);
    expect(squash(await courierRow.textContent())).toContain('En course');
    // The order among those in progress, by its short number, picked up.
    const orderLine = page.locator('tr').filter({ has: jobLink }).filter({ hasNotText: 'Jean-Marc Yao' });
    expect(squash(await orderLine.textContent())).toContain(shortRef(orderId));
    expect(Number(await byTest(page, 'count-on_job').locator('strong').textContent())).toBeGreaterThanOrEqual(1);
    await adminApp.shot('p1-07b-admin-live-map');
  });

  it('the merchant marks it ready; the courier picks it up and the customer follows him on the map', async () => {
    await merchantReadies('p1-08-merchant-ready');
    await deliverWithCode(customer, orderId, 'p1-09');
    await byTest(courierA.page, 'step-cash_collected').waitFor({ timeout: 15_000 });
    await expect
      .poll(() => byTest(customer.page, 'order-status').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('delivered');
    await customer.shot('p1-10-customer-delivered');
  });

  it('the courier collects the cash; the job is done', async () => {
    await byTest(courierA.page, 'step-cash_collected').click();
    await byTest(courierA.page, 'job-done').waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await orderRow(orderId)).cash_collected_at, { timeout: 10_000 }).not.toBeNull();
    await courierA.shot('p1-11-courier-done');
  });

  it('the ledger (read as the admin) and every app’s balance screen agree', async () => {
    const row = await orderRow(orderId);
    const postings = await orderPostingsAsAdmin(stack, admin, orderId);
    // Cash: the courier holds the whole total for Ecom; the merchant, the courier and the platform share it.
    expect(postings.courier_cash).toBe(-row.total_xof);
    expect((postings.merchant_wallet ?? 0) + (postings.courier_wallet ?? 0) + (postings.platform_revenue ?? 0)).toBe(
      row.total_xof,
    );
    expect(postings.merchant_wallet).toBeGreaterThan(0);
    expect(postings.merchant_wallet).toBeLessThanOrEqual(row.subtotal_xof);
    expect(postings.courier_wallet).toBeGreaterThan(0);
    expect(postings.courier_wallet).toBeLessThanOrEqual(row.delivery_fee_xof);
    const ledger = await balanceScreensAgree(customer, customerId, COURIER_A.id, 'p1-12');
    expect(ledger.balance('courier_cash', COURIER_A.id)).toBe(-row.total_xof);
    expect(ledger.balance('courier_wallet', COURIER_A.id)).toBe(postings.courier_wallet);
    // The merchant's settlement of this order shows what the ledger gave them.
    const settlement = merchant.page.locator('[data-test="settlement"]').filter({ hasText: `#${shortRef(orderId)}` });
    await settlement.waitFor();
    const shown = plain(await settlement.textContent());
    expect(shown).toContain(plain(formatXof(row.subtotal_xof)));
    expect(shown).toContain(plain(`−${formatXof(row.subtotal_xof - postings.merchant_wallet!)}`));
    expect(shown).toContain(plain(formatXof(postings.merchant_wallet!)));
    // The customer's history shows the order delivered, at its total.
    await customer.page.goto('/tabs/orders');
    const history = customer.page.locator(`[data-test="order-row"][data-order-id="${orderId}"]`);
    await history.waitFor();
    expect(await history.locator('[data-test="order-status"]').textContent()).toBe('Livrée');
    await customer.shot('p1-13-customer-history');
    await customer.context.close();
  });

  it('the admin finds the order by the customer’s number: timeline and ledger agree with every screen', async () => {
    const { page } = adminApp;
    await adminFindsOrder(page, customerNumber(11).national, orderId, 'Livrée');
    await adminApp.shot('p1-14-admin-order-search');
    await page.locator(`[data-test="order-${orderId}"]`).click();
    await byTest(page, 'timeline').waitFor();
    await byTest(page, 'timeline').scrollIntoViewIfNeeded();
    await adminApp.shot('p1-15-admin-order-timeline');
    expect(await byTest(page, 'status').textContent()).toBe('Livrée');
    // Every step, in order, with who did it.
    const timeline = squash(await byTest(page, 'timeline').textContent());
    let at = -1;
    for (const step of ['Acceptée', 'En préparation', 'Prête', 'Récupérée', 'Livrée']) {
      const next = timeline.indexOf(`→ ${step}`, at + 1);
      expect(next, step).toBeGreaterThan(at);
      at = next;
    }
    // The ledger entries on the admin's screen are the API's, and their balances the apps' screens.
    const shown = await adminPostings(page);
    const postings = await orderPostingsAsAdmin(stack, admin, orderId);
    for (const kind of ['courier_cash', 'merchant_wallet', 'courier_wallet', 'platform_revenue'] as const) {
      expect(shown.sum(kind), kind).toBe(postings[kind] ?? 0);
    }
    const ledger = await ledgerAsAdmin(stack, admin, [TANTIE_AWA.id, COURIER_A.id]);
    expect(shown.lastBalance('merchant_wallet')).toBe(ledger.balance('merchant_wallet', TANTIE_AWA.id));
    expect(shown.lastBalance('courier_wallet')).toBe(ledger.balance('courier_wallet', COURIER_A.id));
    // …which the merchant's money page and the courier's earnings showed above (p1-12): read them again.
    await merchant.page.goto('/tabs/money');
    await expect
      .poll(async () => plain(await byTest(merchant.page, 'wallet-balance').textContent()), { timeout: 15_000 })
      .toBe(plain(formatXof(shown.lastBalance('merchant_wallet'))));
    // Nothing paid out yet: money out is "0 FCFA", with no sign.
    expect(plain(await byTest(merchant.page, 'statement-debits').textContent())).toBe(plain(formatXof(0)));
    await courierA.page.goto('/earnings');
    await byTest(courierA.page, 'earnings').waitFor();
    expect(plain(await courierA.page.getByText(/^Solde à recevoir :/).textContent())).toBe(
      plain(`Solde à recevoir : ${formatXof(shown.lastBalance('courier_wallet'))}`),
    );
    expect(plain(await byTest(courierA.page, 'cash-in-hand').textContent())).toBe(
      plain(`Espèces en main : ${formatXof(-shown.lastBalance('courier_cash'))}`),
    );
    await byTest(page, 'ledger').scrollIntoViewIfNeeded();
    await adminApp.shot('p1-16-admin-order-ledger');
  });
});

describe('p2: the same paid from the wallet, after a mobile-money top-up', () => {
  const who = customerNumber(12);
  let customer: AppPage;
  let customerId = '';
  let orderId = '';
  let total = 0;
  let merchantBefore = 0;

  it('the customer tops up 5 000 FCFA in the app and confirms on the phone with the sandbox PIN', async () => {
    merchantBefore = (await ledgerAsAdmin(stack, admin, [TANTIE_AWA.id])).balance('merchant_wallet', TANTIE_AWA.id);
    customer = await customerPage(12, CUSTOMER_HOME);
    customerId = await signedInId(customer.page, 'client');
    const { page } = customer;
    await page.goto('/wallet');
    await expect.poll(async () => plain(await byTest(page, 'wallet-balance').textContent())).toBe(plain(formatXof(0)));
    await byTest(page, 'wallet-topup').click();
    await byTest(page, 'topup-amount-5000').click();
    expect(await byTest(page, 'topup-phone').inputValue()).toBe(`+225 ${who.national}`);
    await byTest(page, 'topup-submit').click();
    await byTest(page, 'topup-pending').waitFor();
    await customer.shot('p2-01-customer-topup-pending');
    const [intent] = await paymentIntents(stack, customerId);
    expect(intent).toMatchObject({ status: 'pending', amount_xof: 5000, phone: who.msisdn });
    await confirmOnPhone(stack, who.msisdn, intent!.id);
    await byTest(page, 'topup-succeeded').waitFor({ timeout: 20_000 });
    await expect
      .poll(async () => plain(await byTest(page, 'wallet-balance').textContent()), { timeout: 10_000 })
      .toBe(plain(formatXof(5000)));
    expect(await walletBalances(stack, customerId)).toEqual({ wallet: 5000, hold: 0 });
    await customer.shot('p2-02-customer-topped-up');
  });

  it('orders from the maquis paying from the wallet: the total is held', async () => {
    total = await checkoutAtTantieAwa(customer.page, { method: 'wallet' }, 'Quartier Commerce, maison jaune');
    await customer.shot('p2-03-customer-checkout-wallet');
    await merchantWatchesQueue();
    orderId = await placeFromCheckout(customer.page);
    expect(await walletBalances(stack, customerId)).toEqual({ wallet: 5000 - total, hold: total });
    await customer.page.goto('/wallet');
    await byTest(customer.page, 'wallet-hold').waitFor({ timeout: 10_000 });
    expect(plain(await byTest(customer.page, 'wallet-hold').textContent())).toContain(plain(formatXof(total)));
    await customer.shot('p2-04-customer-wallet-hold');
    await customer.page.goto(`/orders/${orderId}`);
    await byTest(customer.page, 'tracking').waitFor();
  });

  it('the merchant accepts, the nearest courier takes it, the merchant readies it', async () => {
    await courierWaitsAt(courierA, NEAR_STORE);
    await courierWaitsAt(courierB, ACROSS_TOWN);
    await merchantAccepts(orderId, 'p2-05');
    await courierAcceptsOffer(courierA, orderId, 'p2-06-courier-offer');
    expect(await byTest(courierA.page, 'cash').count()).toBe(0); // nothing to collect: paid
    expect((await offersOf(stack, orderId)).map((o) => o.courier_id)).toEqual([COURIER_A.id]);
    await merchantReadies('p2-07-merchant-ready');
  });

  it('the courier picks up, rides to the customer (seen moving); a wrong code is refused, the right one delivers', async () => {
    await deliverWithCode(customer, orderId, 'p2-08', true);
    await byTest(courierA.page, 'job-done').waitFor({ timeout: 15_000 });
    await courierA.shot('p2-09-courier-done');
    await expect
      .poll(() => byTest(customer.page, 'order-status').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('delivered');
    await customer.shot('p2-10-customer-delivered');
  });

  it('the hold is captured; the ledger and every balance screen agree', async () => {
    expect(await walletBalances(stack, customerId)).toEqual({ wallet: 5000 - total, hold: 0 });
    const postings = await orderPostingsAsAdmin(stack, admin, orderId);
    expect(postings.customer_hold ?? 0).toBe(0); // held at placement, captured at delivery
    expect(postings.customer_wallet).toBe(-total);
    const ledger = await balanceScreensAgree(customer, customerId, COURIER_A.id, 'p2-11');
    expect(ledger.balance('merchant_wallet', TANTIE_AWA.id) - merchantBefore).toBe(postings.merchant_wallet);
    // The merchant's settlements: this order's first (newest first), p1's below it.
    const settlements = merchant.page.locator('[data-test="settlement"]');
    expect(await settlements.count()).toBeGreaterThanOrEqual(2);
    expect(plain(await settlements.first().textContent())).toContain(`#${shortRef(orderId)}`);
    // The wallet history lists the payment beside the top-up.
    const kinds = await customer.page
      .locator('[data-test="wallet-movement"]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-kind')));
    expect(kinds).toContain('topup');
    expect(kinds.length).toBeGreaterThanOrEqual(2);
    await customer.context.close();
  });
});

describe('p3: a moto-taxi ride from request to rating', () => {
  let rider: AppPage;
  let rideId = '';

  it('the rider asks for a moto from Commerce to the Gare routière; the nearest driver gets the offer', async () => {
    rider = await customerPage(13, COMMERCE);
    await courierWaitsAt(courierA, { latitude: 5.8962, longitude: -4.8199 });
    await courierWaitsAt(courierB, ACROSS_TOWN);
    const { page } = rider;
    await byTest(page, 'service-rides').click();
    await byTest(page, 'ride-request').waitFor();
    await byTest(page, 'pickup-me').click();
    await expect.poll(() => byTest(page, 'pickup-coords').textContent()).toBe('Position : 5.89520, -4.81920');
    await byTest(page, 'pickup-landmark').fill('Devant la pharmacie du marché');
    await byTest(page, `dropoff-hood:${GARE}`).click();
    await byTest(page, 'vehicle-moto').locator('[data-test="vehicle-fare"]').waitFor();
    await rider.shot('p3-01-rider-quote');
    await byTest(page, 'request-ride').click();
    await page.waitForURL('**/rides/*');
    rideId = new URL(page.url()).pathname.split('/').pop()!;
    await byTest(page, 'matching').waitFor();
    await rider.shot('p3-02-rider-matching');
    await byTest(courierA.page, 'offer').waitFor({ timeout: 25_000 });
    await expect
      .poll(() => byTest(courierA.page, 'offer-pickup').textContent(), { timeout: 10_000 })
      .toContain('Devant la pharmacie du marché');
    expect(await byTest(courierB.page, 'offer').count()).toBe(0);
    await courierA.shot('p3-03-driver-offer');
  });

  it('the driver accepts; the rider sees his card and the PIN, live', async () => {
    await byTest(courierA.page, 'offer-accept').click();
    await courierA.page.waitForURL(`**/jobs/ride/${rideId}`);
    await byTest(rider.page, 'driver-card').waitFor({ timeout: 15_000 });
    expect(await byTest(rider.page, 'driver-plate').textContent()).toBe('2465 TS 01');
    expect(await byTest(rider.page, 'ride-pin').textContent()).toMatch(/^\d{4}$/);
    await rider.shot('p3-04-rider-driver-card');
  });

  it('arrives, starts with the PIN the rider reads out, and completes', async () => {
    const { page } = courierA;
    await byTest(page, 'step-arrived').click();
    await byTest(page, 'step-in_progress').waitFor({ timeout: 15_000 });
    await expect
      .poll(() => byTest(rider.page, 'ride-eta').textContent(), { timeout: 15_000 })
      .toBe('Votre chauffeur est arrivé au point de départ');
    const pin = (await byTest(rider.page, 'ride-pin').textContent())!.trim();
    await rider.shot('p3-05-rider-pin');
    await byTest(page, 'step-code').fill(pin);
    await byTest(page, 'step-in_progress').click();
    await byTest(page, 'step-completed').waitFor({ timeout: 15_000 });
    await courierA.shot('p3-06-driver-in-progress');
    await byTest(page, 'step-completed').click();
    await byTest(page, 'job-done').filter({ hasText: 'Course terminée' }).waitFor({ timeout: 15_000 });
    await courierA.shot('p3-07-driver-done');
  });

  it('the rider sees the fare and rates the driver', async () => {
    const [ride] = (await asService(stack, `rides?id=eq.${rideId}&select=status,courier_id,final_fare_xof`)) as {
      status: string;
      courier_id: string;
      final_fare_xof: number;
    }[];
    expect(ride).toMatchObject({ status: 'completed', courier_id: COURIER_A.id });
    await byTest(rider.page, 'ride-done').waitFor({ timeout: 15_000 });
    expect(plain(await byTest(rider.page, 'ride-done').textContent())).toBe(
      plain(`Course terminée : ${formatXof(ride!.final_fare_xof)}. Merci d’avoir voyagé avec nous !`),
    );
    await byTest(rider.page, 'star-5').click();
    await byTest(rider.page, 'rate-send').click();
    await byTest(rider.page, 'rated').waitFor();
    expect(await asService(stack, `ratings?select=courier_id,stars,target&ride_id=eq.${rideId}`)).toEqual([
      { courier_id: COURIER_A.id, stars: 5, target: 'courier' },
    ]);
    await rider.shot('p3-08-rider-rated');
    expect(await ledgerViolations(stack)).toEqual([]);
    await rider.context.close();
  });
});

describe('p4: a merchant who does not answer', () => {
  let customer: AppPage;
  let customerId = '';
  let orderId = '';
  let total = 0;

  it('a wallet-paid order reaches the tablet, which rings, and nobody answers', async () => {
    customer = await customerPage(14, CUSTOMER_HOME);
    customerId = await signedInId(customer.page, 'client');
    // The top-up goes through the sandbox provider with an instant payer (p2 showed the in-app confirmation).
    const token = await customer.page.evaluate(
      () => (JSON.parse(localStorage.getItem('ecom.client.auth') ?? '{}') as { access_token: string }).access_token,
    );
    await topUp(stack, token, 5000);
    total = await checkoutAtTantieAwa(customer.page, { method: 'wallet' }, 'Quartier Commerce, près du puits');
    await merchantWatchesQueue();
    orderId = await placeFromCheckout(customer.page);
    expect(await walletBalances(stack, customerId)).toEqual({ wallet: 5000 - total, hold: total });
    await merchantOrder(orderId).waitFor({ timeout: 15_000 });
    expect(await merchantDidNotReload()).toBe(true);
    await byTest(merchant.page, 'alarm').waitFor();
    await merchant.shot('p4-01-merchant-ringing-unanswered');
    await customer.shot('p4-02-customer-pending');
  });

  it('the order clock times it out (as the scheduler would); the customer sees it cancelled and the money back', async () => {
    // Not 10 real minutes: the scheduler's SQL entry point, with this order's age as the answer window.
    const { cancelled } = await runOrderClockFor(stack, orderId);
    expect(cancelled).toBeGreaterThanOrEqual(1);
    expect((await orderRow(orderId)).status).toBe('cancelled');
    await expect
      .poll(() => byTest(customer.page, 'order-status').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('cancelled');
    // Why, in French (the order clock stores its reason in English).
    await expect
      .poll(async () => squash(await customer.page.getByText(/^\s*Motif :/).textContent()), { timeout: 10_000 })
      .toBe('Motif : le commerçant n’a pas répondu à temps');
    await customer.shot('p4-03-customer-cancelled');
    expect(await walletBalances(stack, customerId)).toEqual({ wallet: 5000, hold: 0 });
    await customer.page.goto('/wallet');
    await expect
      .poll(async () => plain(await byTest(customer.page, 'wallet-balance').textContent()), { timeout: 10_000 })
      .toBe(plain(formatXof(5000)));
    expect(await byTest(customer.page, 'wallet-hold').count()).toBe(0);
    await customer.shot('p4-04-customer-wallet-refunded');
    // The tablet stops ringing: the order left the new lane, shown cancelled among the finished ones.
    await expect.poll(() => merchantOrder(orderId).getAttribute('data-status'), { timeout: 15_000 }).toBe('cancelled');
    expect(await merchant.page.locator(`[data-test="lane-new"] [data-order="${orderId}"]`).count()).toBe(0);
    expect(await byTest(merchant.page, 'alarm').count()).toBe(0);
    await merchant.shot('p4-05-merchant-quiet');
    const [timeout] = (await readAs(
      stack,
      admin,
      `order_events?order_id=eq.${orderId}&to_status=eq.cancelled&select=actor_role`,
    )) as { actor_role: string }[];
    expect(timeout).toEqual({ actor_role: 'system' });
    expect(await ledgerViolations(stack)).toEqual([]);
    await customer.context.close();
  });

  it('the admin sees the order cancelled by the system, in words, and the hold released', async () => {
    const { page } = adminApp;
    await adminFindsOrder(page, customerNumber(14).national, orderId, 'Annulée');
    await page.locator(`[data-test="order-${orderId}"]`).click();
    await byTest(page, 'timeline').waitFor();
    expect(await byTest(page, 'status').textContent()).toBe('Annulée');
    const cancelled = byTest(page, 'timeline').locator('li').filter({ hasText: '→ Annulée' });
    expect(squash(await cancelled.textContent())).toContain('système');
    expect(squash(await cancelled.textContent())).toContain('« le commerçant n’a pas répondu à temps »');
    // Held at placement, released by the cancellation: the customer's hold back to 0, the wallet whole again.
    const shown = await adminPostings(page);
    expect(shown.kinds()).toEqual(expect.arrayContaining(['order_hold', 'order_release']));
    expect(squash(await byTest(page, 'ledger').textContent())).toContain('« commande annulée »');
    expect(shown.sum('customer_hold')).toBe(0);
    expect(shown.sum('customer_wallet')).toBe(0);
    expect(shown.lastBalance('customer_hold')).toBe(0);
    expect(shown.lastBalance('customer_wallet')).toBe(5000);
    await cancelled.scrollIntoViewIfNeeded();
    await adminApp.shot('p4-06-admin-cancelled-by-system');
    await byTest(page, 'ledger').scrollIntoViewIfNeeded();
    await adminApp.shot('p4-07-admin-hold-released');
  });
});

describe('p5: two couriers tap accept on the same job at the same moment', () => {
  let orderId = '';

  it('both hold an open offer for the order (one re-issued), tap together: exactly one wins, the other is told', async () => {
    const customer = await customerPage(15, CUSTOMER_HOME);
    await checkoutAtTantieAwa(customer.page, { method: 'cash', tendered: 5000 }, 'Quartier Commerce, portail vert');
    await merchantWatchesQueue();
    orderId = await placeFromCheckout(customer.page);
    await courierWaitsAt(courierA, NEAR_STORE);
    await courierWaitsAt(courierB, ACROSS_TOWN);
    await merchantAccepts(orderId, 'p5-01');
    // Dispatch offers the job to one courier; the same job is re-issued to the other while the first still holds it.
    let first = '';
    await expect
      .poll(
        async () => {
          first = (await offersOf(stack, orderId)).find((o) => o.status === 'offered')?.courier_id ?? '';
          return first;
        },
        { timeout: 20_000 },
      )
      .not.toBe('');
    const second = first === COURIER_A.id ? COURIER_B.id : COURIER_A.id;
    await reissueOffer(stack, orderId, second);
    for (const c of [courierA, courierB]) await byTest(c.page, 'offer-accept').waitFor({ timeout: 20_000 });
    await courierA.shot('p5-02-courier-a-offer');
    await courierB.shot('p5-03-courier-b-offer');
    await Promise.all([byTest(courierA.page, 'offer-accept').click(), byTest(courierB.page, 'offer-accept').click()]);
    const accepted = (await offersOf(stack, orderId)).filter((o) => o.status === 'accepted');
    await expect
      .poll(async () => (await offersOf(stack, orderId)).filter((o) => o.status === 'accepted').length, {
        timeout: 10_000,
      })
      .toBe(1);
    const winnerId = (await offersOf(stack, orderId)).find((o) => o.status === 'accepted')!.courier_id;
    expect(accepted.length).toBeLessThanOrEqual(1);
    expect((await orderRow(orderId)).courier_id).toBe(winnerId);
    const [winner, loser] = winnerId === COURIER_A.id ? [courierA, courierB] : [courierB, courierA];
    await winner.page.waitForURL(`**/jobs/order/${orderId}`);
    await expect.poll(() => byTest(loser.page, 'offer-closed').textContent(), { timeout: 15_000 }).toBe(TAKEN);
    expect(await byTest(loser.page, 'offer-accept').count()).toBe(0);
    await winner.shot('p5-04-winner-job');
    await loser.shot('p5-05-loser-told');
    expect(await ledgerViolations(stack)).toEqual([]);
    await customer.context.close();
  });
});
