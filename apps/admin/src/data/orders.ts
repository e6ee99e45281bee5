// Orders for the operations team: search (customer phone from order_contacts, short id, store, status, dates) with
// paging, the full detail (items, contact, timeline with offline steps and wrong codes, the courier's trace, ledger
// entries and postings, payment intents behind them, audit rows), and the admin's actions through the `orders`
// function (reassign, cancel, refund; docs/API.md). Everything runs as the caller: RLS shows admins everything and
// others only their own, the functions refuse non-admins.
import type { CallFunction } from '@ecom/app-kit/functions';
import type { DataClient } from '@ecom/app-kit/supabase';
import { fromFunction, unwrap } from './errors.ts';
import { peopleById, type Person } from './people.ts';

export type OrderStatus =
  'pending' | 'accepted' | 'rejected' | 'cancelled' | 'preparing' | 'ready' | 'picked_up' | 'delivered';
export const ORDER_STATUSES: readonly OrderStatus[] = [
  'pending',
  'accepted',
  'preparing',
  'ready',
  'picked_up',
  'delivered',
  'cancelled',
  'rejected',
];

export interface OrderFilters {
  /** The customer's number, E.164 (parsed by the page). */
  phone?: string | null;
  /** The first 8 hex digits of the id, as people read it out ("1A2B3C4D"). */
  shortId?: string | null;
  storeId?: string | null;
  statuses?: OrderStatus[];
  /** ISO instants, [from, to). */
  from?: string | null;
  to?: string | null;
}

export interface OrderRow {
  id: string;
  status: OrderStatus;
  created_at: string;
  total_xof: number;
  payment_method: string;
  fulfilment: string;
  courier_id: string | null;
  customer_first_name: string;
  store: { id: string; name: string } | null;
  customer_phone: string | null;
}

export const PAGE_SIZE = 25;

