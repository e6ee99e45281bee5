// The store's money: wallet balance, settlements per order with the commission, statements and payouts. Owners
// only: the ledger's RLS shows a store's wallet to its owners (staff and other merchants see nothing), the
// statement RPC refuses anyone else, and the `payouts` function answers 403 / 404.
import type { CallFunction } from '@ecom/app-kit/functions';
import type { DataClient } from '@ecom/app-kit/supabase';

/** The wallet balance, or null when the person may not see this store's money (or it has none yet). */
export async function walletBalance(db: DataClient, storeId: string): Promise<number | null> {
  const { data, error } = await db
    .from('ledger_accounts')
    .select('balance')
    .eq('kind', 'merchant_wallet')
    .eq('owner_id', storeId)
    .maybeSingle();
  if (error) throw new Error(error.message);
  return data === null ? null : Number(data.balance);
}

export interface Movement {
  at: string;
  entry_id: string;
  kind: string;
  category: 'settlement' | 'payout' | 'payout_reversal' | 'refund' | 'adjustment' | 'other';
  amount_xof: number;
  balance_xof: number;
  order_id: string | null;
  payout_id: string | null;
  memo: string | null;
  gross_xof: number | null;
  commission_xof: number | null;
}

export interface Statement {
  payee: { kind: string; id: string; name: string };
  period: { kind: 'day' | 'month'; from: string; to: string; timezone: string };
  opening_balance_xof: number;
  credits_xof: number;
  debits_xof: number;
  commission_xof: number;
  closing_balance_xof: number;
  movements: Movement[];
}

/** The day's or month's statement (rpc wallet_statement), or null when it is not this person's to read. */
export async function storeStatement(
  db: DataClient,
  storeId: string,
  period: 'day' | 'month',
  onDate?: string,
): Promise<Statement | null> {
  const { data, error } = await db.rpc('wallet_statement', {
    payee_kind: 'store',
    payee_id: storeId,
    period,
    ...(onDate ? { on_date: onDate } : {}),
  });
  if (error) {
    if (error.message === 'statement_not_found') return null;
    throw new Error(error.message);
  }
  return data as unknown as Statement;
}

export type PayoutOperator = 'orange_ci' | 'mtn_ci' | 'moov_ci' | 'wave_ci' | 'moov_tg' | 'mixx_tg';
export const PAYOUT_OPERATORS: readonly PayoutOperator[] = [
  'orange_ci',
  'mtn_ci',
  'moov_ci',
  'wave_ci',
  'moov_tg',
  'mixx_tg',
];

export interface Payout {
  id: string;
  store_id: string | null;
  amount_xof: number;
  phone: string;
  operator: PayoutOperator;
  status: 'pending_approval' | 'approved' | 'sent' | 'succeeded' | 'failed' | 'rejected';
  failure_reason: string | null;
  rejection_reason: string | null;
  created_at: string;
}

/** POST /payouts for the store's wallet; refusals throw FunctionError (code and message in the person's language). */
export async function requestPayout(
  call: CallFunction,
  request: { storeId: string; amountXof: number; phone: string; operator: PayoutOperator; idempotencyKey: string },
): Promise<Payout> {
  const body = {
    store_id: request.storeId,
    amount_xof: request.amountXof,
    phone: request.phone,
    operator: request.operator,
  };
  return (
    await call<{ payout: Payout }>('payouts', '', { method: 'POST', body, idempotencyKey: request.idempotencyKey })
  ).payout;
}

/** The store's payouts, newest first (GET /payouts lists the caller's stores' and courier payouts). */
export async function listPayouts(call: CallFunction, storeId: string): Promise<Payout[]> {
  const { payouts } = await call<{ payouts: Payout[] }>('payouts', '?limit=50');
  return payouts.filter((p) => p.store_id === storeId);
}
