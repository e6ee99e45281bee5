// Money for the operations team: the ledger explorer (accounts by kind / owner with balances, entries with their
// postings, filters), top-ups and cash deposits with their provider status (payment_intents), the reconciliation
// report (GET /payments/reconciliation), payouts awaiting review (GET /payouts/admin, approve / reject) and the
// couriers' cash in hand against their zone's limit. Reads under RLS (admins all, others their own); the functions
// refuse non-admins.
import type { CallFunction } from '@ecom/app-kit/functions';
import type { DataClient } from '@ecom/app-kit/supabase';
import { fromFunction, unwrap } from './errors.ts';
import { toLedgerLines, type LedgerLine } from './orders.ts';
import { peopleById, type Person } from './people.ts';

export const ACCOUNT_KINDS = [
  'customer_wallet',
  'customer_hold',
  'merchant_wallet',
  'courier_wallet',
  'courier_cash',
  'payout_clearing',
  'provider_clearing',
  'platform_revenue',
] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export const ENTRY_KINDS = [
  'topup',
  'order_hold',
  'order_release',
  'order_capture',
  'order_cash',
  'ride_hold',
  'ride_release',
  'ride_capture',
  'ride_cash',
  'cancellation_fee',
  'refund',
  'cash_deposit',
  'payout',
  'payout_settled',
  'payout_reversal',
  'adjustment',
] as const;

export interface Account {
  id: string;
  kind: AccountKind;
  owner_id: string | null;
  channel: string | null;
  shard: number;
  balance: number;
  updated_at: string;
}

export async function listAccounts(
  db: DataClient,
  f: { kind?: AccountKind | null; ownerId?: string | null } = {},
): Promise<Account[]> {
  let q = db.from('ledger_accounts').select('id, kind, owner_id, channel, shard, balance, updated_at');
  if (f.kind) q = q.eq('kind', f.kind);
  if (f.ownerId) q = q.eq('owner_id', f.ownerId);
  return unwrap(await q.order('kind').order('balance', { ascending: true }).limit(500)) as Account[];
}

export interface EntryFilters {
  kind?: string | null;
  accountId?: string | null;
  from?: string | null;
  to?: string | null;
}

/** Entries newest first with their postings; by account: the entries that posted to it. */
export async function listEntries(db: DataClient, f: EntryFilters = {}, limit = 100): Promise<LedgerLine[]> {
  const postings = f.accountId ? 'ledger_postings!inner' : 'ledger_postings';
  let q = db.from('ledger_entries').select(
    `id, kind, memo, created_at, actor_id, payment_intent_id, order_id, ride_id, payout_id,
       ${postings}(account_id, amount, balance_after, ledger_accounts(kind, owner_id))`,
  );
  if (f.kind) q = q.eq('kind', f.kind as never);
  if (f.accountId) q = q.eq('ledger_postings.account_id', f.accountId);
  if (f.from) q = q.gte('created_at', f.from);
  if (f.to) q = q.lt('created_at', f.to);
  const rows = unwrap(
    await q.order('created_at', { ascending: false }).order('id', { referencedTable: 'ledger_postings' }).limit(limit),
  );
  // With an account filter the inner join keeps only its posting: read the whole entries again.
  if (f.accountId && Array.isArray(rows) && rows.length) {
    const ids = (rows as { id: string }[]).map((r) => r.id);
    const full = unwrap(
      await db
        .from('ledger_entries')
        .select(
          `id, kind, memo, created_at, actor_id, payment_intent_id,
           ledger_postings(account_id, amount, balance_after, ledger_accounts(kind, owner_id))`,
        )
        .in('id', ids)
        .order('created_at', { ascending: false })
        .order('id', { referencedTable: 'ledger_postings' }),
    );
    return toLedgerLines(full as never);
  }
  return toLedgerLines(rows as never);
}

export interface TopUp {
  id: string;
  purpose: string;
  user_id: string;
  status: string;
  amount_xof: number;
  operator: string;
  phone: string;
  provider: string;
  provider_ref: string | null;
  failure_reason: string | null;
  flag: string | null;
  created_at: string;
  settled_at: string | null;
}

