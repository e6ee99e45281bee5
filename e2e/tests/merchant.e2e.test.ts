// The merchant app in a real browser against a real local stack with its Edge Functions: the seeded owner of a
// maquis signs in by SMS code; an order placed by a customer through the API arrives in the queue without a reload
// (ringing), is accepted with a preparation time, prepared and marked ready; a price is edited (bad input refused in
// words first, nothing saved) and a photo uploaded after the phone made it small; the store is set busy and the
// customer side refuses new orders; a paid order's settlement shows its commission and the money goes out by
// mobile money; a merchant with two stores switches between them. Screenshots: e2e/screenshots/m*.png.
import type { Stack } from '@ecom/local-stack';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatXof } from '../../packages/domain/src/money.ts';
import { asService, moveOrder } from '../lib/api.ts';
import { customerToken, findDish, placeOrder, topUp, type Dish } from '../lib/merchant-api.ts';
import { startClientScenario, type ClientScenario } from '../lib/scenario.ts';

const MERCHANT = '07 00 00 01 11'; // Awa Traoré (seed/040_demo_accounts.sql)
const TANTIE_AWA = '51000000-0000-4000-8000-000000000001'; // Maquis Chez Tantie Awa
const TWO_STORES = '07 00 00 01 12'; // Yao Brou owns stores 2 and 13
const nbsp = (s: string) => s.replace(/ /g, '\u00a0');

let scenario: ClientScenario;
let stack: Stack;
let page: Page;
let customer = '';
let dish: Dish;
let orderId = '';

const shot = (name: string) => scenario.shot(name);
const byTest = (id: string) => page.locator(`[data-test="${id}"]`);
const order = (id: string) => page.locator(`[data-test="queue-order"][data-order="${id}"]`);