/** `1a2b3c4d` → the uuid range its ids fall in (uuids compare in PostgREST; `like` does not apply to them). */
export function shortIdRange(shortId: string): [string, string] | null {
  const hex = shortId.trim().toLowerCase().replace(/^#/, '');
  if (!/^[0-9a-f]{8}$/.test(hex)) return null;
  return [`${hex}-0000-0000-0000-000000000000`, `${hex}-ffff-ffff-ffff-ffffffffffff`];
}

export async function searchOrders(
  db: DataClient,
  filters: OrderFilters,
  page = 0,
): Promise<{ rows: OrderRow[]; total: number }> {
  const contacts = filters.phone ? 'order_contacts!inner(customer_phone)' : 'order_contacts(customer_phone)';
  let q = db.from('orders').select(
    `id, status, created_at, total_xof, payment_method, fulfilment, courier_id, customer_first_name,
       stores(id, name), ${contacts}`,
    { count: 'exact' },
  );
  if (filters.phone) q = q.eq('order_contacts.customer_phone', filters.phone);
  if (filters.shortId) {
    const range = shortIdRange(filters.shortId);
    if (range) q = q.gte('id', range[0]).lte('id', range[1]);
  }
  if (filters.storeId) q = q.eq('store_id', filters.storeId);
  if (filters.statuses?.length) q = q.in('status', filters.statuses);
  if (filters.from) q = q.gte('created_at', filters.from);
  if (filters.to) q = q.lt('created_at', filters.to);
  const result = await q
    .order('created_at', { ascending: false })
    .range(page * PAGE_SIZE, page * PAGE_SIZE + PAGE_SIZE - 1);
  const rows = unwrap(result) as unknown as (Omit<OrderRow, 'store' | 'customer_phone'> & {
    stores: OrderRow['store'];
    order_contacts: { customer_phone: string } | { customer_phone: string }[] | null;
  })[];
  return {
    total: result.count ?? rows.length,
    rows: rows.map(({ stores, order_contacts, ...o }) => ({
      ...o,
      store: stores,
      customer_phone: (Array.isArray(order_contacts) ? order_contacts[0] : order_contacts)?.customer_phone ?? null,
    })),
  };
}

/** Stores for the filter and the map: every store an admin sees, by name. */
export async function listStores(db: DataClient) {
  return unwrap(
    await db
      .from('stores')
      .select('id, name, phone, status, busy_until, approval_status, lat, lng, landmark, zone_id')
      .order('name'),
  );
}

export interface TimelineEvent {
  id: number;
  kind: string;
  from_status: string | null;
  to_status: string | null;
  actor_id: string | null;
  actor_role: string | null;
  reason: string | null;
  created_at: string;
  reported_at: string | null;
  reported_lat: number | null;
  reported_lng: number | null;
}

export interface TracePoint {
  lat: number;
  lng: number;
  recorded_at: string;
  courier_id: string;
}

export interface LedgerLine {
  entry_id: string;
  kind: string;
  memo: string | null;
  created_at: string;
  actor_id: string | null;
  payment_intent_id: string | null;
  postings: {
    account_id: string;
    account_kind: string;
    owner_id: string | null;
    amount: number;
    balance_after: number;
  }[];
}

export interface AuditRow {
  id: number;
  at: string;
  actor_id: string | null;
  actor_role: string;
  action: string;
  table_name: string;
  row_id: string;
  old_data: unknown;
  new_data: unknown;
}

const LEDGER_SELECT = `id, kind, memo, created_at, actor_id, payment_intent_id,
  ledger_postings(account_id, amount, balance_after, ledger_accounts(kind, owner_id))`;

type RawEntry = {
  id: string;
  kind: string;
  memo: string | null;
  created_at: string;
  actor_id: string | null;
  payment_intent_id: string | null;
  ledger_postings: {
    account_id: string;
    amount: number;
    balance_after: number;
    ledger_accounts: { kind: string; owner_id: string | null } | null;
  }[];
};

export function toLedgerLines(entries: RawEntry[]): LedgerLine[] {
  return entries.map((e) => ({
    entry_id: e.id,
    kind: e.kind,
    memo: e.memo,
    created_at: e.created_at,
    actor_id: e.actor_id,
    payment_intent_id: e.payment_intent_id,
    postings: e.ledger_postings.map((p) => ({
      account_id: p.account_id,
      account_kind: p.ledger_accounts?.kind ?? '',
      owner_id: p.ledger_accounts?.owner_id ?? null,
      amount: p.amount,
      balance_after: p.balance_after,
    })),
  }));
}

/** Ledger entries referencing one order or ride, oldest first, with their postings. */
export async function entriesFor(db: DataClient, ref: { orderId?: string; rideId?: string }): Promise<LedgerLine[]> {
  let q = db.from('ledger_entries').select(LEDGER_SELECT);
  q = ref.orderId ? q.eq('order_id', ref.orderId) : q.eq('ride_id', ref.rideId ?? '');
  const ordered = q.order('created_at').order('id', { referencedTable: 'ledger_postings' });
  return toLedgerLines(unwrap(await ordered) as unknown as RawEntry[]);
}

/** The audit rows about these rows (by id), newest first. */
export async function auditFor(db: DataClient, rowIds: string[]): Promise<AuditRow[]> {
  if (!rowIds.length) return [];
  return unwrap(
    await db
      .from('audit_log')
      .select('id, at, actor_id, actor_role, action, table_name, row_id, old_data, new_data')
      .in('row_id', rowIds)
      .order('at', { ascending: false })
      .limit(100),
  ) as AuditRow[];
}

export async function paymentIntents(db: DataClient, ids: string[]) {
  if (!ids.length) return [];
  return unwrap(
    await db
      .from('payment_intents')
      .select('id, purpose, status, amount_xof, operator, provider, provider_ref, created_at, settled_at')
      .in('id', ids),
  );
}

export interface OrderDetail {
  order: Record<string, unknown> & {
    id: string;
    status: OrderStatus;
    fulfilment: string;
    total_xof: number;
    subtotal_xof: number;
    delivery_fee_xof: number;
    discount_xof: number;
    payment_method: string;
    courier_id: string | null;
    customer_id: string;
    customer_first_name: string;
    created_at: string;
  };
  items: { name: string; quantity: number; unit_price_xof: number; options_price_xof?: number }[];
  store: { id: string; name: string; phone: string; lat: number; lng: number; landmark: string } | null;
  contact: { customer_phone: string; address: { lat?: number; lng?: number; landmark?: string } | null } | null;
  events: TimelineEvent[];
  trace: TracePoint[];
  ledger: LedgerLine[];
  intents: Awaited<ReturnType<typeof paymentIntents>>;
  audit: AuditRow[];
  people: Map<string, Person>;
  courier: { vehicle_type: string; plate: string | null } | null;
}

/** Everything about one order, or null when the caller may not see it (RLS) or it does not exist. */
export async function orderDetail(db: DataClient, id: string): Promise<OrderDetail | null> {
  const raw = unwrap(
    await db
      .from('orders')
      .select(
        `*, order_items(name, quantity, unit_price_xof, options_price_xof, position),
         stores(id, name, phone, lat, lng, landmark), order_contacts(customer_phone, address),
         order_events(id, kind, from_status, to_status, actor_id, actor_role, reason, created_at, reported_at,
                      reported_lat, reported_lng)`,
      )
      .eq('id', id)
      .order('position', { referencedTable: 'order_items' })
      .order('created_at', { referencedTable: 'order_events' })
      .maybeSingle(),
  ) as
    | (OrderDetail['order'] & {
        order_items: OrderDetail['items'];
        stores: OrderDetail['store'];
        order_contacts: OrderDetail['contact'] | OrderDetail['contact'][];
        order_events: TimelineEvent[];
      })
    | null;
  if (!raw) return null;
  const { order_items, stores, order_contacts, order_events, ...order } = raw;
  const [trace, ledger, courier] = await Promise.all([
    unwrap(
      await db
        .from('job_positions')
        .select('lat, lng, recorded_at, courier_id')
        .eq('order_id', id)
        .order('recorded_at')
        .limit(2000),
    ) as TracePoint[],
    entriesFor(db, { orderId: id }),
    order.courier_id
      ? (unwrap(
          await db.from('couriers').select('vehicle_type, plate').eq('user_id', order.courier_id).maybeSingle(),
        ) as OrderDetail['courier'])
      : Promise.resolve(null),
  ]);
  // The order's own audit rows and those of its money (a refund is audited under its ledger entry).
  const audit = await auditFor(db, [id, ...ledger.map((l) => l.entry_id)]);
  const intentIds = [...new Set(ledger.map((l) => l.payment_intent_id).filter((x): x is string => !!x))];
  const actorIds = [
    ...order_events.map((e) => e.actor_id),
    ...ledger.map((l) => l.actor_id),
    ...audit.map((a) => a.actor_id),
  ];
  const [intents, people] = await Promise.all([
    paymentIntents(db, intentIds),
    peopleById(db, [order.customer_id, order.courier_id, ...trace.map((p) => p.courier_id), ...actorIds]),
  ]);
  return {
    order,
    items: order_items,
    store: stores,
    contact: Array.isArray(order_contacts) ? (order_contacts[0] ?? null) : order_contacts,
    events: order_events,
    trace,
    ledger,
    intents,
    audit,
    people,
    courier,
  };
}

export interface ActionAnswer {
  order?: { id: string; status: string; courier_id: string | null };
  refund?: {
    amount_xof: number;
    refunded_xof: number;
    refundable_xof: number;
    merchant_xof: number;
    platform_xof: number;
  };
  offer?: { courier_id: string; status: string } | null;
}

async function act(call: CallFunction, path: string, body: unknown, idempotencyKey?: string): Promise<ActionAnswer> {
  try {
    return await call<ActionAnswer>('orders', path, {
      method: 'POST',
      body,
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
  } catch (e) {
    throw fromFunction(e);
  }
}

/** Another courier (named, or the next one dispatch finds) for an accepted / preparing / ready delivery. */
export function reassignOrder(call: CallFunction, id: string, reason: string, courierId?: string | null) {
  return act(call, `/orders/${id}/reassign`, { reason, ...(courierId ? { courier_id: courierId } : {}) });
}

/** Cancels an order not yet delivered (its hold goes back to the customer). */
export function cancelOrder(call: CallFunction, id: string, reason: string) {
  return act(call, `/orders/${id}/transition`, { to: 'cancelled', reason });
}

/** Refunds part or all of a delivered order to the customer's wallet; one key per decision, reused on retry. */
export function refundOrder(call: CallFunction, id: string, amountXof: number, reason: string, idempotencyKey: string) {
  return act(call, `/orders/${id}/refund`, { amount_xof: amountXof, reason }, idempotencyKey);
}
