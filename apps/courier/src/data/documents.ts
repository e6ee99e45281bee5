// The courier's documents (RLS: their own rows; the `courier-documents` bucket: their own folder). Sending a renewed
// (or refused) one writes the row first, so a document refused by the database (already expired: check_violation
// "document_expired", migration 20261121201200) leaves nothing behind, then uploads the compressed photo; a photo
// that cannot go now waits on the phone (lib/photo-outbox.ts) and is sent again later. storage_path is the path
// inside the bucket (`<courier id>/<file>`), as courier_documents_path_in_own_folder requires.
import type { AppSupabase, DataClient } from '@ecom/app-kit/supabase';

export type DocumentKind = 'national_id' | 'driving_licence' | 'vehicle_registration' | 'insurance' | 'municipal_card';
export const DOCUMENT_KINDS: readonly DocumentKind[] = [
  'national_id',
  'driving_licence',
  'vehicle_registration',
  'insurance',
  'municipal_card',
];

export interface CourierDocument {
  id: string;
  kind: DocumentKind;
  expires_on: string | null;
  review_status: string;
  review_note: string | null;
  created_at: string;
}

export async function listDocuments(client: DataClient, courierId: string): Promise<CourierDocument[]> {
  const { data, error } = await client
    .from('courier_documents')
    .select('id, kind, expires_on, review_status, review_note, created_at')
    .eq('courier_id', courierId)
    .order('created_at', { ascending: false });
  if (error) throw error;
  return data;
}

/** A refusal in words: `document_expired` (with the date), `document_expiry_implausible`, or another. */
export class DocumentError extends Error {
  readonly code: 'document_expired' | 'document_expiry_implausible' | 'refused';
  readonly expiresOn: string | null;
  constructor(code: DocumentError['code'], expiresOn: string | null, message: string) {
    super(message);
    this.name = 'DocumentError';
    this.code = code;
    this.expiresOn = expiresOn;
  }
}

export async function sendDocument(
  client: Pick<AppSupabase, 'from' | 'storage'>,
  courierId: string,
  doc: { kind: DocumentKind; expires_on: string | null; photo: Blob; number?: string },
  keepForLater: (path: string, photo: Blob) => Promise<void> = async () => undefined,
): Promise<CourierDocument> {
  const path = `${courierId}/${doc.kind}-${Date.now()}.jpg`;
  const { data, error } = await client
    .from('courier_documents')
    .insert({
      courier_id: courierId,
      kind: doc.kind,
      expires_on: doc.expires_on,
      storage_path: path,
      ...(doc.number ? { number: doc.number.trim().toUpperCase() } : {}),
    })
    .select('id, kind, expires_on, review_status, review_note, created_at')
    .single();
  if (error) {
    const code =
      error.message === 'document_expired' || error.message === 'document_expiry_implausible'
        ? error.message
        : 'refused';
    throw new DocumentError(code, doc.expires_on, error.message);
  }
  try {
    await client.storage.upload('courier-documents', path, doc.photo, 'image/jpeg');
  } catch {
    await keepForLater(path, doc.photo);
  }
  return data;
}
