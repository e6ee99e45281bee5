// What the checkout needs to know about the cart's store: its pin (delivery fee), its zone's fee grid and minimum,
// its hours (scheduled times), its status. One request.
import { useAsyncData } from '@ecom/app-kit/async-data';
import { supabase } from '../lib/supabase.ts';

const SELECT = `id, name, phone, lat, lng, status, busy_until, zone_id,
  zones(name, timezone, delivery_base_fee_xof, delivery_fee_per_km_xof, min_order_xof, radius_m),
  store_hours(weekday, opens, closes, closes_next_day),
  store_hour_exceptions(on_date, closed, opens, closes, closes_next_day)`;

async function fetchStore(id: string) {
  const { data, error } = await supabase.from('stores').select(SELECT).eq('id', id).maybeSingle();
  if (error) throw new Error(error.message);
  return data;
}

export type CheckoutStore = NonNullable<Awaited<ReturnType<typeof fetchStore>>>;

export function useCheckoutStore(id: () => string | null) {
  return useAsyncData(async () => {
    const storeId = id();
    return storeId ? fetchStore(storeId) : null;
  });
}

/** The customer's wallet balance when their account exists and is readable (RLS: their own); null otherwise. */
export function useWalletBalance() {
  return useAsyncData<number | null>(async () => {
    const { data, error } = await supabase
      .from('ledger_accounts')
      .select('balance')
      .eq('kind', 'customer_wallet')
      .limit(1)
      .maybeSingle();
    if (error) return null;
    return data?.balance ?? null;
  });
}

export interface PromotionLookup {
  code: string;
  kind: 'percent' | 'fixed' | 'free_delivery';
  value: number | null;
  min_order_xof: number;
  max_discount_xof: number | null;
  store_id: string | null;
}

/** A current promotion by code (RLS shows signed-in people the current ones), or null when there is none. */
export async function findPromotion(code: string, storeId: string): Promise<PromotionLookup | null> {
  const { data, error } = await supabase
    .from('promotions')
    .select('code, kind, value, min_order_xof, max_discount_xof, store_id')
    .eq('code', code.trim().toUpperCase())
    .maybeSingle();
  if (error) throw new Error(error.message);
  if (!data || (data.store_id !== null && data.store_id !== storeId)) return null;
  return data;
}
