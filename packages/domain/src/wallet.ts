// Wallet rules shared by the apps (customer today; courier and merchant wallets next): mobile-money operators per
// country, top-up amounts, what a payment intent's state means to the payer, the label of each ledger movement,
// and the history that merges the ledger with the top-ups still pending or failed. Labels are i18n keys
// (`wallet.kind.*`, `wallet.outcome.*`, `wallet.amount.*`); the apps hold the words.
import { parseXof, type ParseXofRefusal } from './money.ts';
import type { CountryCode } from './phone.ts';

/** The operators the payments function collects from (docs/API.md, `payments`). */
export type MobileMoneyOperator = 'orange_ci' | 'mtn_ci' | 'moov_ci' | 'wave_ci' | 'moov_tg' | 'mixx_tg';

/** What a person can pay with, per country of their number, most used first. */
export const OPERATORS_BY_COUNTRY: Readonly<Record<CountryCode, readonly MobileMoneyOperator[]>> = {
  CI: ['orange_ci', 'mtn_ci', 'moov_ci', 'wave_ci'],
  TG: ['moov_tg', 'mixx_tg'],
};

/** Brand names, the same in every language. */
export const OPERATOR_NAMES: Readonly<Record<MobileMoneyOperator, string>> = {
  orange_ci: 'Orange Money',
  mtn_ci: 'MTN MoMo',
  moov_ci: 'Moov Money',
  wave_ci: 'Wave',
  moov_tg: 'Moov Money',
  mixx_tg: 'Mixx by Yas',
};

export function operatorsFor(country: CountryCode): readonly MobileMoneyOperator[] {
  return OPERATORS_BY_COUNTRY[country];
}

/**
 * The operator a Côte d'Ivoire number most likely belongs to (07 Orange, 05 MTN, 01 Moov), as a first choice the
 * person can change; null for Togo (numbers are portable there) and anything else.
 */
export function likelyOperator(e164: string): MobileMoneyOperator | null {
  const digits = e164.replace(/\D/g, '');
  if (!digits.startsWith('225') || digits.length !== 13) return null;
  const prefix = digits.slice(3, 5);
  return prefix === '07' ? 'orange_ci' : prefix === '05' ? 'mtn_ci' : prefix === '01' ? 'moov_ci' : null;
}

/** The payments function's bounds for one top-up (private.create_payment_intent). */
export const TOPUP_MIN_XOF = 100;
export const TOPUP_MAX_XOF = 500_000;
export const TOPUP_QUICK_AMOUNTS: readonly number[] = [1000, 2000, 5000, 10_000];

export type TopUpAmountRefusal = ParseXofRefusal | 'below_min' | 'above_max';
export type TopUpAmountResult = { ok: true; value: number } | { ok: false; reason: TopUpAmountRefusal };

/** A top-up amount typed or chosen: a whole number of FCFA between the minimum and the maximum. */
export function checkTopUpAmount(input: string | number): TopUpAmountResult {
  const parsed = typeof input === 'number' ? parseNumber(input) : parseXof(input);
  if (!parsed.ok) return parsed;
  if (parsed.value < TOPUP_MIN_XOF) return { ok: false, reason: 'below_min' };
  if (parsed.value > TOPUP_MAX_XOF) return { ok: false, reason: 'above_max' };
  return parsed;
}

function parseNumber(n: number): { ok: true; value: number } | { ok: false; reason: ParseXofRefusal } {
  if (!Number.isFinite(n)) return { ok: false, reason: 'not_a_number' };
  if (n < 0) return { ok: false, reason: 'negative' };
  if (!Number.isInteger(n)) return { ok: false, reason: 'fraction' };
  return { ok: true, value: n };
}

/**
 * What to top up so the wallet can pay `total_xof`: the missing part, at least the minimum top-up; 0 when the
 * balance is enough. Mobile money at checkout tops the wallet up by this, then pays from the wallet.
 */
export function topUpNeeded(balance_xof: number, total_xof: number): number {
  const missing = total_xof - Math.max(0, balance_xof);
  return missing <= 0 ? 0 : Math.max(missing, TOPUP_MIN_XOF);
}

export type PaymentIntentStatus = 'pending' | 'succeeded' | 'failed' | 'expired';

/** What a top-up came to, for the payer: one message each (`wallet.outcome.<outcome>`). */
export type TopUpOutcome =
  'pending' | 'succeeded' | 'declined' | 'cancelled' | 'insufficient_funds' | 'expired' | 'short_payment' | 'refused';

