// The other side of the operations scenario (e2e/tests/admin-ops.e2e.test.ts), through the same public APIs: people
// of the scenario get their roles (service role, as an admin would through SQL), a store of the seed opens around the
// clock with one of them as its owner, a customer orders (the `orders` function) and the order is delivered, the
// customer opens a dispute (PostgREST, as the customer app would), a suspended customer's order and ride requests.
import type { Stack } from '@ecom/local-stack';
import { asService, moveOrder } from './api.ts';

const headers = (stack: Stack, token: string, extra: Record<string, string> = {}) => ({
  apikey: stack.anonKey,
  Authorization: `Bearer ${token}`,
  'Content-Type': 'application/json',
  ...extra,
});

/** The user id inside an access token. */
export function userIdOf(token: string): string {
  const payload = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
  return (JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as { sub: string }).sub;
}

/** Grants a role (service role: the scenario's setup, like an admin's SQL) and names the person. */
export async function grantRole(stack: Stack, userId: string, role: string, fullName?: string): Promise<void> {
  await asService(stack, 'user_roles', {
    method: 'POST',
    body: JSON.stringify({ user_id: userId, role }),
    headers: { Prefer: 'resolution=ignore-duplicates' },
  });
  if (fullName) {
    await asService(stack, `profiles?id=eq.${userId}`, {
      method: 'PATCH',
      body: JSON.stringify({ full_name: fullName }),
    });
  }
}

/** Makes `ownerId` the owner of a seeded store, open every day around the clock; returns one of its products. */
export async function openStoreOwnedBy(stack: Stack, storeId: string, ownerId: string): Promise<{ productId: string }> {
  await grantRole(stack, ownerId, 'merchant');
  await asService(stack, 'store_members', {
    method: 'POST',
    body: JSON.stringify({ store_id: storeId, user_id: ownerId, role: 'owner' }),
    headers: { Prefer: 'resolution=ignore-duplicates' },
  });
  await asService(stack, `store_hours?store_id=eq.${storeId}`, { method: 'DELETE' });
  await asService(stack, `store_hour_exceptions?store_id=eq.${storeId}`, { method: 'DELETE' });
  await asService(stack, 'store_hours', {
    method: 'POST',
    body: JSON.stringify(
      [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
        store_id: storeId,
        weekday,
        opens: '00:00',
        closes: '00:00',
        closes_next_day: true,
      })),
    ),
  });
  await asService(stack, `stores?id=eq.${storeId}`, {
    method: 'PATCH',
    body: JSON.stringify({ status: 'open', busy_until: null }),
  });
  const products = (await asService(
    stack,
    `products?store_id=eq.${storeId}&available=eq.true&price_xof=gte.1000&select=id&order=price_xof&limit=1`,
  )) as { id: string }[];
  return { productId: products[0]!.id };
}

interface Answer {
  status: number;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function post(stack: Stack, token: string, path: string, body: unknown, extra: Record<string, string> = {}) {
  const res = await fetch(`${stack.apiUrl}/functions/v1/${path}`, {
    method: 'POST',
    headers: headers(stack, token, { 'Accept-Language': 'fr', ...extra }),
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] } satisfies Answer;
}

/** POST /orders: a wallet pickup order of one product (the answer, refusals included). */
export const placePickupOrder = (stack: Stack, token: string, storeId: string, productId: string) =>
  post(
    stack,
    token,
    'orders',
    {
      store_id: storeId,
      items: [{ product_id: productId, quantity: 1 }],
      fulfilment: 'pickup',
      payment_method: 'wallet',
    },
    { 'Idempotency-Key': `admin-ops-e2e-${crypto.randomUUID()}` },
  );

/** POST /rides: a cash moto ride across Tiassalé (the answer, refusals included). */
export const requestRide = (stack: Stack, token: string) =>
  post(
    stack,
    token,
    'rides',
    {
      pickup: { lat: 5.8983, lng: -4.8228, landmark: 'Devant la pharmacie du marché' },
      dropoff: { lat: 5.9083, lng: -4.8228, landmark: 'Gare routière, sous le manguier' },
      vehicle_type: 'moto',
    },
    { 'Idempotency-Key': `admin-ops-e2e-${crypto.randomUUID()}` },
  );

/** The store's owner takes a pickup order to delivered, with the code the customer reads in their app. */
export async function deliverPickup(stack: Stack, merchant: string, customer: string, orderId: string) {
  const codes = (await (
    await fetch(`${stack.apiUrl}/rest/v1/order_delivery_codes?order_id=eq.${orderId}&select=code`, {
      headers: headers(stack, customer),
    })
  ).json()) as { code: string }[];
  for (const to of ['accepted', 'preparing', 'ready'] as const) await moveOrder(stack, merchant, orderId, { to });
  await moveOrder(stack, merchant, orderId, { to: 'delivered', code: codes[0]!.code });
}

/** The customer opens a dispute about their order (PostgREST, as the customer app does); its id. */
export async function openDispute(stack: Stack, customer: string, orderId: string, reason: string): Promise<string> {
  const res = await fetch(`${stack.apiUrl}/rest/v1/disputes`, {
    method: 'POST',
    headers: headers(stack, customer, { Prefer: 'return=representation' }),
    body: JSON.stringify({ order_id: orderId, reason }),
  });
  const rows = (await res.json()) as { id: string }[];
  if (!res.ok) throw new Error(`dispute: ${res.status} ${JSON.stringify(rows)}`);
  return rows[0]!.id;
}

/** The customer's wallet balance (their own ledger account, under RLS). */
export async function walletOf(stack: Stack, token: string): Promise<number> {
  const res = await fetch(`${stack.apiUrl}/rest/v1/ledger_accounts?kind=eq.customer_wallet&select=balance`, {
    headers: headers(stack, token),
  });
  const rows = (await res.json()) as { balance: number }[];
  return rows[0] ? Number(rows[0].balance) : 0;
}
