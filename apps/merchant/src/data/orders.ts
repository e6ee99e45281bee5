// The store's orders: the live queue (PostgREST, as the merchant: RLS shows only their stores' orders), one order
// in full and its moves (the `orders` function), and the store's customers.
import type { CallFunction } from '@ecom/app-kit/functions';
import { FunctionError } from '@ecom/app-kit/functions';
import type { DataClient, Tables } from '@ecom/app-kit/supabase';
import type { MerchantMove } from '@ecom/domain/merchant';

export const QUEUE_COLUMNS =
  'id, store_id, status, fulfilment, customer_first_name, subtotal_xof, delivery_fee_xof, discount_xof, total_xof, ' +
  'payment_method, cash_tendered_xof, note, courier_id, scheduled_for, rejection_reason, cancellation_reason, ' +
  'created_at, accepted_at, ready_at, picked_up_at, delivered_at, ' +
  'order_items(name, quantity, options, line_total_xof, position)';

export interface QueueItem {
  name: string;
  quantity: number;
  options: { group?: string; name: string; price_delta_xof?: number }[];
  line_total_xof: number;
  position: number;
}

export type QueueOrder = Pick<
  Tables<'orders'>,
  | 'id'
  | 'store_id'
  | 'status'
  | 'fulfilment'
  | 'customer_first_name'
  | 'subtotal_xof'
  | 'delivery_fee_xof'
  | 'discount_xof'
  | 'total_xof'
  | 'payment_method'
  | 'cash_tendered_xof'
  | 'note'
  | 'courier_id'
  | 'scheduled_for'
  | 'rejection_reason'
  | 'cancellation_reason'
  | 'created_at'
  | 'accepted_at'
  | 'ready_at'
  | 'picked_up_at'
  | 'delivered_at'
> & { order_items: QueueItem[] };

const OPEN_STATUSES = ['pending', 'accepted', 'preparing', 'ready', 'picked_up'] as const;

/** Orders still moving, plus those that ended since `since` (today's), newest first. */
export async function listQueue(db: DataClient, storeId: string, since: Date): Promise<QueueOrder[]> {
  const { data, error } = await db
    .from('orders')
    .select(QUEUE_COLUMNS)
    .eq('store_id', storeId)
    .or(`status.in.(${OPEN_STATUSES.join(',')}),created_at.gte.${since.toISOString()}`)
    .order('created_at', { ascending: false })
    .limit(100);
  if (error) throw new Error(error.message);
  const rows = data as unknown as QueueOrder[];
  for (const o of rows) o.order_items.sort((a, b) => a.position - b.position);
  return rows;
}

/** Orders of a period (analytics, customers): what the merchant's store sold. */
export async function listOrdersBetween(db: DataClient, storeId: string, from: Date, to: Date): Promise<QueueOrder[]> {
  const { data, error } = await db
    .from('orders')
    .select(QUEUE_COLUMNS)
    .eq('store_id', storeId)
    .gte('created_at', from.toISOString())
    .lt('created_at', to.toISOString())
    .order('created_at', { ascending: false })
    .limit(1000);
  if (error) throw new Error(error.message);
  return data as unknown as QueueOrder[];
}

/** GET /orders/:id as the merchant (docs/API.md): items, events, change due; no customer contact for deliveries. */
export interface OrderDetail extends Record<string, unknown> {
  id: string;
  store_id: string;
  status: Tables<'orders'>['status'];
  fulfilment: Tables<'orders'>['fulfilment'];
  customer_first_name: string;
  items: { name: string; quantity: number; options: { group?: string; name: string }[]; line_total_xof: number }[];
  events: { from_status: string | null; to_status: string; reason: string | null; created_at: string }[];
  subtotal_xof: number;
  delivery_fee_xof: number;
  discount_xof: number;
  total_xof: number;
  payment_method: Tables<'orders'>['payment_method'];
  cash_tendered_xof: number | null;
  change_due_xof: number | null;
  note: string | null;
  prep_minutes: number | null;
  courier_id: string | null;
  rejection_reason: string | null;
  cancellation_reason: string | null;
  created_at: string;
}

/** One order in full, or null when the merchant may not see it (the function answers 404 like an unknown id). */
export async function getOrder(call: CallFunction, id: string): Promise<OrderDetail | null> {
  try {
    return (await call<{ order: OrderDetail }>('orders', `/${encodeURIComponent(id)}`)).order;
  } catch (e) {
    if (e instanceof FunctionError && e.status === 404) return null;
    throw e;
  }
}

export type MoveRequest =
  | { to: Extract<MerchantMove, 'accepted'>; prep_minutes: number }
  | { to: Extract<MerchantMove, 'rejected'>; reason: string }
  | { to: Extract<MerchantMove, 'preparing' | 'ready'> };

/** POST /orders/:id/transition; a refusal throws FunctionError with the server's code and message. */
export async function moveOrder(call: CallFunction, id: string, move: MoveRequest) {
  return call<{ order: { id: string; status: string }; previous_status: string }>(
    'orders',
    `/${encodeURIComponent(id)}/transition`,
    { method: 'POST', body: move },
  );
}

export interface StoreCustomer {
  customer_id: string;
  first_name: string;
  orders: number;
  spent_xof: number;
  last_order_at: string;
}

/** The store's customers (delivered orders), repeat buyers first. */
export async function listCustomers(db: DataClient, storeId: string): Promise<StoreCustomer[]> {
  const { data, error } = await db
    .from('orders')
    .select('customer_id, customer_first_name, total_xof, created_at')
    .eq('store_id', storeId)
    .eq('status', 'delivered')
    .order('created_at', { ascending: false })
    .limit(1000);
  if (error) throw new Error(error.message);
  const byId = new Map<string, StoreCustomer>();
  for (const o of data) {
    const c = byId.get(o.customer_id) ?? {
      customer_id: o.customer_id,
      first_name: o.customer_first_name,
      orders: 0,
      spent_xof: 0,
      last_order_at: o.created_at,
    };
    c.orders += 1;
    c.spent_xof += o.total_xof;
    byId.set(o.customer_id, c);
  }
  return [...byId.values()].sort((a, b) => b.orders - a.orders || b.spent_xof - a.spent_xof);
}
