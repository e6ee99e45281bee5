// The courier's money moves through the Edge Functions (docs/API.md): payouts of the wallet to mobile money (the
// `payouts` function; limits from rpc courier_payout_limits, the default number from payout_destinations), and
// paying in the cash in hand (`POST /payments/cash-deposits`, then the intent until the provider settles it).
// Each request carries an Idempotency-Key kept per attempt (sendOnce), so a retry after a lost answer or a reload is
// answered with the first payout or intent, never a second one.
import type { CallFunction } from '@ecom/app-kit/functions';
import type { DataClient } from '@ecom/app-kit/supabase';
import { nextAttempt, requestFingerprint, reviveAttempt, type CheckoutAttempt } from '@ecom/domain/checkout';
import type { PayoutLimits, PayoutStatus } from '@ecom/domain/courier-money';
import type { MobileMoneyOperator, PaymentIntentStatus } from '@ecom/domain/wallet';

export interface MobileMoneyBody {
  amount_xof: number;
  phone: string;
  operator: MobileMoneyOperator;
}

export interface Payout {
  id: string;
  amount_xof: number;
  phone: string;
  operator: string;
  status: PayoutStatus;
  failure_reason: string | null;
  rejection_reason: string | null;
  created_at: string;
}

export interface PaymentIntent {
  id: string;
  purpose: 'wallet_topup' | 'cash_deposit';
  status: PaymentIntentStatus;
  amount_xof: number;
  failure_reason: string | null;
  created_at: string;
}

export async function payoutLimits(db: DataClient): Promise<PayoutLimits> {
  const { data, error } = await db.rpc('courier_payout_limits');
  if (error) throw error;
  return data as unknown as PayoutLimits;
}

/** The number payouts go to by default: the saved payout number, else null (the app offers the sign-in number). */
export async function payoutDestination(
  db: DataClient,
  courierId: string,
): Promise<{ phone: string; operator: MobileMoneyOperator } | null> {
  const { data, error } = await db
    .from('payout_destinations')
    .select('phone, operator')
    .eq('courier_id', courierId)
    .maybeSingle();
  if (error) throw error;
  return data ? { phone: data.phone, operator: data.operator as MobileMoneyOperator } : null;
}

/** The courier's own payouts, newest first (RLS: their own; read straight from the table, no function round trip). */
export async function listPayouts(db: DataClient, courierId: string): Promise<Payout[]> {
  const { data, error } = await db
    .from('payouts')
    .select('id, amount_xof, phone, operator, status, failure_reason, rejection_reason, created_at')
    .eq('courier_id', courierId)
    .is('store_id', null)
    .order('created_at', { ascending: false })
    .limit(20);
  if (error) throw error;
  return data as Payout[];
}

/** The courier's cash deposits (payment intents of purpose cash_deposit), newest first (RLS: their own). */
export async function listDeposits(db: DataClient, userId: string): Promise<PaymentIntent[]> {
  const { data, error } = await db
    .from('payment_intents')
    .select('id, purpose, status, amount_xof, failure_reason, created_at')
    .eq('user_id', userId)
    .eq('purpose', 'cash_deposit')
    .order('created_at', { ascending: false })
    .limit(20);
  if (error) throw error;
  return data as PaymentIntent[];
}

export async function readIntent(call: CallFunction, id: string): Promise<PaymentIntent> {
  return (await call<{ payment_intent: PaymentIntent }>('payments', `/intents/${id}`)).payment_intent;
}

function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * One money request with its attempt kept in localStorage under `storageKey`: the same body keeps its key (a retry
 * after a timeout or a reload is a replay), a new body gets a new key once the last one was answered. While the last
 * answer is unknown only that body may go (`outcome_unknown` otherwise). The attempt is dropped once answered.
 */
export async function sendOnce<T>(
  storageKey: string,
  body: MobileMoneyBody,
  send: (key: string) => Promise<T>,
): Promise<T> {
  let previous: CheckoutAttempt | null = null;
  try {
    previous = reviveAttempt(JSON.parse(localStorage.getItem(storageKey) ?? 'null'));
  } catch {
    previous = null;
  }
  const next = nextAttempt(previous, requestFingerprint(body), newKey);
  if (!next.ok) throw new OutcomeUnknownError(JSON.parse(localStorage.getItem(`${storageKey}.body`) ?? 'null'));
  localStorage.setItem(storageKey, JSON.stringify({ ...next.attempt, outcome: 'unknown' }));
  localStorage.setItem(`${storageKey}.body`, JSON.stringify(body));
  try {
    const answer = await send(next.attempt.key);
    localStorage.removeItem(storageKey);
    localStorage.removeItem(`${storageKey}.body`);
    return answer;
  } catch (e) {
    // A refusal is an answer: the next request gets a new key. No answer: keep the key for the retry.
    const refused = (e as { kind?: string }).kind === 'refused';
    if (refused) {
      localStorage.removeItem(storageKey);
      localStorage.removeItem(`${storageKey}.body`);
    }
    throw e;
  }
}

/** The last request got no answer: it must be sent again as it was (its body) before another. */
export class OutcomeUnknownError extends Error {
  readonly body: MobileMoneyBody | null;
  constructor(body: MobileMoneyBody | null) {
    super('outcome_unknown');
    this.name = 'OutcomeUnknownError';
    this.body = body;
  }
}

/** The request whose answer was lost, if any (to offer "send again" after a reload). */
export function unansweredBody(storageKey: string): MobileMoneyBody | null {
  try {
    return localStorage.getItem(storageKey)
      ? (JSON.parse(localStorage.getItem(`${storageKey}.body`) ?? 'null') as MobileMoneyBody)
      : null;
  } catch {
    return null;
  }
}

export const PAYOUT_ATTEMPT = 'ecom.courier.payout.attempt';
export const DEPOSIT_ATTEMPT = 'ecom.courier.deposit.attempt';

export async function requestPayout(call: CallFunction, body: MobileMoneyBody): Promise<Payout> {
  return sendOnce(
    PAYOUT_ATTEMPT,
    body,
    async (key) =>
      (await call<{ payout: Payout }>('payouts', '', { method: 'POST', body, idempotencyKey: key })).payout,
  );
}

export interface DepositAnswer {
  payment_intent: PaymentIntent;
  instructions: string | null;
}

export async function startCashDeposit(call: CallFunction, body: MobileMoneyBody): Promise<DepositAnswer> {
  return sendOnce(DEPOSIT_ATTEMPT, body, (key) =>
    call<DepositAnswer>('payments', '/cash-deposits', { method: 'POST', body, idempotencyKey: key }),
  );
}
