// One Supabase client per app, built from its config: Auth + PostgREST (createSupabaseCore; createSupabase adds a
// small Storage upload), assembled as createClient() does with the same pinned packages (2.119.1), without Realtime
// and Functions so the first screen stays small (B9 budget). Works in the browser (session in localStorage) and in Node (session in memory), so an
// app's data layer runs the same in its tests against the local stack.
import { PostgrestClient } from '@supabase/postgrest-js';
import { AuthClient } from '@supabase/supabase-js';
import type { Database } from '@ecom/db';

/** The local stack (`npm run stack`): its URL and the Supabase CLI's public demo anon key. */
export const LOCAL_SUPABASE_URL = 'http://127.0.0.1:54321';
export const LOCAL_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';

export interface SupabaseConfig {
  url: string;
  anonKey: string;
  /** localStorage key of the session; absent: the session lives in memory only (tests, scripts). */
  storageKey?: string;
  /**
   * Where the access token comes from when not from this client's own sign-in (a test holding a token Auth issued,
   * a script): every request then carries it.
   */
  accessToken?: () => Promise<string | null>;
}

export type PhotoBucket = 'store-photos' | 'product-photos' | 'courier-documents';

export class StorageError extends Error {
  declare readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'StorageError';
    this.status = status;
  }
}

/**
 * Auth + PostgREST + public photo URLs: what the customer's first screen needs (createSupabase adds the Storage
 * upload, which stays out of the client's bundle this way).
 */
export function createSupabaseCore(config: SupabaseConfig) {
  const { url, anonKey } = config;
  const auth = new AuthClient({
    url: `${url}/auth/v1`,
    headers: { apikey: anonKey, Authorization: `Bearer ${anonKey}` },
    ...(config.storageKey ? { storageKey: config.storageKey } : {}),
    persistSession: config.storageKey !== undefined,
    autoRefreshToken: config.storageKey !== undefined,
    detectSessionInUrl: false,
  });

  /** The signed-in person's access token, or null. */
  async function accessToken(): Promise<string | null> {
    if (config.accessToken) return config.accessToken();
    const { data } = await auth.getSession();
    return data.session?.access_token ?? null;
  }

  /** Every data request carries the apikey and the person's access token (the anon key when signed out). */
  const fetchWithAuth: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('apikey', anonKey);
    if (!headers.has('Authorization')) headers.set('Authorization', `Bearer ${(await accessToken()) ?? anonKey}`);
    return fetch(input, { ...init, headers });
  };

  const rest = new PostgrestClient<Database>(`${url}/rest/v1`, { fetch: fetchWithAuth });

  /** Public URL of a photo (`<bucket>/<store id>/<file>` as stored, or a bare `<store id>/<file>`); null if none. */
  function photoUrl(bucket: PhotoBucket, path: string | null | undefined): string | null {
    if (!path) return null;
    const key = path.startsWith(`${bucket}/`) ? path.slice(bucket.length + 1) : path;
    return `${url}/storage/v1/object/public/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }

  return {
    url,
    anonKey,
    auth,
    accessToken,
    fetchWithAuth,
    from: rest.from.bind(rest),
    rpc: rest.rpc.bind(rest),
    photoUrl,
  };
}

/** The staff apps' client: the core plus a small Storage upload (photos, documents). */
export function createSupabase(config: SupabaseConfig) {
  const core = createSupabaseCore(config);

  /** Uploads (or replaces) one object as the signed-in person: the bucket's policies decide. */
  async function upload(bucket: PhotoBucket, path: string, body: Blob, contentType: string): Promise<string> {
    const key = path.split('/').map(encodeURIComponent).join('/');
    const res = await core.fetchWithAuth(`${core.url}/storage/v1/object/${bucket}/${key}`, {
      method: 'POST',
      headers: { 'Content-Type': contentType, 'x-upsert': 'true', 'cache-control': 'max-age=3600' },
      body,
    });
    const answer = (await res.json().catch(() => ({}))) as { statusCode?: string; message?: string };
    // Storage answers some refusals as HTTP 400 with the real status in the body.
    const status = Number(answer.statusCode ?? res.status);
    if (!res.ok || status >= 400) throw new StorageError(status, answer.message ?? res.statusText);
    return `${bucket}/${path}`;
  }

  return { ...core, storage: { upload } };
}

export type AppSupabase = ReturnType<typeof createSupabase>;
/** What a data layer needs: tables and RPCs, as the signed-in person. */
export type DataClient = Pick<AppSupabase, 'from' | 'rpc'>;
export type Tables<T extends keyof Database['public']['Tables']> = Database['public']['Tables'][T]['Row'];
