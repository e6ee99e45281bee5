// Placing an order on a weak network: the Idempotency-Key of a checkout attempt is kept across retries, so a retry
// after a dropped answer cannot place a second order; a changed order waits until the first one's outcome is known.
import { beforeEach, describe, expect, it } from 'vitest';
import { answer, json, sent, storage, stubStorage } from './phone.ts';

stubStorage();

const { usePlaceOrder } = await import('../src/composables/usePlaceOrder.ts');
const { i18n } = await import('../src/i18n/index.ts');

const body = {
  store_id: '51000000-0000-4000-8000-000000000001',
  items: [{ product_id: 'p1', quantity: 2, option_ids: ['o1'] }],
  fulfilment: 'pickup' as const,
  payment_method: 'cash' as const,
  cash_tendered_xof: 10_000,
};
const placed = {
  order: { id: 'order-1', status: 'pending', total_xof: 7000, change_due_xof: 3000, delivery_code: '4821' },
};

beforeEach(() => {
  storage.clear();
  sent.length = 0;
});

describe('usePlaceOrder', () => {
  it('retries a request whose answer was lost with the same key, and gets the first order back', async () => {
    answer(new TypeError('Failed to fetch'), json(201, placed));
    const p = usePlaceOrder();
    expect(await p.place(body)).toBeNull();
    expect(p.error.value?.kind).toBe('network');
    expect(p.unknown()).toEqual(body);
    expect(await p.retryUnknown()).toEqual(placed.order);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.key).toMatch(/^.{8,100}$/);
    expect(sent[1]!.key).toBe(sent[0]!.key);
    expect(sent[1]!.body).toEqual(sent[0]!.body);
    expect(p.unknown()).toBeNull();
  });

  it('keeps the unknown attempt across a reload (a new page instance)', async () => {
    answer(new TypeError('Failed to fetch'));
    await usePlaceOrder().place(body);
    answer(json(201, placed));
    const again = usePlaceOrder();
    expect(again.unknown()).toEqual(body);
    await again.retryUnknown();
    expect(sent[1]!.key).toBe(sent[0]!.key);
  });

  it('does not send a changed order while the outcome of the last one is unknown', async () => {
    answer(new TypeError('Failed to fetch'));
    const p = usePlaceOrder();
    await p.place(body);
    expect(await p.place({ ...body, cash_tendered_xof: 20_000 })).toBeNull();
    expect(p.error.value?.code).toBe('outcome_unknown');
    expect(sent).toHaveLength(1);
  });

  it("shows the server's refusal, and may send the same order again with the same key once fixed", async () => {
    const refusal = { error: { code: 'store_closed', message: 'Cette boutique est fermée pour le moment.' } };
    answer(json(422, refusal), json(201, placed));
    const p = usePlaceOrder();
    expect(await p.place(body)).toBeNull();
    expect(p.error.value).toMatchObject({ kind: 'refused', status: 422, code: 'store_closed' });
    expect(p.error.value?.message).toBe('Cette boutique est fermée pour le moment.');
    expect(p.unknown()).toBeNull();
    expect(sent[0]!.language).toBe('fr');
    await p.place(body);
    expect(sent[1]!.key).toBe(sent[0]!.key);
  });

  it('takes a new key for a changed order after a refusal, and for the next order after a placement', async () => {
    answer(json(422, { error: { code: 'cash_below_total', message: '…' } }), json(201, placed), json(201, placed));
    const p = usePlaceOrder();
    await p.place(body);
    await p.place({ ...body, cash_tendered_xof: 20_000 });
    expect(sent[1]!.key).not.toBe(sent[0]!.key);
    await p.place({ ...body, cash_tendered_xof: 20_000 });
    expect(sent[2]!.key).not.toBe(sent[1]!.key);
  });

  it('asks for refusals in the language on screen', async () => {
    answer(json(422, { error: { code: 'store_closed', message: 'This store is closed at the moment.' } }));
    i18n.global.locale.value = 'en';
    try {
      const p = usePlaceOrder();
      await p.place(body);
      expect(sent[0]!.language).toBe('en');
      expect(p.error.value?.message).toBe('This store is closed at the moment.');
    } finally {
      i18n.global.locale.value = 'fr';
    }
  });
});
