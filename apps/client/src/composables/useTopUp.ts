// A top-up by mobile money that survives a dropped connection and a reload: one Idempotency-Key per attempt
// (@ecom/domain nextAttempt, as for placing an order), kept in localStorage with the request and, once the server
// answered, the intent's id. A lost answer is retried with the same key (the server replays the first intent, never
// a second one); a pending intent is asked about every 2 s (GET /payments/intents/:id) until it is settled or the
// page stops asking (leaving it); a reload picks the pending intent up again.
import { nextAttempt, requestFingerprint, reviveAttempt, type CheckoutAttempt } from '@ecom/domain/checkout';
import { topUpOutcome, topUpSettled, type TopUpOutcome } from '@ecom/domain/wallet';
import { computed, shallowRef } from 'vue';
import { FunctionError } from '../lib/orders-api.ts';
import { createTopUp, readIntent, type PaymentIntent, type TopUpBody } from '../lib/payments-api.ts';

export const TOPUP_POLL_MS = 2000;

interface Saved {
  attempt: CheckoutAttempt;
  body: TopUpBody;
  intentId: string | null;
  instructions: string | null;
  paymentUrl: string | null;
  /** The intent's final state was shown here: a reload starts from a clean form. */
  seen?: boolean;
}

function load(key: string): Saved | null {
  try {
    const v = JSON.parse(localStorage.getItem(key) ?? 'null') as Partial<Saved> | null;
    const attempt = reviveAttempt(v?.attempt);
    if (!attempt || !v?.body || typeof v.body.amount_xof !== 'number') return null;
    return {
      attempt,
      body: v.body,
      intentId: typeof v.intentId === 'string' ? v.intentId : null,
      instructions: typeof v.instructions === 'string' ? v.instructions : null,
      paymentUrl: typeof v.paymentUrl === 'string' ? v.paymentUrl : null,
      seen: v.seen === true,
    };
  } catch {
    return null;
  }
}

function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export type TopUpPhase = 'idle' | 'sending' | 'unknown' | TopUpOutcome;

/**
 * `storageKey` separates the wallet page's top-up from the checkout's. `onSettled` runs once per intent found in a
 * final state (refresh the balance); `live` when it was seen pending first (the payer just confirmed), false when a
 * reload found it already settled.
 */
export function useTopUp(
  opts: { storageKey?: string; onSettled?: (intent: PaymentIntent, live: boolean) => void } = {},
) {
  const storageKey = opts.storageKey ?? 'ecom.wallet.topup.v1';
  const saved = shallowRef<Saved | null>(load(storageKey));
  const intent = shallowRef<PaymentIntent | null>(null);
  const sending = shallowRef(false);
  const error = shallowRef<FunctionError | null>(null);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let watching = false;

  function save(next: Saved | null): void {
    saved.value = next;
    if (next) localStorage.setItem(storageKey, JSON.stringify(next));
    else localStorage.removeItem(storageKey);
  }

  const phase = computed<TopUpPhase>(() => {
    if (sending.value) return 'sending';
    if (intent.value) return topUpOutcome(intent.value);
    if (saved.value?.attempt.outcome === 'unknown') return 'unknown';
    return 'idle';
  });
  const instructions = computed(() => (intent.value ? (saved.value?.instructions ?? null) : null));
  const paymentUrl = computed(() => (intent.value ? (saved.value?.paymentUrl ?? null) : null));
  /** The request whose answer was lost: only it may be sent again, with its key. */
  const unknownBody = computed(() => (saved.value?.attempt.outcome === 'unknown' ? saved.value.body : null));

  function stop(): void {
    watching = false;
    if (timer) clearTimeout(timer);
    timer = null;
  }

  function schedule(): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void tick(), TOPUP_POLL_MS);
  }

  async function tick(): Promise<void> {
    const current = intent.value;
    if (!watching || !current) return;
    try {
      const fresh = await readIntent(current.id);
      if (!watching || intent.value?.id !== fresh.id) return;
      intent.value = fresh;
      if (topUpSettled(fresh.status)) return settled(fresh, true);
    } catch {
      // A missed answer is not a result: ask again at the next tick.
    }
    schedule();
  }

  function settled(found: PaymentIntent, live: boolean): void {
    stop();
    if (saved.value?.intentId === found.id) save({ ...saved.value, seen: true });
    opts.onSettled?.(found, live);
  }

  function watch(found: PaymentIntent): void {
    intent.value = found;
    if (topUpSettled(found.status)) return settled(found, false);
    watching = true;
    schedule();
  }

  async function start(body: TopUpBody): Promise<void> {
    const next = nextAttempt(saved.value?.attempt ?? null, requestFingerprint(body), newKey);
    if (!next.ok) {
      error.value = new FunctionError('timeout', 0, 'outcome_unknown', '');
      return;
    }
    stop();
    intent.value = null;
    const attempt = next.attempt;
    save({ attempt: { ...attempt, outcome: 'unknown' }, body, intentId: null, instructions: null, paymentUrl: null });
    sending.value = true;
    error.value = null;
    try {
      const answer = await createTopUp(body, attempt.key);
      save({
        attempt: { ...attempt, outcome: 'placed' },
        body,
        intentId: answer.payment_intent.id,
        instructions: answer.instructions,
        paymentUrl: answer.payment_url ?? null,
      });
      sending.value = false;
      watch(answer.payment_intent);
    } catch (e) {
      const failure = e instanceof FunctionError ? e : new FunctionError('network', 0, 'network', String(e));
      save({
        attempt: { ...attempt, outcome: failure.kind === 'refused' ? 'refused' : 'unknown' },
        body,
        intentId: null,
        instructions: null,
        paymentUrl: null,
      });
      error.value = failure;
      sending.value = false;
    }
  }

  /** Sends the request whose answer was lost again, with the same key. */
  async function retryUnknown(): Promise<void> {
    const body = unknownBody.value;
    if (body) await start(body);
  }

  /** After a reload or coming back to the page: the intent this phone last created, watched again if pending. */
  async function resume(): Promise<void> {
    const id = saved.value?.intentId;
    if (!id || sending.value) return;
    if (intent.value) {
      // Back on the page: ask again at once about the intent still shown as pending.
      if (!topUpSettled(intent.value.status) && !watching) {
        watching = true;
        void tick();
      }
      return;
    }
    // Its outcome was already shown here: start from a clean form (the history keeps it).
    if (saved.value?.seen) return;
    try {
      watch(await readIntent(id));
    } catch {
      // Gone or unreachable: the form stays; the history will show it.
    }
  }

  /** Back to the form ("try again", "another top-up"): the next request gets a new key. */
  function reset(): void {
    stop();
    intent.value = null;
    error.value = null;
    if (saved.value?.attempt.outcome !== 'unknown') save(null);
  }

  return {
    start,
    retryUnknown,
    resume,
    reset,
    stop,
    intent,
    phase,
    instructions,
    paymentUrl,
    unknownBody,
    error,
    sending,
  };
}
