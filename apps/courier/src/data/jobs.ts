// The courier's jobs as the database lets them see them (RLS: orders and rides assigned to them, the offers made to
// them, the contact of their active order) and the `courier` function's moves: presence, offer answers, steps (sync).
import type { CallFunction } from '@ecom/app-kit/functions';
import type { AppSupabase, DataClient } from '@ecom/app-kit/supabase';
import { PRESENCE_SEND_TIMEOUT_MS, type QueuedAction, type SyncResult } from '@ecom/domain/courier';

export interface Pin {
  lat: number;
  lng: number;
  landmark: string | null;
}

export interface Job {
  kind: 'order' | 'ride';
  id: string;
  status: string;
  payment_method: string;
  /** What the courier earns: the delivery fee, or the ride's fare. */
  earnings_xof: number;
  /** Cash to take from the customer (cash orders and rides), and the change to give back. */
  cash_to_collect_xof: number;
  change_xof: number;
  cash_collected_at: string | null;
  pickup: Pin | null;
  dropoff: Pin | null;
  /** The store's name, or "Course" for a ride. */
  place: string | null;
  customer_first_name: string;
  customer_phone: string | null;
  /** The delivery address's gate photo in Storage (`address-photos/…`), if the customer took one. */
  gate_photo_path: string | null;
}

const ACTIVE_ORDER = ['accepted', 'preparing', 'ready', 'picked_up'];
const ACTIVE_RIDE = ['accepted', 'arrived', 'in_progress'];

type StoreEmbed = { name: string; lat: number | null; lng: number | null; landmark: string | null };
type ContactEmbed = { customer_phone: string; address: unknown };

type OrderRow = {
  id: string;
  status: string;
  payment_method: string;
  delivery_fee_xof: number;
  total_xof: number;
  cash_tendered_xof: number | null;
  cash_collected_at: string | null;
  customer_first_name: string;
  stores: StoreEmbed | StoreEmbed[] | null;
  order_contacts: ContactEmbed | ContactEmbed[] | null;
};

const ORDER_COLUMNS =
  'id, status, payment_method, delivery_fee_xof, total_xof, cash_tendered_xof, cash_collected_at, customer_first_name, ' +
  'stores(name, lat, lng, landmark), order_contacts(customer_phone, address)';

function pinOf(value: unknown): Pin | null {
  const v = value as { lat?: unknown; lng?: unknown; landmark?: unknown } | null;
  if (!v || typeof v.lat !== 'number' || typeof v.lng !== 'number') return null;
  return { lat: v.lat, lng: v.lng, landmark: typeof v.landmark === 'string' ? v.landmark : null };
}

/** PostgREST embeds a to-one table as an object, or as a one-row array when it cannot tell: either way, one row. */
const one = <T>(v: T | T[] | null): T | null => (Array.isArray(v) ? (v[0] ?? null) : v);

function photoPathOf(address: unknown): string | null {
  const path = (address as { photo_path?: unknown } | null)?.photo_path;
  return typeof path === 'string' && path.startsWith('address-photos/') ? path : null;
}

function orderJob(row: OrderRow): Job {
  const o = { ...row, order_contacts: one(row.order_contacts) };
  const cash = o.payment_method === 'cash' ? o.total_xof : 0;
  const store = one(o.stores);
  return {
    kind: 'order',
    id: o.id,
    status: o.status,
    payment_method: o.payment_method,
    earnings_xof: o.delivery_fee_xof,
    cash_to_collect_xof: cash,
    change_xof: cash && o.cash_tendered_xof ? Math.max(0, o.cash_tendered_xof - cash) : 0,
    cash_collected_at: o.cash_collected_at,
    pickup:
      store?.lat != null && store.lng != null ? { lat: store.lat, lng: store.lng, landmark: store.landmark } : null,
    dropoff: pinOf(o.order_contacts?.address),
    place: store?.name ?? null,
    customer_first_name: o.customer_first_name,
    customer_phone: o.order_contacts?.customer_phone ?? null,
    gate_photo_path: photoPathOf(o.order_contacts?.address),
  };
}

