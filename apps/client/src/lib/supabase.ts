// The one Supabase client of the app. URL and key from the build env; defaults are the local stack's
// (`npm run stack`: http://127.0.0.1:54321 and the Supabase CLI's public demo anon key).
//
// Auth + PostgREST only, assembled as createClient() does (same packages, same pinned release 2.119.1): the full
// client also bundles Realtime, Storage and Functions (≈ 30 KiB gzip more on the first screen, B9 budget).
// Realtime joins with order tracking (lib/realtime.ts, loaded by that page); the orders function is called with
// fetch (lib/orders-api.ts); photos are plain public URLs.
import { PostgrestClient } from '@supabase/postgrest-js';
import { AuthClient } from '@supabase/supabase-js';
import type { Database } from '@ecom/db';

export const SUPABASE_URL = import.meta.env.VITE_SUPABASE_URL || 'http://127.0.0.1:54321';
export const ANON_KEY =
  import.meta.env.VITE_SUPABASE_ANON_KEY ||
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';

const auth = new AuthClient({
  url: `${SUPABASE_URL}/auth/v1`,
  headers: { apikey: ANON_KEY, Authorization: `Bearer ${ANON_KEY}` },
  storageKey: 'ecom.client.auth',
  persistSession: true,
  autoRefreshToken: true,
  detectSessionInUrl: false,
});

/** Every data request carries the apikey and the person's access token (the anon key when signed out). */
const fetchWithAuth: typeof fetch = async (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set('apikey', ANON_KEY);
  if (!headers.has('Authorization')) {
    const { data } = await auth.getSession();
    headers.set('Authorization', `Bearer ${data.session?.access_token ?? ANON_KEY}`);
  }
  return fetch(input, { ...init, headers });
};

const rest = new PostgrestClient<Database>(`${SUPABASE_URL}/rest/v1`, { fetch: fetchWithAuth });

/** The signed-in person's access token, or null. */
export async function accessToken(): Promise<string | null> {
  const { data } = await auth.getSession();
  return data.session?.access_token ?? null;
}

export const supabase = {
  auth,
  from: rest.from.bind(rest),
  rpc: rest.rpc.bind(rest),
};

export type Tables<T extends keyof Database['public']['Tables']> = Database['public']['Tables'][T]['Row'];
export type StoreKind = Database['public']['Enums']['store_kind'];
export type NearbyStore = Database['public']['CompositeTypes']['nearby_store'];

/** Public URL of a photo in a public bucket (`store-photos`, `product-photos`); null when there is none. */
export function photoUrl(bucket: 'store-photos' | 'product-photos', path: string | null | undefined): string | null {
  if (!path) return null;
  // Paths are stored as `<bucket>/<store id>/<file>` (docs/database.md); a bare `<store id>/<file>` is accepted too.
  const key = path.startsWith(`${bucket}/`) ? path.slice(bucket.length + 1) : path;
  return `${SUPABASE_URL}/storage/v1/object/public/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}
