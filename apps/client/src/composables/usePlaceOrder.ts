// Placing an order survives a dropped connection: one Idempotency-Key per checkout attempt (@ecom/domain
// nextAttempt), kept with the request in localStorage. A retry after a timeout sends the same request with the same
// key, so the server answers with the first order instead of placing a second one; while the outcome is unknown, a
// changed order cannot be sent.
import { nextAttempt, requestFingerprint, reviveAttempt, type CheckoutAttempt } from '@ecom/domain/checkout';
import { shallowRef } from 'vue';
import { FunctionError, ordersCall } from '../lib/orders-api.ts';

const KEY = 'ecom.checkout.attempt.v1';

export interface PlaceOrderBody {
  store_id: string;
  items: { product_id: string; quantity: number; option_ids: string[] }[];
  fulfilment: 'delivery' | 'pickup';
  address_id?: string;
  payment_method: 'cash' | 'wallet' | 'mobile_money';
  cash_tendered_xof?: number;
  scheduled_for?: string;
  promo_code?: string;
  note?: string;
}

export interface PlacedOrder {
  id: string;
  status: string;
  total_xof: number;
  change_due_xof: number | null;
  delivery_code: string;
}

interface Saved {
  attempt: CheckoutAttempt;
  body: PlaceOrderBody;
}

function load(): Saved | null {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<Saved> | null;
    const attempt = reviveAttempt(v?.attempt);
    return attempt && v?.body ? { attempt, body: v.body } : null;
  } catch {
    return null;
  }
}

export function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Not a secure context (a phone on a LAN address): 16 random bytes as hex.
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function usePlaceOrder() {
  const saved = shallowRef<Saved | null>(load());
  const sending = shallowRef(false);
  const error = shallowRef<FunctionError | null>(null);

  function save(next: Saved | null): void {
    saved.value = next;
    if (next) localStorage.setItem(KEY, JSON.stringify(next));
    else localStorage.removeItem(KEY);
  }

  /** The request whose outcome is unknown (sent, no answer), to be sent again before anything else. */
  const unknown = (): PlaceOrderBody | null => (saved.value?.attempt.outcome === 'unknown' ? saved.value.body : null);

  async function place(body: PlaceOrderBody): Promise<PlacedOrder | null> {
    const next = nextAttempt(saved.value?.attempt ?? null, requestFingerprint(body), newKey);
    if (!next.ok) {
      error.value = new FunctionError('timeout', 0, 'outcome_unknown', '');
      return null;
    }
    save({ attempt: { ...next.attempt, outcome: 'unknown' }, body });
    sending.value = true;
    error.value = null;
    try {
      const { order } = await ordersCall<{ order: PlacedOrder }>('', {
        method: 'POST',
        body,
        idempotencyKey: next.attempt.key,
      });
      save({ attempt: { ...next.attempt, outcome: 'placed' }, body });
      return order;
    } catch (e) {
      const failure = e instanceof FunctionError ? e : new FunctionError('network', 0, 'network', String(e));
      // Refusals are not stored by the server: the same key may be used again once the cause is fixed.
      save({ attempt: { ...next.attempt, outcome: failure.kind === 'refused' ? 'refused' : 'unknown' }, body });
      error.value = failure;
      return null;
    } finally {
      sending.value = false;
    }
  }

  /** Sends the unknown request again (same key). */
  async function retryUnknown(): Promise<PlacedOrder | null> {
    const body = unknown();
    return body ? place(body) : null;
  }

  return { place, retryUnknown, unknown, sending, error };
}
