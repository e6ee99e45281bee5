// Becoming a courier (rpc apply_as_courier, migration 20261121202200) and following the review: the person's courier
// row (null: not a courier yet), their documents, the zones to choose from, and the admin's latest decision
// (notification kind system, data.event courier_approved / courier_rejected with data.reason). All read as the
// person under RLS. Photos go after the application (the bucket wants the courier role): lib/photo-outbox.ts.
import type { DataClient } from '@ecom/app-kit/supabase';
import type { ApplyProblem, ApprovalStatus, VehicleType, applicationBody } from '@ecom/domain/courier-onboarding';

/** Refusals of rpc apply_as_courier, with the document's kind when the refusal is about one document. */
export class ApplyError extends Error {
  readonly code: ApplyProblem | 'already_courier' | 'document_missing' | 'document_path_invalid' | 'unknown';
  readonly kind: string | null;
  constructor(code: string, kind: string | null) {
    super(code);
    this.name = 'ApplyError';
    this.code = KNOWN.has(code) ? (code as ApplyError['code']) : 'unknown';
    this.kind = kind;
  }
}
const KNOWN = new Set([
  'already_courier',
  'full_name_invalid',
  'national_id_number_invalid',
  'vehicle_type_invalid',
  'plate_invalid',
  'municipal_registration_number_required',
  'municipal_registration_number_invalid',
  'vest_number_required',
  'vest_number_invalid',
  'zone_invalid',
  'document_kind_invalid',
  'document_number_invalid',
  'document_expiry_required',
  'document_expiry_invalid',
  'document_expired',
  'document_expiry_implausible',
  'document_path_invalid',
  'document_missing',
]);

function kindOf(details: string | null | undefined): string | null {
  try {
    const kind = (JSON.parse(details ?? 'null') as { kind?: unknown } | null)?.kind;
    return typeof kind === 'string' ? kind : null;
  } catch {
    return null;
  }
}

/** Sends the application: role, pending courier and documents in one step (a retry answers the first result). */
export async function applyAsCourier(db: DataClient, body: ReturnType<typeof applicationBody>): Promise<void> {
  const { error } = await db.rpc('apply_as_courier', body);
  if (error) throw new ApplyError(error.message, kindOf(error.details));
}

export interface CourierRecord {
  approval_status: ApprovalStatus;
  vehicle_type: VehicleType;
  plate: string | null;
  vest_number: string | null;
}

/** The person's courier row, or null when they have not applied. */
export async function myCourier(db: DataClient, userId: string): Promise<CourierRecord | null> {
  const { data, error } = await db
    .from('couriers')
    .select('approval_status, vehicle_type, plate, vest_number')
    .eq('user_id', userId)
    .maybeSingle();
  if (error) throw error;
  return data;
}

export interface Zone {
  id: string;
  name: string;
}

export async function listZones(db: DataClient): Promise<Zone[]> {
  const { data, error } = await db.from('zones').select('id, name').eq('active', true).order('name');
  if (error) throw error;
  return data;
}

export interface Decision {
  event: 'courier_approved' | 'courier_rejected' | 'documents_expired';
  reason: string | null;
  body: string;
  created_at: string;
}

/** The admin's latest word on the application (or the suspension notice), newest first; null when none yet. */
export async function latestDecision(db: DataClient, userId: string): Promise<Decision | null> {
  const { data, error } = await db
    .from('notifications')
    .select('body, data, created_at')
    .eq('user_id', userId)
    .eq('kind', 'system')
    .in('data->>event', ['courier_approved', 'courier_rejected', 'documents_expired'])
    .order('created_at', { ascending: false })
    .limit(1);
  if (error) throw error;
  const row = data[0];
  if (!row) return null;
  const payload = (row.data ?? {}) as { event?: Decision['event']; reason?: unknown };
  return {
    event: payload.event ?? 'courier_rejected',
    reason: typeof payload.reason === 'string' && payload.reason.trim() ? payload.reason : null,
    body: row.body,
    created_at: row.created_at,
  };
}