type RideRow = {
  id: string;
  status: string;
  payment_method: string;
  fare_quote_xof: number;
  final_fare_xof: number | null;
  rider_first_name: string;
  pickup_lat: number;
  pickup_lng: number;
  pickup_landmark: string;
  dropoff_lat: number;
  dropoff_lng: number;
  dropoff_landmark: string;
};

function rideJob(r: RideRow): Job {
  const fare = r.final_fare_xof ?? r.fare_quote_xof;
  return {
    kind: 'ride',
    id: r.id,
    status: r.status,
    payment_method: r.payment_method,
    earnings_xof: fare,
    cash_to_collect_xof: r.payment_method === 'cash' ? fare : 0,
    change_xof: 0,
    cash_collected_at: null,
    pickup: { lat: r.pickup_lat, lng: r.pickup_lng, landmark: r.pickup_landmark },
    dropoff: { lat: r.dropoff_lat, lng: r.dropoff_lng, landmark: r.dropoff_landmark },
    place: null,
    customer_first_name: r.rider_first_name,
    customer_phone: null,
    gate_photo_path: null,
  };
}

const RIDE_COLUMNS =
  'id, status, payment_method, fare_quote_xof, final_fare_xof, rider_first_name, pickup_lat, pickup_lng, ' +
  'pickup_landmark, dropoff_lat, dropoff_lng, dropoff_landmark';

/** One job of the courier's, by kind and id; null when it is not theirs (RLS) or does not exist. */
export async function getJob(client: DataClient, kind: 'order' | 'ride', id: string): Promise<Job | null> {
  if (kind === 'order') {
    const { data, error } = await client.from('orders').select(ORDER_COLUMNS).eq('id', id).maybeSingle();
    if (error) throw error;
    return data ? orderJob(data as unknown as OrderRow) : null;
  }
  const { data, error } = await client.from('rides').select(RIDE_COLUMNS).eq('id', id).maybeSingle();
  if (error) throw error;
  return data ? rideJob(data as unknown as RideRow) : null;
}

/** The courier's job in progress (an order before delivery or with cash still to collect, a ride before the end). */
export async function currentJob(client: DataClient, courierId: string): Promise<Job | null> {
  const [orders, rides] = await Promise.all([
    client
      .from('orders')
      .select(ORDER_COLUMNS)
      .eq('courier_id', courierId)
      .in('status', ACTIVE_ORDER as never[])
      .order('created_at', { ascending: false })
      .limit(1),
    client
      .from('rides')
      .select(RIDE_COLUMNS)
      .eq('courier_id', courierId)
      .in('status', ACTIVE_RIDE as never[])
      .order('requested_at', { ascending: false })
      .limit(1),
  ]);
  if (orders.error) throw orders.error;
  if (rides.error) throw rides.error;
  const order = (orders.data as unknown as OrderRow[])[0];
  if (order) return orderJob(order);
  const ride = (rides.data as unknown as RideRow[])[0];
  return ride ? rideJob(ride) : null;
}

export interface OfferDetails {
  id: string;
  job_kind: 'order' | 'ride';
  job_id: string;
  distance_m: number | null;
  expires_at: string;
  /** What the broadcast (or the offer's notification) says about the job. */
  store_name: string | null;
  pickup: Pin | null;
  dropoff: Pin | null;
  earnings_xof: number | null;
  summary: string | null;
}

/** The broadcast `offer` payload (event on `courier:<id>`, trigger private.broadcast_offer) → what the screen shows. */
export function offerFromBroadcast(p: Record<string, unknown>): OfferDetails | null {
  if (p.status !== 'offered' || typeof p.id !== 'string' || typeof p.expires_at !== 'string') return null;
  const job = (p.job ?? {}) as Record<string, unknown>;
  const earnings = job.delivery_fee_xof ?? job.fare_quote_xof;
  return {
    id: p.id,
    job_kind: p.job_kind === 'ride' ? 'ride' : 'order',
    job_id: String(p.job_id),
    distance_m: typeof p.distance_m === 'number' ? p.distance_m : null,
    expires_at: p.expires_at,
    store_name: typeof job.store_name === 'string' ? job.store_name : null,
    pickup: pinOf(job.pickup),
    dropoff: pinOf(job.dropoff),
    earnings_xof: typeof earnings === 'number' ? earnings : null,
    summary: null,
  };
}

