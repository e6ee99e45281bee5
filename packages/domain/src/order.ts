// An order as the customer follows it: the timeline of its steps, what the customer may still do, the arrival
// estimate, and "commander à nouveau" (the lines of a past order rebuilt against today's catalogue). Returns
// statuses and i18n-friendly codes, never sentences.
import { distanceMetres, type LatLng } from './checkout.ts';
import { MAX_QUANTITY, type CartLine } from './cart.ts';

export type OrderStatus =
  'pending' | 'accepted' | 'rejected' | 'cancelled' | 'preparing' | 'ready' | 'picked_up' | 'delivered';

export type OrderFulfilment = 'delivery' | 'pickup';

/**
 * How people read an order or a ride out on the phone, in every app and notification: the first 8 hex digits of its
 * id, upper case.
 */
export function shortId(id: string): string {
  return id.slice(0, 8).toUpperCase();
}

/** The happy path of an order, per fulfilment. */
export function orderSteps(fulfilment: OrderFulfilment): OrderStatus[] {
  return fulfilment === 'delivery'
    ? ['pending', 'accepted', 'preparing', 'ready', 'picked_up', 'delivered']
    : ['pending', 'accepted', 'preparing', 'ready', 'delivered'];
}

export const isFinalStatus = (s: OrderStatus): boolean => s === 'delivered' || s === 'rejected' || s === 'cancelled';

export interface TimelineStep {
  status: OrderStatus;
  state: 'done' | 'current' | 'upcoming';
  /** When the order reached this step (from its events), if it did. */
  at: string | null;
}

export interface OrderEventLike {
  to_status: OrderStatus;
  created_at: string;
}

/**
 * The steps to show. A rejected or cancelled order stops at the last step it reached, followed by that end; a
 * live one shows every step of its path, the current one marked.
 */
export function orderTimeline(
  status: OrderStatus,
  fulfilment: OrderFulfilment,
  events: readonly OrderEventLike[] = [],
): TimelineStep[] {
  const when = (s: OrderStatus): string | null =>
    [...events].reverse().find((e) => e.to_status === s)?.created_at ?? null;
  const path = orderSteps(fulfilment);
  if (status === 'rejected' || status === 'cancelled') {
    const reached = path.filter((s) => s === 'pending' || when(s) !== null);
    return [
      ...reached.map((s) => ({ status: s, state: 'done' as const, at: when(s) })),
      { status, state: 'current', at: when(status) },
    ];
  }
  const index = path.indexOf(status);
  return path.map((s, i) => ({
    status: s,
    state: i < index || (s === 'delivered' && status === 'delivered') ? 'done' : i === index ? 'current' : 'upcoming',
    at: i <= index ? when(s) : null,
  }));
}

/** The customer may cancel only while the store has not answered; the server decides, this only hides the button. */
export const customerMayCancel = (status: OrderStatus): boolean => status === 'pending';

/** Ratings exist for delivered orders (the store; the courier when there was one). */
export const customerMayRate = (status: OrderStatus): boolean => status === 'delivered';

/** Moto speed in town used for the courier's remaining time (the rides grid's 25 km/h). */
export const COURIER_SPEED_KMH = 25;
/** Straight lines are shorter than streets (the rides' road factor). */
export const ROAD_FACTOR = 1.3;

export interface EtaInput {
  status: OrderStatus;
  fulfilment: OrderFulfilment;
  now?: Date;
  accepted_at?: string | null;
  prep_minutes?: number | null;
  scheduled_for?: string | null;
  store?: LatLng | null;
  destination?: LatLng | null;
  courier?: LatLng | null;
}

export type Eta =
  | { kind: 'none' }
  | { kind: 'waiting_store' }
  | { kind: 'scheduled'; at: string }
  /** Ready around `at` (pickup) or arriving around `at` (delivery), `minutes` from now (never below 1). */
  | { kind: 'ready_at' | 'arrives_at'; at: string; minutes: number };

function travelMinutes(from: LatLng, to: LatLng): number {
  const km = (distanceMetres(from, to) * ROAD_FACTOR) / 1000;
  return Math.ceil((km / COURIER_SPEED_KMH) * 60);
}

/**
 * The arrival (delivery) or ready (pickup) estimate: acceptance + preparation, plus the ride from the store; once
 * picked up, from the courier's last position (or the store's) to the address at moto speed.
 */
export function orderEta(input: EtaInput): Eta {
  const now = input.now ?? new Date();
  if (isFinalStatus(input.status)) return { kind: 'none' };
  if (input.scheduled_for && new Date(input.scheduled_for) > now && input.status !== 'picked_up') {
    return { kind: 'scheduled', at: input.scheduled_for };
  }
  if (input.status === 'pending') return { kind: 'waiting_store' };
  const kind = input.fulfilment === 'delivery' ? 'arrives_at' : 'ready_at';
  let at: number;
  if (input.status === 'picked_up') {
    const from = input.courier ?? input.store;
    if (!from || !input.destination) return { kind: 'none' };
    at = now.getTime() + travelMinutes(from, input.destination) * 60_000;
  } else {
    if (!input.accepted_at) return { kind: 'none' };
    const ready = new Date(input.accepted_at).getTime() + (input.prep_minutes ?? 20) * 60_000;
    const ride =
      kind === 'arrives_at' && input.store && input.destination ? travelMinutes(input.store, input.destination) : 0;
    at = Math.max(ready, now.getTime()) + ride * 60_000;
  }
  const minutes = Math.max(1, Math.ceil((at - now.getTime()) / 60_000));
  return { kind, at: new Date(at).toISOString(), minutes };
}

