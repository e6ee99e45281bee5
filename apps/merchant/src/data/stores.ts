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

export type HoursSlot = Pick<Tables<'store_hours'>, 'id' | 'weekday' | 'opens' | 'closes' | 'closes_next_day'>;
export type HoursException = Pick<
  Tables<'store_hour_exceptions'>,
  'id' | 'on_date' | 'closed' | 'opens' | 'closes' | 'closes_next_day' | 'note'
>;

/** The weekly slots (Monday first) and the exceptions from today on. */
export async function listHours(
  db: DataClient,
  storeId: string,
  today: string,
): Promise<{ slots: HoursSlot[]; exceptions: HoursException[] }> {
  const [slots, exceptions] = await Promise.all([
    db
      .from('store_hours')
      .select('id, weekday, opens, closes, closes_next_day')
      .eq('store_id', storeId)
      .order('weekday')
      .order('opens'),
    db
      .from('store_hour_exceptions')
      .select('id, on_date, closed, opens, closes, closes_next_day, note')
      .eq('store_id', storeId)
      .gte('on_date', today)
      .order('on_date'),
  ]);
  if (slots.error) throw new Error(slots.error.message);
  if (exceptions.error) throw new Error(exceptions.error.message);
  return { slots: slots.data, exceptions: exceptions.data };
}

/** Adds a weekly slot (checked first with @ecom/domain/merchant checkSlot; the database checks it again). */
export async function addHoursSlot(db: DataClient, storeId: string, slot: Omit<HoursSlot, 'id'>): Promise<HoursSlot> {
  const { data, error } = await db
    .from('store_hours')
    .insert({ store_id: storeId, ...slot })
    .select('id, weekday, opens, closes, closes_next_day')
    .single();
  if (error) throw new Error(error.code === '23505' ? 'duplicate_slot' : error.message);
  return data;
}

export async function removeHoursSlot(db: DataClient, storeId: string, id: string): Promise<boolean> {
  const { data, error } = await db.from('store_hours').delete().eq('store_id', storeId).eq('id', id).select('id');
  if (error) throw new Error(error.message);
  return data.length === 1;
}

/**
 * A date that overrides the weekly hours: closed all day (hours null: a holiday, an inventory day) or one special
 * slot (checked first with checkSlot; the database's check_opening_slot checks it again). Several special slots on
 * one date are several calls. A note for customers is optional.
 */
export async function addHourException(
  db: DataClient,
  storeId: string,
  onDate: string,
  hours: Pick<HoursSlot, 'opens' | 'closes' | 'closes_next_day'> | null,
  note: string | null,
): Promise<HoursException> {
  const { data, error } = await db
    .from('store_hour_exceptions')
    .insert({ store_id: storeId, on_date: onDate, note, ...(hours ? { closed: false, ...hours } : { closed: true }) })
    .select('id, on_date, closed, opens, closes, closes_next_day, note')
    .single();
  if (error) throw new Error(error.code === '23505' ? 'duplicate_day' : error.message);
  return data;
}

export async function removeException(db: DataClient, storeId: string, id: string): Promise<boolean> {
  const { data, error } = await db
    .from('store_hour_exceptions')
    .delete()
    .eq('store_id', storeId)
    .eq('id', id)
    .select('id');
  if (error) throw new Error(error.message);
  return data.length === 1;
}
