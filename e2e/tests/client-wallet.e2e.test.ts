// The wallet in a real browser against a real local stack with its Edge Functions and the sandbox mobile-money
// provider: a new wallet at 0, a bad amount refused in words, a top-up of 5 000 FCFA from a number that waits for
// the payer's PIN ("Confirmez sur votre téléphone"), the PIN typed on the sandbox phone, the balance at 5 000 without
// a reload, the history and the receipt; a declined number fails in French and changes nothing; a top-up whose
// answer is lost is retried after a reload with the same Idempotency-Key (one intent, one credit); then an order paid
// by mobile money at checkout (the wallet topped up by what it misses, then the order placed with `mobile_money`).
// Screenshots 21–27 go to e2e/screenshots/ (git-ignored).
import type { Stack } from '@ecom/local-stack';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatXof } from '../../packages/domain/src/money.ts';
import { asService } from '../lib/api.ts';
import { signIn } from '../lib/browser.ts';
import { startClientScenario, type ClientScenario } from '../lib/scenario.ts';
import { confirmOnPhone, paymentIntents, phoneRequests, walletBalances } from '../lib/wallet-api.ts';

const CUSTOMER = { national: '07 00 00 03 21', msisdn: '2250700000321' }; // config.toml [auth.sms.test_otp]
const BUYER = { national: '07 00 00 03 22' }; // pays an order by mobile money
const DECLINED_PAYER = '07 11 11 11 02'; // sandbox: a number ending in 02 is declined
const INSTANT_PAYER = '07 11 11 11 01'; // sandbox: a number ending in 01 succeeds by itself
const TANTIE_AWA = '51000000-0000-4000-8000-000000000001';

let scenario: ClientScenario;
let stack: Stack;
let page: Page;

const shot = (name: string) => scenario.shot(name);
const byTest = (id: string) => page.locator(`[data-test="${id}"]`);
const signedInUser = () =>
  page.evaluate(
    () => (JSON.parse(localStorage.getItem('ecom.client.auth') ?? '{}') as { user?: { id: string } }).user?.id ?? '',
  );

beforeAll(async () => {
  scenario = await startClientScenario({
    name: 'client-wallet',
    functions: true,
    // The maquis takes orders at any hour the suite runs (the checkout step).
    prepare: (s) =>
      asService(s, `store_hours?store_id=eq.${TANTIE_AWA}`, {
        method: 'PATCH',
        body: JSON.stringify({ opens: '00:00', closes: '00:00', closes_next_day: true }),
      }).then(() => undefined),
  });
  ({ stack, page } = scenario);
});

afterAll(() => scenario?.stop());

