// "Commander à nouveau": the past order's lines rebuilt against the store's catalogue today (@ecom/domain
// reorderLines); what is gone is named, the rest refills the cart.
import { reorderLines, type CatalogueItem, type ReorderResult } from '@ecom/domain/order';
import { supabase } from '../lib/supabase.ts';
import type { OrderSummary } from './useOrders.ts';

const SELECT = `id, name, price_xof, available, sold_out_until,
  product_option_groups(id, name, min_selections, max_selections, product_options(id, name, price_delta_xof, available))`;

export async function rebuildOrder(order: OrderSummary): Promise<ReorderResult> {
  if (!order.store) return { lines: [], gone: order.items.map((i) => ({ name: i.name, reason: 'unavailable' })) };
  const ids = order.items.map((i) => i.product_id).filter((id): id is string => id !== null);
  const { data, error } = await supabase.from('products').select(SELECT).in('id', ids);
  if (error) throw new Error(error.message);
  const catalogue: CatalogueItem[] = (data ?? []).map((p) => ({
    id: p.id,
    name: p.name,
    price_xof: p.price_xof,
    available: p.available,
    sold_out_until: p.sold_out_until,
    groups: p.product_option_groups.map((g) => ({
      id: g.id,
      name: g.name,
      min_selections: g.min_selections,
      max_selections: g.max_selections,
      options: g.product_options,
    })),
  }));
  return reorderLines(order.items, catalogue);
}
