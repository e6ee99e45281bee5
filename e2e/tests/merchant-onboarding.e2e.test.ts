// Opening a store from the merchant app in a real browser against the local stack: a new number signs in, has no
// store, opens the "Ouvrir ma boutique" form, is refused in French (empty form, closing before opening, a pin outside
// Tiassalé), sends a complete application with its pin from the phone's position and a storefront photo, sees
// "en cours de validation"; an admin (seeded, through the API) approves it, and the app then shows the store.
// Screenshots: e2e/screenshots/mo*.png.
import type { Stack } from '@ecom/local-stack';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatXof } from '../../packages/domain/src/money.ts';
import { asService, signInByPhone } from '../lib/api.ts';
import { reviewStoreApplication } from '../lib/merchant-api.ts';
import { startClientScenario, type ClientScenario } from '../lib/scenario.ts';

const APPLICANT = '07 00 00 09 81'; // config.toml: merchant onboarding numbers 09 81 – 09 95
const ADMIN = '+2250700000120'; // Admin Ecom (seed/040_demo_accounts.sql)
const NEAR_GARE = { latitude: 5.8991, longitude: -4.8215 }; // in Tiassalé
const STORE_NAME = 'Maquis Chez Adjoua';

let scenario: ClientScenario;
let stack: Stack;
let page: Page;
let storeId = '';
let customer = '';
let admin = '';

const byTest = (id: string) => page.locator(`[data-test="${id}"]`);
const shot = (name: string) => scenario.shot(name);

beforeAll(async () => {
  scenario = await startClientScenario({ name: 'merchant-onboarding', app: 'merchant' });
  ({ stack, page } = scenario);
  await scenario.context.grantPermissions(['geolocation']);
  await scenario.context.setGeolocation(NEAR_GARE);
});

afterAll(() => scenario?.stop());

