// The other side of the operations scenario (e2e/tests/admin-ops.e2e.test.ts), through the same public APIs, beside
// the admin scenario's helpers (admin-api.ts: sessions, store owner, top-up, pickup order, hand-over): people get
// their staff roles and names (service role, as an admin's SQL would), a seeded store opens around the clock, the
// customer opens a dispute (PostgREST, as the customer app does), and the customer's order and ride requests are
// answered as they are — refusals included — to check a suspension.
import type { Stack } from '@ecom/local-stack';
import { asService } from './api.ts';

/** Grants a role and names the person (the scenario's setup). */
export async function grantRole(stack: Stack, userId: string, role: string, fullName: string): Promise<void> {
  await asService(stack, 'user_roles', {
    method: 'POST',
    body: JSON.stringify({ user_id: userId, role }),
    headers: { Prefer: 'resolution=ignore-duplicates' },
  });
  await asService(stack, `profiles?id=eq.${userId}`, {
    method: 'PATCH',
    body: JSON.stringify({ full_name: fullName }),
  });
}

/** Opens a seeded store every day around the clock (the scenario runs at any hour). */
export async function openAroundTheClock(stack: Stack, storeId: string): Promise<void> {
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
}

export interface Answer {
  status: number;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** POST to a function as the token's person, in French, with a fresh Idempotency-Key; the answer as it is. */
async function post(stack: Stack, token: string, path: string, body: unknown): Promise<Answer> {
  const res = await fetch(`${stack.apiUrl}/functions/v1/${path}`, {
    method: 'POST',
    headers: {
      apikey: stack.anonKey,
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      'Accept-Language': 'fr',
      'Idempotency-Key': `admin-ops-e2e-${crypto.randomUUID()}`,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

/** POST /orders: a wallet pickup order of one dish. */
export const orderPickup = (stack: Stack, token: string, storeId: string, dish: { id: string; option_ids: string[] }) =>
  post(stack, token, 'orders', {
    store_id: storeId,
    items: [{ product_id: dish.id, quantity: 1, option_ids: dish.option_ids }],
    fulfilment: 'pickup',
    payment_method: 'wallet',
  });

/** POST /rides: a cash moto ride across Tiassalé. */
export const requestRide = (stack: Stack, token: string) =>
  post(stack, token, 'rides', {
    pickup: { lat: 5.8983, lng: -4.8228, landmark: 'Devant la pharmacie du marché' },
    dropoff: { lat: 5.9083, lng: -4.8228, landmark: 'Gare routière, sous le manguier' },
    vehicle_type: 'moto',
  });

/** The customer opens a dispute about their order (PostgREST, as the customer app does); its id. */
export async function openDispute(stack: Stack, customer: string, orderId: string, reason: string): Promise<string> {
  const res = await fetch(`${stack.apiUrl}/rest/v1/disputes`, {
    method: 'POST',
    headers: {
      apikey: stack.anonKey,
      Authorization: `Bearer ${customer}`,
      'Content-Type': 'application/json',
      Prefer: 'return=representation',
    },
    body: JSON.stringify({ order_id: orderId, reason }),
  });
  const rows = (await res.json()) as { id: string }[];
  if (!res.ok) throw new Error(`dispute: ${res.status} ${JSON.stringify(rows)}`);
  return rows[0]!.id;
}
