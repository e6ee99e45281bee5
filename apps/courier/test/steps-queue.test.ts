// Typed with the app (tsconfig.json: Vite env, the DOM), since it loads the store itself.
// The offline queue's store: a step taken while an earlier batch is on its way is sent as soon as that batch is
// answered (it used to wait for the next 15 s tick, which a courier sees as a step that hangs).
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Sent = { id: string; to: string }[];
const calls: Sent[] = [];
let answer: (() => void) | null = null;

vi.mock('../src/lib/supabase.ts', () => ({ callFunction: vi.fn() }));
vi.mock('../src/data/jobs.ts', () => ({
  syncSteps: (_call: unknown, batch: Sent) => {
    calls.push(batch.map((a) => ({ id: a.id, to: a.to })));
    // Each call is answered when the test says so: ok for every step of the batch.
    return new Promise((resolve) => {
      answer = () => resolve(batch.map((a) => ({ id: a.id, ok: true })));
    });
  },
}));

const store = new Map<string, string>();
globalThis.localStorage = {
  getItem: (k: string) => store.get(k) ?? null,
  setItem: (k: string, v: string) => void store.set(k, v),
  removeItem: (k: string) => void store.delete(k),
  clear: () => store.clear(),
  key: () => null,
  length: 0,
} as Storage;

// Node has a navigator without onLine: the phone is online here.
Object.defineProperty(globalThis.navigator, 'onLine', { value: true, configurable: true });

const JOB = '0b0e0000-0000-4000-8000-000000000001';

describe('the steps store', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    setActivePinia(createPinia());
    calls.length = 0;
    answer = null;
    store.clear();
  });
  afterEach(() => vi.useRealTimers());

  it('sends a step taken during a send right after that send, without waiting for the 15 s retry', async () => {
    const { useStepsStore } = await import('../src/stores/steps.ts');
    const steps = useStepsStore();
    steps.add({ job: 'order', job_id: JOB, to: 'delivered', code: '4821' });
    expect(calls).toHaveLength(1);
    steps.add({ job: 'order', job_id: JOB, to: 'cash_collected' });
    expect(calls).toHaveLength(1); // one batch at a time
    answer!();
    await vi.advanceTimersByTimeAsync(10); // far less than the 15 s tick
    expect(calls).toHaveLength(2);
    expect(calls[1]!.map((a) => a.to)).toEqual(['cash_collected']);
    answer!();
    await vi.advanceTimersByTimeAsync(10);
    expect(steps.queue).toHaveLength(0);
    expect(calls).toHaveLength(2);
  });
});
