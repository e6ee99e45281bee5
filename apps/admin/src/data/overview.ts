// The overview's figures: one call to rpc admin_overview (migration 20261121201400) for a period, optionally a zone,
// with an hourly or daily series for the charts. Admins only (others: not_admin).
import type { DataClient } from '@ecom/app-kit/supabase';
import { unwrap } from './errors.ts';

export interface Overview {
  from_at: string;
  to_at: string;
  zone: string | null;
  timezone: string;
  bucket: 'hour' | 'day';
  orders: {
    placed: number;
    delivered: number;
    cancelled: number;
    rejected: number;
    in_progress: number;
    gmv_xof: number;
    average_basket_xof: number;
    by_payment: Record<string, number>;
    cancellation_rate: number;
    delivery_minutes_avg: number | null;
    delivery_minutes_p90: number | null;
  };
  rides: { requested: number; completed: number; cancelled: number; expired: number; fares_xof: number };
  now: { orders_in_progress: number; rides_in_progress: number; couriers_online: number; stores_open: number };
  series: { at: string; orders: number; delivered: number; gmv_xof: number; rides: number }[];
}

export interface ZoneOption {
  id: string;
  name: string;
  timezone: string;
}

export async function fetchOverview(
  db: DataClient,
  q: { from: Date; to: Date; zone: string | null; bucket: 'hour' | 'day' },
): Promise<Overview> {
  const result = await db.rpc('admin_overview', {
    from_at: q.from.toISOString(),
    to_at: q.to.toISOString(),
    bucket: q.bucket,
    ...(q.zone ? { zone: q.zone } : {}),
  });
  return unwrap(result) as unknown as Overview;
}

/** Every zone the caller may see (admins: inactive ones too), by name. */
export async function listZones(db: DataClient): Promise<ZoneOption[]> {
  return unwrap(await db.from('zones').select('id, name, timezone').order('name'));
}
