// Approvals: stores waiting (store_applications, rpc review_store_application) and couriers waiting or suspended with
// their documents (courier_documents, the photo through a short signed URL of the courier-documents bucket), each
// document approved or rejected by the admin (RLS lets admins update review_status; an expired one is refused:
// document_expired), the courier approved or rejected by rpc review_courier_application (migration 20261121203000).
import { signedObjectUrl } from '@ecom/app-kit/storage';
import type { AppSupabase, DataClient } from '@ecom/app-kit/supabase';
import { AdminError, unwrap } from './errors.ts';
import { peopleById, type Person } from './people.ts';

export interface PendingStore {
  store_id: string;
  applicant_id: string;
  submitted_at: string;
  store: { name: string; kind: string; phone: string; landmark: string; description: string } | null;
  applicant: Person | null;
}

export async function pendingStores(db: DataClient): Promise<PendingStore[]> {
  const rows = unwrap(
    await db
      .from('store_applications')
      .select('store_id, applicant_id, submitted_at, stores(name, kind, phone, landmark, description)')
      .is('decided_at', null)
      .order('submitted_at'),
  ) as unknown as (Omit<PendingStore, 'store' | 'applicant'> & { stores: PendingStore['store'] })[];
  const people = await peopleById(
    db,
    rows.map((r) => r.applicant_id),
  ).catch(() => new Map<string, Person>());
  return rows.map(({ stores, ...r }) => ({ ...r, store: stores, applicant: people.get(r.applicant_id) ?? null }));
}

export async function reviewStore(db: DataClient, storeId: string, approve: boolean, reason: string | null) {
  return unwrap(
    await db.rpc('review_store_application', { store_id: storeId, approve, ...(reason ? { reason } : {}) }),
  ) as unknown as { store_id: string; approval_status: string; reason: string | null };
}

export interface CourierDocument {
  id: string;
  courier_id: string;
  kind: string;
  number: string | null;
  expires_on: string | null;
  review_status: 'pending' | 'approved' | 'rejected';
  review_note: string | null;
  storage_path: string;
  created_at: string;
}

export interface PendingCourier {
  user_id: string;
  vehicle_type: string;
  plate: string | null;
  municipal_registration_number: string | null;
  vest_number: string | null;
  approval_status: string;
  created_at: string;
  person: Person | null;
}

/** Couriers waiting for a decision (pending) or suspended (a document lapsed), oldest first. */
export async function pendingCouriers(db: DataClient): Promise<PendingCourier[]> {
  const rows = unwrap(
    await db
      .from('couriers')
      .select('user_id, vehicle_type, plate, municipal_registration_number, vest_number, approval_status, created_at')
      .in('approval_status', ['pending', 'suspended'])
      .order('created_at'),
  ) as Omit<PendingCourier, 'person'>[];
  const people = await peopleById(
    db,
    rows.map((r) => r.user_id),
  ).catch(() => new Map<string, Person>());
  return rows.map((r) => ({ ...r, person: people.get(r.user_id) ?? null }));
}

/** A courier's documents, newest first (RLS: the courier his own, admins all). */
export async function courierDocuments(db: DataClient, courierId: string): Promise<CourierDocument[]> {
  return unwrap(
    await db
      .from('courier_documents')
      .select('id, courier_id, kind, number, expires_on, review_status, review_note, storage_path, created_at')
      .eq('courier_id', courierId)
      .order('kind')
      .order('created_at', { ascending: false }),
  ) as CourierDocument[];
}

/** A 10-minute link to the document's photo, or null (refused, missing). */
export function documentPhotoUrl(
  client: Pick<AppSupabase, 'url' | 'anonKey' | 'accessToken'>,
  doc: Pick<CourierDocument, 'storage_path'>,
): Promise<string | null> {
  const path = doc.storage_path.replace(/^courier-documents\//, '');
  return signedObjectUrl(client, `courier-documents/${path}`);
}

/** Approves or rejects one document (a note is required to reject). Refusals: document_expired, not_admin. */
export async function reviewDocument(db: DataClient, id: string, approve: boolean, note: string | null) {
  const rows = unwrap(
    await db
      .from('courier_documents')
      .update({ review_status: approve ? 'approved' : 'rejected', review_note: note })
      .eq('id', id)
      .select('id, review_status'),
  ) as { id: string; review_status: string }[];
  // RLS hides the row from non-admins: nothing updated is a refusal, not a success.
  if (!rows.length) throw new AdminError('refused', 'not_admin', { status: 403 });
  return rows[0]!;
}

export async function reviewCourier(db: DataClient, courierId: string, approve: boolean, reason: string | null) {
  return unwrap(
    await db.rpc('review_courier_application', {
      p_courier_id: courierId,
      p_approve: approve,
      ...(reason ? { p_reason: reason } : {}),
    }),
  ) as unknown as { courier_id: string; approval_status: string; reason: string | null };
}
