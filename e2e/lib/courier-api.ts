// The other people of a courier scenario, through the same public APIs their apps use: a customer with a delivery
// address places an order (the `orders` function), a rider requests a ride (the `rides` function); fixtures and
// checks are read with the service role.
import { readFile } from 'node:fs/promises';
import type { Stack } from '@ecom/local-stack';
import { asService, signInByPhone } from './api.ts';

const headers = (stack: Stack, token: string, extra: Record<string, string> = {}) => ({
  apikey: stack.anonKey,
  Authorization: `Bearer ${token}`,
  'Content-Type': 'application/json',
  ...extra,
});

async function post(stack: Stack, token: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${stack.apiUrl}/${path}`, {
    method: 'POST',
    headers: headers(stack, token, {
      'Idempotency-Key': `courier-e2e-${crypto.randomUUID()}`,
      Prefer: 'return=representation',
    }),
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

/** The person's id (the `sub` of their access token). */
const userIdOf = (token: string): string =>
  (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub;

/**
 * A test customer of the courier scenarios (+225 07 00 00 09 61…80, code 123456) with one delivery address, whose
 * gate photo they uploaded to `address-photos/<their id>/` as the customer app does.
 */
export async function customerWithAddress(
  stack: Stack,
  n: number,
  at: { lat: number; lng: number; landmark: string },
): Promise<{ token: string; addressId: string; photoPath: string }> {
  const phone = `+22507000009${String(n).padStart(2, '0')}`;
  const token = await signInByPhone(stack, phone);
  const photoPath = `address-photos/${userIdOf(token)}/${crypto.randomUUID()}.png`;
  const photo = await readFile(new URL('../../apps/courier/public/icons/icon-192.png', import.meta.url));
  const upload = await fetch(`${stack.apiUrl}/storage/v1/object/${photoPath}`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'image/png' },
    body: photo,
  });
  if (!upload.ok) throw new Error(`gate photo: ${upload.status} ${await upload.text()}`);
  const [address] = (await post(stack, token, 'rest/v1/addresses', {
    label: 'Maison',
    ...at,
    phone,
    photo_path: photoPath,
    zone_id: '5a1e0000-0000-4000-8000-000000000001',
  })) as unknown as { id: string }[];
  return { token, addressId: address!.id, photoPath };
}

/** A cash delivery of three of a product of a store, placed as the customer; its id, total and the customer's code. */
export async function placeDelivery(
  stack: Stack,
  customer: { token: string; addressId: string },
  storeId: string,
  productName: string,
  cashTendered: number,
): Promise<{ id: string; total_xof: number; delivery_code: string }> {
  const [product] = (await asService(
    stack,
    `products?store_id=eq.${storeId}&name=eq.${encodeURIComponent(productName)}&select=id`,
  )) as { id: string }[];
  const answer = await post(stack, customer.token, 'functions/v1/orders', {
    store_id: storeId,
    items: [{ product_id: product!.id, quantity: 3 }], // over the zone’s 1 000 FCFA minimum
    fulfilment: 'delivery',
    address_id: customer.addressId,
    payment_method: 'cash',
    cash_tendered_xof: cashTendered,
  });
  return answer.order as { id: string; total_xof: number; delivery_code: string };
}

/** A cash moto ride requested as the rider; its id, fare and the rider's start PIN. */
export async function requestRide(
  stack: Stack,
  token: string,
  pickup: { lat: number; lng: number; landmark: string },
  dropoff: { lat: number; lng: number; landmark: string },
): Promise<{ id: string; fare_quote_xof: number; start_pin: string }> {
  const answer = await post(stack, token, 'functions/v1/rides', {
    pickup,
    dropoff,
    vehicle_type: 'moto',
    payment_method: 'cash',
  });
  const ride = answer.ride as { id: string; fare_quote_xof: number };
  return { id: ride.id, fare_quote_xof: ride.fare_quote_xof, start_pin: String(answer.start_pin) };
}

/** The courier's open offer of a job (service role; waits a little for dispatch). */
export async function openOfferOf(stack: Stack, courierId: string, jobId: string, ms = 15_000): Promise<string | null> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    const [offer] = (await asService(
      stack,
      `offers?select=id&courier_id=eq.${courierId}&job_id=eq.${jobId}&status=eq.offered`,
    )) as { id: string }[];
    if (offer) return offer.id;
    await new Promise((r) => setTimeout(r, 250));
  }
  return null;
}
