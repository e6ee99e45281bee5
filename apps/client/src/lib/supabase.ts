// The one Supabase client of the app (@ecom/app-kit/supabase: Auth + PostgREST, no Realtime/Functions/Storage
// client on the first screen, B9 budget). URL and key from the build env; the defaults are the local stack's.
// Realtime joins with the pages that follow a job (lib/realtime.ts); edge functions are called with fetch
// (lib/orders-api.ts); photos are plain public URLs, private ones go through lib/storage.ts.
import { createSupabaseCore, LOCAL_ANON_KEY, LOCAL_SUPABASE_URL } from '@ecom/app-kit/supabase';
import type { Database } from '@ecom/db';

export const supabase = createSupabaseCore({
  url: import.meta.env.VITE_SUPABASE_URL || LOCAL_SUPABASE_URL,
  anonKey: import.meta.env.VITE_SUPABASE_ANON_KEY || LOCAL_ANON_KEY,
  storageKey: 'ecom.client.auth',
});

export const SUPABASE_URL = supabase.url;
export const ANON_KEY = supabase.anonKey;
export const { accessToken, photoUrl } = supabase;

export type { Tables } from '@ecom/app-kit/supabase';
export type StoreKind = Database['public']['Enums']['store_kind'];
export type NearbyStore = Database['public']['CompositeTypes']['nearby_store'];
