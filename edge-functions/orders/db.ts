// OrdersDb over SUPABASE_DB_URL (postgres.js). Every call is one transaction that first acts as the caller
// (role authenticated + request.jwt.claims, so row-level security decides what they may see: an order or store they
// cannot read is a 404), then switches to service_role for the one privileged call (private.place_order /
// private.move_order). Database refusals become OrdersError; anything unexpected propagates (→ 500, logged).
import postgres from 'npm:postgres@3.4.7';
import type { Language } from './messages.ts';
import { type Caller, type OrdersDb, OrdersError } from './handler.ts';

type Sql = postgres.Sql;
type Tx = postgres.TransactionSql;

interface PgError {
  code?: string;
  message?: string;
  detail?: string;
}

/** Maps a Postgres error to the refusal it stands for, or null when it is a real failure. */
export function refusalFromPg(error: unknown): OrdersError | null {
  const e = error as PgError;
  const code = typeof e?.code === 'string' ? e.code : '';
  const msg = typeof e?.message === 'string' ? e.message : '';
  if (/^EO\d{3}$/.test(code)) {
    let detail: Record<string, unknown> = {};
    try {
      detail = e.detail ? JSON.parse(e.detail) : {};
    } catch {
      detail = {};
    }
    return new OrdersError(Number(code.slice(2)), msg, detail);
  }
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

  async function asCaller(tx: Tx, caller: Caller): Promise<void> {
    await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(caller.claims)}, true)`;
  }
  async function asService(tx: Tx): Promise<void> {
    await tx`select set_config('role', 'service_role', true), set_config('request.jwt.claims', '', true)`;
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
          const addresses =
            await tx`select id from public.addresses where id = ${request.address_id ?? null} and user_id = ${caller.userId}`;
          if (addresses.length === 0) throw new OrdersError(404, 'address_not_found');
        }
        await asService(tx);
        const [row] =
          await tx`select private.place_order(${caller.userId}, ${tx.json(request as postgres.JSONValue)}, ${requestHash}) as body`;
        return row?.body;
      }),

    moveOrder: (caller, orderId, move) =>
      run(async (tx) => {
        await asCaller(tx, caller);
        const visible = await tx`select id from public.orders where id = ${orderId}`;
        if (visible.length === 0) throw new OrdersError(404, 'order_not_found');
        await asService(tx);
        const [row] = await tx`
          select private.move_order(${orderId}, ${move.to}, ${caller.userId}, ${move.reason ?? null},
                                    ${move.prep_minutes ?? null}, ${move.code ?? null}) as body`;
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
                                                 'reason', e.reason, 'created_at', e.created_at) order by e.id)
                                         from public.order_events e where e.order_id = o.id), '[]'::jsonb),
                   'contact', (select to_jsonb(c) - 'order_id' from public.order_contacts c where c.order_id = o.id),
                   'delivery_code', (select d.code from public.order_delivery_codes d where d.order_id = o.id),
                   'change_due_xof', o.cash_tendered_xof - o.total_xof) as body
            from public.orders o
           where o.id = ${orderId}`;
        return row ? row.body : null;
      }),

    profileLanguage: async (userId) => {
      const [row] = await sql`select language from public.profiles where id = ${userId}`;
      const lang = row?.language;
      return lang === 'fr' || lang === 'en' ? (lang as Language) : null;
    },

    end: () => sql.end({ timeout: 5 }),
  };
}
