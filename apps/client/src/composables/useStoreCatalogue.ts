// One store and its whole catalogue in a single request (weak networks: one round trip, not one per category).
// RLS shows anon and customers only approved stores and available products; sold-out products come with
// `sold_out_until` and are shown disabled.
import { useAsyncData } from '@ecom/app-kit/async-data';
import type { Ref } from 'vue';
import { supabase } from '../lib/supabase.ts';

const SELECT = `id, slug, name, kind, description, landmark, phone, status, busy_until, preparation_minutes,
  logo_path, cover_path, zones(name, timezone),
  store_hours(weekday, opens, closes, closes_next_day),
  store_hour_exceptions(on_date, closed, opens, closes, closes_next_day),
  categories(id, name, position,
    products(id, name, description, price_xof, photo_path, sold_out_until, position,
      product_option_groups(id, name, min_selections, max_selections, position,
        product_options(id, name, price_delta_xof, available, position))))`;

async function fetchStore(slug: string) {
  const { data, error } = await supabase.from('stores').select(SELECT).eq('slug', slug).maybeSingle();
  if (error) throw new Error(error.message);
  if (!data) return null;
  const byPosition = <T extends { position: number }>(xs: T[]): T[] => [...xs].sort((a, b) => a.position - b.position);
  return {
    ...data,
    categories: byPosition(data.categories)
      .map((c) => ({
        ...c,
        products: byPosition(c.products).map((p) => ({
          ...p,
          product_option_groups: byPosition(p.product_option_groups).map((g) => ({
            ...g,
            product_options: byPosition(g.product_options),
          })),
        })),
      }))
      .filter((c) => c.products.length > 0),
  };
}

export type StoreCatalogue = NonNullable<Awaited<ReturnType<typeof fetchStore>>>;
export type CatalogueProduct = StoreCatalogue['categories'][number]['products'][number];

export function isSoldOut(p: Pick<CatalogueProduct, 'sold_out_until'>, now = new Date()): boolean {
  return p.sold_out_until !== null && new Date(p.sold_out_until) > now;
}

export function useStoreCatalogue(slug: Ref<string>) {
  return useAsyncData(() => fetchStore(slug.value));
}
