// The payer's side of a mobile-money top-up, through the sandbox provider's public phone endpoints (docs/payments.md,
// "Sandbox provider"): what the phone shows, and the PIN typed on it. And the wallet as the ledger holds it, read
// with the service role to check what the screen says.
import type { Stack } from '@ecom/local-stack';
import { asService } from './api.ts';

export const SANDBOX_PIN = '1234';

interface Collection {
  id: string;
  reference: string;
  amount: number | null;
  requested_amount: number;
  status: string;
}

/** The collections waiting on a phone (msisdn as the provider stores it: "2250700000321"). */
export async function phoneRequests(stack: Stack, msisdn: string): Promise<Collection[]> {
  const res = await fetch(`${stack.apiUrl}/sandbox-pay/v1/phones/${msisdn}/requests`);
  if (!res.ok) throw new Error(`phone requests ${msisdn}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { data: Collection[] }).data;
}

/** Waits for the payment request of `reference` (the intent id) to reach the phone, then types the PIN. */
export async function confirmOnPhone(stack: Stack, msisdn: string, reference: string, pin = SANDBOX_PIN) {
  const deadline = Date.now() + 15_000;
  let request: Collection | undefined;
  while (!request) {
    request = (await phoneRequests(stack, msisdn)).find((c) => c.reference === reference);
    if (request) break;
    if (Date.now() > deadline) throw new Error(`no payment request ${reference} on ${msisdn}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const res = await fetch(`${stack.apiUrl}/sandbox-pay/v1/phones/${msisdn}/requests/${request.id}/confirm`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ pin }),
  });
  if (res.status !== 202) throw new Error(`confirm ${request.id}: ${res.status} ${await res.text()}`);
  return request;
}

/** A person's wallet and hold balances as the ledger holds them (0 before the first movement). */
export async function walletBalances(stack: Stack, userId: string): Promise<{ wallet: number; hold: number }> {
  const rows = (await asService(
    stack,
    `ledger_accounts?select=kind,balance&owner_id=eq.${userId}&kind=in.(customer_wallet,customer_hold)`,
  )) as { kind: string; balance: number }[];
  const of = (kind: string) => rows.find((r) => r.kind === kind)?.balance ?? 0;
  return { wallet: of('customer_wallet'), hold: of('customer_hold') };
}

/** A person's payment intents, newest first. */
export async function paymentIntents(stack: Stack, userId: string) {
  return (await asService(
    stack,
    `payment_intents?select=id,status,failure_reason,amount_xof,phone,operator&user_id=eq.${userId}&order=created_at.desc`,
  )) as { id: string; status: string; failure_reason: string | null; amount_xof: number; phone: string }[];
}
