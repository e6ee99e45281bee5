// PayoutsDb and the sender's SenderDb over SUPABASE_DB_URL (postgres.js). A person's call is one transaction that
// first acts as the caller (RLS: a payout or statement they may not read is a 404), then, for a change, switches
// to service_role for the one private function (private.request_payout, private.review_payout). The sender's calls
// (claim, outcome, sweep list) are service-role transactions of their own: a claim commits before the provider is
// called. Database refusals (EO<status>) become PayoutsError; anything unexpected propagates (→ 500, logged).
import postgres from 'npm:postgres@3.4.7';
import type { Caller } from '../_shared/caller.ts';
import { asCaller, asService, eoRefusal, profileLanguage } from '../_shared/pg.ts';
import { type Payout, type PayoutsDb, PayoutsError } from './handler.ts';
import type { PayoutRow, SenderDb } from './send.ts';

type Tx = postgres.TransactionSql;

/** Maps a Postgres error to the refusal it stands for, or null when it is a real failure. */
export function refusalFromPg(error: unknown): PayoutsError | null {
  const refusal = eoRefusal(error);
  if (refusal) return new PayoutsError(refusal.status, refusal.code, refusal.detail);
  const code = (error as { code?: unknown })?.code;
  if (code === '22P02' || code === '22003' || code === '22007' || code === '22008' || code === '23514') {
    return new PayoutsError(400, 'validation_failed');
  }
  return null;
}

/** Columns a payee sees (admins also get the sender's bookkeeping). */
const PAYEE_VIEW = `to_jsonb(p) - 'send_attempts' - 'checked_at' - 'last_error' - 'reviewed_by'`;

export function createPostgresPayoutsDb(
  url: string,
  options: { max?: number } = {},
): PayoutsDb & SenderDb & { end(): Promise<void> } {
  const sql = postgres(url, {
    max: options.max ?? 10,
    idle_timeout: 30,
    connection: { application_name: 'ecom-payouts' },
    onnotice: () => undefined,
  });

  async function run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return (await sql.begin((tx) => work(tx))) as T;
    } catch (error) {
      if (error instanceof PayoutsError) throw error;
      throw refusalFromPg(error) ?? error;
    }
  }
  const asServiceRun = <T>(work: (tx: Tx) => Promise<T>) =>
    run(async (tx) => {
      await asService(tx);
      return await work(tx);
    });

  async function isAdmin(tx: Tx): Promise<boolean> {
    const [row] = await tx`select private.is_admin() as admin`;
    return row?.admin === true;
  }

  async function list(tx: Tx, caller: Caller, all: boolean, status: string | undefined, limit: number) {
    const admin = all && (await isAdmin(tx));
    return (
      await tx`
      select ${tx.unsafe(admin ? 'to_jsonb(p)' : PAYEE_VIEW)} as payout
        from public.payouts p
       where (${all} or p.courier_id = ${caller.userId}
              or p.store_id in (select private.my_owned_store_ids()))
         and (${status ?? null}::public.payout_status is null or p.status = ${status ?? null}::public.payout_status)
       order by p.created_at desc, p.id
       limit ${limit}`
    ).map((r) => r.payout as Payout);
  }

  return {
    requestPayout: (caller, r, key, hash) =>
      run(async (tx) => {
        await asCaller(tx, caller);
        await asService(tx);
        const [row] = await tx`
          select private.request_payout(${caller.userId}, ${r.store_id ?? null}, ${r.amount_xof}, ${r.phone ?? null},
                                        ${r.operator ?? null}, ${key}, ${hash}) as body`;
        return row?.body;
      }),

    listOwn: (caller, q) =>
      run(async (tx) => {
        await asCaller(tx, caller);
        return await list(tx, caller, false, q.status, q.limit);
      }),

    listAll: (caller, q) =>
      run(async (tx) => {
        await asCaller(tx, caller);
        if (!(await isAdmin(tx))) throw new PayoutsError(403, 'not_admin');
        return await list(tx, caller, true, q.status, q.limit);
      }),

    getPayout: (caller, id) =>
      run(async (tx) => {
        await asCaller(tx, caller);
        const view = (await isAdmin(tx)) ? 'to_jsonb(p)' : PAYEE_VIEW;
        const [row] = await tx`select ${tx.unsafe(view)} as payout from public.payouts p where p.id = ${id}`;
        return row ? (row.payout as Payout) : null;
      }),

    reviewPayout: (caller, id, approve, reason, key, hash) =>
      run(async (tx) => {
        await asCaller(tx, caller);
        const visible = await tx`select id from public.payouts where id = ${id}`;
        if (visible.length === 0) throw new PayoutsError(404, 'payout_not_found');
        await asService(tx);
        const [row] = await tx`
          select private.review_payout(${id}, ${caller.userId}, ${approve}, ${reason}, ${key}, ${hash}) as body`;
        return row?.body;
      }),

    statement: (caller, q) =>
      run(async (tx) => {
        await asCaller(tx, caller);
        const kind = q.store_id ? 'store' : 'courier';
        const payee = q.store_id ?? q.courier_id ?? caller.userId;
        const fn = q.format === 'csv' ? 'wallet_statement_csv' : 'wallet_statement';
        const [row] = await tx`
          select ${tx.unsafe(`public.${fn}`)}(${kind}, ${payee}, ${q.period}, ${q.date ?? null}::date) as body`;
        return row?.body;
      }),

    profileLanguage: (userId) => profileLanguage(sql, userId),

    payoutForSend: (id) =>
      asServiceRun(async (tx) => {
        const [row] = await tx`
          select id, status, amount_xof, phone, operator, provider, provider_ref from public.payouts where id = ${id}`;
        return (row as PayoutRow | undefined) ?? null;
      }),

    claimSend: (id, provider) =>
      asServiceRun(async (tx) => {
        const [row] = await tx`select private.claim_payout_send(${id}, ${provider}) as payout`;
        return (row?.payout as PayoutRow | null) ?? null;
      }),

    releaseSend: (id, error) =>
      asServiceRun(async (tx) => {
        await tx`select private.release_payout_send(${id}, ${error})`;
      }),

    recordOutcome: (id, outcome, d) =>
      asServiceRun(async (tx) => {
        const [row] = await tx`
          select private.record_payout_outcome(${id}, ${outcome}, ${d.providerRef ?? null}, ${d.failureReason ?? null},
                                               ${d.error ?? null}) as body`;
        return { changed: row?.body?.changed === true };
      }),

    dueForSweep: () =>
      asServiceRun(
        async (tx) =>
          (await tx`
            select id, status, amount_xof, phone, operator, provider, provider_ref
              from private.payouts_to_sweep()`) as unknown as PayoutRow[],
      ),

    end: () => sql.end({ timeout: 5 }),
  };
}