// ——— Order again ———

export interface PastItem {
  product_id: string | null;
  name: string;
  quantity: number;
  options: readonly { group: string; name: string }[];
}

export interface CatalogueOption {
  id: string;
  name: string;
  price_delta_xof: number;
  available: boolean;
}

export interface CatalogueGroup {
  id: string;
  name: string;
  min_selections: number;
  max_selections: number;
  options: readonly CatalogueOption[];
}

export interface CatalogueItem {
  id: string;
  name: string;
  price_xof: number;
  available?: boolean;
  sold_out_until: string | null;
  groups: readonly CatalogueGroup[];
}

export type GoneReason = 'unavailable' | 'sold_out' | 'option_unavailable';

export interface ReorderResult {
  lines: Omit<CartLine, 'key'>[];
  gone: { name: string; reason: GoneReason }[];
}

/**
 * Rebuilds the lines of a past order with today's prices: a product withdrawn or no longer listed is gone, a sold
 * out one is gone for now, and a line whose options no longer exist (matched by group and option name) or no longer
 * satisfy their groups is gone too rather than silently changed.
 */
export function reorderLines(
  items: readonly PastItem[],
  catalogue: readonly CatalogueItem[],
  now: Date = new Date(),
): ReorderResult {
  const byId = new Map(catalogue.map((p) => [p.id, p]));
  const result: ReorderResult = { lines: [], gone: [] };
  for (const item of items) {
    const product = item.product_id ? byId.get(item.product_id) : undefined;
    if (!product || product.available === false) {
      result.gone.push({ name: item.name, reason: 'unavailable' });
      continue;
    }
    if (product.sold_out_until && new Date(product.sold_out_until) > now) {
      result.gone.push({ name: product.name, reason: 'sold_out' });
      continue;
    }
    const options: CartLine['options'] = [];
    let missing = false;
    for (const chosen of item.options) {
      const group = product.groups.find((g) => g.name === chosen.group);
      const option = group?.options.find((o) => o.name === chosen.name && o.available);
      if (!group || !option) {
        missing = true;
        break;
      }
      options.push({
        groupId: group.id,
        optionId: option.id,
        name: option.name,
        price_delta_xof: option.price_delta_xof,
      });
    }
    const counts = (g: CatalogueGroup) => options.filter((o) => o.groupId === g.id).length;
    if (missing || product.groups.some((g) => counts(g) < g.min_selections || counts(g) > g.max_selections)) {
      result.gone.push({ name: product.name, reason: 'option_unavailable' });
      continue;
    }
    result.lines.push({
      productId: product.id,
      name: product.name,
      price_xof: product.price_xof,
      options,
      quantity: Math.min(item.quantity, MAX_QUANTITY),
    });
  }
  return result;
}

/**
 * The reasons the platform itself writes when it ends a job without a person: an order the merchant left unanswered
 * (private.run_order_timeouts) and a ride nobody took (the ride clock); and the memos it puts on the ledger entries
 * of a job's money (private.settle_order / settle_ride: a hold released, cash paid at the store). The database stores
 * them in English, as written there; apps show them through i18n (`systemReason.<code>`) in the reader's language,
 * never the raw text. Notifications are already written per language by the database (private.order_notice).
 */
export const SYSTEM_REASONS: Readonly<Record<string, SystemReason>> = {
  'merchant did not answer in time': 'merchant_timeout',
  'no driver accepted in time': 'no_driver',
  'order cancelled': 'order_cancelled',
  'order rejected': 'order_rejected',
  'ride cancelled': 'ride_cancelled',
  'ride expired': 'ride_expired',
  'cash paid at the store': 'cash_at_store',
};
export type SystemReason =
  | 'merchant_timeout'
  | 'no_driver'
  | 'order_cancelled'
  | 'order_rejected'
  | 'ride_cancelled'
  | 'ride_expired'
  | 'cash_at_store';

/** The code of a reason the system wrote (see SYSTEM_REASONS), or null for a person's own words. */
export function systemReason(reason: string | null | undefined): SystemReason | null {
  return (reason && SYSTEM_REASONS[reason.trim().toLowerCase()]) || null;
}

/** A reason in the reader's words: the system's through `translate('systemReason.<code>')`, a person's as written. */
export function reasonInWords(reason: string, translate: (key: string) => string): string {
  const code = systemReason(reason);
  return code ? translate(`systemReason.${code}`) : reason;
}