beforeAll(async () => {
  scenario = await startClientScenario({
    name: 'merchant',
    app: 'merchant',
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
  customer = await customerToken(stack, 1);
  dish = await findDish(stack, TANTIE_AWA, 'Attiéké poisson braisé');
});

afterAll(() => scenario?.stop());

async function signIn(national: string): Promise<void> {
  await page.goto('/sign-in');
  await byTest('phone').fill(national);
  await byTest('send-code').click();
  await byTest('code').pressSequentially('123456');
  await page.waitForURL('**/tabs/orders');
}

describe('the order queue', () => {
  it('signs the owner in by SMS code and shows the queue with no new order', async () => {
    await page.goto('/sign-in');
    await byTest('phone').fill('07 00');
    await byTest('send-code').click();
    await expect.poll(() => byTest('error').textContent()).toBe('Numéro incomplet : il faut 10 chiffres.');
    await byTest('phone').fill(MERCHANT);
    await shot('m01-sign-in');
    await byTest('send-code').click();
    await byTest('code').pressSequentially('123456');
    await page.waitForURL('**/tabs/orders');
    await expect.poll(() => byTest('store-name').textContent()).toBe('Maquis Chez Tantie Awa');
    // The seed's own orders of the maquis (courier scenarios) are in progress or finished: nothing new, no alarm.
    await byTest('queue').waitFor();
    expect(await byTest('lane-new').count()).toBe(0);
    expect(await byTest('alarm').count()).toBe(0);
    await shot('m02-queue-empty');
  });

  it('receives an order placed through the API without a reload, and rings until it is answered', async () => {
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    const placed = await placeOrder(stack, customer, {
      store_id: TANTIE_AWA,
      items: [
        { product_id: dish.id, quantity: 1, option_ids: [dish.options['Capitaine'], dish.options['Sans piment']] },
      ],
      fulfilment: 'pickup',
      payment_method: 'cash',
      cash_tendered_xof: 5000,
      note: 'Bien cuit s’il vous plaît',
    });
    expect(placed.status).toBe(201);
    orderId = placed.body.order!.id;
    await order(orderId).waitFor({ timeout: 15_000 });
    expect(await order(orderId).getAttribute('data-status')).toBe('pending');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42); // no reload
    await byTest('alarm').waitFor();
    expect(await byTest('alarm').textContent()).toContain('Nouvelle commande');
    expect(await order(orderId).textContent()).toContain('1 × Attiéké poisson braisé');
    await shot('m03-new-order');
  });

  it('shows the order in full: options, note, payment and the change to prepare', async () => {
    await order(orderId).click();
    await byTest('order-items').waitFor();
    const items = await byTest('order-items').textContent();
    expect(items).toContain('1 × Attiéké poisson braisé');
    expect(items).toContain('Poisson : Capitaine');
    expect(items).toContain('Piment : Sans piment');
    expect(await byTest('order-note').textContent()).toContain('Bien cuit s’il vous plaît');
    expect(await byTest('order-payment-method').textContent()).toBe('Paiement : Espèces');
    const total = dish.price_xof + 1500;
    expect(await byTest('order-change').textContent()).toBe(
      `Le client paie avec ${formatXof(5000)} : prévoir ${formatXof(5000 - total)} de monnaie.`,
    );
    await shot('m04-order-detail');
  });

  it('accepts with a preparation time, then preparing, then ready', async () => {
    await byTest('reject-start').click();
    await byTest('reject').click();
    await expect.poll(() => byTest('order-error').textContent()).toBe('Indiquez un motif : le client le verra.');
    await page.getByRole('button', { name: 'Annuler' }).click();
    await byTest('prep-30').click();
    await expect.poll(() => byTest('accept').textContent()).toContain('Accepter (30 min)');
    await byTest('accept').click();
    await expect.poll(() => byTest('order-status').textContent()).toBe('Acceptée');
    const accepted = (await asService(stack, `orders?id=eq.${orderId}&select=status,accepted_at`)) as {
      status: string;
    }[];
    expect(accepted[0]!.status).toBe('accepted');
    await shot('m05-accepted');
    await byTest('start-preparing').click();
    await expect.poll(() => byTest('order-status').textContent()).toBe('En préparation');
    await byTest('mark-ready').click();
    await expect.poll(() => byTest('order-status').textContent()).toBe('Prête');
    const ready = (await asService(stack, `orders?id=eq.${orderId}&select=status`)) as { status: string }[];
    expect(ready[0]!.status).toBe('ready');
    await page.goBack();
    await expect.poll(() => order(orderId).getAttribute('data-status')).toBe('ready');
    expect(await byTest('alarm').count()).toBe(0);
    await shot('m06-ready');
  });
});

describe('the catalogue', () => {
  it('lists the menu by category, refuses a negative price and an empty name in words, saves nothing', async () => {
    await byTest('tab-catalogue').click();
    const row = byTest('product-row').filter({ hasText: 'Attiéké poisson braisé' });
    await row.waitFor();
    expect(await row.locator('[data-test="product-price"]').textContent()).toBe(nbsp('2 000 FCFA'));
    await shot('m07-catalogue');
    await row.locator('[data-test="product-link"]').click();
    await byTest('product-form').waitFor();
    await expect.poll(() => byTest('edit-name').inputValue()).toBe('Attiéké poisson braisé');
    await byTest('edit-name').fill('   ');
    await byTest('edit-price').fill('-500');
    await byTest('product-save').click();
    await expect.poll(() => byTest('name-error').textContent()).toBe('Donnez un nom au plat.');
    expect(await byTest('price-error').textContent()).toBe('Le prix ne peut pas être négatif.');
    // An oversized photo is refused before anything is sent.
    await byTest('photo-input').setInputFiles({
      name: 'enorme.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.alloc(16 * 1024 * 1024, 1),
    });
    await expect
      .poll(() => byTest('photo-error').textContent())
      .toBe('Photo trop lourde (15 Mo au plus). Prenez-la à nouveau ou choisissez-en une autre.');
    await shot('m12-bad-input');
    const unchanged = (await asService(stack, `products?id=eq.${dish.id}&select=name,price_xof,photo_path`)) as {
      name: string;
      price_xof: number;
      photo_path: string | null;
    }[];
    expect(unchanged[0]).toEqual({
      name: 'Attiéké poisson braisé',
      price_xof: 2000,
      photo_path: unchanged[0]!.photo_path,
    });
  });

  it('edits the price', async () => {
    await byTest('edit-name').fill('Attiéké poisson braisé');
    await byTest('edit-price').fill('2 200');
    await shot('m08-product-edit');
    await byTest('product-save').click();
    await page.waitForURL('**/tabs/catalogue');
    const row = byTest('product-row').filter({ hasText: 'Attiéké poisson braisé' });
    await expect.poll(() => row.locator('[data-test="product-price"]').textContent()).toBe(nbsp('2 200 FCFA'));
    const saved = (await asService(stack, `products?id=eq.${dish.id}&select=price_xof`)) as { price_xof: number }[];
    expect(saved[0]!.price_xof).toBe(2200);
  });

  it('uploads a photo made small on the phone', async () => {
    await byTest('product-row')
      .filter({ hasText: 'Attiéké poisson braisé' })
      .locator('[data-test="product-link"]')
      .click();
    await byTest('product-form').waitFor();
    // A camera-sized picture (2400 × 1800 PNG with detail), drawn by the browser itself.
    const dataUrl = await page.evaluate(() => {
      const c = document.createElement('canvas');
      c.width = 2400;
      c.height = 1800;
      const g = c.getContext('2d')!;
      const grad = g.createLinearGradient(0, 0, 2400, 1800);
      grad.addColorStop(0, '#c8702a');
      grad.addColorStop(1, '#f5d76e');
      g.fillStyle = grad;
      g.fillRect(0, 0, 2400, 1800);
      for (let i = 0; i < 4000; i++) {
        g.fillStyle = `hsl(${(i * 37) % 360} 70% ${30 + (i % 50)}%)`;
        g.fillRect((i * 97) % 2400, (i * 61) % 1800, 14, 14);
      }
      return c.toDataURL('image/png');
    });
    const png = Buffer.from(dataUrl.split(',')[1]!, 'base64');
    await byTest('photo-input').setInputFiles({ name: 'plat.png', mimeType: 'image/png', buffer: png });
    // The seed's photo is replaced by the new one: a JPEG under the store's folder.
    const pathNow = async () =>
      ((await asService(stack, `products?id=eq.${dish.id}&select=photo_path`)) as { photo_path: string }[])[0]!
        .photo_path;
    const jpegPath = new RegExp(`^product-photos/${TANTIE_AWA}/${dish.id}-[a-z0-9]+\\.jpg$`);
    await expect.poll(pathNow, { timeout: 15_000 }).toMatch(jpegPath);
    const saved = [{ photo_path: await pathNow() }];
    await expect.poll(() => byTest('product-photo').getAttribute('src')).toContain(saved[0]!.photo_path.split('/')[2]);
    const photo = await fetch(`${stack.apiUrl}/storage/v1/object/public/${saved[0]!.photo_path}`);
    expect(photo.headers.get('content-type')).toBe('image/jpeg');
    const bytes = (await photo.arrayBuffer()).byteLength;
    expect(bytes).toBeLessThanOrEqual(300_000);
    expect(bytes).toBeLessThan(png.length);
    await expect.poll(() => byTest('product-photo').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1280);
    await shot('m09-photo');
  });
});

describe('store controls', () => {
  it('sets the store busy for 30 minutes and the customer side refuses new orders', async () => {
    await page.goBack();
    await page.waitForURL('**/tabs/catalogue');
    await byTest('tab-store').click();
    await expect.poll(() => byTest('store-status').textContent()).toBe('Ouvert');
    await byTest('store-busy-30').click();
    await expect.poll(() => byTest('store-status').textContent()).toMatch(/^Occupé jusqu’à \d\d:\d\d$/);
    const store = (await asService(stack, `stores?id=eq.${TANTIE_AWA}&select=status,busy_until`)) as {
      status: string;
      busy_until: string;
    }[];
    expect(store[0]!.status).toBe('busy');
    const minutes = (new Date(store[0]!.busy_until).getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(28);
    expect(minutes).toBeLessThanOrEqual(30);
    await shot('m10-store-busy');
    const refused = await placeOrder(stack, customer, {
      store_id: TANTIE_AWA,
      items: [{ product_id: dish.id, quantity: 1, option_ids: [dish.options['Carpe']] }],
      fulfilment: 'pickup',
      payment_method: 'cash',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error?.code).toBe('store_busy');
    // Open again: orders come back.
    await byTest('store-open').click();
    await expect.poll(() => byTest('store-status').textContent()).toBe('Ouvert');
  });

  it('refuses weekly hours that close before they open, in words, and saves a night slot', async () => {
    const slots = async () =>
      ((await asService(stack, `store_hours?store_id=eq.${TANTIE_AWA}&select=id`)) as unknown[]).length;
    const before = await slots();
    await byTest('hours-weekday').selectOption('5');
    await byTest('hours-opens').fill('22:00');
    await byTest('hours-closes').fill('08:00');
    await byTest('hours-add').click();
    await expect
      .poll(() => byTest('hours-error').textContent())
      .toBe('La fermeture est avant l’ouverture. Si vous fermez après minuit, cochez « Ferme après minuit ».');
    expect(await slots()).toBe(before);
    await byTest('hours-error').scrollIntoViewIfNeeded();
    await shot('m13-hours-bad-input');
    await byTest('hours-closes').fill('02:00');
    await byTest('hours-next-day').check();
    await byTest('hours-add').click();
    await expect.poll(slots).toBe(before + 1);
    await expect.poll(() => byTest('hours-day').nth(4).textContent()).toContain('22:00–02:00 (lendemain)');
  });
});

describe('the team', () => {
  it('adds a person as staff by number; a number without an account is explained', async () => {
    await byTest('team-phone').fill('07 00 00 09 50');
    await byTest('team-add').click();
    await expect
      .poll(() => byTest('team-error').textContent())
      .toBe(
        'Ce numéro n’a pas encore de compte Ecom : demandez à la personne de se connecter une fois à Ecom, puis réessayez.',
      );
    await byTest('team-phone').fill('07 00 00 09 01'); // the customer of the first order, signed in since
    await byTest('team-add').click();
    await expect.poll(() => byTest('team-member').count()).toBe(2);
    expect(await byTest('team-member').nth(1).textContent()).toContain('employé');
    const staff = (await asService(
      stack,
      `store_members?store_id=eq.${TANTIE_AWA}&role=eq.staff&select=user_id`,
    )) as unknown[];
    expect(staff).toHaveLength(1);
  });
});

describe('promotions', () => {
  it('refuses a bad promotion in words, creates a good one, and a customer gets it at checkout', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    await byTest('promotion-code').fill('garba10');
    await byTest('promotion-value').fill('150');
    await byTest('promotion-from').fill(inAWeek);
    await byTest('promotion-to').fill(today);
    await byTest('promotion-save').click();
    await expect
      .poll(() => byTest('promotion-error').allTextContents())
      .toEqual(['Le pourcentage va de 1 à 100.', 'Le dernier jour est avant le premier.']);
    expect(await asService(stack, `promotions?store_id=eq.${TANTIE_AWA}&code=eq.GARBA10&select=id`)).toEqual([]);
    await byTest('promotion-value').fill('10');
    await byTest('promotion-from').fill(today);
    await byTest('promotion-to').fill(inAWeek);
    await byTest('promotion-save').click();
    await expect.poll(() => byTest('promotion').filter({ hasText: 'GARBA10' }).count()).toBe(1);
    expect(await byTest('promotion').filter({ hasText: 'GARBA10' }).textContent()).toContain('−10 %');
    const buyer = await customerToken(stack, 3);
    const placed = await placeOrder(stack, buyer, {
      store_id: TANTIE_AWA,
      items: [{ product_id: dish.id, quantity: 1, option_ids: [dish.options['Carpe']] }],
      fulfilment: 'pickup',
      payment_method: 'cash',
      promo_code: 'garba10',
    });
    expect(placed.status).toBe(201);
    expect(placed.body.order).toMatchObject({ discount_xof: 220, total_xof: 1980 });
  });
});

describe('money', () => {
  it('shows a paid order with its commission and sends a payout to mobile money', async () => {
    // A customer pays a pickup order from the wallet; the store hands it over with the customer's code.
    const storeWallet = async () =>
      Number(
        (
          (await asService(
            stack,
            `ledger_accounts?kind=eq.merchant_wallet&owner_id=eq.${TANTIE_AWA}&select=balance`,
          )) as {
            balance: number;
          }[]
        )[0]?.balance ?? 0,
      );
    const before = await storeWallet(); // the seed's own settled orders
    const payer = await customerToken(stack, 2);
    await topUp(stack, payer, 10_000);
    const placed = await placeOrder(stack, payer, {
      store_id: TANTIE_AWA,
      items: [{ product_id: dish.id, quantity: 2, option_ids: [dish.options['Carpe']] }],
      fulfilment: 'pickup',
      payment_method: 'wallet',
    });
    expect(placed.status).toBe(201);
    const paid = placed.body.order!;
    // The merchant's own session, as the app holds it (a second SMS code within a minute would be refused).
    const merchant = await page.evaluate(
      () => (JSON.parse(localStorage.getItem('ecom.merchant.auth') ?? '{}') as { access_token: string }).access_token,
    );
    await moveOrder(stack, merchant, paid.id, { to: 'accepted', prep_minutes: 15 });
    await moveOrder(stack, merchant, paid.id, { to: 'preparing' });
    await moveOrder(stack, merchant, paid.id, { to: 'ready' });
    await moveOrder(stack, merchant, paid.id, { to: 'delivered', code: paid.delivery_code });

    await byTest('tab-money').click();
    const settlement = byTest('settlement').filter({ hasText: paid.id.slice(0, 8).toUpperCase() });
    await settlement.waitFor({ timeout: 15_000 });
    const text = (await settlement.textContent())!;
    expect(text).toContain(`Montant des articles${formatXof(4400)}`);
    const commission = Number(/Commission−([\d\u00a0]+)/.exec(text)![1]!.replace(/\D/g, ''));
    expect(commission).toBeGreaterThan(0);
    expect(text).toContain(`Pour vous${formatXof(4400 - commission)}`);
    expect(await storeWallet()).toBe(before + 4400 - commission);
    await expect.poll(() => byTest('wallet-balance').textContent()).toBe(formatXof(before + 4400 - commission));

    await byTest('payout-amount').fill('-5');
    await byTest('payout-send').click();
    await expect.poll(() => byTest('payout-error').textContent()).toBe('Le montant ne peut pas être négatif.');
    await byTest('payout-amount').fill('1 000');
    await byTest('payout-phone').fill('07 00 00 05 01');
    await byTest('payout-send').click();
    await byTest('payout-done').waitFor({ timeout: 15_000 });
    expect(await byTest('payout-done').textContent()).toMatch(/1\u00a0000\u00a0FCFA/);
    await expect.poll(() => byTest('wallet-balance').textContent()).toBe(formatXof(before + 4400 - commission - 1000));
    await byTest('payout-row').first().waitFor();
    await byTest('wallet-balance').scrollIntoViewIfNeeded();
    await shot('m11-money');
    // Sales of the day count the delivered order.
    await byTest('sales').scrollIntoViewIfNeeded();
    await expect.poll(async () => Number(await byTest('sales-orders').textContent())).toBeGreaterThanOrEqual(1);
    expect(await byTest('best-sellers').textContent()).toContain('Attiéké poisson braisé');
  });
});

describe('language and several stores', () => {
  it('speaks English when chosen', async () => {
    await byTest('tab-store').click();
    await byTest('lang-en').click();
    await expect.poll(() => byTest('store-status').textContent()).toBe('Open');
    expect(await byTest('tab-money').textContent()).toContain('Money');
    await byTest('lang-fr').click();
    await expect.poll(() => byTest('store-status').textContent()).toBe('Ouvert');
  });

  it('switches between them', async () => {
    await byTest('sign-out').click();
    await page.waitForURL('**/sign-in');
    await signIn(TWO_STORES);
    const switcher = byTest('store-switcher');
    await switcher.waitFor();
    const names = await switcher.locator('option').allTextContents();
    expect(names).toHaveLength(2);
    const other = await switcher.locator('option').nth(1).getAttribute('value');
    await switcher.selectOption(other!);
    await expect.poll(() => switcher.inputValue()).toBe(other);
    await byTest('tab-store').click();
    await expect.poll(() => page.locator('[data-test="store-switcher"]').last().inputValue()).toBe(other);
  });
});