describe('applying to open a store', () => {
  it('offers "Ouvrir ma boutique" to a signed-in person with no store', async () => {
    await page.goto('/sign-in');
    await byTest('phone').fill(APPLICANT);
    await byTest('send-code').click();
    await byTest('code').pressSequentially('123456');
    await page.waitForURL('**/tabs/orders');
    await expect
      .poll(() => byTest('no-store').first().textContent())
      .toBe(
        'Ce compte ne gère aucune boutique. Ouvrez la vôtre, ou demandez à son propriétaire de vous ajouter à son équipe.',
      );
    await shot('mo01-no-store');
    await byTest('store-apply').first().click();
    await page.waitForURL('**/apply');
    await byTest('apply-form').waitFor();
  });

  it('refuses an incomplete form and closing before opening in French, and sends nothing', async () => {
    await byTest('apply-submit').click();
    await expect.poll(() => byTest('apply-error').textContent()).toBe('Corrigez les champs en rouge.');
    expect(await byTest('apply-name-error').textContent()).toBe('Donnez le nom de la boutique (2 lettres au moins).');
    expect((await byTest('apply-location-error').textContent())?.trim()).toBe(
      'Indiquez où est la boutique : « Utiliser ma position ici » sur place, ou les coordonnées.',
    );
    await byTest('apply-kind').selectOption('maquis');
    await byTest('apply-name').fill(STORE_NAME);
    await byTest('apply-phone').fill('07 00 00 09 81');
    await byTest('apply-description').fill('Garba, alloco, poisson braisé');
    await byTest('apply-locate').click();
    await expect.poll(() => byTest('apply-pin').textContent()).toBe('Position : 5.89910, -4.82150');
    await byTest('apply-landmark').fill('Derrière la gare routière, portail bleu');
    await byTest('apply-day-7').check();
    await byTest('apply-opens').fill('18:00');
    await byTest('apply-closes').fill('02:00');
    await byTest('apply-payout-phone').fill('07 00 00 09 81');
    await byTest('apply-payout-phone').blur();
    await expect.poll(() => byTest('apply-payout-operator').inputValue()).toBe('orange_ci');
    await byTest('apply-submit').click();
    await expect
      .poll(async () => (await byTest('apply-hours-error').textContent())?.trim())
      .toBe('La fermeture est avant l’ouverture. Si vous fermez après minuit, cochez « Ferme après minuit ».');
    await shot('mo02-closing-before-opening');
    const stores = (await asService(stack, `stores?name=eq.${encodeURIComponent(STORE_NAME)}&select=id`)) as unknown[];
    expect(stores).toEqual([]);
  });

  it('refuses a pin outside the served area with the server’s answer in French', async () => {
    await byTest('apply-next-day').check();
    await byTest('apply-lat').fill('5.3364');
    await byTest('apply-lng').fill('-4.0267');
    await byTest('apply-submit').click();
    await expect
      .poll(() => byTest('apply-error').textContent())
      .toBe('Cette position est hors de la zone servie par Ecom (Tiassalé). Vérifiez le point.');
    const stores = (await asService(stack, `stores?name=eq.${encodeURIComponent(STORE_NAME)}&select=id`)) as unknown[];
    expect(stores).toEqual([]);
  });

  it('sends the application with a storefront photo and shows "en cours de validation"', async () => {
    await byTest('apply-locate').click();
    await expect.poll(() => byTest('apply-lat').inputValue()).toBe('5.899100');
    const dataUrl = await page.evaluate(() => {
      const c = document.createElement('canvas');
      c.width = 1600;
      c.height = 1200;
      const g = c.getContext('2d')!;
      g.fillStyle = '#2a7a4b';
      g.fillRect(0, 0, 1600, 1200);
      g.fillStyle = '#f5d76e';
      g.fillRect(200, 300, 1200, 500);
      return c.toDataURL('image/png');
    });
    await byTest('apply-photo').setInputFiles({
      name: 'devanture.png',
      mimeType: 'image/png',
      buffer: Buffer.from(dataUrl.split(',')[1]!, 'base64'),
    });
    await byTest('apply-logo').setInputFiles({
      name: 'logo.png',
      mimeType: 'image/png',
      buffer: Buffer.from(dataUrl.split(',')[1]!, 'base64'),
    });
    await shot('mo03-application');
    await byTest('apply-submit').click();
    await page.waitForURL('**/tabs/orders');
    await expect
      .poll(async () => (await byTest('store-pending').first().textContent())?.trim())
      .toBe(
        `Votre boutique « ${STORE_NAME} » est en cours de validation par l’équipe Ecom. Vous pouvez déjà préparer votre menu ; les clients la verront dès qu’elle sera validée.`,
      );
    await shot('mo04-pending');
    const rows = (await asService(
      stack,
      `stores?name=eq.${encodeURIComponent(STORE_NAME)}&select=id,approval_status,kind,cover_path,zone_id,` +
        'store_hours(weekday,opens,closes,closes_next_day),payout_destinations(phone,operator)',
    )) as {
      id: string;
      approval_status: string;
      kind: string;
      cover_path: string | null;
      store_hours: { weekday: number; closes_next_day: boolean }[];
      payout_destinations: { phone: string; operator: string } | null;
    }[];
    expect(rows).toHaveLength(1);
    const store = rows[0]!;
    storeId = store.id;
    // store_id is unique on payout_destinations: PostgREST embeds the one row as an object.
    expect(store).toMatchObject({ approval_status: 'pending', kind: 'maquis' });
    expect(store.store_hours.map((h) => h.weekday).sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(store.store_hours.every((h) => h.closes_next_day)).toBe(true);
    expect(store.payout_destinations).toEqual({ phone: '+2250700000981', operator: 'orange_ci' });
    await expect
      .poll(async () => {
        const r = (await asService(stack, `stores?id=eq.${storeId}&select=cover_path,logo_path`)) as {
          cover_path: string | null;
          logo_path: string | null;
        }[];
        return `${r[0]?.cover_path} ${r[0]?.logo_path}`;
      })
      .toMatch(
        new RegExp(`^store-photos/${storeId}/cover-[a-z0-9]+\\.jpg store-photos/${storeId}/logo-[a-z0-9]+\\.jpg$`),
      );
    // Customers do not see it yet.
    customer = await signInByPhone(stack, '+2250700000982');
    const seen = await fetch(`${stack.apiUrl}/rest/v1/stores?id=eq.${storeId}&select=id`, {
      headers: { apikey: stack.anonKey, Authorization: `Bearer ${customer}` },
    });
    expect(await seen.json()).toEqual([]);
  });

  it('is approved by an admin through the API, and the app then shows the store', async () => {
    // Anyone but an admin is refused (the applicant too: packages/db/test/merchant-onboarding.test.ts).
    const notAdmin = await reviewStoreApplication(stack, customer, storeId, { approve: true });
    expect(notAdmin.body.message).toBe('not_admin');
    admin = await signInByPhone(stack, ADMIN);
    const approved = await reviewStoreApplication(stack, admin, storeId, { approve: true });
    expect(approved.status).toBe(200);
    expect(approved.body.approval_status).toBe('approved');
    await page.reload();
    await expect.poll(() => byTest('store-name').first().textContent()).toBe(STORE_NAME);
    await byTest('queue').waitFor();
    expect(await byTest('store-pending').count()).toBe(0);
    await shot('mo05-approved');
  });
});

describe('special hours on a date', () => {
  it('refuses closing before opening in French, then saves a night slot for that date', async () => {
    await byTest('tab-store').click();
    await byTest('closed-day-form').waitFor();
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await byTest('closed-day-date').fill(tomorrow);
    await byTest('closed-day-note').fill('Fête du quartier');
    await byTest('closed-day-special').check();
    await byTest('closed-day-opens').fill('18:00');
    await byTest('closed-day-closes').fill('08:00');
    await byTest('closed-day-add').click();
    await expect
      .poll(() => byTest('closed-day-error').textContent())
      .toBe('La fermeture est avant l’ouverture. Si vous fermez après minuit, cochez « Ferme après minuit ».');
    await byTest('closed-day-error').scrollIntoViewIfNeeded();
    await shot('mo06-special-hours-refused');
    const none = (await asService(stack, `store_hour_exceptions?store_id=eq.${storeId}&select=id`)) as unknown[];
    expect(none).toEqual([]);
    await byTest('closed-day-closes').fill('02:00');
    await byTest('closed-day-next-day').check();
    await byTest('closed-day-add').click();
    await expect
      .poll(async () => (await byTest('closed-day').first().textContent())?.replace(/\s+/g, ' ').trim())
      .toBe(`${tomorrow} · 18:00–02:00 (lendemain) · Fête du quartier ✕`);
    const saved = (await asService(
      stack,
      `store_hour_exceptions?store_id=eq.${storeId}&select=on_date,closed,opens,closes,closes_next_day`,
    )) as unknown[];
    expect(saved).toEqual([
      { on_date: tomorrow, closed: false, opens: '18:00:00', closes: '02:00:00', closes_next_day: true },
    ]);
    await shot('mo07-special-hours');
  });
});

describe('the menu of the new store', () => {
  it('creates, refuses, reorders and renames categories in French', async () => {
    await byTest('tab-catalogue').click();
    await byTest('categories').waitFor();
    await byTest('category-add').click();
    await expect.poll(() => byTest('category-error').textContent()).toBe('Donnez un nom à la catégorie.');
    for (const name of ['Grillades', 'Boissons']) {
      await byTest('category-name-input').fill(name);
      await byTest('category-add').click();
      await expect.poll(() => byTest('category-name').allTextContents()).toContain(name);
    }
    await byTest('category-name-input').fill('GRILLADES');
    await byTest('category-add').click();
    await expect.poll(() => byTest('category-error').textContent()).toBe('Cette catégorie existe déjà.');
    await byTest('category-down').first().click();
    await expect.poll(() => byTest('category-name').allTextContents()).toEqual(['Boissons', 'Grillades']);
    await byTest('category-rename').nth(1).click();
    await byTest('category-rename-input').fill('Grillades et braisés');
    await byTest('category-rename-save').click();
    await expect.poll(() => byTest('category-name').allTextContents()).toEqual(['Boissons', 'Grillades et braisés']);
    await byTest('categories').scrollIntoViewIfNeeded();
    await shot('mo08-categories');
    const saved = (await asService(stack, `categories?store_id=eq.${storeId}&select=name&order=position`)) as {
      name: string;
    }[];
    expect(saved.map((c) => c.name)).toEqual(['Boissons', 'Grillades et braisés']);
  });

  it('adds a dish with a required side-dish choice; a bad choice is refused in words first', async () => {
    await byTest('quick-name').fill('Poulet braisé');
    await byTest('quick-price').fill('3000');
    await byTest('quick-save').click();
    await byTest('product-link').first().waitFor();
    await byTest('product-link').first().click();
    await byTest('option-group-form').waitFor();
    await byTest('option-group-name').fill('Accompagnement');
    await byTest('option-group-max').fill('3');
    await byTest('option-name-0').fill('Attiéké');
    await byTest('option-name-1').fill('Alloco');
    await byTest('option-delta-1').fill('-200');
    await byTest('option-group-add').click();
    await expect
      .poll(() => byTest('option-group-error').locator('li').allTextContents())
      .toEqual(['Option 2 : le supplément ne peut pas être négatif.', '« Au plus » dépasse le nombre d’options.']);
    await byTest('option-group-error').scrollIntoViewIfNeeded();
    await shot('mo09-options-refused');
    await byTest('option-delta-1').fill('200');
    await byTest('option-group-max').fill('1');
    await byTest('option-group-add').click();
    const optionNames = () => page.locator('[data-test="option"] > span:first-child').allTextContents();
    await expect.poll(optionNames).toEqual(['Attiéké', `Alloco · +${formatXof(200)}`]);
    const groups = (await asService(
      stack,
      `product_option_groups?store_id=eq.${storeId}&select=name,min_selections,max_selections,` +
        'product_options(name,price_delta_xof)',
    )) as unknown[];
    expect(groups).toEqual([
      {
        name: 'Accompagnement',
        min_selections: 1,
        max_selections: 1,
        product_options: [
          { name: 'Attiéké', price_delta_xof: 0 },
          { name: 'Alloco', price_delta_xof: 200 },
        ],
      },
    ]);
    // Attiéké runs out: one tap, customers no longer see it.
    await byTest('option-toggle').first().click();
    await expect.poll(optionNames).toEqual(['Attiéké · épuisé', `Alloco · +${formatXof(200)}`]);
    const attieke = (await asService(
      stack,
      `product_options?store_id=eq.${storeId}&name=eq.${encodeURIComponent('Attiéké')}&select=available`,
    )) as unknown[];
    expect(attieke).toEqual([{ available: false }]);
    await shot('mo10-options');
  });
});

describe('sales of the new store', () => {
  it('draws revenue per day for the week and month, and lists no customer yet', async () => {
    await page.goto('/tabs/money');
    await byTest('sales').waitFor();
    expect(await byTest('sales-by-day').count()).toBe(0); // today only: no per-day chart
    await byTest('sales').getByRole('button', { name: '7 jours' }).click();
    await expect.poll(() => byTest('sales-by-day').locator('rect').count()).toBe(7);
    const today = new Date().toISOString().slice(0, 10);
    expect(await byTest('sales-by-day').locator('rect').last().getAttribute('data-day')).toBe(today);
    await byTest('sales').getByRole('button', { name: '30 jours' }).click();
    await expect.poll(() => byTest('sales-by-day').locator('rect').count()).toBe(30);
    await byTest('sales-by-day').scrollIntoViewIfNeeded();
    await shot('mo11-sales-month');
    await byTest('sales-customers').click();
    await page.waitForURL('**/customers');
    await expect.poll(() => byTest('customers-empty').textContent()).toBe('Pas encore de client livré.');
    expect(await byTest('customers-summary').textContent()).toContain(
      '0 clients servis, dont 0 revenus plusieurs fois.',
    );
  });
});

describe('a rejected application', () => {
  it('shows the admin’s reason and lets the person apply again', async () => {
    // A second person signs in to the app, applies (through the API, with the app's session) and an admin rejects
    // the application with a reason.
    await page.evaluate(() => localStorage.clear());
    await page.goto('/sign-in');
    await byTest('phone').fill('07 00 00 09 83');
    await byTest('send-code').click();
    await byTest('code').pressSequentially('123456');
    await page.waitForURL('**/tabs/orders');
    await byTest('no-store').first().waitFor();
    const token = await page.evaluate(
      () => (JSON.parse(localStorage.getItem('ecom.merchant.auth') ?? '{}') as { access_token?: string }).access_token,
    );
    const res = await fetch(`${stack.apiUrl}/rest/v1/rpc/apply_for_store`, {
      method: 'POST',
      headers: { apikey: stack.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        kind: 'shop',
        name: 'Boutique Sans Repère',
        phone: '+2250700000983',
        lat: NEAR_GARE.latitude,
        lng: NEAR_GARE.longitude,
        landmark: 'Quartier',
        hours: [{ weekday: 1, opens: '08:00', closes: '18:00' }],
        payout_phone: '+2250700000983',
        payout_operator: 'orange_ci',
      }),
    });
    expect(res.status).toBe(200);
    const { store_id: rejectedId } = (await res.json()) as { store_id: string };
    const noReason = await reviewStoreApplication(stack, admin, rejectedId, { approve: false, reason: '' });
    expect(noReason.body.message).toBe('reason_invalid');
    const rejected = await reviewStoreApplication(stack, admin, rejectedId, {
      approve: false,
      reason: 'Le repère « Quartier » ne permet pas de trouver la boutique.',
    });
    expect(rejected.body.approval_status).toBe('rejected');
    // The app shows the reason, with the way to apply again.
    await page.reload();
    await expect
      .poll(async () => (await byTest('store-rejected').first().textContent())?.trim())
      .toBe(
        'Votre demande pour « Boutique Sans Repère » n’a pas été validée : Le repère « Quartier » ne permet pas de trouver la boutique.',
      );
    await shot('mo12-rejected');
    await byTest('store-reapply').first().click();
    await page.waitForURL('**/apply');
    await byTest('apply-form').waitFor();
  });
});