export async function listTopUps(
  db: DataClient,
  f: { status?: string | null; from?: string | null; to?: string | null } = {},
): Promise<TopUp[]> {
  let q = db
    .from('payment_intents')
    .select(
      'id, purpose, user_id, status, amount_xof, operator, phone, provider, provider_ref, failure_reason, flag, created_at, settled_at',
    );
  if (f.status) q = q.eq('status', f.status as never);
  if (f.from) q = q.gte('created_at', f.from);
  if (f.to) q = q.lt('created_at', f.to);
  return unwrap(await q.order('created_at', { ascending: false }).limit(200)) as TopUp[];
}

export interface ReconciliationReport {
  from: string;
  to: string;
  generated_at: string;
  summary: { intents: number; flagged: number; succeeded_xof: number; credited_xof: number; ledger_violations: number };
  items: {
    payment_intent: { id: string; amount_xof: number; status: string; operator: string; provider: string };
    credited_xof: number;
    provider: { status: string; amount_xof?: number; error?: string };
    flags: string[];
  }[];
}

/** `from` / `to`: YYYY-MM-DD, 31 days at most. */
export async function reconciliation(
  call: CallFunction,
  from: string,
  to: string,
  onlyFlagged = false,
): Promise<ReconciliationReport> {
  try {
    const q = `from=${from}&to=${to}${onlyFlagged ? '&only=flagged' : ''}`;
    return (await call<{ report: ReconciliationReport }>('payments', `/payments/reconciliation?${q}`)).report;
  } catch (e) {
    throw fromFunction(e);
  }
}

export interface Payout {
  id: string;
  status: string;
  amount_xof: number;
  payee_kind?: string;
  store_id?: string | null;
  courier_id?: string | null;
  phone?: string;
  operator?: string;
  rejection_reason?: string | null;
  failure_reason?: string | null;
  created_at: string;
  [key: string]: unknown;
}

export async function adminPayouts(call: CallFunction, status?: string | null): Promise<Payout[]> {
  try {
    const q = status ? `?status=${encodeURIComponent(status)}` : '';
    return (await call<{ payouts: Payout[] }>('payouts', `/payouts/admin${q}`)).payouts;
  } catch (e) {
    throw fromFunction(e);
  }
}

export async function approvePayout(call: CallFunction, id: string, idempotencyKey: string): Promise<Payout> {
  try {
    return (await call<{ payout: Payout }>('payouts', `/payouts/${id}/approve`, { method: 'POST', idempotencyKey }))
      .payout;
  } catch (e) {
    throw fromFunction(e);
  }
}

export async function rejectPayout(call: CallFunction, id: string, reason: string): Promise<Payout> {
  try {
    return (await call<{ payout: Payout }>('payouts', `/payouts/${id}/reject`, { method: 'POST', body: { reason } }))
      .payout;
  } catch (e) {
    throw fromFunction(e);
  }
}

export interface CourierCash {
  courier_id: string;
  /** What he holds (the account's balance is ≤ 0 while he owes: shown positive). */
  cash_xof: number;
  limit_xof: number | null;
  person: Person | null;
}

/** Couriers' cash in hand (ledger accounts courier_cash) beside their zone's limit, largest first. */
export async function courierCash(db: DataClient): Promise<CourierCash[]> {
  const [accounts, couriers, limits] = await Promise.all([
    listAccounts(db, { kind: 'courier_cash' }),
    db.from('couriers').select('user_id, zone_id'),
    db.from('courier_cash_limits').select('zone_id, limit_xof'),
  ]);
  const zoneOf = new Map(
    (unwrap(couriers) as { user_id: string; zone_id: string }[]).map((c) => [c.user_id, c.zone_id]),
  );
  const limitOf = new Map(
    (unwrap(limits) as { zone_id: string; limit_xof: number }[]).map((l) => [l.zone_id, l.limit_xof]),
  );
  const people = await peopleById(
    db,
    accounts.map((a) => a.owner_id),
  ).catch(() => new Map<string, Person>());
  return accounts
    .filter((a) => a.owner_id)
    .map((a) => ({
      courier_id: a.owner_id!,
      cash_xof: -a.balance,
      limit_xof: limitOf.get(zoneOf.get(a.owner_id!) ?? '') ?? null,
      person: people.get(a.owner_id!) ?? null,
    }))
    .sort((x, y) => y.cash_xof - x.cash_xof);
}
