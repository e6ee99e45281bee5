// The other people of the admin scenario, through the same public APIs their apps use: a customer tops up and orders,
// a store's owner hands the order over with the customer's code, a courier's document photos are in the bucket; and
// the checks the scenario makes against the database (service role, read only) and through the customer app's own
// quote path (PostgREST as the customer + @ecom/domain's deliveryFee, then POST /orders).
import { readFile } from 'node:fs/promises';
import type { Stack } from '@ecom/local-stack';
import { asService } from './api.ts';

export const TIASSALE = '5a1e0000-0000-4000-8000-000000000001';
export const TANTIE_AWA = '51000000-0000-4000-8000-000000000001';
/** The seed's courier awaiting approval (seed/030): Fousseni Dembélé, moto, +225 07 00 00 02 15. */
export const PENDING_COURIER = 'c1000000-0000-4000-8000-000000000215';

/** A test number of the admin scenario: +225 07 00 00 10 NN (config.toml [auth.sms.test_otp], code 123456). */
export const adminScenarioPhone = (n: number): string => `+22507000010${String(n).padStart(2, '0')}`;

export interface Session {
  userId: string;
  token: string;
  refreshToken: string;
}

const anonHeaders = (stack: Stack) => ({ apikey: stack.anonKey, 'Content-Type': 'application/json' });
const userHeaders = (stack: Stack, token: string, extra: Record<string, string> = {}) => ({
  apikey: stack.anonKey,
  Authorization: `Bearer ${token}`,
  'Content-Type': 'application/json',
  ...extra,
});

/** Signs a test number in through Auth (once per number and file) and keeps its refresh token. */
export async function signInSession(stack: Stack, phone: string): Promise<Session> {
  const otp = await fetch(`${stack.apiUrl}/auth/v1/otp`, {
    method: 'POST',
    headers: anonHeaders(stack),
    body: JSON.stringify({ phone }),
  });
  if (!otp.ok) throw new Error(`otp for ${phone}: ${otp.status} ${await otp.text()}`);
  const res = await fetch(`${stack.apiUrl}/auth/v1/verify`, {
    method: 'POST',
    headers: anonHeaders(stack),
    body: JSON.stringify({ type: 'sms', phone, token: '123456' }),
  });
  const body = (await res.json()) as { access_token?: string; refresh_token?: string; user?: { id: string } };
  if (!res.ok || !body.access_token) throw new Error(`verify ${phone}: ${res.status} ${JSON.stringify(body)}`);
  return { userId: body.user!.id, token: body.access_token, refreshToken: body.refresh_token! };
}

/** A fresh access token (the Custom Access Token Hook copies the person's current roles into it). */
export async function refreshSession(stack: Stack, session: Session): Promise<Session> {
  const res = await fetch(`${stack.apiUrl}/auth/v1/token?grant_type=refresh_token`, {
    method: 'POST',
    headers: anonHeaders(stack),
    body: JSON.stringify({ refresh_token: session.refreshToken }),
  });
  const body = (await res.json()) as { access_token?: string; refresh_token?: string };
  if (!res.ok || !body.access_token) throw new Error(`refresh: ${res.status} ${JSON.stringify(body)}`);
  return { ...session, token: body.access_token, refreshToken: body.refresh_token! };
}

/** Makes the person an owner of the store (what an approved application gives), with a token that says so. */
export async function makeStoreOwner(stack: Stack, session: Session, storeId: string): Promise<Session> {
  await asService(stack, 'user_roles', {
    method: 'POST',
    headers: { Prefer: 'resolution=ignore-duplicates' },
    body: JSON.stringify({ user_id: session.userId, role: 'merchant' }),
  });
  await asService(stack, 'store_members', {
    method: 'POST',
    body: JSON.stringify({ store_id: storeId, user_id: session.userId, role: 'owner' }),
  });
  return refreshSession(stack, session);
}

