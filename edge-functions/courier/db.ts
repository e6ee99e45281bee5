// CourierDb over SUPABASE_DB_URL (postgres.js). Every call is one transaction that first acts as the caller (RLS:
// a courier reads their own courier row and the offers made to them, so anything else is a 403 / 404), then
// switches to service_role for the one privileged call (private.update_presence / private.answer_offer). Database
// refusals (EO<status>) become CourierError; anything unexpected propagates (→ 500, logged).
import postgres from 'npm:postgres@3.4.7';
import { asCaller, asService, eoRefusal, profileLanguage } from '../_shared/pg.ts';
import type { Caller } from '../_shared/caller.ts';
import { type ActionResult, type CourierDb, CourierError } from './handler.ts';

type Tx = postgres.TransactionSql;

/** Maps a Postgres error to the refusal it stands for, or null when it is a real failure. */
export function refusalFromPg(error: unknown): CourierError | null {
  const refusal = eoRefusal(error);
  if (refusal) return new CourierError(refusal.status, refusal.code, refusal.detail);
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  const msg = typeof e?.message === 'string' ? e.message : '';
  if (code === '23505' && msg.includes('offers_one_accepted_per_job')) return new CourierError(409, 'offer_taken');
  if (code === '55000' && msg === 'this offer has expired') return new CourierError(409, 'offer_expired');
  if (code === '55000') return new CourierError(409, 'offer_closed');
  if (code === '22P02' || code === '22003' || code === '23514') return new CourierError(400, 'validation_failed');
  return null;
}

export function createPostgresCourierDb(
  url: string,
  options: { max?: number } = {},
): CourierDb & {
  end(): Promise<void>;
} {
  const sql = postgres(url, {
    max: options.max ?? 10,
    idle_timeout: 30,
    connection: { application_name: 'ecom-courier' },
    onnotice: () => undefined,
  });

  /** As the caller: their own courier row (RLS), which must be approved. */
  async function approvedCourier(tx: Tx, caller: Caller): Promise<void> {
    await asCaller(tx, caller);
    const [me] = await tx`select approval_status from public.couriers where user_id = ${caller.userId}`;
    if (!me) throw new CourierError(403, 'not_a_courier');
    if (me.approval_status !== 'approved') {
      throw new CourierError(403, 'courier_not_approved', { approval_status: me.approval_status });
    }
  }

  async function run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return (await sql.begin((tx) => work(tx))) as T;
    } catch (error) {
      if (error instanceof CourierError) throw error;
      throw refusalFromPg(error) ?? error;
    }
  }

  return {
    updatePresence: (caller, p) =>
      run(async (tx) => {
        await approvedCourier(tx, caller);
        await asService(tx);
        const [row] = await tx`
          select private.update_presence(${caller.userId}, ${p.online}, ${p.lat ?? null}, ${p.lng ?? null},
                                         ${p.heading ?? null}, ${p.speed ?? null}) as body`;
        return row?.body;
      }),

    answerOffer: (caller, offerId, accept) =>
      run(async (tx) => {
        await asCaller(tx, caller);
        const mine = await tx`select id from public.offers where id = ${offerId} and courier_id = ${caller.userId}`;
        if (mine.length === 0) throw new CourierError(404, 'offer_not_found');
        await asService(tx);
        const [row] = await tx`select private.answer_offer(${offerId}, ${caller.userId}, ${accept}) as body`;
        return row?.body;
      }),

    applyOfflineActions: async (caller, actions) => {
      await run((tx) => approvedCourier(tx, caller));
      // In the order the phone took them (picked up before delivered), each in its own transaction: one refused
      // step does not undo the others.
      const results: ActionResult[] = [];
      for (const action of actions) {
        results.push(
          await run(async (tx) => {
            await asService(tx);
            const [row] = await tx`
              select private.apply_courier_action(${caller.userId}, ${tx.json(action as postgres.JSONValue)}) as body`;
            return row?.body as ActionResult;
          }),
        );
      }
      return results;
    },

    profileLanguage: (userId) => profileLanguage(sql, userId),

    end: () => sql.end({ timeout: 5 }),
  };
}
