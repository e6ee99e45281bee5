// The admin dashboard in Debian's Chromium (a laptop screen) against a throw-away stack with the Tiassalé seed
// (issue 10, "Done when"): a signed-in customer is refused in words; the admin approves the pending courier after his
// documents (an expired one refused), finds a delivered order by the customer's number, is refused a refund larger
// than what was paid (the server's words), refunds part of it and sees the ledger move (checked against the
// database), is refused a negative fee, changes the fee and the customer's next quote and order change (checked
// through the customer app's own path), then looks at the live map and the money. Screenshots e2e/screenshots/a*.png.
import { formatXof } from '@ecom/domain';
import { deliveryFee, distanceMetres } from '@ecom/domain/checkout';
import type { Stack } from '@ecom/local-stack';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addAddress,
  addExpiredDocument,
  adminScenarioPhone,
  checkoutStore,
  dishOf,
  handOver,
  makeStoreOwner,
  PENDING_COURIER,
  placeCashDelivery,
  placeWalletPickup,
  signInSession,
  TANTIE_AWA,
  TIASSALE,
  topUpWallet,
  uploadDocumentPhotos,
  walletOf,
  type Session,
} from '../lib/admin-api.ts';
import { asService } from '../lib/api.ts';
import { startClientScenario, type ClientScenario } from '../lib/scenario.ts';

const ADMIN = '07 00 00 01 20';
const NOT_ADMIN = '07 00 00 10 03';

let scenario: ClientScenario;
let stack: Stack;
let page: Page;
let customer: Session;
let dish: { id: string; option_ids: string[] };
let order: { id: string; total_xof: number; delivery_code: string };
let expiredDoc = '';

const shot = (name: string) => scenario.shot(name);
const byTest = (id: string) => page.locator(`[data-test="${id}"]`);

beforeAll(async () => {
  scenario = await startClientScenario({
    name: 'admin',
    app: 'admin',
    functions: true,
    // The maquis takes orders at any hour the suite runs: one slot of 24 hours every day, and it is open.
    prepare: async (s) => {
      await asService(s, `store_hours?store_id=eq.${TANTIE_AWA}`, {
        method: 'PATCH',
        body: JSON.stringify({ opens: '00:00', closes: '00:00', closes_next_day: true }),
      });
      await asService(s, `stores?id=eq.${TANTIE_AWA}`, {
        method: 'PATCH',
        body: JSON.stringify({ status: 'open', busy_until: null }),
      });
    },
  });
  ({ stack, page } = scenario);
  // A customer (10 01) tops up and orders a pickup paid from the wallet; the store's owner (10 02) hands it over.
  customer = await signInSession(stack, adminScenarioPhone(1));
  const owner = await makeStoreOwner(stack, await signInSession(stack, adminScenarioPhone(2)), TANTIE_AWA);
  await topUpWallet(stack, customer, 20_000);
  dish = await dishOf(stack, TANTIE_AWA, 'Attiéké poisson braisé');
  order = await placeWalletPickup(stack, customer, TANTIE_AWA, dish, 2);
  await handOver(stack, owner, order.id, order.delivery_code);
  // The pending courier's document photos, and last year's insurance sent again by mistake.
  await uploadDocumentPhotos(stack, PENDING_COURIER);
  expiredDoc = await addExpiredDocument(stack, PENDING_COURIER);
});

afterAll(() => scenario?.stop());

describe('sign-in', () => {
  it('refuses a signed-in customer in words, with no admin data', async () => {
    await page.goto('/');
    await page.waitForURL('**/sign-in**');
    await byTest('phone').fill('07 00');
    await byTest('send-code').click();
    await expect.poll(() => byTest('error').textContent()).toBe('Numéro incomplet : il faut 10 chiffres.');
    await byTest('phone').fill(NOT_ADMIN);
    await shot('a01-sign-in');
    await byTest('send-code').click();
    await byTest('code').pressSequentially('123456');
    await page.waitForURL('**/refused');
    expect(await byTest('refused').textContent()).toContain('Accès réservé à l’équipe Ecom');
    // No admin data: the dashboard's pages send it back here, and nothing of the layout is on screen.
    await page.goto('/orders');
    await page.waitForURL('**/refused');
    expect(await page.locator('nav').count()).toBe(0);
    await shot('a02-refused-non-admin');
  });

  it('lets the admin in, to the overview', async () => {
    await byTest('use-another').click();
    await page.waitForURL('**/sign-in');
    await byTest('phone').fill(ADMIN);
    await byTest('send-code').click();
    await byTest('code').pressSequentially('123456');
    await page.waitForURL((url) => url.pathname === '/');
    await byTest('kpi-orders').waitFor();
    expect(await byTest('role').textContent()).toBe('Administrateur');
    // Today's orders include the one delivered above.
    expect(Number(await byTest('kpi-orders').locator('.value').textContent())).toBeGreaterThanOrEqual(1);
    await page.locator('canvas').first().waitFor();
    await shot('a03-overview');
  });
});

