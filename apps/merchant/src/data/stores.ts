// The stores the signed-in merchant runs, and the controls of one: open, closed, busy for N minutes. Everything
// goes through PostgREST as the merchant: RLS returns only their stores and lets members update only theirs.
import type { DataClient, Tables } from '@ecom/app-kit/supabase';
import { busyUntil } from '@ecom/domain/merchant';
import type { StoreStatus } from '@ecom/domain';

export const STORE_COLUMNS =
  'id, name, slug, kind, status, busy_until, preparation_minutes, approval_status, landmark, logo_path, zone_id, lat, lng';

export type MyStore = Pick<
  Tables<'stores'>,
  | 'id'
  | 'name'
  | 'slug'
  | 'kind'
  | 'status'
  | 'busy_until'
  | 'preparation_minutes'
  | 'approval_status'
  | 'landmark'
  | 'logo_path'
  | 'zone_id'
  | 'lat'
  | 'lng'
> & { role: Tables<'store_members'>['role'] };

/** The stores the person is a member of (owner or staff), by name. */
export async function listMyStores(db: DataClient, userId: string): Promise<MyStore[]> {
  const { data, error } = await db
    .from('store_members')
    .select(`role, store:stores(${STORE_COLUMNS})`)
    .eq('user_id', userId);
  if (error) throw new Error(error.message);
  return data
    .filter((m) => m.store !== null)
    .map((m) => ({ ...(m.store as Omit<MyStore, 'role'>), role: m.role }))
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

export type StoreControl = { status: 'open' } | { status: 'closed' } | { status: 'busy'; minutes: number };

/**
 * Opens, closes or pauses a store (busy until now + minutes). Returns the store as saved, or null when the person
 * may not change it (not a member: RLS updates nothing).
 */
export async function setStoreStatus(
  db: DataClient,
  storeId: string,
  control: StoreControl,
  now: Date = new Date(),
): Promise<Pick<Tables<'stores'>, 'id' | 'status' | 'busy_until'> | null> {
  const patch: { status: StoreStatus; busy_until: string | null } =
    control.status === 'busy'
      ? { status: 'busy', busy_until: busyUntil(control.minutes, now) }
      : { status: control.status, busy_until: null };
  const { data, error } = await db
    .from('stores')
    .update(patch)
    .eq('id', storeId)
    .select('id, status, busy_until')
    .maybeSingle();
  if (error) throw new Error(error.message);
  return data;
}

/** A busy store whose pause is over takes orders again: the app shows it open (the server ignores a past busy). */
export function effectiveStatus(store: Pick<Tables<'stores'>, 'status' | 'busy_until'>, now = new Date()): StoreStatus {
  if (store.status === 'busy' && store.busy_until && new Date(store.busy_until) <= now) return 'open';
  return store.status;
}
