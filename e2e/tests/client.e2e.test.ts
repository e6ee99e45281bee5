// The customer app in a real browser against a real local stack: sign in by SMS code, stores near Tiassalé, a
// maquis, a dish with an option into the cart, totals, reload, the checkout; and the refusals people meet (foreign
// number, wrong code, a second store in the cart). Screenshots of each main screen go to e2e/screenshots/ (git-ignored).
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClientScenario, type ClientScenario } from '../lib/scenario.ts';

const NUMBER = '07 00 00 03 01'; // +225 07 00 00 03 01, code 123456 (config.toml [auth.sms.test_otp])
const OTHER_NUMBER = '07 00 00 03 02';

let scenario: ClientScenario;
let context: BrowserContext;
let page: Page;

const shot = (name: string) => scenario.shot(name);
const byTest = (id: string) => page.locator(`[data-test="${id}"]`);

beforeAll(async () => {
  scenario = await startClientScenario({ name: 'client' });
  ({ context, page } = scenario);
});

afterAll(() => scenario?.stop());

describe('customer app', () => {
  it('refuses a number from another country, in French', async () => {
    await page.goto('/');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/sign-in');
    await shot('01-sign-in');
    await byTest('phone').fill('+33 6 12 34 56 78');
    await byTest('send-code').click();
    await expect
      .poll(() => byTest('error').textContent())
      .toBe('Seuls les numéros de Côte d’Ivoire (+225) et du Togo (+228) sont acceptés.');
    await shot('02-sign-in-foreign-number');
  });

  it('formats the number as it is typed and refuses a wrong code', async () => {
    await byTest('phone').fill('');
    await byTest('phone').pressSequentially(OTHER_NUMBER.replace(/ /g, ''));
    expect(await byTest('phone').inputValue()).toBe(OTHER_NUMBER);
    await byTest('send-code').click();
    await expect.poll(() => byTest('code-sent').textContent()).toBe('Code envoyé par SMS au +225 07 00 00 03 02');
    await expect.poll(() => byTest('resend').textContent()).toMatch(/Renvoyer le code dans \d+ s/);
    await byTest('code').pressSequentially('000000');
    await expect
      .poll(() => byTest('error').textContent())
      .toBe('Code incorrect ou expiré. Vérifiez le SMS ou demandez un nouveau code.');
    await shot('03-sign-in-wrong-code');
  });

  it('signs in with the SMS code and shows stores near Tiassalé', async () => {
    await page.getByText('Changer de numéro').click();
    await byTest('phone').fill(NUMBER);
    await byTest('send-code').click();
    await byTest('code').pressSequentially('123456');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/tabs/home');
    await byTest('store-card').first().waitFor();
    expect(await byTest('near-title').textContent()).toContain('Près de vous');
    const names = await byTest('store-card').locator('.name').allTextContents();
    expect(names).toContain('Maquis Chez Tantie Awa');
    expect(names).not.toContain('Cave Chez Ali'); // pending approval: not shown
    const busy = byTest('store-card').filter({ hasText: 'Le Palmier Fast-Food' }).locator('[data-test="store-status"]');
    expect(await busy.getAttribute('data-state')).toBe('busy');
    expect(await busy.textContent()).toMatch(/^Occupé jusqu’à \d\d:\d\d$/);
    // Every badge reads as words (a closed store says when it opens), never as a raw message.
    for (const label of await byTest('store-status').allTextContents()) {
      expect(label).toMatch(/^(Ouvert|Occupé|Fermé)[^{}]*$/);
    }
    // The seeded logos come from the public bucket and load.
    const logo = byTest('store-card').first().locator('img.photo');
    await expect
      .poll(() => logo.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);
    await shot('04-home');
  });

  it('says the cart is empty, and the checkout of an empty cart offers to browse instead of a blank page', async () => {
    await page.goto('/tabs/cart');
    await expect.poll(() => byTest('cart-empty').textContent()).toContain('Votre panier est vide.');
    await page.goto('/checkout');
    await expect
      .poll(() => byTest('checkout-empty').textContent())
      .toContain('Votre panier est vide : ajoutez des plats ou des articles avant de commander.');
    await shot('08a-checkout-empty-cart');
    await page.goto('/tabs/home');
    await byTest('store-card').first().waitFor();
  });

  it('finds dishes typed without accents', async () => {
    await byTest('search').fill('attieke poisson');
    await byTest('search-results').locator('.hit').first().waitFor();
    const hits = await byTest('search-results').locator('.hit strong').allTextContents();
    expect(hits).toEqual(expect.arrayContaining(['Attiéké poisson braisé', 'Attiéké poisson']));
    await shot('04b-search');
    await byTest('search').fill('');
    await byTest('store-card').first().waitFor();
  });

  it('opens a maquis and adds a dish with an option, min and max enforced', async () => {
    await byTest('store-card').filter({ hasText: 'Maquis Chez Tantie Awa' }).click();
    await expect.poll(() => byTest('store-name').textContent()).toBe('Maquis Chez Tantie Awa');
    expect(await byTest('store-landmark').textContent()).toBe('En face de la gare routière, sous le grand manguier');
    expect(await byTest('store-status').last().getAttribute('data-state')).toMatch(/^(open|closed)$/);
    await shot('05-store');
    await byTest('product-row').filter({ hasText: 'Attiéké poisson braisé' }).click();
    await byTest('sheet').waitFor();
    // The fish is required: adding without choosing says so.
    await byTest('add-to-cart').click();
    await expect
      .poll(() => byTest('sheet').getByRole('alert').textContent())
      .toBe('Choisissez une option pour « Poisson ».');
    await byTest('sheet').getByText('Capitaine').click();
    await byTest('sheet').getByRole('button', { name: 'Un de plus' }).click();
    expect(await byTest('quantity').textContent()).toBe('2');
    // (2 000 + 1 500) × 2
    await expect.poll(() => byTest('add-to-cart').textContent()).toMatch(/Ajouter · 7\s000\sFCFA/);
    await shot('06-product-sheet');
    await byTest('add-to-cart').click();
    await expect.poll(() => byTest('cart-bar').textContent()).toMatch(/Voir le panier · 7\s000\sFCFA/);
    await byTest('sheet').waitFor({ state: 'detached' });
  });

  it('asks before mixing two stores in one cart, and shows sold-out dishes disabled', async () => {
    await page.goto('/stores/maquis-le-bandama');
    await byTest('store-name').waitFor();
    const soldOut = byTest('product-row').filter({ hasText: 'Capitaine braisé' });
    expect(await soldOut.isDisabled()).toBe(true);
    expect(await soldOut.locator('[data-test="sold-out"]').textContent()).toBe('Épuisé');
    await byTest('product-row').filter({ hasText: 'Carpe braisée' }).click();
    await byTest('add-to-cart').click();
    await page.getByText('Vider le panier ?').waitFor();
    await byTest('sheet').waitFor({ state: 'detached' });
    await shot('07-other-store-prompt');
    await page.locator('ion-alert button', { hasText: 'Annuler' }).click();
    await page.locator('ion-alert').waitFor({ state: 'detached' });
  });

  it('shows the cart total, keeps it across a reload, and opens the checkout with it', async () => {
    await page.goto('/tabs/cart');
    await expect.poll(() => byTest('cart-store').textContent()).toContain('Maquis Chez Tantie Awa');
    expect(await byTest('cart-line').count()).toBe(1);
    expect(await byTest('cart-subtotal').textContent()).toMatch(/^7\s000\sFCFA$/);
    expect(await byTest('cart-line').textContent()).toContain('Capitaine');
    await shot('08-cart');
    await page.reload();
    await expect.poll(() => byTest('cart-subtotal').textContent()).toMatch(/^7\s000\sFCFA$/);
    expect(new URL(page.url()).pathname).toBe('/tabs/cart'); // still signed in
    await byTest('order').click();
    await byTest('checkout').waitFor();
    await expect.poll(() => byTest('total-subtotal').textContent()).toMatch(/^7\s000\sFCFA$/);
    // Ordering itself (this stack runs no functions): client-orders.e2e.test.ts.
  });

  it('edits the profile and switches the language', async () => {
    await page.goto('/tabs/profile');
    await expect.poll(() => byTest('profile-phone').textContent()).toBe('+225 07 00 00 03 01');
    await byTest('profile-name').fill('Awa Koné');
    await byTest('profile-save').click();
    await page.getByText('Profil enregistré').waitFor();
    await shot('10-profile');
    await byTest('lang-en').click();
    await page.getByText('Sign out').waitFor();
    await byTest('lang-fr').click();
    await page.getByText('Se déconnecter').waitFor();
  });

  it('says so when the connection drops', async () => {
    await page.goto('/tabs/home');
    await byTest('store-card').first().waitFor();
    await context.setOffline(true);
    await byTest('offline-banner').waitFor();
    expect(await byTest('offline-banner').textContent()).toContain('Hors connexion');
    await shot('11-offline');
    await context.setOffline(false);
    await byTest('offline-banner').waitFor({ state: 'detached' });
  });

  it('opens offline from the service worker, with the last stores seen', async () => {
    // Registration happens after load, online (the previous test cut the network right after loading).
    await page.reload();
    await byTest('store-card').first().waitFor();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
    // Once the worker controls the page, the catalogue reads go through it and are kept.
    await page.reload();
    await byTest('store-card').first().waitFor();
    await context.setOffline(true);
    await page.reload();
    await byTest('offline-banner').waitFor();
    await byTest('store-card').filter({ hasText: 'Maquis Chez Tantie Awa' }).waitFor();
    await shot('12-offline-start');
    await context.setOffline(false);
  });
});
