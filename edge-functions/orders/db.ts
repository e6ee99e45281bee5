// OrdersDb over SUPABASE_DB_URL (postgres.js). Every call is one transaction that first acts as the caller
// (role authenticated + request.jwt.claims, so row-level security decides what they may see: an order or store they
// cannot read is a 404), then switches to service_role for the one privileged call (private.place_order /
// private.move_order, then private.dispatch_order on acceptance; private.reassign_order; a refund goes straight to
// private.refund_order, which checks that the caller is an admin). Database refusals become OrdersError, including
// the ones private.move_order answers after committing (a wrong delivery code is counted and recorded); anything
// unexpected propagates (→ 500, logged).
import postgres from 'npm:postgres@3.4.7';
import { answeredRefusal, asCaller, asService, eoRefusal, profileLanguage } from '../_shared/pg.ts';
import { type Caller, type OrdersDb, OrdersError } from './handler.ts';

type Sql = postgres.Sql;
type Tx = postgres.TransactionSql;

/** Maps a Postgres error to the refusal it stands for, or null when it is a real failure. */
export function refusalFromPg(error: unknown): OrdersError | null {
  const refusal = eoRefusal(error);
  if (refusal) return new OrdersError(refusal.status, refusal.code, refusal.detail);
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  const msg = typeof e?.message === 'string' ? e.message : '';
  if (code === '55000') {
    const m = /illegal transition from (\w+) to (\w+)/.exec(msg);
    if (m) return new OrdersError(409, 'illegal_transition', { status: m[1], to: m[2] });
    if (/assign one first/.test(msg)) return new OrdersError(409, 'courier_not_assigned');
    return new OrdersError(409, 'illegal_transition');
  }
  if (code === '23514' && msg === 'wrong delivery code') return new OrdersError(422, 'wrong_delivery_code');
  if (code === '23514' && msg.startsWith('a reason is required')) return new OrdersError(400, 'reason_required');
  if (code === '42501') return new OrdersError(403, 'wrong_role');
  if (code === 'P0002') return new OrdersError(404, 'order_not_found');
  if (code === '22P02' || code === '22003' || code === '23514') return new OrdersError(400, 'validation_failed');
  return null;
}

export interface PostgresOrdersDbOptions {
  /** Pool size per function instance. */
  max?: number;
}

export function createPostgresOrdersDb(
  url: string,
  options: PostgresOrdersDbOptions = {},
): OrdersDb & {
  end(): Promise<void>;
} {
  const sql: Sql = postgres(url, {
    max: options.max ?? 10,
    idle_timeout: 30,
    connection: { application_name: 'ecom-orders' },
    onnotice: () => undefined,
  });

  /** As the caller: an order they cannot read is a 404; then the service role for the privileged call. */
  async function visibleOrder(tx: Tx, caller: Caller, orderId: string): Promise<void> {
    await asCaller(tx, caller);
    const visible = await tx`select id from public.orders where id = ${orderId}`;
    if (visible.length === 0) throw new OrdersError(404, 'order_not_found');
    await asService(tx);
  }

  async function run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return (await sql.begin((tx) => work(tx))) as T;
    } catch (error) {
      if (error instanceof OrdersError) throw error;
      throw refusalFromPg(error) ?? error;
    }
  }

  return {
    placeOrder: (caller, request, requestHash) =>
      run(async (tx) => {
        await asCaller(tx, caller);
        const stores = await tx`select id from public.stores where id = ${request.store_id}`;
        if (stores.length === 0) throw new OrdersError(404, 'store_not_found');
        if (request.fulfilment === 'delivery') {
          const addresses = await tx`select id from public.addresses where id = ${
            request.address_id ?? null
          } and user_id = ${caller.userId}`;
          if (addresses.length === 0) throw new OrdersError(404, 'address_not_found');
        }
        await asService(tx);
        const [row] = await tx`select private.place_order(${caller.userId}, ${tx.json(
          request as postgres.JSONValue,
        )}, ${requestHash}) as body`;
        return row?.body;
      }),

    moveOrder: async (caller, orderId, move) => {
      const body = await run(async (tx) => {
        await visibleOrder(tx, caller, orderId);
        const [row] = await tx`
          select private.move_order(${orderId}, ${move.to}, ${caller.userId}, ${move.reason ?? null},
                                    ${move.prep_minutes ?? null}, ${move.code ?? null}) as body`;
        // An accepted delivery goes to the nearest courier at once (the dispatch clock retries every few seconds).
        if (move.to === 'accepted') await tx`select private.dispatch_order(${orderId})`;
        return row?.body;
      });
      // A wrong delivery code: its count and event are committed, the caller gets the refusal.
      const refused = answeredRefusal(body);
      if (refused) throw new OrdersError(refused.status, refused.code, refused.detail);
      return body;
    },

    reassignOrder: (caller, orderId, request) =>
      run(async (tx) => {
        await visibleOrder(tx, caller, orderId);
        const [row] = await tx`
          select private.reassign_order(${orderId}, ${caller.userId}, ${request.courier_id ?? null},
                                        ${request.reason}) as body`;
        return row?.body;
      }),

    refundOrder: (caller, orderId, refund, requestHash) =>
      run(async (tx) => {
        await asService(tx);
        const [row] = await tx`
          select private.refund_order(${orderId}, ${caller.userId}, ${refund.amount_xof}, ${refund.reason},
                                      ${refund.idempotency_key}, ${requestHash}) as body`;
        return row?.body;
      }),

    getOrder: (caller, orderId) =>
      run(async (tx) => {
        await asCaller(tx, caller);
        const [row] = await tx`
          select (to_jsonb(o) - 'idempotency_key') || jsonb_build_object(
                   'items', coalesce((select jsonb_agg(to_jsonb(i) - 'order_id' order by i.position)
                                        from public.order_items i where i.order_id = o.id), '[]'::jsonb),
                   'events', coalesce((select jsonb_agg(jsonb_build_object('from_status', e.from_status,
                                                 'to_status', e.to_status, 'actor_role', e.actor_role,
                                                 'reason', e.reason, 'kind', e.kind,
                                                 'created_at', e.created_at) order by e.id)
                                         from public.order_events e where e.order_id = o.id), '[]'::jsonb),
                   'contact', (select to_jsonb(c) - 'order_id' from public.order_contacts c where c.order_id = o.id),
                   'delivery_code', (select d.code from public.order_delivery_codes d where d.order_id = o.id),
                   'change_due_xof', o.cash_tendered_xof - o.total_xof) as body
            from public.orders o
           where o.id = ${orderId}`;
        return row ? row.body : null;
      }),

    profileLanguage: (userId) => profileLanguage(sql, userId),

    end: () => sql.end({ timeout: 5 }),
  };
}
