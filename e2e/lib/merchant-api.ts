// The customer's side of a merchant scenario, through the same public APIs the customer app uses: sign in a test
// customer, look up a dish and its options, top the wallet up through the sandbox provider, place an order.
import type { Stack } from '@ecom/local-stack';
import { asService, signInByPhone } from './api.ts';

export interface Dish {
  id: string;
  price_xof: number;
  /** option name → option id, over all the dish's groups. */
  options: Record<string, string>;
}

/** A product of a store by name, with its options (read with the service role: fixtures only). */
export async function findDish(stack: Stack, storeId: string, name: string): Promise<Dish> {
  const rows = (await asService(
    stack,
    `products?store_id=eq.${storeId}&name=eq.${encodeURIComponent(name)}` +
      '&select=id,price_xof,product_option_groups(product_options(id,name))',
  )) as {
    id: string;
    price_xof: number;
    product_option_groups: { product_options: { id: string; name: string }[] }[];
  }[];
  const row = rows[0];
  if (!row) throw new Error(`no product ${name} in ${storeId}`);
  const options: Record<string, string> = {};
  for (const g of row.product_option_groups) for (const o of g.product_options) options[o.name] = o.id;
  return { id: row.id, price_xof: row.price_xof, options };
}

const jsonHeaders = (stack: Stack, token: string, extra: Record<string, string> = {}) => ({
  apikey: stack.anonKey,
  Authorization: `Bearer ${token}`,
  'Content-Type': 'application/json',
  ...extra,
});

/** POST /orders as the customer; answers the status and the body (refusals too: the tests look at them). */
export async function placeOrder(
  stack: Stack,
  token: string,
  body: Record<string, unknown>,
): Promise<{
  status: number;
  body: {
    order?: { id: string; total_xof: number; discount_xof: number; delivery_code: string };
    error?: { code: string };
  };
}> {
  const res = await fetch(`${stack.apiUrl}/functions/v1/orders`, {
    method: 'POST',
    headers: jsonHeaders(stack, token, { 'Idempotency-Key': `merchant-e2e-${crypto.randomUUID()}` }),
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as never };
}

/** The customer's wallet balance (PostgREST as the customer: RLS shows their own accounts). */
export async function walletBalance(stack: Stack, token: string): Promise<number> {
  const res = await fetch(`${stack.apiUrl}/rest/v1/ledger_accounts?kind=eq.customer_wallet&select=balance`, {
    headers: jsonHeaders(stack, token),
  });
  const rows = (await res.json()) as { balance: number }[];
  return rows[0] ? Number(rows[0].balance) : 0;
}

/**
 * Tops the customer's wallet up by mobile money through the sandbox provider: a payer number ending in 01 succeeds
 * by itself (docs/payments.md, magic numbers). Resolves once the wallet holds at least `amount` more.
 */
export async function topUp(stack: Stack, token: string, amount: number): Promise<void> {
  const before = await walletBalance(stack, token);
  const res = await fetch(`${stack.apiUrl}/functions/v1/payments/top-ups`, {
    method: 'POST',
    headers: jsonHeaders(stack, token, { 'Idempotency-Key': `merchant-e2e-topup-${crypto.randomUUID()}` }),
    body: JSON.stringify({ amount_xof: amount, operator: 'orange_ci', phone: '+2250700000501' }),
  });
  if (!res.ok) throw new Error(`top-up: ${res.status} ${await res.text()}`);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if ((await walletBalance(stack, token)) >= before + amount) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the top-up never reached the wallet');
}

/** A test customer of the merchant scenarios: +225 07 00 00 09 NN (config.toml [auth.sms.test_otp]). */
export const customerToken = (stack: Stack, n: number): Promise<string> =>
  signInByPhone(stack, `+22507000009${String(n).padStart(2, '0')}`);

/** rpc review_store_application as the token's person (an admin): approve, or reject with a reason. */
export async function reviewStoreApplication(
  stack: Stack,
  token: string,
  storeId: string,
  decision: { approve: true } | { approve: false; reason: string },
): Promise<{ status: number; body: { approval_status?: string; message?: string } }> {
  const res = await fetch(`${stack.apiUrl}/rest/v1/rpc/review_store_application`, {
    method: 'POST',
    headers: jsonHeaders(stack, token),
    body: JSON.stringify({ store_id: storeId, reason: null, ...decision }),
  });
  return { status: res.status, body: (await res.json()) as never };
}
