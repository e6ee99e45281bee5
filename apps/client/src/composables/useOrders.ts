// The customer's orders, newest first (PostgREST under RLS: their own), with the store and the lines for reorder.
import { must, useAsyncData } from '@ecom/app-kit/async-data';
import type { OrderStatus, PastItem } from '@ecom/domain/order';
import { supabase } from '../lib/supabase.ts';

export interface OrderSummary {
  id: string;
  status: OrderStatus;
  total_xof: number;
  fulfilment: 'delivery' | 'pickup';
  created_at: string;
  store: { id: string; name: string; slug: string } | null;
  items: (PastItem & { quantity: number })[];
}

export function useOrders() {
  return useAsyncData<OrderSummary[]>(async () => {
    const rows = must(
      await supabase
        .from('orders')
        .select(
          'id, status, total_xof, fulfilment, created_at, stores(id, name, slug), order_items(product_id, name, quantity, options, position)',
        )
        .order('created_at', { ascending: false })
        .limit(50),
    );
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      total_xof: r.total_xof,
      fulfilment: r.fulfilment,
      created_at: r.created_at,
      store: r.stores,
      items: [...r.order_items]
        .sort((a, b) => a.position - b.position)
        .map((i) => ({
          product_id: i.product_id,
          name: i.name,
          quantity: i.quantity,
          options: Array.isArray(i.options) ? (i.options as { group: string; name: string }[]) : [],
        })),
    }));
  });
}
