// Applying to open a store (rpc apply_for_store, migration 20261121202100) and reading the answer
// (store_applications: the applicant reads theirs). The store's photo is uploaded after the application, as its
// owner, into store-photos/<store id>/.
import type { AppSupabase, DataClient, Tables } from '@ecom/app-kit/supabase';
import type { ValidStoreApplication } from '@ecom/domain/merchant';

/** Refusals of rpc apply_for_store the app explains in words; anything else is "could not send". */
export const APPLICATION_REFUSALS = [
  'application_pending',
  'kind_invalid',
  'name_invalid',
  'phone_invalid',
  'location_invalid',
  'outside_zone',
  'landmark_invalid',
  'description_invalid',
  'hours_invalid',
  'hours_closing_before_opening',
  'payout_phone_invalid',
  'payout_operator_invalid',
] as const;
export type ApplicationRefusal = (typeof APPLICATION_REFUSALS)[number];

export class ApplicationError extends Error {
  readonly code: ApplicationRefusal | 'unknown';
  constructor(message: string) {
    super(message);
    this.name = 'ApplicationError';
    this.code = (APPLICATION_REFUSALS as readonly string[]).includes(message)
      ? (message as ApplicationRefusal)
      : 'unknown';
  }
}

/** Sends the application; the new store's id. Refusals throw ApplicationError with their code. */
export async function applyForStore(db: DataClient, application: ValidStoreApplication): Promise<string> {
  const { data, error } = await db.rpc('apply_for_store', {
    ...application,
    hours: application.hours.map((h) => ({ ...h })),
  });
  if (error) throw new ApplicationError(error.message);
  return (data as { store_id: string }).store_id;
}

export type StoreApplication = Pick<Tables<'store_applications'>, 'store_id' | 'decision' | 'reason' | 'submitted_at'>;

/** The application behind a store (null for a store that was not applied for by this person). */
export async function getApplication(db: DataClient, storeId: string): Promise<StoreApplication | null> {
  const { data, error } = await db
    .from('store_applications')
    .select('store_id, decision, reason, submitted_at')
    .eq('store_id', storeId)
    .maybeSingle();
  if (error) throw new Error(error.message);
  return data;
}

/** Uploads one of the store's photos (already compressed): its storefront (cover) or its logo, and points to it. */
export async function setStorePhoto(
  client: Pick<AppSupabase, 'storage'> & DataClient,
  storeId: string,
  which: 'cover' | 'logo',
  jpeg: Blob,
): Promise<string> {
  const path = await client.storage.upload(
    'store-photos',
    `${storeId}/${which}-${Date.now().toString(36)}.jpg`,
    jpeg,
    'image/jpeg',
  );
  const patch = which === 'cover' ? { cover_path: path } : { logo_path: path };
  const { error } = await client.from('stores').update(patch).eq('id', storeId);
  if (error) throw new Error(error.message);
  return path;
}
