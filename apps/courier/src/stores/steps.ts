// The offline queue (docs/courier.md "Offline queue"): every step the courier takes is queued on the phone with its
// own UUID, the phone's time and position, kept in localStorage, and sent through POST /courier/sync as soon as
// there is a connection (at once when online, on the `online` event, and every 15 s while something waits). The
// server applies each once; the answers (ok, or a refusal in words) are kept to be shown.
import { FunctionError } from '@ecom/app-kit/functions';
import { useOnline } from '@ecom/app-kit/online';
import { enqueue, nextBatch, parseQueue, settle, type Outcome, type QueuedAction } from '@ecom/domain/courier';
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { syncSteps } from '../data/jobs.ts';
import { callFunction } from '../lib/supabase.ts';

const KEY = 'ecom.courier.queue';

export const useStepsStore = defineStore('steps', () => {
  const { online } = useOnline();
  const queue = ref<QueuedAction[]>(parseQueue(globalThis.localStorage?.getItem(KEY) ?? null));
  const outcomes = ref<Outcome[]>([]);
  const sending = ref(false);
  // A step taken while a batch is on its way is sent right after it, not at the next 15 s tick.
  let again = false;
  const listeners = new Set<(outcomes: Outcome[]) => void>();

  watch(queue, (q) => localStorage.setItem(KEY, JSON.stringify(q)), { deep: true });

  function add(action: Omit<QueuedAction, 'id' | 'occurred_at'>, at?: { lat: number; lng: number } | null): void {
    const full: QueuedAction = {
      ...action,
      id: crypto.randomUUID(),
      occurred_at: new Date().toISOString(),
      ...(at ? { lat: at.lat, lng: at.lng } : {}),
    };
    queue.value = enqueue(queue.value, full);
    void flush();
  }

  /** Sends what waits; a missing connection leaves it queued (it is sent later), a refusal is an outcome. */
  async function flush(): Promise<void> {
    if (sending.value) {
      again = true;
      return;
    }
    if (queue.value.length === 0 || !online.value) return;
    sending.value = true;
    try {
      const batch = nextBatch(queue.value);
      const results = await syncSteps(callFunction, batch);
      const settled = settle(queue.value, results);
      queue.value = settled.queue;
      outcomes.value = [...settled.outcomes, ...outcomes.value].slice(0, 20);
      for (const l of listeners) l(settled.outcomes);
    } catch (e) {
      // No answer: the steps stay queued. A refusal of the whole batch (validation) is shown once and dropped.
      if (e instanceof FunctionError && e.kind === 'refused' && e.status === 400) {
        outcomes.value = [
          ...queue.value.map((a) => ({
            id: a.id,
            job_id: a.job_id,
            to: a.to,
            ok: false,
            message: e.message,
            code: e.code,
          })),
          ...outcomes.value,
        ];
        queue.value = [];
      }
    } finally {
      sending.value = false;
      if (again) {
        again = false;
        void flush();
      }
    }
  }

  /** Called with each batch's outcomes (the job page reloads its job). */
  function onSettled(listener: (outcomes: Outcome[]) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  watch(online, (now) => {
    if (now) void flush();
  });
  setInterval(() => void flush(), 15_000);

  return { queue, outcomes, sending, add, flush, onSettled };
});
