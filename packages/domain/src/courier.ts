// The courier's steps and the offline queue's pure part (docs/courier.md): which step comes next on a job, the
// queued actions sent to POST /courier/sync (oldest first, each once), and what each answer means on screen.

export type JobKind = 'order' | 'ride';
/** The steps a courier takes that may be queued without a connection (docs/API.md "POST /courier/sync"). */
export type OrderStep = 'picked_up' | 'delivered' | 'cash_collected';
export type RideStep = 'arrived' | 'in_progress' | 'completed';
export type CourierStep = OrderStep | RideStep;

export interface QueuedAction {
  /** A UUID chosen on the phone: the server applies each id once. */
  id: string;
  job: JobKind;
  job_id: string;
  to: CourierStep;
  /** The customer's 4-digit delivery code (`delivered`). */
  code?: string;
  /** The rider's PIN (`in_progress`). */
  pin?: string;
  /** The phone's clock, ISO 8601. */
  occurred_at: string;
  lat?: number;
  lng?: number;
}

export interface SyncResult {
  id: string;
  ok: boolean;
  code?: string;
  message?: string;
  status_after?: string;
  replayed?: boolean;
}

export interface JobState {
  kind: JobKind;
  status: string;
  payment_method?: string;
  cash_collected_at?: string | null;
}

/** The one step the courier can take next on a job, or null (waiting on the store, or finished). */
export function nextStep(job: JobState): CourierStep | null {
  if (job.kind === 'order') {
    if (job.status === 'ready') return 'picked_up';
    if (job.status === 'picked_up') return 'delivered';
    if (job.status === 'delivered' && job.payment_method === 'cash' && !job.cash_collected_at) return 'cash_collected';
    return null;
  }
  if (job.status === 'accepted') return 'arrived';
  if (job.status === 'arrived') return 'in_progress';
  if (job.status === 'in_progress') return 'completed';
  return null;
}

/** The status a job shows once a step is taken (applied optimistically while the step waits in the queue). */
export function statusAfter(step: CourierStep): string {
  return step === 'cash_collected' ? 'delivered' : step;
}

/** Whether a step needs a code typed by the courier: the customer's delivery code, or the rider's PIN. */
export function stepNeeds(step: CourierStep): 'code' | 'pin' | null {
  if (step === 'delivered') return 'code';
  if (step === 'in_progress') return 'pin';
  return null;
}

export type CodeProblem = 'code_format';
/** A 4-digit code or PIN as typed (spaces allowed); null when it is well formed. */
export function codeProblem(text: string): CodeProblem | null {
  return /^\d{4}$/.test(text.replace(/\s/g, '')) ? null : 'code_format';
}

/** The state a job shows with its queued steps applied on top of what the server last said. */
export function withPending(job: JobState & { id: string }, queue: readonly QueuedAction[]): JobState {
  let state: JobState = job;
  for (const a of queue) {
    if (a.job_id !== job.id || a.job !== job.kind) continue;
    if (a.to === 'cash_collected') state = { ...state, cash_collected_at: a.occurred_at };
    else state = { ...state, status: statusAfter(a.to) };
  }
  return state;
}

/**
 * Adds an action to the queue: refused (queue unchanged) when its id is already queued or the same step of the same
 * job is already waiting (a double tap on a bad network must not send two steps).
 */
export function enqueue(queue: readonly QueuedAction[], action: QueuedAction): QueuedAction[] {
  if (queue.some((a) => a.id === action.id || (a.job_id === action.job_id && a.to === action.to))) return [...queue];
  return [...queue, action];
}

export const SYNC_BATCH_MAX = 50;

/** What to send now: the oldest actions first (by the phone's time, then queue order), at most 50. */
export function nextBatch(queue: readonly QueuedAction[]): QueuedAction[] {
  return queue
    .map((a, i) => ({ a, i }))
    .sort((x, y) => Date.parse(x.a.occurred_at) - Date.parse(y.a.occurred_at) || x.i - y.i)
    .slice(0, SYNC_BATCH_MAX)
    .map(({ a }) => a);
}

export interface Outcome {
  id: string;
  job_id: string;
  to: CourierStep;
  ok: boolean;
  /** The server's words (in the language asked), for a refusal. */
  message: string | null;
  code: string | null;
}

/** Removes the answered actions from the queue (accepted or refused: both are final) and lists their outcomes. */
export function settle(
  queue: readonly QueuedAction[],
  results: readonly SyncResult[],
): { queue: QueuedAction[]; outcomes: Outcome[] } {
  const byId = new Map(results.map((r) => [r.id, r]));
  const outcomes: Outcome[] = [];
  const rest: QueuedAction[] = [];
  for (const a of queue) {
    const r = byId.get(a.id);
    if (!r) {
      rest.push(a);
      continue;
    }
    outcomes.push({
      id: a.id,
      job_id: a.job_id,
      to: a.to,
      ok: r.ok,
      message: r.ok ? null : (r.message ?? null),
      code: r.ok ? null : (r.code ?? 'refused'),
    });
  }
  return { queue: rest, outcomes };
}

/** Parses the queue kept on the phone, dropping anything malformed (an old version's leftovers). */
export function parseQueue(text: string | null): QueuedAction[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) return [];
    return value.filter(
      (a): a is QueuedAction =>
        typeof a === 'object' &&
        a !== null &&
        typeof (a as QueuedAction).id === 'string' &&
        ((a as QueuedAction).job === 'order' || (a as QueuedAction).job === 'ride') &&
        typeof (a as QueuedAction).job_id === 'string' &&
        typeof (a as QueuedAction).to === 'string' &&
        !Number.isNaN(Date.parse((a as QueuedAction).occurred_at)),
    );
  } catch {
    return [];
  }
}

/**
 * Dispatch only offers a job to a courier whose last position is fresher than this: the `interval '30 seconds'`
 * passed to private.available_couriers by dispatch, reassignment and ride matching (documented on that function,
 * migration 20261121203300_document_presence_freshness; a db test compares the two).
 */
export const DISPATCH_FRESHNESS_MS = 30_000;
/** An online courier waiting for a job shares the position this often (docs/courier.md: the figures). */
export const PRESENCE_IDLE_MS = 10_000;
/** On a job: the customer follows the pin. */
export const PRESENCE_ON_JOB_MS = 5_000;
/**
 * A position that has had no answer after this is given up (the next tick sends a fresh one). With sends on a fixed
 * cadence, one lost send still leaves the courier visible: 2 × PRESENCE_IDLE_MS + PRESENCE_SEND_TIMEOUT_MS (28 s) is
 * under DISPATCH_FRESHNESS_MS.
 */
export const PRESENCE_SEND_TIMEOUT_MS = 8_000;

/** How often to share the position: every 5 s on a job, every 10 s when waiting for one (see the constants above). */
export function presenceInterval(onJob: boolean): number {
  return onJob ? PRESENCE_ON_JOB_MS : PRESENCE_IDLE_MS;
}

/** Straight-line distance in metres (haversine), for the offer and job screens. */
export function distanceM(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return Math.round(2 * 6_371_000 * Math.asin(Math.sqrt(h)));
}

/** Seconds left on an offer (never negative). */
export function secondsLeft(expiresAt: string, now: number): number {
  return Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 1000));
}

/** Days until a document expires (negative once expired); "reminder" within 30 days. */
export function documentExpiry(expiresOn: string | null, today: string): { days: number | null; reminder: boolean } {
  if (!expiresOn) return { days: null, reminder: false };
  const days = Math.round((Date.parse(expiresOn) - Date.parse(today)) / 86_400_000);
  return { days, reminder: days <= 30 };
}