/**
 * The courier's open offers (not yet expired), with their notification's words (store or pickup, amount): what the
 * app shows when it missed the broadcast (joined late, came back online).
 */
export async function openOffers(client: DataClient, courierId: string): Promise<OfferDetails[]> {
  const { data, error } = await client
    .from('offers')
    .select('id, job_kind, job_id, distance_m, expires_at')
    .eq('courier_id', courierId)
    .eq('status', 'offered')
    .gt('expires_at', new Date().toISOString())
    .order('created_at', { ascending: false });
  if (error) throw error;
  if (data.length === 0) return [];
  const notes = await client
    .from('notifications')
    .select('body, data')
    .eq('kind', 'offer')
    .in(
      'data->>offer_id',
      data.map((o) => o.id),
    );
  const bodyOf = new Map(
    (notes.data ?? []).map((n) => [String((n.data as Record<string, unknown>).offer_id), n.body] as const),
  );
  return data.map((o) => ({
    id: o.id,
    job_kind: o.job_kind,
    job_id: o.job_id ?? '',
    distance_m: o.distance_m,
    expires_at: o.expires_at,
    store_name: null,
    pickup: null,
    dropoff: null,
    earnings_xof: null,
    summary: bodyOf.get(o.id) ?? null,
  }));
}

export interface Presence {
  online: boolean;
  lat?: number;
  lng?: number;
  heading?: number;
  speed?: number;
}

/** POST /courier/presence: online with a position, or offline. */
export function sendPresence(call: CallFunction, presence: Presence) {
  return call<{ presence: { online: boolean }; order_id: string | null; ride_id: string | null }>(
    'courier',
    '/presence',
    { method: 'POST', body: presence, timeoutMs: PRESENCE_SEND_TIMEOUT_MS },
  );
}

/** POST /courier/offers/:id/accept or decline. */
export function answerOffer(call: CallFunction, offerId: string, accept: boolean) {
  return call<{ offer: { id: string; job_kind: 'order' | 'ride'; order_id: string | null; ride_id: string | null } }>(
    'courier',
    `/offers/${offerId}/${accept ? 'accept' : 'decline'}`,
    { method: 'POST', body: {} },
  );
}

/** POST /courier/sync: the queued steps, oldest first; each answered ok or refused with a message. */
export async function syncSteps(call: CallFunction, actions: readonly QueuedAction[]): Promise<SyncResult[]> {
  const answer = await call<{ results: SyncResult[] }>('courier', '/sync', {
    method: 'POST',
    body: { actions },
    timeoutMs: 15_000,
  });
  return answer.results;
}

/**
 * A short-lived URL of the delivery address's gate photo (`address-photos/<customer id>/<file>`, copied into
 * `order_contacts.address` at placement). Storage lets the courier of an active delivery read it; null otherwise.
 */
export async function gatePhotoUrl(
  client: Pick<AppSupabase, 'url' | 'anonKey' | 'accessToken'>,
  path: string,
): Promise<string | null> {
  const key = path.split('/').map(encodeURIComponent).join('/');
  const res = await fetch(`${client.url}/storage/v1/object/sign/${key}`, {
    method: 'POST',
    headers: {
      apikey: client.anonKey,
      Authorization: `Bearer ${(await client.accessToken()) ?? client.anonKey}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ expiresIn: 600 }),
  });
  if (!res.ok) return null;
  const body = (await res.json()) as { signedURL?: string };
  return body.signedURL ? `${client.url}/storage/v1${body.signedURL}` : null;
}
