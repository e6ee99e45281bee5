// The admin dashboard's operations part in a real browser (a laptop screen) against the local stack: an admin finds
// a customer by phone and suspends them — the customer's order and ride are then refused in French through the API
// — and reinstates them; takes a dispute about a delivered order, attaches its timeline and resolves it with a partial
// refund (a refund above what was paid is refused first) that reaches the wallet; a negative fare is refused in words
// and the grid stays; the orders CSV downloads and parses; a support person sees the same pages without the buttons.
// Screenshots: e2e/screenshots/o*.png.
import { readFile } from 'node:fs/promises';
import type { Stack } from '@ecom/local-stack';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../packages/domain/src/csv.ts';
import { formatXof } from '../../packages/domain/src/money.ts';
import { asService } from '../lib/api.ts';
import {
  dishOf,
  handOver,
  makeStoreOwner,
  placeWalletPickup,
  signInSession,
  TANTIE_AWA,
  topUpWallet,
  walletOf,
  type Session,
} from '../lib/admin-api.ts';
import { grantRole, openAroundTheClock, openDispute, orderPickup, requestRide } from '../lib/admin-ops-api.ts';
import { SHOTS, screenshots, startClientScenario, type ClientScenario } from '../lib/scenario.ts';

// config.toml [auth.sms.test_otp]: the operations numbers 10 21 – 10 40.
const ADMIN = '+2250700001021';
const CUSTOMER = '+2250700001022';
const SUPPORT = '+2250700001023';
const MERCHANT = '+2250700001024';
const DISH = 'Attiéké poulet braisé'; // Maquis Chez Tantie Awa (seed), 2 500 FCFA

let scenario: ClientScenario;
let stack: Stack;
let page: Page;
let shot: (name: string) => Promise<void>;

let customer: Session;
let dish: { id: string; option_ids: string[] };
let orderId = '';
let orderTotal = 0;
let disputeId = '';
let lateDisputeId = '';

const byTest = (id: string, p: Page = page) => p.locator(`[data-test="${id}"]`);

/** Another laptop at the operations desk, like the scenario's (French, Abidjan time). */
async function laptop(): Promise<BrowserContext> {
  return scenario.context.browser()!.newContext({
    baseURL: new URL(page.url()).origin,
    viewport: { width: 1366, height: 860 },
    locale: 'fr-FR',
    timezoneId: 'Africa/Abidjan',
  });
}

async function signInUi(p: Page, national: string): Promise<void> {
  await p.goto('/sign-in');
  await byTest('phone', p).fill(national);
  await byTest('send-code', p).click();
  await byTest('code', p).pressSequentially('123456');
  await p.waitForURL((url) => url.pathname === '/');
}

