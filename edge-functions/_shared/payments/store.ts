// What the `payments` and `payment-webhooks` functions need from Postgres (SUPABASE_DB_URL, postgres.js), and the
// one rule both follow to move money: ask the provider (`fetchStatus`), then let private.settle_payment_intent
// decide under its row lock. Reads a person makes go through RLS as that person; the private functions run as
// service_role. Business refusals come back as EO<status> (see _shared/pg.ts).
import postgres from 'npm:postgres@3.4.7';
import type { Caller } from '../caller.ts';
import type { Language } from '../language.ts';
import { asCaller, asService, eoRefusal, profileLanguage } from '../pg.ts';
import { RequestError } from '../request.ts';
import { isTransient } from './adapter.ts';
import { type Operator, PaymentError, type PaymentProvider, type PaymentStatus } from './provider.ts';

export type Purpose = 'wallet_topup' | 'cash_deposit';

export interface PaymentIntent {
  id: string;
  purpose: Purpose;
  user_id: string;
  amount_xof: number;
  operator: Operator;
  phone: string;
  provider: string;
  provider_ref: string | null;
  provider_tx_id: string | null;
  provider_amount_xof: number | null;
  status: PaymentStatus;
  failure_reason: string | null;
  flag: string | null;
  ledger_entry_id: string | null;
  expires_at: string;
  settled_at: string | null;
  created_at: string;
  updated_at: string;
}

export type SettleOutcome = 'credited' | 'failed' | 'expired' | 'amount_mismatch' | 'unchanged' | 'still_pending';

export interface NewIntent {
  purpose: Purpose;
  amount_xof: number;
  operator: Operator;
  phone: string;
  provider: string;
}

export interface RecordedCallback {
  callback_id: number | null;
  duplicate: boolean;
  payment_intent_id: string | null;
  status: PaymentStatus | null;
  provider_ref: string | null;
}

export interface ReconciliationRow {
  payment_intent: PaymentIntent;
  credited_xof: number;
  credit_entries: number;
}

export interface PaymentsStore {
  createIntent(
    caller: Caller,
    intent: NewIntent,
    key: string,
    requestHash: string,
    ttlSeconds: number,
  ): Promise<{ payment_intent: PaymentIntent; replayed: boolean }>;
  attachProviderRef(intentId: string, providerRef: string): Promise<PaymentIntent>;
  settle(
    intentId: string,
    status: PaymentStatus,
    detail?: { amountXof?: number; providerTxId?: string; failureReason?: string },
  ): Promise<{ payment_intent: PaymentIntent; outcome: SettleOutcome }>;
  /** As the caller, under RLS: null when they may not see it. */
  getIntent(caller: Caller, intentId: string): Promise<PaymentIntent | null>;
  listOwnIntents(caller: Caller, limit: number): Promise<PaymentIntent[]>;
  /** As the service role (webhooks, sweep). */
  intentById(intentId: string): Promise<PaymentIntent | null>;
  claimPending(maxRows: number): Promise<PaymentIntent[]>;
  recordCallback(callback: {
    provider: string;
    eventId?: string;
    reference?: string;
    claimedStatus?: string;
    verified: boolean;
    rawBody: string;
    headers: Record<string, string>;
    outcome?: string;
  }): Promise<RecordedCallback>;
  setCallbackOutcome(callbackId: number, outcome: string): Promise<void>;
  isAdmin(caller: Caller): Promise<boolean>;
  reconciliation(from: string, to: string): Promise<{ rows: ReconciliationRow[]; ledgerViolations: number }>;
  profileLanguage(userId: string): Promise<Language | null>;
  end(): Promise<void>;
}

