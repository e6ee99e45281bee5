import { describe, expect, it } from 'vitest';
import {
  codeProblem,
  distanceM,
  documentExpiry,
  enqueue,
  nextBatch,
  nextStep,
  parseQueue,
  presenceInterval,
  DISPATCH_FRESHNESS_MS,
  PRESENCE_IDLE_MS,
  PRESENCE_ON_JOB_MS,
  PRESENCE_SEND_TIMEOUT_MS,
  secondsLeft,
  settle,
  withPending,
  type QueuedAction,
} from '../src/courier.ts';

const act = (id: string, to: QueuedAction['to'], at: string, job_id = 'o1'): QueuedAction => ({
  id,
  job: to === 'arrived' || to === 'in_progress' || to === 'completed' ? 'ride' : 'order',
  job_id,
  to,
  occurred_at: at,
});

describe('nextStep', () => {
  it('walks an order: ready → picked up → delivered → cash collected (cash only)', () => {
    expect(nextStep({ kind: 'order', status: 'preparing' })).toBeNull();
    expect(nextStep({ kind: 'order', status: 'ready' })).toBe('picked_up');
    expect(nextStep({ kind: 'order', status: 'picked_up' })).toBe('delivered');
    expect(nextStep({ kind: 'order', status: 'delivered', payment_method: 'cash' })).toBe('cash_collected');
    expect(nextStep({ kind: 'order', status: 'delivered', payment_method: 'cash', cash_collected_at: 'x' })).toBeNull();
    expect(nextStep({ kind: 'order', status: 'delivered', payment_method: 'wallet' })).toBeNull();
  });
  it('walks a ride: accepted → arrived → in progress → completed', () => {
    expect(nextStep({ kind: 'ride', status: 'accepted' })).toBe('arrived');
    expect(nextStep({ kind: 'ride', status: 'arrived' })).toBe('in_progress');
    expect(nextStep({ kind: 'ride', status: 'in_progress' })).toBe('completed');
    expect(nextStep({ kind: 'ride', status: 'completed' })).toBeNull();
  });
});

describe('the offline queue', () => {
  it('refuses a second copy of an id or of the same step of a job', () => {
    let q = enqueue([], act('a', 'picked_up', '2026-11-21T10:00:00Z'));
    q = enqueue(q, act('a', 'delivered', '2026-11-21T10:01:00Z'));
    q = enqueue(q, act('b', 'picked_up', '2026-11-21T10:01:00Z'));
    expect(q.map((a) => a.id)).toEqual(['a']);
    q = enqueue(q, act('c', 'picked_up', '2026-11-21T10:01:00Z', 'o2'));
    expect(q.map((a) => a.id)).toEqual(['a', 'c']);
  });

  it('sends the oldest first, at most 50', () => {
    const q = [act('late', 'delivered', '2026-11-21T10:05:00Z'), act('early', 'picked_up', '2026-11-21T10:00:00Z')];
    expect(nextBatch(q).map((a) => a.id)).toEqual(['early', 'late']);
    const many = Array.from({ length: 60 }, (_, i) => act(`x${i}`, 'picked_up', '2026-11-21T10:00:00Z', `o${i}`));
    expect(nextBatch(many)).toHaveLength(50);
    expect(nextBatch(many)[49]!.id).toBe('x49');
  });

  it('settles answered actions, keeps the others, and carries the server words of a refusal', () => {
    const q = [
      act('a', 'picked_up', '2026-11-21T10:00:00Z'),
      act('b', 'delivered', '2026-11-21T10:01:00Z'),
      act('c', 'picked_up', '2026-11-21T10:02:00Z', 'o2'),
    ];
    const { queue, outcomes } = settle(q, [
      { id: 'a', ok: true, status_after: 'picked_up' },
      { id: 'b', ok: false, code: 'wrong_delivery_code', message: 'Code de livraison incorrect.' },
    ]);
    expect(queue.map((x) => x.id)).toEqual(['c']);
    expect(outcomes).toEqual([
      { id: 'a', job_id: 'o1', to: 'picked_up', ok: true, message: null, code: null },
      {
        id: 'b',
        job_id: 'o1',
        to: 'delivered',
        ok: false,
        message: 'Code de livraison incorrect.',
        code: 'wrong_delivery_code',
      },
    ]);
  });

  it('shows a job with its pending steps applied', () => {
    const q = [act('a', 'picked_up', '2026-11-21T10:00:00Z'), act('z', 'picked_up', '2026-11-21T10:00:00Z', 'other')];
    expect(withPending({ id: 'o1', kind: 'order', status: 'ready' }, q).status).toBe('picked_up');
    const cash = withPending({ id: 'o1', kind: 'order', status: 'delivered', payment_method: 'cash' }, [
      act('k', 'cash_collected', '2026-11-21T10:09:00Z'),
    ]);
    expect(nextStep(cash)).toBeNull();
  });

  it('reads back only well-formed actions', () => {
    const good = act('a', 'picked_up', '2026-11-21T10:00:00Z');
    expect(parseQueue(JSON.stringify([good, { id: 1 }, { ...good, occurred_at: 'nope' }]))).toEqual([good]);
    expect(parseQueue('{')).toEqual([]);
    expect(parseQueue(null)).toEqual([]);
  });
});

describe('small rules', () => {
  it('checks a 4-digit code', () => {
    expect(codeProblem('48 21')).toBeNull();
    expect(codeProblem('482')).toBe('code_format');
    expect(codeProblem('48a1')).toBe('code_format');
  });
  it('shares the position faster on a job', () => {
    expect(presenceInterval(true)).toBe(5000);
    expect(presenceInterval(false)).toBe(PRESENCE_IDLE_MS);
  });
  it('keeps an idle online courier visible to dispatch even when one send is lost', () => {
    // Sends on a fixed cadence: after a lost send, the next arrives at most 2 intervals + the send timeout later.
    for (const onJob of [false, true]) {
      expect(2 * presenceInterval(onJob) + PRESENCE_SEND_TIMEOUT_MS).toBeLessThan(DISPATCH_FRESHNESS_MS);
    }
    // …with a margin, and without sending more than needed while idle (battery and data).
    expect(DISPATCH_FRESHNESS_MS - (2 * PRESENCE_IDLE_MS + PRESENCE_SEND_TIMEOUT_MS)).toBeGreaterThanOrEqual(2_000);
    expect(PRESENCE_IDLE_MS).toBeGreaterThanOrEqual(PRESENCE_ON_JOB_MS);
  });
  it('measures distances and countdowns', () => {
    expect(distanceM({ lat: 5.8991, lng: -4.8221 }, { lat: 5.9081, lng: -4.8221 })).toBeGreaterThan(990);
    expect(distanceM({ lat: 5.8991, lng: -4.8221 }, { lat: 5.9081, lng: -4.8221 })).toBeLessThan(1010);
    expect(secondsLeft('2026-11-21T10:00:20Z', Date.parse('2026-11-21T10:00:05.5Z'))).toBe(15);
    expect(secondsLeft('2026-11-21T10:00:20Z', Date.parse('2026-11-21T10:01:00Z'))).toBe(0);
  });
  it('reminds of a document expiring within 30 days', () => {
    expect(documentExpiry('2026-12-10', '2026-11-21')).toEqual({ days: 19, reminder: true });
    expect(documentExpiry('2027-06-01', '2026-11-21').reminder).toBe(false);
    expect(documentExpiry(null, '2026-11-21')).toEqual({ days: null, reminder: false });
  });
});
