// A courier's money on the phone (courier app, docs/courier.md "Money"): a payout of the wallet to mobile money
// (the payouts function) checked against what the app knows before sending (balance, minimum, what is left today),
// the payout's status in words, and paying in the cash in hand (POST /payments/cash-deposits), which may not pass
// what is owed. The server checks everything again; these only spare a round trip on a bad network. Refusal codes
// are the server's where one exists, so the app has one message per code (`money.problem.<code>`).
import { parseXof, type ParseXofRefusal } from './money.ts';

export type PayoutStatus = 'pending_approval' | 'approved' | 'sent' | 'succeeded' | 'failed' | 'rejected';

export interface PayoutLimits {
  minimum_xof: number;
  daily_maximum_xof: number;
  approval_threshold_xof: number;
  remaining_today_xof: number;
}

export type PayoutAmountRefusal = ParseXofRefusal | 'below_minimum' | 'insufficient_funds' | 'daily_limit_exceeded';
export type AmountCheck<R> = { ok: true; value: number } | { ok: false; reason: R };

/** A payout amount typed by the courier, against the wallet's balance and the limits (when known). */
export function checkPayoutAmount(
  input: string,
  balance_xof: number,
  limits: PayoutLimits | null,
): AmountCheck<PayoutAmountRefusal> {
  const parsed = parseXof(input);
  if (!parsed.ok) return parsed;
  if (parsed.value === 0) return { ok: false, reason: 'empty' };
  if (limits && parsed.value < limits.minimum_xof) return { ok: false, reason: 'below_minimum' };
  if (parsed.value > balance_xof) return { ok: false, reason: 'insufficient_funds' };
  if (limits && parsed.value > limits.remaining_today_xof) return { ok: false, reason: 'daily_limit_exceeded' };
  return parsed;
}

/** The most the courier can ask for now: the balance, within what is left today. */
export function payoutMaximum(balance_xof: number, limits: PayoutLimits | null): number {
  const max = Math.max(0, balance_xof);
  return limits ? Math.min(max, limits.remaining_today_xof) : max;
}

/** Where a payout stands, for the list: still moving, paid, or given back to the wallet. */
export function payoutPhase(status: PayoutStatus): 'waiting' | 'paid' | 'returned' {
  if (status === 'succeeded') return 'paid';
  if (status === 'failed' || status === 'rejected') return 'returned';
  return 'waiting';
}

export type DepositAmountRefusal = ParseXofRefusal | 'nothing_owed' | 'below_min' | 'deposit_exceeds_debt';

/** Cash deposits follow the payment intents' bounds (100 FCFA at least) and never pass the cash held for Ecom. */
export const DEPOSIT_MIN_XOF = 100;

export function checkDepositAmount(input: string, owed_xof: number): AmountCheck<DepositAmountRefusal> {
  if (owed_xof <= 0) return { ok: false, reason: 'nothing_owed' };
  const parsed = parseXof(input);
  if (!parsed.ok) return parsed;
  if (parsed.value < DEPOSIT_MIN_XOF) return { ok: false, reason: 'below_min' };
  if (parsed.value > owed_xof) return { ok: false, reason: 'deposit_exceeds_debt' };
  return parsed;
}
