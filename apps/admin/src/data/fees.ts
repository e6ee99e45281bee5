// Delivery fees per zone (zones.delivery_base_fee_xof, delivery_fee_per_km_xof; admins update them under RLS, the
// columns' CHECK refuses a negative amount). The customer app reads the same two columns with the store
// (apps/client useCheckoutStore) and computes the fee with @ecom/domain/checkout's deliveryFee, exactly as order
// placement does in SQL: so the preview here is what the next quote and the next order will charge.
import type { DataClient } from '@ecom/app-kit/supabase';
import { AdminError, unwrap } from './errors.ts';

export interface ZoneFees {
  id: string;
  name: string;
  active: boolean;
  delivery_base_fee_xof: number;
  delivery_fee_per_km_xof: number;
  min_order_xof: number;
  radius_m: number;
  center_lat: number;
  center_lng: number;
  updated_at: string;
}

export async function zoneFees(db: DataClient): Promise<ZoneFees[]> {
  return unwrap(
    await db
      .from('zones')
      .select(
        'id, name, active, delivery_base_fee_xof, delivery_fee_per_km_xof, min_order_xof, radius_m, center_lat, center_lng, updated_at',
      )
      .order('name'),
  ) as ZoneFees[];
}

/** Saves a zone's grid; refusals: amount_too_small (negative), not_admin (RLS hid the row: nothing updated). */
export async function updateZoneFees(
  db: DataClient,
  zoneId: string,
  fees: { delivery_base_fee_xof: number; delivery_fee_per_km_xof: number },
): Promise<ZoneFees> {
  const rows = unwrap(
    await db
      .from('zones')
      .update(fees)
      .eq('id', zoneId)
      .select(
        'id, name, active, delivery_base_fee_xof, delivery_fee_per_km_xof, min_order_xof, radius_m, center_lat, center_lng, updated_at',
      ),
  ) as ZoneFees[];
  if (!rows.length) throw new AdminError('refused', 'not_admin', { status: 403 });
  return rows[0]!;
}