async function call(stack: Stack, token: string, path: string, body: unknown, key?: string) {
  const res = await fetch(`${stack.apiUrl}/${path}`, {
    method: 'POST',
    headers: userHeaders(stack, token, key ? { 'Idempotency-Key': key, Prefer: 'return=representation' } : {}),
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

/** The person's wallet balance as the ledger holds it (service role, read only). */
export async function walletOf(stack: Stack, userId: string): Promise<number> {
  const rows = (await asService(
    stack,
    `ledger_accounts?owner_id=eq.${userId}&kind=eq.customer_wallet&select=balance`,
  )) as { balance: number }[];
  return rows[0] ? Number(rows[0].balance) : 0;
}

/** Tops the wallet up through the sandbox provider (payer numbers ending in 01 succeed by themselves). */
export async function topUpWallet(stack: Stack, session: Session, amount: number): Promise<void> {
  const before = await walletOf(stack, session.userId);
  await call(
    stack,
    session.token,
    'functions/v1/payments/top-ups',
    { amount_xof: amount, operator: 'orange_ci', phone: '+2250700000501' },
    `admin-e2e-topup-${crypto.randomUUID()}`,
  );
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if ((await walletOf(stack, session.userId)) >= before + amount) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the top-up never reached the wallet');
}

/** A dish of the store with the first option of each required group (what the order form would send). */
export async function dishOf(stack: Stack, storeId: string, name: string) {
  const [row] = (await asService(
    stack,
    `products?store_id=eq.${storeId}&name=eq.${encodeURIComponent(name)}` +
      '&select=id,price_xof,product_option_groups(min_selections,product_options(id,position))',
  )) as {
    id: string;
    price_xof: number;
    product_option_groups: { min_selections: number; product_options: { id: string; position: number }[] }[];
  }[];
  if (!row) throw new Error(`no dish ${name}`);
  const options = row.product_option_groups
    .filter((g) => g.min_selections > 0)
    .map((g) => [...g.product_options].sort((a, b) => a.position - b.position)[0]!);
  return { id: row.id, option_ids: options.map((o) => o.id) };
}

/** A pickup order paid from the wallet, placed as the customer; its id, total and the customer's code. */
export async function placeWalletPickup(
  stack: Stack,
  customer: Session,
  storeId: string,
  item: { id: string; option_ids: string[] },
  quantity: number,
): Promise<{ id: string; total_xof: number; delivery_code: string }> {
  const answer = await call(
    stack,
    customer.token,
    'functions/v1/orders',
    {
      store_id: storeId,
      items: [{ product_id: item.id, quantity, option_ids: item.option_ids }],
      fulfilment: 'pickup',
      payment_method: 'wallet',
    },
    `admin-e2e-order-${crypto.randomUUID()}`,
  );
  return answer.order as { id: string; total_xof: number; delivery_code: string };
}

/** The store hands the order over: accepted, preparing, ready, delivered with the customer's code. */
export async function handOver(stack: Stack, owner: Session, orderId: string, code: string): Promise<void> {
  for (const move of [
    { to: 'accepted', prep_minutes: 10 },
    { to: 'preparing' },
    { to: 'ready' },
    { to: 'delivered', code },
  ]) {
    await call(stack, owner.token, `functions/v1/orders/${orderId}/transition`, move);
  }
}

/** The pending courier's documents get a photo each (what the courier app uploads), read back by the admin. */
export async function uploadDocumentPhotos(stack: Stack, courierId: string): Promise<void> {
  const docs = (await asService(stack, `courier_documents?courier_id=eq.${courierId}&select=storage_path`)) as {
    storage_path: string;
  }[];
  const photo = await readFile(new URL('../../apps/courier/public/icons/icon-192.png', import.meta.url));
  for (const d of docs) {
    const key = d.storage_path.replace(/^courier-documents\//, '');
    const res = await fetch(`${stack.apiUrl}/storage/v1/object/courier-documents/${key}`, {
      method: 'POST',
      headers: {
        apikey: stack.serviceRoleKey,
        Authorization: `Bearer ${stack.serviceRoleKey}`,
        'Content-Type': 'image/png',
        'x-upsert': 'true',
      },
      body: photo,
    });
    if (!res.ok) throw new Error(`document photo ${key}: ${res.status} ${await res.text()}`);
  }
}

/** Last year's insurance of the courier, sent again by mistake: expired yesterday, waiting for review. */
export async function addExpiredDocument(stack: Stack, courierId: string): Promise<string> {
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const [doc] = (await asService(stack, 'courier_documents', {
    method: 'POST',
    body: JSON.stringify({
      courier_id: courierId,
      kind: 'insurance',
      storage_path: `${courierId}/assurance-ancienne.jpg`,
      number: 'ASS-OLD-215',
      expires_on: yesterday,
    }),
  })) as { id: string }[];
  return doc!.id;
}

/** A saved delivery address of the customer near the store (what the customer app writes). */
export async function addAddress(
  stack: Stack,
  customer: Session,
  at: { lat: number; lng: number; landmark: string; phone: string },
): Promise<string> {
  const res = await fetch(`${stack.apiUrl}/rest/v1/addresses`, {
    method: 'POST',
    headers: userHeaders(stack, customer.token, { Prefer: 'return=representation' }),
    body: JSON.stringify({ label: 'Maison', ...at, zone_id: TIASSALE }),
  });
  const rows = (await res.json()) as { id: string }[];
  if (!res.ok) throw new Error(`address: ${res.status} ${JSON.stringify(rows)}`);
  return rows[0]!.id;
}

/**
 * What the customer app reads to quote a delivery (apps/client useCheckoutStore: the store with its zone's grid),
 * as the customer.
 */
export async function checkoutStore(stack: Stack, customer: Session, storeId: string) {
  const res = await fetch(
    `${stack.apiUrl}/rest/v1/stores?id=eq.${storeId}&select=id,lat,lng,zones(delivery_base_fee_xof,delivery_fee_per_km_xof)`,
    { headers: userHeaders(stack, customer.token) },
  );
  const rows = (await res.json()) as {
    lat: number;
    lng: number;
    zones: { delivery_base_fee_xof: number; delivery_fee_per_km_xof: number };
  }[];
  if (!res.ok || !rows[0]) throw new Error(`checkout store: ${res.status}`);
  return rows[0];
}

/** A cash delivery placed as the customer: what the server charged for delivery. */
export async function placeCashDelivery(
  stack: Stack,
  customer: Session,
  storeId: string,
  addressId: string,
  item: { id: string; option_ids: string[] },
): Promise<{ id: string; delivery_fee_xof: number }> {
  const answer = await call(
    stack,
    customer.token,
    'functions/v1/orders',
    {
      store_id: storeId,
      items: [{ product_id: item.id, quantity: 2, option_ids: item.option_ids }],
      fulfilment: 'delivery',
      address_id: addressId,
      payment_method: 'cash',
      cash_tendered_xof: 50_000,
    },
    `admin-e2e-delivery-${crypto.randomUUID()}`,
  );
  return answer.order as { id: string; delivery_fee_xof: number };
}
