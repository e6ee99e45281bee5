// The notifications inbox, calling the courier, photos and English, in a real browser against a real local stack
// with its Edge Functions: a profile photo made small on the phone (a text file refused first), a saved place with
// a photo of the gate, an order placed through the API; the store accepts it and the notification arrives live
// with the bell's badge; a tap opens tracking; a courier is assigned and "Appeler le coursier" calls his number (and
// he, not another customer, may read the gate photo); then English: home, the inbox (a new notification written in
// English by the server), a refusal of the orders function in English and a wrong sign-in code. Screenshots 41–47
// go to e2e/screenshots/ (git-ignored).
import type { Stack } from '@ecom/local-stack';
import type { Page } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asService, moveOrder, signInByPhone } from '../lib/api.ts';
import { signIn } from '../lib/browser.ts';
import { placeOrder, readAs, signPhoto } from '../lib/inbox-api.ts';
import { startClientScenario, type ClientScenario } from '../lib/scenario.ts';

const NUMBER = '07 00 00 03 41'; // +225 07 00 00 03 41, code 123456 (config.toml [auth.sms.test_otp])
const OTHER_CUSTOMER = '+2250700000342';
const WRONG_CODE_NUMBER = '07 00 00 03 43';
const MERCHANT = '+2250700000111'; // Awa Traoré, Maquis Chez Tantie Awa (seed/040_demo_accounts.sql)
const TANTIE_AWA = '51000000-0000-4000-8000-000000000001';
// Drissa Sanogo, moto, approved, no seeded job (seed/030_tiassale_couriers.sql).
const COURIER = { phone: '+2250700000209', id: 'c1000000-0000-4000-8000-000000000209' };
const PICTURE = new URL(`../../seed/photos/store-photos/${TANTIE_AWA}/cover.png`, import.meta.url);

let scenario: ClientScenario;
let stack: Stack;
let page: Page;
let token = '';
let userId = '';
let orderId = '';
let addressPhoto = '';

const shot = (name: string) => scenario.shot(name);
const byTest = (id: string) => page.locator(`[data-test="${id}"]`);
const badge = () => byTest('inbox-badge');
/** One sign-in per number for the whole file: the Auth stand-in limits how often a number is sent a code. */
const tokens = new Map<string, Promise<string>>();
const tokenOf = (phone: string): Promise<string> => {
  if (!tokens.has(phone)) tokens.set(phone, signInByPhone(stack, phone));
  return tokens.get(phone)!;
};
/** A 2000 × 1500 PNG with gradients and shapes, drawn by the browser. */
async function bigPicture(): Promise<Buffer> {
  const base64 = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 2000;
    canvas.height = 1500;
    const ctx = canvas.getContext('2d')!;
    const g = ctx.createLinearGradient(0, 0, 2000, 1500);
    g.addColorStop(0, '#1b7f4b');
    g.addColorStop(1, '#f2c14e');
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, 2000, 1500);
    for (let i = 0; i < 4000; i++) {
      ctx.fillStyle = `hsl(${(i * 37) % 360} 70% ${30 + (i % 40)}%)`;
      ctx.fillRect((i * 97) % 2000, (i * 53) % 1500, 6 + (i % 23), 6 + (i % 17));
    }
    return canvas.toDataURL('image/png').split(',')[1]!;
  });
  return Buffer.from(base64, 'base64');
}
const unreadCount = async () => ((await badge().count()) ? Number(await badge().textContent()) : 0);

