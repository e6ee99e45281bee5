// The driver's side of a ride, through the same public APIs the courier app uses: the `rides` function for moves
// (arrived, in_progress with the rider's PIN, completed) and the `courier` function for the offer; the open offer of
// a ride is found with the service role (fixtures only).
import type { Stack } from '@ecom/local-stack';
import { asService } from './api.ts';

async function callAs(stack: Stack, token: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${stack.apiUrl}/functions/v1/${path}`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

/** The offer dispatch made of a ride and still open (waits a little: dispatch runs in the request's transaction). */
export async function openRideOffer(stack: Stack, rideId: string): Promise<{ id: string; courier_id: string }> {
  for (let i = 0; i < 20; i += 1) {
    const offers = (await asService(stack, `offers?select=id,courier_id&ride_id=eq.${rideId}&status=eq.offered`)) as {
      id: string;
      courier_id: string;
    }[];
    if (offers[0]) return offers[0];
    await new Promise((r) => setTimeout(r, 250));
  }
  const mine = await asService(stack, `offers?select=job_kind,order_id,ride_id,courier_id,status&ride_id=eq.${rideId}`);
  throw new Error(`no open offer for ride ${rideId}; its offers: ${JSON.stringify(mine)}`);
}

/**
 * The driver turns down the deliveries the dispatch clock (every 5 s) offers him while he waits for a ride (the
 * seed has an order being prepared without a courier): watches for `ms` and declines each one through the API.
 * Dispatch does not offer him the same order again for 10 minutes. Returns how many he declined.
 */
export async function declineDeliveries(stack: Stack, token: string, courierId: string, ms = 7000): Promise<number> {
  let declined = 0;
  for (const end = Date.now() + ms; Date.now() < end;) {
    const open = (await asService(
      stack,
      `offers?select=id&courier_id=eq.${courierId}&job_kind=eq.order&status=eq.offered`,
    )) as { id: string }[];
    for (const o of open) {
      await callAs(stack, token, `courier/offers/${o.id}/decline`);
      declined += 1;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return declined;
}

/** POST /courier/offers/:id/accept as the driver. */
export const acceptOffer = (stack: Stack, token: string, offerId: string) =>
  callAs(stack, token, `courier/offers/${offerId}/accept`);

/** POST /rides/:id/transition as the token's person. */
export const moveRide = (stack: Stack, token: string, rideId: string, move: Record<string, unknown>) =>
  callAs(stack, token, `rides/${rideId}/transition`, move);
