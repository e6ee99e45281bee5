// The live map's picture: couriers by state (online and free, on a job, online but silent for more than 2 minutes,
// offline) from courier_presence and the active orders and rides, orders in progress with their store and drop-off,
// and the stores (open / busy / closed). Re-read every 10 s by the page; admins see all of it under RLS.
import type { DataClient } from '@ecom/app-kit/supabase';
import { storeStatusAt, type StoreStatusInput } from '@ecom/domain';
import { unwrap } from './errors.ts';

export type CourierState = 'idle' | 'on_job' | 'stale' | 'offline';
export type StoreState = 'open' | 'busy' | 'closed';

export const STALE_AFTER_MS = 2 * 60_000;

export interface LiveCourier {
  id: string;
  state: CourierState;
  lat: number;
  lng: number;
  updated_at: string;
  vehicle_type: string | null;
  /** The order or ride the courier holds now. */
  job: { kind: 'order' | 'ride'; id: string } | null;
}

export interface LiveOrder {
  id: string;
  status: string;
  store_id: string;
  courier_id: string | null;
  dropoff: { lat: number; lng: number; landmark?: string } | null;
}

export interface LiveStore {
  id: string;
  name: string;
  lat: number;
  lng: number;
  state: StoreState;
}

export interface LivePicture {
  couriers: LiveCourier[];
  orders: LiveOrder[];
  stores: LiveStore[];
  at: string;
}

const ACTIVE_ORDER = ['pending', 'accepted', 'preparing', 'ready', 'picked_up'] as const;
const ACTIVE_RIDE = ['requested', 'accepted', 'arrived', 'in_progress'] as const;

/** A courier's state on the map: a job wins, then silence, then the online flag. */
export function courierState(p: { online: boolean; updated_at: string }, onJob: boolean, now: number): CourierState {
  if (onJob) return 'on_job';
  if (!p.online) return 'offline';
  return now - Date.parse(p.updated_at) > STALE_AFTER_MS ? 'stale' : 'idle';
}

type StoreRow = Pick<StoreStatusInput, 'status' | 'busy_until' | 'hours' | 'exceptions'> & { timezone?: string };

/** Open, busy or closed right now, as the customer app says it (@ecom/domain storeStatusAt: status, busy, hours). */
export function storeState(s: StoreRow, now: number): StoreState {
  return storeStatusAt({ ...s, timeZone: s.timezone ?? 'Africa/Abidjan', now: new Date(now) }).state;
}

export async function livePicture(db: DataClient, now = Date.now()): Promise<LivePicture> {
  const [presence, couriers, orders, rides, stores] = await Promise.all([
    db.from('courier_presence').select('courier_id, online, lat, lng, updated_at'),
    db.from('couriers').select('user_id, vehicle_type'),
    db
      .from('orders')
      .select('id, status, store_id, courier_id, order_contacts(address)')
      .in('status', ACTIVE_ORDER)
      .order('created_at', { ascending: false })
      .limit(300),
    db.from('rides').select('id, courier_id').in('status', ACTIVE_RIDE).not('courier_id', 'is', null),
    db
      .from('stores')
      .select(
        `id, name, lat, lng, status, busy_until, zones(timezone),
         store_hours(weekday, opens, closes, closes_next_day),
         store_hour_exceptions(on_date, closed, opens, closes, closes_next_day)`,
      )
      .eq('approval_status', 'approved'),
  ]);
  const vehicleOf = new Map(
    (unwrap(couriers) as { user_id: string; vehicle_type: string }[]).map((c) => [c.user_id, c.vehicle_type]),
  );
  const orderRows = unwrap(orders) as unknown as {
    id: string;
    status: string;
    store_id: string;
    courier_id: string | null;
    order_contacts: { address: LiveOrder['dropoff'] } | { address: LiveOrder['dropoff'] }[] | null;
  }[];
  const jobOf = new Map<string, { kind: 'order' | 'ride'; id: string }>();
  for (const o of orderRows) if (o.courier_id) jobOf.set(o.courier_id, { kind: 'order', id: o.id });
  for (const r of unwrap(rides) as { id: string; courier_id: string }[]) {
    jobOf.set(r.courier_id, { kind: 'ride', id: r.id });
  }
  return {
    at: new Date(now).toISOString(),
    couriers: (
      unwrap(presence) as {
        courier_id: string;
        online: boolean;
        lat: number | null;
        lng: number | null;
        updated_at: string;
      }[]
    )
      .filter((p) => p.lat !== null && p.lng !== null)
      .map((p) => ({
        id: p.courier_id,
        state: courierState(p, jobOf.has(p.courier_id), now),
        lat: p.lat!,
        lng: p.lng!,
        updated_at: p.updated_at,
        vehicle_type: vehicleOf.get(p.courier_id) ?? null,
        job: jobOf.get(p.courier_id) ?? null,
      })),
    orders: orderRows.map(({ order_contacts, ...o }) => {
      const contact = Array.isArray(order_contacts) ? order_contacts[0] : order_contacts;
      const a = contact?.address;
      return { ...o, dropoff: a && typeof a.lat === 'number' && typeof a.lng === 'number' ? a : null };
    }),
    stores: (
      unwrap(stores) as unknown as (Pick<StoreRow, 'status' | 'busy_until'> & {
        id: string;
        name: string;
        lat: number;
        lng: number;
        zones: { timezone: string } | null;
        store_hours: StoreRow['hours'];
        store_hour_exceptions: NonNullable<StoreRow['exceptions']>;
      })[]
    ).map((s) => ({
      id: s.id,
      name: s.name,
      lat: s.lat,
      lng: s.lng,
      state: storeState(
        {
          status: s.status,
          busy_until: s.busy_until,
          hours: s.store_hours,
          exceptions: s.store_hour_exceptions,
          timezone: s.zones?.timezone,
        },
        now,
      ),
    })),
  };
}