describe('the wallet', () => {
  let userId = '';

  it('opens from the home tile with a balance of 0 and an empty history', async () => {
    await signIn(page, CUSTOMER.national);
    userId = await signedInUser();
    await byTest('service-wallet').click();
    await page.waitForURL('**/wallet');
    await expect.poll(() => byTest('wallet-balance').textContent()).toBe(formatXof(0));
    await byTest('wallet-empty').waitFor();
    expect(await byTest('wallet-hold').count()).toBe(0);
    await shot('21-wallet');
  });

  it('refuses an amount below the minimum in words and sends nothing', async () => {
    await byTest('wallet-topup').click();
    await byTest('topup-amount-other').click();
    await byTest('topup-amount-input').fill('50');
    await byTest('topup-submit').click();
    await expect
      .poll(() => byTest('topup-amount-error').textContent())
      .toBe(`Le montant doit être entre ${formatXof(100)} et ${formatXof(500_000)}.`);
    expect(await paymentIntents(stack, userId)).toEqual([]);
  });

  it('tops up 5 000 FCFA: "confirm on your phone", the PIN on the phone, the balance without a reload', async () => {
    await byTest('topup-amount-5000').click();
    // The account's number is prefilled and its operator (07: Orange) chosen; both can be changed.
    expect(await byTest('topup-phone').inputValue()).toBe('+225 07 00 00 03 21');
    expect(await byTest('topup-operator-orange_ci').getAttribute('aria-checked')).toBe('true');
    expect(await byTest('topup-operator-wave_ci').count()).toBe(1);
    await shot('22-wallet-topup');
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    await byTest('topup-submit').click();
    await byTest('topup-pending').waitFor();
    expect(await byTest('topup-pending').textContent()).toBe('Confirmez sur votre téléphone');
    expect(await byTest('topup-instructions').textContent()).toContain(formatXof(5000));
    const [intent] = await paymentIntents(stack, userId);
    expect(intent).toMatchObject({
      status: 'pending',
      amount_xof: 5000,
      phone: CUSTOMER.msisdn,
      operator: 'orange_ci',
    });
    // One intent, one key: the key is kept on the phone until the attempt is over.
    const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('ecom.wallet.topup.v1') ?? 'null'));
    expect(saved.intentId).toBe(intent!.id);
    expect(saved.attempt.key).toMatch(/^.{8,100}$/);
    await shot('23-wallet-pending');

    await confirmOnPhone(stack, CUSTOMER.msisdn, intent!.id);
    await byTest('topup-succeeded').waitFor({ timeout: 20_000 });
    expect(await byTest('topup-succeeded').textContent()).toBe(`Portefeuille rechargé : ${formatXof(5000)} ajoutés.`);
    await expect.poll(() => byTest('wallet-balance').textContent(), { timeout: 10_000 }).toBe(formatXof(5000));
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    expect(await walletBalances(stack, userId)).toEqual({ wallet: 5000, hold: 0 });
    expect(await phoneRequests(stack, CUSTOMER.msisdn)).toEqual([]);
    await shot('24-wallet-credited');
  });

  it('lists the top-up in the history and shows its receipt', async () => {
    const first = byTest('wallet-movement').first();
    await expect.poll(() => first.getAttribute('data-kind')).toBe('topup');
    expect(await first.textContent()).toContain('Rechargement Mobile Money');
    expect(await first.locator('[data-test="wallet-movement-amount"]').textContent()).toBe(`+${formatXof(5000)}`);
    await first.click();
    await byTest('wallet-receipt').waitFor();
    expect(await byTest('receipt-amount').textContent()).toBe(`+${formatXof(5000)}`);
    expect(await byTest('receipt-kind').textContent()).toBe('Rechargement Mobile Money');
    expect(await byTest('receipt-operator').textContent()).toBe('Orange Money');
    expect(await byTest('receipt-balance').textContent()).toBe(formatXof(5000));
    expect(await byTest('receipt-reference').textContent()).toMatch(/^[0-9A-F]{8}$/);
    await shot('25-wallet-receipt');
    await byTest('receipt-close').click();
    await byTest('wallet-receipt').waitFor({ state: 'detached' });
  });

  it('says in French when the operator declines, and the balance does not move', async () => {
    await byTest('topup-done').click();
    await byTest('wallet-topup').click();
    await byTest('topup-amount-2000').click();
    await byTest('topup-phone').fill(DECLINED_PAYER);
    await byTest('topup-submit').click();
    await byTest('topup-failed').waitFor({ timeout: 20_000 });
    expect(await byTest('topup-failed').textContent()).toBe(
      'Le paiement a été refusé par votre opérateur. Rien n’a été débité.',
    );
    expect(await byTest('wallet-balance').textContent()).toBe(formatXof(5000));
    expect(await walletBalances(stack, userId)).toEqual({ wallet: 5000, hold: 0 });
    const [declined] = await paymentIntents(stack, userId);
    expect(declined).toMatchObject({ status: 'failed', failure_reason: 'declined', amount_xof: 2000 });
    await expect
      .poll(() => byTest('wallet-movement').first().getAttribute('data-kind'), { timeout: 10_000 })
      .toBe('topup_failed');
    await shot('26-wallet-topup-failed');
    // "Try again" starts a new attempt from the form.
    await byTest('topup-retry').click();
    await byTest('topup-form').waitFor();
  });

  it('retries a top-up whose answer was lost, after a reload, with the same key: one intent, one credit', async () => {
    const keys: string[] = [];
    const loseAnswer = async (route: Route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      await route.fetch(); // the server creates the intent…
      await route.abort('timedout'); // …and the phone never hears it
    };
    await page.route('**/functions/v1/payments/top-ups', loseAnswer);
    await byTest('topup-amount-1000').click();
    await byTest('topup-phone').fill(INSTANT_PAYER);
    await byTest('topup-submit').click();
    await byTest('topup-unknown').waitFor();
    expect(await byTest('topup-unknown').textContent()).toContain('elle ne sera pas faite deux fois');
    await page.unroute('**/functions/v1/payments/top-ups', loseAnswer);
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/functions/v1/payments/top-ups'))
        keys.push(r.headers()['idempotency-key'] ?? '');
    });
    await page.reload();
    await byTest('topup-unknown').waitFor();
    await shot('26b-wallet-topup-no-answer');
    await byTest('topup-unknown-retry').click();
    await byTest('topup-succeeded').waitFor({ timeout: 20_000 });
    await expect.poll(() => byTest('wallet-balance').textContent(), { timeout: 10_000 }).toBe(formatXof(6000));
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    const thousands = (await paymentIntents(stack, userId)).filter((i) => i.amount_xof === 1000);
    expect(thousands).toHaveLength(1);
    expect(thousands[0]!.status).toBe('succeeded');
    expect(await walletBalances(stack, userId)).toEqual({ wallet: 6000, hold: 0 });
  });
});