export function createPostgresPaymentsStore(url: string, options: { max?: number; name?: string } = {}): PaymentsStore {
  const sql = postgres(url, {
    max: options.max ?? 10,
    idle_timeout: 30,
    connection: { application_name: options.name ?? 'ecom-payments' },
    onnotice: () => undefined,
  });

  async function run<T>(work: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
    try {
      return (await sql.begin((tx) => work(tx))) as T;
    } catch (error) {
      const refusal = eoRefusal(error);
      if (refusal) throw new RequestError(refusal.status, refusal.code, refusal.detail);
      throw error;
    }
  }
  const service = <T>(work: (tx: postgres.TransactionSql) => Promise<T>) =>
    run(async (tx) => {
      await asService(tx);
      return await work(tx);
    });
  const caller = <T>(who: Caller, work: (tx: postgres.TransactionSql) => Promise<T>) =>
    run(async (tx) => {
      await asCaller(tx, who);
      return await work(tx);
    });

  return {
    createIntent: (who, intent, key, hash, ttlSeconds) =>
      service(async (tx) => {
        const [row] = await tx`
          select private.create_payment_intent(${who.userId}, ${intent.purpose}, ${intent.amount_xof},
                   ${intent.operator}, ${intent.phone}, ${intent.provider}, ${key}, ${hash},
                   make_interval(secs => ${ttlSeconds})) as body`;
        return row!.body;
      }),
    attachProviderRef: (intentId, providerRef) =>
      service(async (tx) => {
        const [row] = await tx`select private.attach_payment_provider_ref(${intentId}, ${providerRef}) as body`;
        return row!.body;
      }),
    settle: (intentId, status, detail = {}) =>
      service(async (tx) => {
        const [row] = await tx`
          select private.settle_payment_intent(${intentId}, ${status}, ${detail.amountXof ?? null},
                   ${detail.providerTxId ?? null}, ${detail.failureReason ?? null}) as body`;
        return row!.body;
      }),
    getIntent: (who, intentId) =>
      caller(who, async (tx) => {
        const [row] = await tx`
          select private.payment_intent_json(i) as body from public.payment_intents i where i.id = ${intentId}`;
        return row ? row.body : null;
      }),
    listOwnIntents: (who, limit) =>
      caller(who, async (tx) => {
        const rows = await tx`
          select private.payment_intent_json(i) as body from public.payment_intents i
           where i.user_id = ${who.userId} order by i.created_at desc limit ${limit}`;
        return rows.map((r) => r.body);
      }),
    intentById: (intentId) =>
      service(async (tx) => {
        const [row] = await tx`
          select private.payment_intent_json(i) as body from public.payment_intents i where i.id = ${intentId}`;
        return row ? row.body : null;
      }),
    claimPending: (maxRows) =>
      service(async (tx) => {
        const rows = await tx`
          select private.payment_intent_json(i) as body from private.claim_pending_payment_intents(${maxRows}) i`;
        return rows.map((r) => r.body);
      }),
    recordCallback: (c) =>
      service(async (tx) => {
        const [row] = await tx`
          select private.record_payment_callback(${c.provider}, ${c.eventId ?? null}, ${c.reference ?? null},
                   ${c.claimedStatus ?? null}, ${c.verified}, ${c.rawBody}, ${tx.json(c.headers)},
                   ${c.outcome ?? 'received'}) as body`;
        return row!.body;
      }),
    setCallbackOutcome: (callbackId, outcome) =>
      service(async (tx) => {
        await tx`select private.set_payment_callback_outcome(${callbackId}, ${outcome})`;
      }),
    isAdmin: (who) =>
      caller(who, async (tx) => {
        const [row] = await tx`select private.is_admin() as admin`;
        return row?.admin === true;
      }),
    reconciliation: (from, to) =>
      service(async (tx) => {
        const rows = await tx`
          select payment_intent, credited_xof::integer as credited_xof, credit_entries
            from private.payment_reconciliation(${from}::date, ${to}::date)`;
        const [v] = await tx`select count(*)::integer as n from private.ledger_violations()`;
        return { rows: rows as unknown as ReconciliationRow[], ledgerViolations: v?.n ?? 0 };
      }),
    profileLanguage: (userId) => profileLanguage(sql, userId),
    end: () => sql.end({ timeout: 5 }),
  };
}

/** What happened when an intent was checked with its provider. */
export type ConfirmOutcome = SettleOutcome | 'status_unavailable' | 'status_refused';

/**
 * The confirmation rule: the provider's answer to a status call, never a callback, decides. `pending` past the
 * intent's deadline expires it; a status call that fails leaves the intent as it is (the sweep asks again), except
 * that a provider which does not know the reference at all, once the deadline is past, expires it.
 */
export async function confirmIntent(
  provider: PaymentProvider,
  store: PaymentsStore,
  intent: PaymentIntent,
  now: number,
): Promise<ConfirmOutcome> {
  const pastDeadline = Date.parse(intent.expires_at) <= now;
  let status;
  try {
    status = await provider.fetchStatus(intent.id, intent.provider_ref ?? undefined);
  } catch (error) {
    if (isTransient(error)) return 'status_unavailable';
    if (error instanceof PaymentError && error.kind === 'rejected' && !intent.provider_ref && pastDeadline) {
      return (await store.settle(intent.id, 'expired', { failureReason: 'timeout' })).outcome;
    }
    if (error instanceof PaymentError) return 'status_refused';
    throw error;
  }
  if (status.status === 'pending') {
    if (!pastDeadline) return 'still_pending';
    return (await store.settle(intent.id, 'expired', { failureReason: 'timeout' })).outcome;
  }
  const detail: { amountXof?: number; providerTxId?: string; failureReason?: string } = {};
  if (status.amountXof !== undefined) detail.amountXof = status.amountXof;
  if (status.providerTxId) detail.providerTxId = status.providerTxId;
  if (status.failureReason) detail.failureReason = status.failureReason;
  return (await store.settle(intent.id, status.status, detail)).outcome;
}

/** The provider named `name` from the environment, cached per name (the functions build each once). */
export function providerCache(build: (name: string) => PaymentProvider): (name: string) => PaymentProvider {
  const cache = new Map<string, PaymentProvider>();
  return (name) => {
    let p = cache.get(name);
    if (!p) {
      p = build(name);
      cache.set(name, p);
    }
    return p;
  };
}
