// Disputes for the operations team (docs/admin-ops.md "Disputes"): the queue with its due times, one dispute with
// the job's timeline, GPS trace and photos, and the admins' actions (take, attach evidence, resolve with or without
// a refund). Support reads all of it; the actions refuse it (`admin_only`).
import type { DataClient, Tables } from '@ecom/app-kit/supabase';
import type { Database } from '@ecom/db';
import { unwrap } from './errors.ts';

export type DisputeRow = Database['public']['Functions']['admin_disputes']['Returns'][number];
export type DisputeStatus = Database['public']['Enums']['dispute_status'];
export type Evidence = Tables<'dispute_evidence'>;
export type EvidenceKind = 'timeline' | 'trace' | 'photos';

export interface DisputeTargets {
  first_response_minutes: number;
  resolution_minutes: number;
}

export interface TimelineEvent {
  at: string;
  from: string | null;
  to: string;
  kind: string;
  actor_role: string;
  reason: string | null;
}

interface RawEvent {
  created_at: string;
  from_status: string | null;
  to_status: string;
}

export interface TracePoint {
  lat: number;
  lng: number;
  at: string;
}

export interface DisputeDetail {
  dispute: Tables<'disputes'>;
  evidence: Evidence[];
  timeline: TimelineEvent[];
  trace: TracePoint[];
}

/** What signs a URL for a private file: the dashboard's client (Storage HTTP API as the signed-in person). */
export interface FileSigner {
  url: string;
  anonKey: string;
  accessToken: () => Promise<string | null>;
}

export async function listDisputes(
  db: DataClient,
  status: DisputeStatus | null = null,
): Promise<{ rows: DisputeRow[]; targets: DisputeTargets }> {
  const [rows, targets] = await Promise.all([
    db.rpc('admin_disputes', { p_status: status ?? undefined, p_limit: 100 }),
    db.rpc('dispute_targets'),
  ]);
  return { rows: unwrap(rows), targets: unwrap(targets) as unknown as DisputeTargets };
}

export async function getDispute(db: DataClient, id: string): Promise<DisputeDetail | null> {
  const found = await db.from('disputes').select('*').eq('id', id).maybeSingle();
  const dispute = unwrap(found) as Tables<'disputes'> | null;
  if (!dispute) return null;
  const eventColumns = 'created_at, from_status, to_status, kind, actor_role, reason';
  const [evidence, events, positions] = await Promise.all([
    db.from('dispute_evidence').select('*').eq('dispute_id', id).order('created_at'),
    dispute.order_id
      ? db.from('order_events').select(eventColumns).eq('order_id', dispute.order_id).order('created_at')
      : db.from('ride_events').select(eventColumns).eq('ride_id', dispute.ride_id!).order('created_at'),
    (dispute.order_id
      ? db.from('job_positions').select('lat, lng, recorded_at').eq('order_id', dispute.order_id)
      : db.from('job_positions').select('lat, lng, recorded_at').eq('ride_id', dispute.ride_id!)
    )
      .order('recorded_at')
      .limit(2000),
  ]);
  return {
    dispute,
    evidence: unwrap(evidence),
    timeline: unwrap<Array<Omit<TimelineEvent, 'at' | 'from' | 'to'> & RawEvent>>(events).map((e) => ({
      at: e.created_at,
      from: e.from_status,
      to: e.to_status,
      kind: e.kind,
      actor_role: e.actor_role,
      reason: e.reason,
    })),
    trace: unwrap(positions).map((p) => ({ lat: p.lat, lng: p.lng, at: p.recorded_at })),
  };
}

/** A 5-minute link to a photo path `<bucket>/<path>`, or null when Storage refuses it (the bucket's policies). */
export async function photoUrl(files: FileSigner, storagePath: string): Promise<string | null> {
  const slash = storagePath.indexOf('/');
  if (slash < 1) return null;
  const key = storagePath.split('/').map(encodeURIComponent).join('/');
  try {
    const res = await fetch(`${files.url}/storage/v1/object/sign/${key}`, {
      method: 'POST',
      headers: {
        apikey: files.anonKey,
        Authorization: `Bearer ${(await files.accessToken()) ?? files.anonKey}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ expiresIn: 300 }),
    });
    if (!res.ok) return null;
    const body = (await res.json()) as { signedURL?: string };
    return body.signedURL ? `${files.url}/storage/v1${body.signedURL}` : null;
  } catch {
    return null;
  }
}

export async function takeDispute(db: DataClient, id: string): Promise<void> {
  unwrap(await db.rpc('admin_dispute_take', { p_dispute_id: id }));
}

export async function attachEvidence(db: DataClient, id: string, kind: EvidenceKind): Promise<Evidence[]> {
  return unwrap(await db.rpc('admin_dispute_attach_evidence', { p_dispute_id: id, p_kind: kind }));
}

export interface Resolution {
  outcome: 'refund' | 'no_refund';
  amountXof?: number;
  note: string;
  /** The same key for retries of one resolution (a dropped answer never refunds twice). */
  idempotencyKey: string;
}

export async function resolveDispute(db: DataClient, id: string, r: Resolution): Promise<void> {
  unwrap(
    await db.rpc('admin_dispute_resolve', {
      p_dispute_id: id,
      p_outcome: r.outcome,
      p_amount_xof: r.outcome === 'refund' ? (r.amountXof as number) : (null as unknown as number),
      p_note: r.note,
      p_idempotency_key: r.idempotencyKey,
    }),
  );
}