describe('mobile money at checkout', () => {
  it('tops the wallet up by what the order misses, then places it paid by mobile money', async () => {
    await page.evaluate(() => localStorage.clear());
    await signIn(page, BUYER.national);
    const buyerId = await signedInUser();
    await page.goto('/stores/maquis-chez-tantie-awa');
    await byTest('product-row').filter({ hasText: 'Attiéké poisson braisé' }).click();
    await byTest('sheet').getByText('Capitaine').click();
    await byTest('add-to-cart').click();
    await byTest('sheet').waitFor({ state: 'detached' });
    await page.goto('/tabs/cart');
    await byTest('order').click();
    await byTest('checkout').waitFor();
    await byTest('fulfilment-pickup').click();
    await expect.poll(() => byTest('total-total').textContent()).toBe(formatXof(3500));
    await byTest('pay-mobile_money').click();
    await byTest('mobile-money').waitFor();
    expect(await byTest('mobile-money-due').textContent()).toBe(`À payer par Mobile Money : ${formatXof(3500)}`);
    // "Commander" waits for the top-up.
    // (ion-button reflects its disabled prop a moment after Vue sets it.)
    await expect.poll(() => byTest('place-order').getAttribute('disabled')).not.toBeNull();
    await byTest('topup-phone').fill(INSTANT_PAYER);
    await byTest('topup-operator-mtn_ci').click();
    await shot('27-checkout-mobile-money');
    await byTest('topup-submit').click();
    // The payer's operator confirms (sandbox: a number ending in 01), the wallet is credited, the order goes.
    await page.waitForURL('**/orders/*', { timeout: 30_000 });
    const orderId = new URL(page.url()).pathname.split('/').pop()!;
    const [order] = (await asService(stack, `orders?select=id,payment_method,total_xof&customer_id=eq.${buyerId}`)) as {
      id: string;
      payment_method: string;
      total_xof: number;
    }[];
    expect(order).toEqual({ id: orderId, payment_method: 'mobile_money', total_xof: 3500 });
    expect(await walletBalances(stack, buyerId)).toEqual({ wallet: 0, hold: 3500 });
    const [intent] = await paymentIntents(stack, buyerId);
    expect(intent).toMatchObject({ status: 'succeeded', amount_xof: 3500, operator: 'mtn_ci', phone: '2250711111101' });

    // The wallet shows the hold and the order's payment, its receipt leading to the order.
    await page.goto('/wallet');
    await expect.poll(() => byTest('wallet-balance').textContent()).toBe(formatXof(0));
    expect(await byTest('wallet-hold').textContent()).toBe(`Réservé pour vos commandes en cours : ${formatXof(3500)}`);
    const kinds = byTest('wallet-movement');
    await expect.poll(() => kinds.first().getAttribute('data-kind')).toBe('order_hold');
    expect(await kinds.first().locator('[data-test="wallet-movement-amount"]').textContent()).toBe(
      `−${formatXof(3500)}`,
    );
    expect(await kinds.nth(1).getAttribute('data-kind')).toBe('topup');
    await kinds.first().click();
    await byTest('receipt-order').click();
    await page.waitForURL(`**/orders/${orderId}`);
  });
});
