// The rest of the world for the inbox scenario, through the same public APIs the apps use: a customer places an
// order through the `orders` function (as the checkout does), people read through PostgREST with their own token,
// and Storage is asked for a signed URL as a courier's app would.
import type { Stack } from '@ecom/local-stack';

const headers = (stack: Stack, token: string) => ({
  apikey: stack.anonKey,
  Authorization: `Bearer ${token}`,
  'Content-Type': 'application/json',
});

/** POST /orders as the token's person with a fresh Idempotency-Key; returns the new order's id. */
export async function placeOrder(stack: Stack, token: string, body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${stack.apiUrl}/functions/v1/orders`, {
    method: 'POST',
    headers: { ...headers(stack, token), 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as { order?: { id: string } };
  if (!res.ok || !answer.order) throw new Error(`place order: ${res.status} ${JSON.stringify(answer)}`);
  return answer.order.id;
}

/** A PostgREST GET as the token's person (RLS applies). */
export async function readAs<T>(stack: Stack, token: string, path: string): Promise<T> {
  const res = await fetch(`${stack.apiUrl}/rest/v1/${path}`, { headers: headers(stack, token) });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Asks Storage for a signed URL to `<bucket>/<key>` as the token's person: the status, and the URL when given. */
export async function signPhoto(
  stack: Stack,
  token: string,
  path: string,
): Promise<{ status: number; url: string | null }> {
  const key = path.split('/').map(encodeURIComponent).join('/');
  const res = await fetch(`${stack.apiUrl}/storage/v1/object/sign/${key}`, {
    method: 'POST',
    headers: headers(stack, token),
    body: JSON.stringify({ expiresIn: 60 }),
  });
  const body = (await res.json()) as { signedURL?: string };
  return { status: res.status, url: body.signedURL ? `${stack.apiUrl}/storage/v1${body.signedURL}` : null };
}