describe('approvals', () => {
  it('lists the courier awaiting approval with his documents and their photos', async () => {
    await page.locator('[data-test="nav-nav.approvals"]').click();
    await byTest(`courier-${PENDING_COURIER}`).waitFor();
    expect(await byTest(`courier-${PENDING_COURIER}`).textContent()).toContain('Fousseni Dembélé');
    await shot('a04-approvals');
    await byTest(`courier-${PENDING_COURIER}`).click();
    await byTest('courier-docs').waitFor();
    await expect.poll(() => page.locator('[data-doc]').count()).toBe(6);
    await expect.poll(() => page.locator('[data-doc] img').count()).toBe(5); // the old insurance has no photo
    await shot('a05-courier-docs');
  });

  it('refuses to approve the courier while documents wait, naming them', async () => {
    await byTest('approve-courier').click();
    await byTest('action-confirm').click();
    await expect
      .poll(() => byTest('action-error').textContent())
      .toContain('Impossible de valider ce coursier : documents manquants, non validés ou expirés');
    await page.keyboard.press('Escape');
    const [row] = (await asService(stack, `couriers?user_id=eq.${PENDING_COURIER}&select=approval_status`)) as {
      approval_status: string;
    }[];
    expect(row!.approval_status).toBe('pending');
  });

  it('refuses to approve the expired document, in words, and leaves it waiting', async () => {
    const doc = page.locator(`[data-doc="${expiredDoc}"]`);
    expect(await doc.getAttribute('data-expired')).toBe('yes');
    await doc.locator('[data-test="approve-doc"]').click();
    await expect.poll(() => doc.locator('[data-test="doc-error"]').textContent()).toContain('Ce document a expiré le');
    expect(await doc.locator('[data-test="doc-error"]').textContent()).toContain('il ne peut pas être validé');
    await shot('a06-expired-doc-refused');
    const [row] = (await asService(stack, `courier_documents?id=eq.${expiredDoc}&select=review_status`)) as {
      review_status: string;
    }[];
    expect(row!.review_status).toBe('pending');
  });

  it('approves the valid documents, then the courier, who is told', async () => {
    const valid = page.locator('[data-doc][data-expired="no"][data-review="pending"]');
    expect(await valid.count()).toBe(5);
    while ((await valid.count()) > 0) {
      const before = await valid.count();
      await valid.first().locator('[data-test="approve-doc"]').click();
      await expect.poll(() => valid.count()).toBe(before - 1);
    }
    await byTest('approve-courier').click();
    await byTest('action-confirm').click();
    await expect.poll(() => byTest('courier-answer').textContent()).toContain('Coursier validé');
    await shot('a07-courier-approved');
    const [courier] = (await asService(
      stack,
      `couriers?user_id=eq.${PENDING_COURIER}&select=approval_status,approved_by`,
    )) as { approval_status: string; approved_by: string }[];
    expect(courier!.approval_status).toBe('approved');
    const told = (await asService(stack, `notifications?user_id=eq.${PENDING_COURIER}&kind=eq.system&select=data`)) as {
      data: { event?: string };
    }[];
    expect(told.map((n) => n.data.event)).toContain('courier_approved');
    const expired = (await asService(stack, `courier_documents?id=eq.${expiredDoc}&select=review_status`)) as {
      review_status: string;
    }[];
    expect(expired[0]!.review_status).toBe('pending');
  });
});

