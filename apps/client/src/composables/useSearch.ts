// Search across stores and products. People type without accents ("attieke"), names have them ("Attiéké"):
// the server narrows with ILIKE where every vowel and c is a one-character wildcard, then the app keeps the rows
// whose accent-free name really contains the query.
import { must, useAsyncData } from '@ecom/app-kit/async-data';
import type { Ref } from 'vue';
import { supabase, type StoreKind } from '../lib/supabase.ts';

export const fold = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/œ/g, 'oe')
    .toLowerCase();

function pattern(q: string): string {
  return `%${fold(q)
    .replace(/[%_\\]/g, '')
    .replace(/oe/g, '_')
    .replace(/[aeiouyc]/g, '_')}%`;
}

export interface SearchResults {
  stores: { id: string; slug: string; name: string; kind: StoreKind; landmark: string }[];
  products: { id: string; name: string; price_xof: number; store: { slug: string; name: string } }[];
}

export function useSearch(query: Ref<string>) {
  return useAsyncData<SearchResults>(async () => {
    const q = query.value.trim();
    if (q.length < 2) return { stores: [], products: [] };
    const like = pattern(q);
    const [stores, products] = await Promise.all([
      supabase.from('stores').select('id, slug, name, kind, landmark').ilike('name', like).limit(20),
      supabase.from('products').select('id, name, price_xof, stores(slug, name)').ilike('name', like).limit(30),
    ]);
    const needle = fold(q);
    return {
      stores: must(stores).filter((s) => fold(s.name).includes(needle)),
      products: must(products)
        .filter((p) => fold(p.name).includes(needle) && p.stores)
        .map((p) => ({ id: p.id, name: p.name, price_xof: p.price_xof, store: p.stores! })),
    };
  });
}
