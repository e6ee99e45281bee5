// Configuration for the operations team (docs/admin-ops.md "Configuration"; delivery fees are the core's page):
// the ride fare grid, the fixed fares between neighbourhoods, commissions, couriers' cash limits, platform-wide
// promotions, and the OTP limits (Auth configuration: read-only here). Admins write through PostgREST; every bad
// value is refused by the database's CHECK constraints (see errors.ts for the words), every change is audited.
// A row is saved by update when it exists and insert otherwise: an upsert would also update the key columns, which
// no grant allows.
import type { DataClient, Tables } from '@ecom/app-kit/supabase';
import type { Database } from '@ecom/db';
import { unwrap } from './errors.ts';

export type RideFare = Tables<'ride_fares'>;
export type NeighbourhoodFare = Tables<'neighbourhood_fares'> & { a_name: string; b_name: string };
export type OrderRate = Tables<'order_rates'>;
export type RideRate = Tables<'ride_rates'>;
export type CashLimit = Tables<'courier_cash_limits'>;
export type Promotion = Tables<'promotions'>;
export type Zone = Pick<Tables<'zones'>, 'id' | 'name' | 'active' | 'default_commission_bps'>;
export type StoreKind = Database['public']['Enums']['store_kind'];
export type VehicleType = Database['public']['Enums']['vehicle_type'];

export interface Configuration {
  zones: Zone[];
  rideFares: RideFare[];
  neighbourhoodFares: NeighbourhoodFare[];
  orderRates: OrderRate[];
  rideRates: RideRate[];
  cashLimits: CashLimit[];
  promotions: Promotion[];
}

export async function loadConfiguration(db: DataClient): Promise<Configuration> {
  const [zones, rideFares, neighbourhoods, fixed, orderRates, rideRates, cashLimits, promotions] = await Promise.all([
    db.from('zones').select('id, name, active, default_commission_bps').order('name'),
    db.from('ride_fares').select('*').order('zone_id').order('vehicle_type'),
    db.from('neighbourhoods').select('id, name'),
    db.from('neighbourhood_fares').select('*').order('vehicle_type'),
    db.from('order_rates').select('*').order('zone_id').order('store_kind'),
    db.from('ride_rates').select('*').order('zone_id').order('vehicle_type'),
    db.from('courier_cash_limits').select('*'),
    db.from('promotions').select('*').is('store_id', null).order('ends_at', { ascending: false }),
  ]);
  const names = new Map(unwrap(neighbourhoods).map((n) => [n.id, n.name]));
  return {
    zones: unwrap(zones),
    rideFares: unwrap(rideFares),
    neighbourhoodFares: unwrap(fixed).map((f) => ({
      ...f,
      a_name: names.get(f.neighbourhood_a_id) ?? f.neighbourhood_a_id,
      b_name: names.get(f.neighbourhood_b_id) ?? f.neighbourhood_b_id,
    })),
    orderRates: unwrap(orderRates),
    rideRates: unwrap(rideRates),
    cashLimits: unwrap(cashLimits),
    promotions: unwrap(promotions),
  };
}

type RideFarePatch = Pick<RideFare, 'base_fare_xof' | 'per_km_xof' | 'per_minute_xof' | 'minimum_fare_xof'>;

export async function saveRideFare(db: DataClient, zoneId: string, vehicle: VehicleType, patch: RideFarePatch) {
  const updated = unwrap(
    await db.from('ride_fares').update(patch).eq('zone_id', zoneId).eq('vehicle_type', vehicle).select(),
  );
  if (updated.length > 0) return updated[0]!;
  return unwrap(
    await db
      .from('ride_fares')
      .insert({ zone_id: zoneId, vehicle_type: vehicle, ...patch })
      .select()
      .single(),
  );
}

export async function saveNeighbourhoodFare(db: DataClient, fare: NeighbourhoodFare, fareXof: number) {
  return unwrap(
    await db
      .from('neighbourhood_fares')
      .update({ fare_xof: fareXof })
      .eq('neighbourhood_a_id', fare.neighbourhood_a_id)
      .eq('neighbourhood_b_id', fare.neighbourhood_b_id)
      .eq('vehicle_type', fare.vehicle_type)
      .select(),
  );
}

export async function saveOrderRate(
  db: DataClient,
  zoneId: string,
  kind: StoreKind,
  rate: Pick<OrderRate, 'merchant_commission_bps' | 'delivery_cut_bps'>,
) {
  const updated = unwrap(
    await db.from('order_rates').update(rate).eq('zone_id', zoneId).eq('store_kind', kind).select(),
  );
  if (updated.length > 0) return updated[0]!;
  return unwrap(
    await db
      .from('order_rates')
      .insert({ zone_id: zoneId, store_kind: kind, ...rate })
      .select()
      .single(),
  );
}

export async function saveRideRate(db: DataClient, zoneId: string, vehicle: VehicleType, commissionBps: number) {
  const updated = unwrap(
    await db
      .from('ride_rates')
      .update({ commission_bps: commissionBps })
      .eq('zone_id', zoneId)
      .eq('vehicle_type', vehicle)
      .select(),
  );
  if (updated.length > 0) return updated[0]!;
  return unwrap(
    await db
      .from('ride_rates')
      .insert({ zone_id: zoneId, vehicle_type: vehicle, commission_bps: commissionBps })
      .select()
      .single(),
  );
}

export async function saveCashLimit(db: DataClient, zoneId: string, limitXof: number) {
  const updated = unwrap(
    await db.from('courier_cash_limits').update({ limit_xof: limitXof }).eq('zone_id', zoneId).select(),
  );
  if (updated.length > 0) return updated[0]!;
  return unwrap(
    await db.from('courier_cash_limits').insert({ zone_id: zoneId, limit_xof: limitXof }).select().single(),
  );
}

export type PromotionInput = Pick<
  Promotion,
  'code' | 'description' | 'kind' | 'value' | 'min_order_xof' | 'max_discount_xof' | 'starts_at' | 'ends_at' | 'active'
>;

/** A new platform-wide promotion (store_id null: the platform pays the discount). */
export async function createPromotion(db: DataClient, input: PromotionInput): Promise<Promotion> {
  return unwrap(
    await db
      .from('promotions')
      .insert({ ...input, store_id: null })
      .select()
      .single(),
  );
}

export async function setPromotionActive(db: DataClient, id: string, active: boolean): Promise<void> {
  unwrap(await db.from('promotions').update({ active }).eq('id', id).select());
}

/** Commission in basis points ↔ percent as typed ("12,5" → 1250). Null when it is not a number. */
export function percentToBps(text: string): number | null {
  const t = text.trim().replace(',', '.').replace(/\s*%$/, '');
  if (!/^-?\d+(\.\d{1,2})?$/.test(t)) return null;
  return Math.round(Number(t) * 100);
}

export const bpsToPercent = (bps: number): string => (bps / 100).toLocaleString('fr-FR', { maximumFractionDigits: 2 });
