// RidesDb over SUPABASE_DB_URL (postgres.js). Every call is one transaction that first acts as the caller (RLS: a
// ride they cannot read — and no open offer of it made to them — is a 404), then switches to service_role for the
// one privileged call (private.quote_ride / request_ride / move_ride / reassign_ride). Database refusals (EO<status>,
// and the ones private.move_ride answers after committing: a wrong PIN is counted and recorded) become RidesError;
// anything unexpected propagates (→ 500, logged).
import postgres from 'npm:postgres@3.4.7';
import { answeredRefusal, asCaller, asService, eoRefusal, profileLanguage } from '../_shared/pg.ts';
import { type Caller, type RidesDb, RidesError } from './handler.ts';

type Tx = postgres.TransactionSql;

/** Maps a Postgres error to the refusal it stands for, or null when it is a real failure. */
export function refusalFromPg(error: unknown): RidesError | null {
  const refusal = eoRefusal(error);
  if (refusal) return new RidesError(refusal.status, refusal.code, refusal.detail);
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  const msg = typeof e?.message === 'string' ? e.message : '';
  if (code === '23505' && msg.includes('offers_one_accepted_per_job')) return new RidesError(409, 'offer_taken');
  if (code === '55000') {
    const m = /illegal transition from (\w+) to (\w+)/.exec(msg);
    return new RidesError(409, 'illegal_transition', m ? { status: m[1], to: m[2] } : {});
  }
  if (code === '23514' && msg === 'wrong start PIN') return new RidesError(422, 'wrong_start_pin');
  if (code === '23514' && msg.startsWith('a reason is required')) return new RidesError(400, 'reason_required');
  if (code === '42501') return new RidesError(403, 'wrong_role');
  if (code === 'P0002') return new RidesError(404, 'ride_not_found');
  if (code === '22P02' || code === '22003' || code === '23514') return new RidesError(400, 'validation_failed');
  return null;
}

export function createPostgresRidesDb(url: string, options: { max?: number } = {}): RidesDb & { end(): Promise<void> } {
  const sql = postgres(url, {
    max: options.max ?? 10,
    idle_timeout: 30,
    connection: { application_name: 'ecom-rides' },
    onnotice: () => undefined,
  });

  /** As the caller: a ride they cannot read (and no open offer of it made to them) is a 404; then the service role. */
  async function visibleRide(tx: Tx, caller: Caller, rideId: string): Promise<void> {
    await asCaller(tx, caller);
    const visible = await tx`
      select id from public.rides where id = ${rideId}
      union all
      select ride_id from public.offers where ride_id = ${rideId} and courier_id = ${caller.userId}
      limit 1`;
    if (visible.length === 0) throw new RidesError(404, 'ride_not_found');
    await asService(tx);
  }

  async function run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return (await sql.begin((tx) => work(tx))) as T;
    } catch (error) {
      if (error instanceof RidesError) throw error;
      throw refusalFromPg(error) ?? error;
    }
  }

  return {
    quote: (caller, request) =>
      run(async (tx) => {
        await asCaller(tx, caller);
        await asService(tx);
        const [row] =
          await tx`select private.quote_ride(${tx.json(request as postgres.JSONValue)}) - 'zone_id' as body`;
        return row?.body;
      }),

    requestRide: (caller, request, hash) =>
      run(async (tx) => {
        await asCaller(tx, caller);
        await asService(tx);
        const [row] = await tx`select private.request_ride(${caller.userId}, ${tx.json(
          request as postgres.JSONValue,
        )}, ${hash}) as body`;
        return row?.body;
      }),

    moveRide: async (caller, rideId, move) => {
      const body = await run(async (tx) => {
        await visibleRide(tx, caller, rideId);
        const [row] = await tx`
          select private.move_ride(${rideId}, ${move.to}, ${caller.userId}, ${move.reason ?? null},
                                   ${move.pin ?? null}) as body`;
        return row?.body;
      });
      // A wrong PIN: its count and event are committed, the caller gets the refusal.
      const refused = answeredRefusal(body);
      if (refused) throw new RidesError(refused.status, refused.code, refused.detail);
      return body;
    },

    reassignRide: (caller, rideId, request) =>
      run(async (tx) => {
        await visibleRide(tx, caller, rideId);
        const [row] = await tx`
          select private.reassign_ride(${rideId}, ${caller.userId}, ${request.courier_id ?? null},
                                       ${request.reason}) as body`;
        return row?.body;
      }),

    getRide: (caller, rideId) =>
      run(async (tx) => {
        await asCaller(tx, caller);
        const [row] = await tx`
          select (to_jsonb(r) - 'idempotency_key') || jsonb_build_object(
                   'events', coalesce((select jsonb_agg(jsonb_build_object('from_status', e.from_status,
                                                 'to_status', e.to_status, 'actor_role', e.actor_role,
                                                 'reason', e.reason, 'kind', e.kind,
                                                 'created_at', e.created_at) order by e.id)
                                         from public.ride_events e where e.ride_id = r.id), '[]'::jsonb),
                   'start_pin', (select p.pin from public.ride_start_pins p where p.ride_id = r.id)) as body
            from public.rides r
           where r.id = ${rideId}`;
        return row ? row.body : null;
      }),

    profileLanguage: (userId) => profileLanguage(sql, userId),

    end: () => sql.end({ timeout: 5 }),
  };
}