describe('an order found by the customer’s number, refunded in part', () => {
  it('finds the delivered order by the number the customer gives on the phone', async () => {
    await page.locator('[data-test="nav-nav.orders"]').click();
    await byTest('filter-phone').fill('07 00 00 10 0'); // one digit short
    await byTest('search').click();
    await expect.poll(() => byTest('filter-error').textContent()).toBe('Numéro incomplet : il faut 10 chiffres.');
    await byTest('filter-phone').fill('07 00 00 10 01');
    await byTest('search').click();
    await byTest(`order-${order.id}`).waitFor();
    expect(await byTest('orders').locator('tbody tr').count()).toBe(1);
    expect(await byTest(`order-${order.id}`).textContent()).toContain('Livrée');
    await shot('a08-order-search');
    await byTest(`order-${order.id}`).click();
    await byTest('timeline').waitFor();
    expect(await byTest('status').textContent()).toBe('Livrée');
    expect(await byTest('contact-customer').locator('a').getAttribute('href')).toBe('tel:+2250700001001');
    expect(await page.locator('[data-test="posting-order_capture"]').count()).toBeGreaterThan(0);
    await shot('a09-order-detail');
  });

  it('refuses a refund larger than what was paid, with the server’s words, and moves no money', async () => {
    const before = await walletOf(stack, customer.userId);
    await byTest('refund').click();
    await byTest('action-amount').fill(String(order.total_xof + 500));
    await byTest('action-reason').fill('Plat arrivé froid');
    await byTest('action-confirm').click();
    await expect
      .poll(() => byTest('action-error').textContent())
      .toBe(`Le remboursement dépasse ce qui reste à rembourser (${serverFcfa(order.total_xof)}).`);
    await shot('a10-refund-too-large');
    expect(await walletOf(stack, customer.userId)).toBe(before);
    expect(await refundsOf(order.id)).toEqual([]);
  });

  it('refunds part of it to the wallet and shows the ledger move', async () => {
    const before = await walletOf(stack, customer.userId);
    await byTest('action-amount').fill('500');
    await byTest('action-confirm').click();
    await expect
      .poll(() => byTest('action-answer').textContent())
      .toBe(`Remboursement de ${fcfa(500)} effectué. Reste remboursable : ${fcfa(order.total_xof - 500)}.`);
    await expect.poll(() => byTest('refunded').textContent()).toBe(fcfa(500));
    await page.locator('[data-test="posting-refund"]').first().waitFor();
    expect(await walletOf(stack, customer.userId)).toBe(before + 500);
    const refunds = await refundsOf(order.id);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.memo).toBe('Plat arrivé froid');
    const credit = refunds[0]!.ledger_postings.find((p) => p.ledger_accounts.kind === 'customer_wallet')!;
    expect(Number(credit.amount)).toBe(500);
    // The page shows the same posting and the wallet's balance after it.
    const shown = await page.locator('[data-test="posting-refund"]').allTextContents();
    expect(shown.join(' ')).toContain('Portefeuille client');
    expect(shown.join(' ')).toContain(`+${fcfa(500)}`);
    expect(shown.join(' ')).toContain(fcfa(Number(credit.balance_after)));
    // The refund is in the audit log, under its ledger entry.
    await expect.poll(() => byTest('audit').textContent()).toContain('ledger_entries');
    await byTest('ledger-card').scrollIntoViewIfNeeded();
    await shot('a11-partial-refund-ledger');
  });
});

