// The store's promotions (codes customers type at checkout): owners list, create and switch them off through
// PostgREST ("Owners can create / update their stores' promotions"); checkPromotion has checked them first.
import type { DataClient, Tables } from '@ecom/app-kit/supabase';
import type { ValidPromotion } from '@ecom/domain/merchant';

export type Promotion = Pick<
  Tables<'promotions'>,
  | 'id'
  | 'code'
  | 'kind'
  | 'value'
  | 'starts_at'
  | 'ends_at'
  | 'min_order_xof'
  | 'usage_limit_total'
  | 'usage_limit_per_customer'
  | 'active'
>;
const COLUMNS =
  'id, code, kind, value, starts_at, ends_at, min_order_xof, usage_limit_total, usage_limit_per_customer, active';

export async function listPromotions(db: DataClient, storeId: string): Promise<Promotion[]> {
  const { data, error } = await db
    .from('promotions')
    .select(COLUMNS)
    .eq('store_id', storeId)
    .order('ends_at', { ascending: false });
  if (error) throw new Error(error.message);
  return data;
}

/** Creates a promotion; a code already used anywhere throws Error('code_taken'). */
export async function createPromotion(db: DataClient, storeId: string, promotion: ValidPromotion): Promise<Promotion> {
  const { data, error } = await db
    .from('promotions')
    .insert({ store_id: storeId, ...promotion })
    .select(COLUMNS)
    .single();
  if (error) throw new Error(error.code === '23505' ? 'code_taken' : error.message);
  return data;
}

/** Switches a promotion on or off; null when it is not one of this store's. */
export async function setPromotionActive(
  db: DataClient,
  storeId: string,
  id: string,
  active: boolean,
): Promise<Promotion | null> {
  const { data, error } = await db
    .from('promotions')
    .update({ active })
    .eq('store_id', storeId)
    .eq('id', id)
    .select(COLUMNS)
    .maybeSingle();
  if (error) throw new Error(error.message);
  return data;
}
