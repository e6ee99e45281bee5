// Rides for the operations team: search (rider's number via admin_people, short id, status, dates), the detail
// (timeline, the driver's trace, ledger), and the reassignment through the `rides` function (docs/API.md).
import type { CallFunction } from '@ecom/app-kit/functions';
import type { DataClient } from '@ecom/app-kit/supabase';
import { fromFunction, unwrap } from './errors.ts';
import {
  auditFor,
  entriesFor,
  PAGE_SIZE,
  shortIdRange,
  type AuditRow,
  type LedgerLine,
  type TimelineEvent,
  type TracePoint,
} from './orders.ts';
import { peopleById, peopleByPhone, type Person } from './people.ts';

export type RideStatus = 'requested' | 'accepted' | 'arrived' | 'in_progress' | 'completed' | 'cancelled' | 'expired';
export const RIDE_STATUSES: readonly RideStatus[] = [
  'requested',
  'accepted',
  'arrived',
  'in_progress',
  'completed',
  'cancelled',
  'expired',
];

export interface RideFilters {
  phone?: string | null;
  shortId?: string | null;
  statuses?: RideStatus[];
  from?: string | null;
  to?: string | null;
}

const RIDE_COLUMNS = `id, status, requested_at, vehicle_type, fare_quote_xof, final_fare_xof, payment_method,
  rider_id, rider_first_name, courier_id, pickup_landmark, dropoff_landmark`;

export interface RideRow {
  id: string;
  status: RideStatus;
  requested_at: string;
  vehicle_type: string;
  fare_quote_xof: number;
  final_fare_xof: number | null;
  payment_method: string;
  rider_id: string;
  rider_first_name: string;
  courier_id: string | null;
  pickup_landmark: string;
  dropoff_landmark: string;
}

export async function searchRides(
  db: DataClient,
  filters: RideFilters,
  page = 0,
): Promise<{ rows: RideRow[]; total: number }> {
  let q = db.from('rides').select(RIDE_COLUMNS, { count: 'exact' });
  if (filters.phone) {
    const riders = await peopleByPhone(db, filters.phone);
    if (!riders.length) return { rows: [], total: 0 };
    q = q.in(
      'rider_id',
      riders.map((r) => r.id),
    );
  }
  if (filters.shortId) {
    const range = shortIdRange(filters.shortId);
    if (range) q = q.gte('id', range[0]).lte('id', range[1]);
  }
  if (filters.statuses?.length) q = q.in('status', filters.statuses);
  if (filters.from) q = q.gte('requested_at', filters.from);
  if (filters.to) q = q.lt('requested_at', filters.to);
  const result = await q
    .order('requested_at', { ascending: false })
    .range(page * PAGE_SIZE, page * PAGE_SIZE + PAGE_SIZE - 1);
  const rows = unwrap(result) as RideRow[];
  return { rows, total: result.count ?? rows.length };
}

export interface RideDetail {
  ride: RideRow &
    Record<string, unknown> & { pickup_lat: number; pickup_lng: number; dropoff_lat: number; dropoff_lng: number };
  events: TimelineEvent[];
  trace: TracePoint[];
  ledger: LedgerLine[];
  audit: AuditRow[];
  people: Map<string, Person>;
}

export async function rideDetail(db: DataClient, id: string): Promise<RideDetail | null> {
  const raw = unwrap(
    await db
      .from('rides')
      .select(
        `*, ride_events(id, kind, from_status, to_status, actor_id, actor_role, reason, created_at, reported_at,
                        reported_lat, reported_lng)`,
      )
      .eq('id', id)
      .order('created_at', { referencedTable: 'ride_events' })
      .maybeSingle(),
  ) as (RideDetail['ride'] & { ride_events: TimelineEvent[] }) | null;
  if (!raw) return null;
  const { ride_events, ...ride } = raw;
  const [trace, ledger] = await Promise.all([
    unwrap(
      await db
        .from('job_positions')
        .select('lat, lng, recorded_at, courier_id')
        .eq('ride_id', id)
        .order('recorded_at')
        .limit(2000),
    ) as TracePoint[],
    entriesFor(db, { rideId: id }),
  ]);
  const audit = await auditFor(db, [id, ...ledger.map((l) => l.entry_id)]);
  const people = await peopleById(db, [
    ride.rider_id,
    ride.courier_id,
    ...ride_events.map((e) => e.actor_id),
    ...trace.map((p) => p.courier_id),
  ]);
  return { ride, events: ride_events, trace, ledger, audit, people };
}

export async function reassignRide(call: CallFunction, id: string, reason: string, courierId?: string | null) {
  try {
    return await call<{ ride: { id: string; status: string } }>('rides', `/rides/${id}/reassign`, {
      method: 'POST',
      body: { reason, ...(courierId ? { courier_id: courierId } : {}) },
    });
  } catch (e) {
    throw fromFunction(e);
  }
}