/** From an intent's status and failure_reason (payments.md) to what the payer is told. */
export function topUpOutcome(intent: { status: PaymentIntentStatus; failure_reason?: string | null }): TopUpOutcome {
  if (intent.status === 'pending' || intent.status === 'succeeded') return intent.status;
  if (intent.status === 'expired') return 'expired';
  switch (intent.failure_reason) {
    case 'insufficient_funds':
      return 'insufficient_funds';
    case 'amount_mismatch':
      return 'short_payment';
    case 'timeout':
      return 'expired';
    case 'cancelled':
      return 'cancelled';
    case 'provider_refused':
      return 'refused';
    default:
      return 'declined';
  }
}

/** Final: nothing will change any more, stop asking. */
export function topUpSettled(status: PaymentIntentStatus): boolean {
  return status !== 'pending';
}

/** Why money moved (public.ledger_entry_kind). */
export type LedgerEntryKind =
  | 'topup'
  | 'order_hold'
  | 'order_release'
  | 'order_capture'
  | 'order_cash'
  | 'ride_hold'
  | 'ride_release'
  | 'ride_capture'
  | 'ride_cash'
  | 'cancellation_fee'
  | 'refund'
  | 'cash_deposit'
  | 'payout'
  | 'payout_settled'
  | 'payout_reversal'
  | 'adjustment';

/** One line of a wallet's history: a ledger movement, or a top-up not credited (pending, failed, expired). */
export interface WalletMovement {
  /** `entry:<id>` or `intent:<id>`: unique across both sources. */
  id: string;
  at: string;
  /** An entry kind, or `topup_pending` / `topup_failed` for intents the ledger has not credited. */
  kind: LedgerEntryKind | 'topup_pending' | 'topup_failed';
  /** Signed: what the wallet gained (> 0) or gave (< 0); the asked amount for a top-up not credited. */
  amount_xof: number;
  balance_after_xof: number | null;
  entry_id: string | null;
  payment_intent_id: string | null;
  order_id: string | null;
  ride_id: string | null;
  outcome: TopUpOutcome | null;
  operator: string | null;
}

/** A wallet posting as read with its entry (RLS: the owner reads both). */
export interface WalletPostingRow {
  amount: number;
  balance_after: number;
  created_at: string;
  entry: {
    id: string;
    kind: LedgerEntryKind;
    order_id: string | null;
    ride_id: string | null;
    payment_intent_id: string | null;
  } | null;
}

export interface PaymentIntentRow {
  id: string;
  purpose: string;
  status: PaymentIntentStatus;
  failure_reason?: string | null;
  amount_xof: number;
  operator: string;
  created_at: string;
}

/**
 * The history, newest first: every posting of the wallet, and the top-ups the ledger has not credited (a
 * succeeded top-up is already its `topup` entry, so it appears once).
 */
export function walletHistory(
  postings: readonly WalletPostingRow[],
  intents: readonly PaymentIntentRow[],
): WalletMovement[] {
  const fromLedger = postings.flatMap<WalletMovement>((p) =>
    p.entry
      ? [
          {
            id: `entry:${p.entry.id}`,
            at: p.created_at,
            kind: p.entry.kind,
            amount_xof: p.amount,
            balance_after_xof: p.balance_after,
            entry_id: p.entry.id,
            payment_intent_id: p.entry.payment_intent_id,
            order_id: p.entry.order_id,
            ride_id: p.entry.ride_id,
            outcome: p.entry.kind === 'topup' ? 'succeeded' : null,
            operator: null,
          },
        ]
      : [],
  );
  const operatorOf = new Map(intents.map((i) => [i.id, i.operator]));
  for (const m of fromLedger) if (m.payment_intent_id) m.operator = operatorOf.get(m.payment_intent_id) ?? null;
  const notCredited = intents
    .filter((i) => i.purpose === 'wallet_topup' && i.status !== 'succeeded')
    .map<WalletMovement>((i) => ({
      id: `intent:${i.id}`,
      at: i.created_at,
      kind: i.status === 'pending' ? 'topup_pending' : 'topup_failed',
      amount_xof: i.amount_xof,
      balance_after_xof: null,
      entry_id: null,
      payment_intent_id: i.id,
      order_id: null,
      ride_id: null,
      outcome: topUpOutcome(i),
      operator: i.operator,
    }));
  return [...fromLedger, ...notCredited].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : -1));
}

/** The i18n key naming a movement: `wallet.kind.<kind>`. */
export function movementLabelKey(kind: WalletMovement['kind']): string {
  return `wallet.kind.${kind}`;
}

/** A short reference people can read out to support: the first 8 characters of the id, upper case. */
export function shortReference(id: string): string {
  return id.replace(/-/g, '').slice(0, 8).toUpperCase();
}
