// What the other side of the app does, through the same public APIs: a merchant signs in with a test number and
// moves an order through the `orders` function; fixtures are set with the service role through PostgREST.
import type { Stack } from '@ecom/local-stack';

/** Signs in a test number (config.toml [auth.sms.test_otp], code 123456) and returns its access token. */
export async function signInByPhone(stack: Stack, phone: string): Promise<string> {
  const headers = { apikey: stack.anonKey, 'Content-Type': 'application/json' };
  const otp = await fetch(`${stack.apiUrl}/auth/v1/otp`, { method: 'POST', headers, body: JSON.stringify({ phone }) });
  if (!otp.ok) throw new Error(`otp for ${phone}: ${otp.status} ${await otp.text()}`);
  const verify = await fetch(`${stack.apiUrl}/auth/v1/verify`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ type: 'sms', phone, token: '123456' }),
  });
  const body = (await verify.json()) as { access_token?: string };
  if (!verify.ok || !body.access_token) throw new Error(`verify ${phone}: ${verify.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/** POST /orders/:id/transition as the token's person; throws with the error envelope on a refusal. */
export async function moveOrder(stack: Stack, token: string, orderId: string, move: Record<string, unknown>) {
  const res = await fetch(`${stack.apiUrl}/functions/v1/orders/${orderId}/transition`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(move),
  });
  const body = (await res.json()) as { order?: { status: string } };
  if (!res.ok) throw new Error(`transition ${JSON.stringify(move)}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** POST /courier/presence as a courier: online at a position (broadcast on their active order's topic). */
export async function courierAt(stack: Stack, token: string, at: { lat: number; lng: number }) {
  const res = await fetch(`${stack.apiUrl}/functions/v1/courier/presence`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ online: true, ...at, heading: 90, speed: 5 }),
  });
  const body = (await res.json()) as { order_id?: string | null };
  if (!res.ok) throw new Error(`presence: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** A PostgREST call with the service role (fixtures only: it bypasses RLS). */
export async function asService(stack: Stack, path: string, init: RequestInit = {}): Promise<unknown> {
  const res = await fetch(`${stack.apiUrl}/rest/v1/${path}`, {
    ...init,
    headers: {
      apikey: stack.serviceRoleKey,
      Authorization: `Bearer ${stack.serviceRoleKey}`,
      'Content-Type': 'application/json',
      Prefer: 'return=representation',
      ...init.headers,
    },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