/** Creates an Auth user for a number without sending a code (its first code is the browser's). */
async function createUser(s: Stack, phone: string): Promise<string> {
  const res = await fetch(`${s.apiUrl}/auth/v1/admin/users`, {
    method: 'POST',
    headers: {
      apikey: s.serviceRoleKey,
      Authorization: `Bearer ${s.serviceRoleKey}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ phone, phone_confirm: true }),
  });
  const body = (await res.json()) as { id?: string };
  if (!res.ok || !body.id) throw new Error(`create ${phone}: ${res.status} ${JSON.stringify(body)}`);
  return body.id;
}

beforeAll(async () => {
  scenario = await startClientScenario({
    name: 'admin-ops',
    app: 'admin',
    functions: true,
    prepare: async (s) => {
      await grantRole(s, await createUser(s, ADMIN), 'admin', 'Affoué Opérations');
      await grantRole(s, await createUser(s, SUPPORT), 'support', 'Mariam Support');
      // A customer orders a pickup paid from the wallet at a store open around the clock; its owner hands it over;
      // the customer then complains twice, once three days ago (past both targets).
      customer = await signInSession(s, CUSTOMER);
      await asService(s, `profiles?id=eq.${customer.userId}`, {
        method: 'PATCH',
        body: JSON.stringify({ full_name: 'Awa Kouassi' }),
      });
      const owner = await makeStoreOwner(s, await signInSession(s, MERCHANT), TANTIE_AWA);
      await openAroundTheClock(s, TANTIE_AWA);
      await topUpWallet(s, customer, 10_000);
      dish = await dishOf(s, TANTIE_AWA, DISH);
      const order = await placeWalletPickup(s, customer, TANTIE_AWA, dish, 1);
      [orderId, orderTotal] = [order.id, order.total_xof];
      await handOver(s, owner, orderId, order.delivery_code);
      disputeId = await openDispute(s, customer.token, orderId, 'Il manquait la sauce et le poisson était froid');
      lateDisputeId = await openDispute(s, customer.token, orderId, 'Le vendeur a été impoli au téléphone');
      await asService(s, `disputes?id=eq.${lateDisputeId}`, {
        method: 'PATCH',
        body: JSON.stringify({ created_at: new Date(Date.now() - 3 * 86_400_000).toISOString() }),
      });
    },
  });
  ({ stack, page } = scenario);
  shot = scenario.shot;
});

afterAll(() => scenario?.stop());

describe('users', () => {
  it('finds the customer by phone and suspends them with a reason', async () => {
    await signInUi(page, '07 00 00 10 21');
    await byTest('nav-ops.nav.users').click();
    await page.waitForURL('**/ops/users');
    await byTest('users-query').fill('07 00 00 10 22');
    await byTest('users-search').click();
    const row = byTest(`user-${CUSTOMER}`);
    await expect.poll(() => row.textContent()).toContain('Awa Kouassi');
    await expect.poll(() => byTest('users-table').locator('tbody tr').count()).toBe(1);
    await shot('o01-users-search');

    await row.locator('[data-test="user-suspend"]').click();
    await row.locator('[data-test="user-confirm-suspend"]').click();
    await expect
      .poll(() => byTest('users-action-error').textContent())
      .toContain('Indiquez un motif (3 à 300 caractères).');
    await row.locator('[data-test="user-reason"]').fill('Commandes refusées à la livraison, à répétition');
    await row.locator('[data-test="user-confirm-suspend"]').click();
    await expect
      .poll(() => byTest('users-notice').textContent())
      .toContain('Compte suspendu : la personne ne peut plus commander, voyager ni travailler.');
    await expect.poll(() => row.locator('[data-test="user-suspended"]').count()).toBe(1);
    await shot('o02-user-suspended');
  });

  it('the suspended customer is refused an order and a ride in French, through the API', async () => {
    const order = await orderPickup(stack, customer.token, TANTIE_AWA, dish);
    expect([order.status, order.body.error.code, order.body.error.message]).toEqual([
      403,
      'account_suspended',
      'Votre compte est suspendu : appelez le support pour en savoir plus.',
    ]);
    const ride = await requestRide(stack, customer.token);
    expect([ride.status, ride.body.error.code]).toEqual([403, 'account_suspended']);
  });

  it('reinstates the customer, who can then request a ride again', async () => {
    const row = byTest(`user-${CUSTOMER}`);
    await row.locator('[data-test="user-reinstate"]').click();
    await expect.poll(() => byTest('users-notice').textContent()).toContain('Compte rétabli.');
    await expect.poll(() => row.locator('[data-test="user-suspended"]').count()).toBe(0);
    const ride = await requestRide(stack, customer.token);
    expect(ride.status, JSON.stringify(ride.body)).toBe(201);
  });
});

describe('disputes', () => {
  it('shows the dispute in the queue with its due times', async () => {
    await byTest('nav-ops.nav.disputes').click();
    await page.waitForURL('**/ops/disputes');
    await expect
      .poll(() => byTest('dispute-targets').textContent())
      .toBe('Objectif : première réponse en 2 h, résolution en 48 h.');
    const row = byTest(`dispute-${disputeId}`);
    await expect.poll(() => row.textContent()).toContain('Il manquait la sauce');
    await expect.poll(() => row.locator('[data-test="first-due"]').textContent()).toContain('1re réponse avant');
    await expect.poll(() => row.locator('[data-test="overdue"]').count()).toBe(0);
    const late = byTest(`dispute-${lateDisputeId}`);
    await expect.poll(() => late.locator('[data-test="overdue"]').textContent()).toBe('En retard');
    expect(await late.locator('[data-test="resolution-due"]').getAttribute('class')).toContain('late');
    expect(await late.locator('[data-test="resolution-due"]').evaluate((el) => getComputedStyle(el).color)).toBe(
      'rgb(185, 28, 28)',
    );
    // Oldest first: the late one heads the queue.
    expect(await byTest('disputes-table').locator('tbody tr').first().getAttribute('data-test')).toBe(
      `dispute-${lateDisputeId}`,
    );
    await shot('o03-disputes-queue');
  });

  it('takes it, attaches the timeline, refuses a refund above what was paid, then refunds part of it', async () => {
    await byTest(`dispute-${disputeId}`).locator('[data-test="dispute-open"]').click();
    await page.waitForURL(`**/ops/disputes/${disputeId}`);
    await byTest('dispute-take').click();
    await expect.poll(() => byTest('dispute-status').textContent()).toBe('En cours');
    await byTest('attach-timeline').click();
    await expect.poll(() => byTest('evidence-timeline').count()).toBe(1);
    await expect
      .poll(() => byTest('evidence-timeline').textContent())
      .toMatch(/\d+ événement\(s\) figé\(s\) dans le dossier/);
    await shot('o04-dispute-evidence');

    const before = await walletOf(stack, customer.userId);
    await byTest('resolve-amount').fill(String(orderTotal + 500));
    await byTest('resolve-note').fill('Sauce manquante : remboursement partiel, toutes nos excuses.');
    await byTest('resolve-submit').click();
    await expect
      .poll(() => byTest('dispute-error').textContent())
      .toBe(`Le remboursement dépasse ce qui reste à rembourser (${formatXof(orderTotal)}).`);
    expect(await walletOf(stack, customer.userId)).toBe(before);

    const refund = Math.floor(orderTotal / 2);
    await byTest('resolve-amount').fill(String(refund));
    await byTest('resolve-submit').click();
    await expect.poll(() => byTest('dispute-notice').textContent()).toContain('Réclamation résolue');
    await expect.poll(() => byTest('dispute-status').textContent()).toBe('Résolue');
    await expect.poll(() => byTest('dispute-outcome').textContent()).toContain(`${formatXof(refund)} remboursés`);
    expect(await walletOf(stack, customer.userId)).toBe(before + refund);
    await shot('o05-dispute-resolved');
  });
});

describe('configuration', () => {
  it('refuses a negative fare in words and keeps the grid', async () => {
    const fares = async () =>
      (await asService(stack, `ride_fares?vehicle_type=eq.moto&select=base_fare_xof`)) as { base_fare_xof: number }[];
    const before = await fares();
    await byTest('nav-ops.nav.config').click();
    await page.waitForURL('**/ops/config');
    await byTest('fare-moto-base_fare_xof').fill('-100');
    await byTest('fare-moto-save').click();
    await expect
      .poll(() => byTest('fare-moto-message').textContent())
      .toBe('Prise en charge : un montant en FCFA, nombre entier d’au moins 0 (reçu -100).');
    expect(await fares()).toEqual(before);
    await expect.poll(() => byTest('otp-limits').textContent()).toContain('max_frequency');
    await shot('o06-config-negative-fare');
  });
});

describe('exports', () => {
  it('downloads the orders of the period as a CSV French Excel opens', async () => {
    await byTest('nav-ops.nav.exports').click();
    await page.waitForURL('**/ops/exports');
    const [download] = await Promise.all([page.waitForEvent('download'), byTest('export-orders').click()]);
    expect(download.suggestedFilename()).toMatch(/^orders-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await readFile((await download.path())!, 'utf8');
    expect(text.startsWith('\ufeff')).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]!.slice(0, 4)).toEqual(['Commande', 'Passée le', 'Statut', 'Boutique']);
    const ours = rows.find((r) => r[0] === orderId)!;
    expect(ours[2]).toBe('Livrée');
    expect(ours[5]).toBe(CUSTOMER);
    expect(Number(ours[11])).toBe(orderTotal);
    expect(Number(ours[12])).toBe(Math.floor(orderTotal / 2));
    await expect.poll(() => byTest('export-notice').textContent()).toContain('ligne(s) exportée(s)');
    await shot('o07-exports');
  });

  it('refuses a period that ends before it starts, in French then in English', async () => {
    await byTest('export-from').fill('2026-11-20');
    await byTest('export-to').fill('2026-11-01');
    await byTest('export-payouts').click();
    await expect
      .poll(() => byTest('export-error').textContent())
      .toBe('Choisissez une date de fin après la date de début, sur 366 jours au plus.');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => byTest('nav-ops.nav.users').textContent()).toContain('Users');
    await byTest('export-payouts').click();
    await expect
      .poll(() => byTest('export-error').textContent())
      .toBe('Choose an end date after the start date, 366 days at most.');
    await page.getByRole('button', { name: 'Français' }).click();
  });
});

describe('support', () => {
  it('sees the same users and dispute without any write button', async () => {
    const supportContext = await laptop();
    const p = await supportContext.newPage();
    try {
      await signInUi(p, '07 00 00 10 23');
      await p.goto('/ops/users');
      await byTest('users-query', p).fill('1022');
      await byTest('users-search', p).click();
      await expect.poll(() => byTest(`user-${CUSTOMER}`, p).textContent()).toContain('Awa Kouassi');
      expect(await byTest('user-suspend', p).count()).toBe(0);
      await p.goto(`/ops/disputes/${disputeId}`);
      await expect.poll(() => byTest('dispute-status', p).textContent()).toBe('Résolue');
      expect(await byTest('dispute-take', p).count()).toBe(0);
      await p.goto('/ops/config');
      await expect.poll(() => byTest('fares-table', p).count()).toBe(1);
      expect(await byTest('fare-moto-save', p).count()).toBe(0);
      await screenshots(p, SHOTS)('o08-support-read-only');
    } finally {
      await supportContext.close();
    }
  });
});