beforeAll(async () => {
  scenario = await startClientScenario({
    name: 'client-inbox',
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

describe('profile photo', () => {
  it('refuses a file that is not a picture, in words, and keeps no photo', async () => {
    await signIn(page, NUMBER);
    // The app's own session: the customer's token for reading what was saved.
    token = await page.evaluate(
      () => (JSON.parse(localStorage.getItem('ecom.client.auth') ?? '{}') as { access_token: string }).access_token,
    );
    userId = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub;
    expect((await readAs<{ id: string }[]>(stack, token, 'profiles?select=id')).length).toBe(1);
    await page.goto('/tabs/profile');
    await byTest('profile-photo').waitFor();
    await byTest('photo-input').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('pas une photo'),
    });
    await expect
      .poll(() => byTest('photo-problem').textContent())
      .toBe('Ce fichier n’est pas une image. Choisissez une photo (JPEG, PNG ou WebP).');
    await byTest('photo-input').setInputFiles({
      name: 'enorme.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.alloc(11 * 1024 * 1024, 1),
    });
    await expect
      .poll(() => byTest('photo-problem').textContent())
      .toBe('Cette photo pèse 11 Mo : choisissez-en une de moins de 10 Mo.');
    expect(await byTest('photo-preview').count()).toBe(0);
    const [profile] = await readAs<{ avatar_path: string | null }[]>(stack, token, 'profiles?select=avatar_path');
    expect(profile?.avatar_path).toBeNull();
  });

  it('makes the picture small on the phone, uploads it to the person’s folder and shows it again later', async () => {
    // A 2000 × 1500 picture, as a phone camera gives (drawn in the page, sent as a PNG file).
    const original = await bigPicture();
    await byTest('photo-input').setInputFiles({ name: 'moi.png', mimeType: 'image/png', buffer: original });
    await byTest('photo-preview').waitFor();
    await expect.poll(() => byTest('photo-problem').count()).toBe(0);
    let saved: string | null = null;
    await expect
      .poll(async () => {
        const rows = await readAs<{ avatar_path: string | null }[]>(stack, token, 'profiles?select=avatar_path');
        saved = rows[0]?.avatar_path ?? null;
        return saved;
      })
      .toMatch(new RegExp(`^avatars/${userId}/[0-9a-f-]{36}\\.jpg$`));
    // What was stored is a JPEG, much lighter than the original.
    const signed = await signPhoto(stack, token, saved!);
    expect(signed.status).toBe(200);
    const file = await fetch(signed.url!);
    expect(file.headers.get('content-type')).toBe('image/jpeg');
    const bytes = (await file.arrayBuffer()).byteLength;
    expect(bytes).toBeGreaterThan(1000);
    expect(bytes).toBeLessThan(original.byteLength / 2);
    // Another customer cannot read it.
    const other = await tokenOf(OTHER_CUSTOMER);
    expect((await signPhoto(stack, other, saved!)).status).not.toBe(200);
    // After a reload, the picture comes back through a signed URL.
    await page.reload();
    const img = byTest('photo-preview');
    await img.waitFor();
    // Scaled on the phone: the longer side is 800 px, the proportions kept.
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(800);
    expect(await img.evaluate((el) => (el as HTMLImageElement).naturalHeight)).toBe(600);
    expect(await img.getAttribute('src')).toContain('/storage/v1/object/sign/avatars/');
    await shot('44-profile-photo');
  });
});

describe('a saved place with a photo of the gate', () => {
  it('stops a line at 50, then adds the photo to a new address at checkout', async () => {
    await page.goto('/stores/maquis-chez-tantie-awa');
    await byTest('product-row').filter({ hasText: 'Jus de bissap' }).click();
    // 50 of a line at most, like the server: the "+" stops there and says why.
    const more = byTest('sheet').getByLabel('Un de plus');
    const less = byTest('sheet').getByLabel('Un de moins');
    for (let i = 1; i < 50; i++) await more.click();
    expect(await byTest('quantity').textContent()).toBe('50');
    expect(await more.evaluate((el) => (el as HTMLElement & { disabled: boolean }).disabled)).toBe(true);
    expect(await byTest('quantity-max').textContent()).toContain('50 au plus par article');
    for (let i = 50; i > 1; i--) await less.click();
    expect(await byTest('quantity').textContent()).toBe('1');
    expect(await byTest('quantity-max').count()).toBe(0);
    await byTest('add-to-cart').click();
    await byTest('sheet').waitFor({ state: 'detached' });
    await page.goto('/tabs/cart');
    await byTest('order').click();
    await byTest('address-form').waitFor();
    await byTest('address-landmark').fill('Portail vert en face du forage');
    const photo = byTest('address-photo');
    await photo.locator('[data-test="photo-input"]').setInputFiles({
      name: 'portail.png',
      mimeType: 'image/png',
      buffer: await readFile(PICTURE),
    });
    await photo.locator('[data-test="photo-preview"]').waitFor();
    await photo.scrollIntoViewIfNeeded();
    await shot('45-checkout-address-photo');
    await byTest('address-save').click();
    await byTest('address-option').waitFor();
    const [address] = await readAs<{ photo_path: string | null }[]>(stack, token, 'addresses?select=photo_path');
    expect(address?.photo_path).toMatch(new RegExp(`^address-photos/${userId}/[0-9a-f-]{36}\\.jpg$`));
    addressPhoto = address!.photo_path!;
  });
});

describe('the inbox and calling the courier', () => {
  it('places an order for that address (as the checkout does, through the orders function)', async () => {
    const [product] = await asService(
      stack,
      `products?store_id=eq.${TANTIE_AWA}&name=eq.Jus%20de%20bissap&select=id`,
    ).then((r) => r as { id: string }[]);
    const [address] = await readAs<{ id: string }[]>(stack, token, 'addresses?select=id');
    orderId = await placeOrder(stack, token, {
      store_id: TANTIE_AWA,
      items: [{ product_id: product!.id, quantity: 3 }],
      fulfilment: 'delivery',
      address_id: address!.id,
      payment_method: 'cash',
    });
  });

  it('shows the store’s answer live in the bell’s badge, without a reload', async () => {
    await page.goto('/tabs/home');
    await byTest('inbox-bell').waitFor();
    // The bell joins the person's topic a moment after the first screen (data-live once joined).
    await page.locator('[data-test="inbox-bell"][data-live="true"]').waitFor({ timeout: 15_000 });
    const before = await unreadCount();
    const merchant = await tokenOf(MERCHANT);
    await moveOrder(stack, merchant, orderId, { to: 'accepted', prep_minutes: 20 });
    await expect.poll(unreadCount, { timeout: 15_000 }).toBe(before + 1);
    expect(await byTest('inbox-bell').getAttribute('aria-label')).toBe(`Notifications : ${before + 1} non lue(s)`);
    await shot('42-inbox-unread-badge');
  });

  it('lists it first, unread, and a tap opens the order', async () => {
    await byTest('inbox-bell').click();
    await page.waitForURL('**/notifications');
    const first = byTest('inbox-item').first();
    await first.waitFor();
    expect(await first.getAttribute('data-unread')).toBe('true');
    const text = await first.textContent();
    expect(text).toContain('Commande acceptée');
    expect(text).toContain(orderId.slice(0, 8).toUpperCase());
    expect(text).toContain('Non lue');
    expect(await byTest('inbox-mark-all').textContent()).toBe('Tout marquer comme lu');
    await shot('41-inbox');
    await first.click();
    await page.waitForURL(`**/orders/${orderId}`);
    await byTest('tracking').waitFor();
    const [row] = await readAs<{ read_at: string | null }[]>(
      stack,
      token,
      `notifications?select=read_at&data->>order_id=eq.${orderId}&data->>event=eq.accepted`,
    );
    expect(row?.read_at).not.toBeNull();
  });

  it('gives the courier’s number once one is assigned, and lets only him read the gate photo', async () => {
    expect(await byTest('call-courier').count()).toBe(0);
    await asService(stack, `orders?id=eq.${orderId}`, {
      method: 'PATCH',
      body: JSON.stringify({ courier_id: COURIER.id }),
    });
    const call = byTest('call-courier');
    await call.waitFor({ timeout: 15_000 });
    expect(await call.evaluate((el) => (el as HTMLElement & { href?: string }).href)).toBe(`tel:${COURIER.phone}`);
    expect(await call.textContent()).toContain('Appeler le coursier');
    expect(await byTest('courier-identity').textContent()).toMatch(/^\s*Drissa · moto/);
    await call.scrollIntoViewIfNeeded();
    await shot('43-tracking-call-courier');
    const courier = await tokenOf(COURIER.phone);
    const signed = await signPhoto(stack, courier, addressPhoto);
    expect(signed.status).toBe(200);
    expect((await fetch(signed.url!)).headers.get('content-type')).toBe('image/jpeg');
    const other = await tokenOf(OTHER_CUSTOMER);
    expect((await signPhoto(stack, other, addressPhoto)).status).not.toBe(200);
  });
});

describe('in English', () => {
  it('switches the language in the profile and shows home in English', async () => {
    await page.goto('/tabs/profile');
    await byTest('lang-en').click();
    await page.getByText('Sign out').waitFor();
    // Saved in the profile too: the server writes this person's notifications in English from now on.
    await expect
      .poll(async () => (await readAs<{ language: string }[]>(stack, token, 'profiles?select=language'))[0]?.language)
      .toBe('en');
    await page.goto('/tabs/home');
    await expect.poll(() => page.locator('.hello').textContent()).toContain('Hello');
    await expect.poll(() => byTest('search').getAttribute('placeholder')).toBe('Dish, store, product…');
    await shot('46-english-home');
  });

  it('shows new notifications written by the server in English, live, and marks all read', async () => {
    await byTest('inbox-bell').click();
    await page.waitForURL('**/notifications');
    await byTest('inbox-item').first().waitFor();
    await page.locator('[data-test="inbox-list"][data-live="true"]').waitFor({ timeout: 15_000 });
    const merchant = await tokenOf(MERCHANT);
    await moveOrder(stack, merchant, orderId, { to: 'preparing' });
    await expect
      .poll(() => byTest('inbox-item').first().textContent(), { timeout: 15_000 })
      .toContain('Order being prepared');
    expect(await byTest('inbox-item').first().textContent()).toContain('Unread');
    expect(await byTest('inbox-mark-all').textContent()).toBe('Mark all as read');
    await byTest('inbox-mark-all').click();
    await expect.poll(() => page.locator('[data-test="inbox-item"][data-unread="true"]').count()).toBe(0);
    const unread = await readAs<unknown[]>(stack, token, 'notifications?select=id&read_at=is.null');
    expect(unread).toEqual([]);
    await page.goto('/tabs/home');
    await byTest('inbox-bell').waitFor();
    await expect.poll(() => badge().count()).toBe(0);
  });

  it('shows the server’s refusal in English (Accept-Language)', async () => {
    await page.goto('/orders/00000000-0000-4000-8000-00000000dead');
    await expect.poll(() => byTest('order-error').textContent()).toContain('Order not found.');
  });

  it('refuses a wrong sign-in code in English', async () => {
    await page.goto('/tabs/profile');
    await byTest('sign-out').click();
    await page.waitForURL('**/sign-in');
    await byTest('phone').fill(WRONG_CODE_NUMBER);
    await byTest('send-code').click();
    await byTest('code').pressSequentially('000000');
    await expect
      .poll(() => byTest('error').textContent())
      .toBe('Wrong or expired code. Check the SMS or ask for a new code.');
    await shot('47-english-error');
  });
});