describe('delivery fees', () => {
  it('refuses a negative fee in words and changes nothing', async () => {
    const before = await zoneGrid();
    await page.locator('[data-test="nav-nav.fees"]').click();
    const zone = byTest('zone-Tiassalé');
    await zone.waitFor();
    await zone.locator('[data-test="fee-base"]').fill('-100');
    await zone.locator('[data-test="fee-save"]').click();
    await expect
      .poll(() => zone.locator('[data-test="fee-error"]').textContent())
      .toBe('Frais de base (FCFA) : un frais ne peut pas être négatif. Entrez 0 FCFA ou plus.');
    await shot('a12-fee-negative-refused');
    expect(await zoneGrid()).toEqual(before);
  });

  it('changes the fee, and the customer’s next quote and order follow', async () => {
    const before = await zoneGrid();
    // The customer's next delivery: 1.5 km or so from the maquis.
    const address = {
      lat: 5.9065,
      lng: -4.8142,
      landmark: 'Derrière la mosquée, portail bleu',
      phone: adminScenarioPhone(1),
    };
    const addressId = await addAddress(stack, customer, address);
    const storeBefore = await checkoutStore(stack, customer, TANTIE_AWA);
    const metres = distanceMetres(storeBefore, address);
    const oldFee = deliveryFee(storeBefore.zones, metres);

    const base = before.delivery_base_fee_xof + 300;
    const perKm = before.delivery_fee_per_km_xof + 50;
    const zone = byTest('zone-Tiassalé');
    await zone.locator('[data-test="fee-base"]').fill(String(base));
    await zone.locator('[data-test="fee-per-km"]').fill(String(perKm));
    expect(await zone.locator('[data-test="preview-2000"] td').nth(2).textContent()).toBe(
      fcfa(deliveryFee({ delivery_base_fee_xof: base, delivery_fee_per_km_xof: perKm }, 2000)),
    );
    await zone.locator('[data-test="fee-save"]').click();
    await expect.poll(() => zone.locator('[data-test="fee-saved"]').textContent()).toContain('Enregistré');
    expect(await zoneGrid()).toEqual({ delivery_base_fee_xof: base, delivery_fee_per_km_xof: perKm });

    // The customer app's quote (its own read of the store and zone, the shared formula) and the server's charge.
    const storeAfter = await checkoutStore(stack, customer, TANTIE_AWA);
    const newFee = deliveryFee(storeAfter.zones, metres);
    expect(newFee).toBe(deliveryFee({ delivery_base_fee_xof: base, delivery_fee_per_km_xof: perKm }, metres));
    expect(newFee).toBeGreaterThan(oldFee);
    const placed = await placeCashDelivery(stack, customer, TANTIE_AWA, addressId, dish);
    expect(placed.delivery_fee_xof).toBe(newFee);
    await shot('a13-fee-changed-quote');
  });
});

describe('live map and money', () => {
  it('shows couriers by state, orders in progress and stores, with a legend and counts', async () => {
    await page.locator('[data-test="nav-nav.map"]').click();
    await byTest('legend').waitFor();
    await expect
      .poll(async () => Number(await byTest('count-orders').locator('strong').textContent()))
      .toBeGreaterThan(0);
    const online = (await asService(stack, 'courier_presence?online=eq.true&select=courier_id')) as unknown[];
    const shown = await Promise.all(
      ['idle', 'on_job', 'stale'].map(async (s) => Number(await byTest(`count-${s}`).locator('strong').textContent())),
    );
    expect(shown.reduce((a, b) => a + b, 0)).toBe(online.length);
    expect(await page.locator('.leaflet-interactive').count()).toBeGreaterThan(5);
    await shot('a14-live-map');
  });

  it('shows the ledger with the refund entry', async () => {
    await page.locator('[data-test="nav-nav.money"]').click();
    await byTest('accounts').waitFor();
    await page.locator('[data-test="posting-refund"]').first().waitFor();
    expect(await page.locator('[data-test="posting-refund"]').first().textContent()).toContain('Plat arrivé froid');
    await shot('a15-money');
  });

  it('speaks English when chosen', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('[data-test="nav-nav.money"]').textContent()).toContain('Money');
    expect(await byTest('tab-ledger').textContent()).toBe('Ledger');
    const refund = (await page.locator('[data-test="posting-refund"]').allTextContents()).join(' ');
    expect(refund).toContain('Refund');
    expect(refund).toContain('Customer wallet');
  });
});

/** Amounts as the app and the functions write them (@ecom/domain formatXof). */
const fcfa = formatXof;
/** Amounts in the edge functions' messages (edge-functions/_shared/messages.ts: plain spaces). */
const serverFcfa = (n: number) => `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} FCFA`;

async function zoneGrid() {
  const [z] = (await asService(
    stack,
    `zones?id=eq.${TIASSALE}&select=delivery_base_fee_xof,delivery_fee_per_km_xof`,
  )) as { delivery_base_fee_xof: number; delivery_fee_per_km_xof: number }[];
  return z!;
}

function refundsOf(orderId: string) {
  return asService(
    stack,
    `ledger_entries?order_id=eq.${orderId}&kind=eq.refund&select=memo,ledger_postings(amount,balance_after,ledger_accounts(kind))`,
  ) as Promise<
    { memo: string; ledger_postings: { amount: number; balance_after: number; ledger_accounts: { kind: string } }[] }[]
  >;
}
