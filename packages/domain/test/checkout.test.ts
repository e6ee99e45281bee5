import { describe, expect, it } from 'vitest';
import {
  cashQuickAmounts,
  changeDue,
  deliveryFee,
  distanceMetres,
  nextAttempt,
  previewOrder,
  requestFingerprint,
  reviveAttempt,
  scheduleSlots,
  type CheckoutAttempt,
} from '../src/checkout.ts';
import type { WeeklySlot } from '../src/store-status.ts';

const TIASSALE = { delivery_base_fee_xof: 300, delivery_fee_per_km_xof: 100 };

describe('delivery fee and preview', () => {
  it('charges base + per km on the straight line, rounded up to 25 FCFA, like the placement function', () => {
    expect(deliveryFee(TIASSALE, 0)).toBe(300);
    expect(deliveryFee(TIASSALE, 250)).toBe(325);
    expect(deliveryFee(TIASSALE, 1000)).toBe(400);
    expect(deliveryFee(TIASSALE, 1001)).toBe(425);
  });

  it('measures distances on the earth of Postgres earthdistance', () => {
    // One degree of latitude on a 6 378 168 m sphere.
    expect(Math.round(distanceMetres({ lat: 5, lng: -4 }, { lat: 6, lng: -4 }))).toBe(111_320);
  });

  it('adds the fee for a delivery only and subtracts the discount', () => {
    expect(previewOrder({ subtotal_xof: 7000, fulfilment: 'delivery', delivery_fee_xof: 325 })).toEqual({
      subtotal_xof: 7000,
      delivery_fee_xof: 325,
      discount_xof: 0,
      total_xof: 7325,
      promo_problem: null,
    });
    expect(previewOrder({ subtotal_xof: 7000, fulfilment: 'pickup', delivery_fee_xof: 325 }).total_xof).toBe(7000);
  });

  it('computes percent (rounded down, capped), fixed (at most the subtotal) and free delivery', () => {
    const base = { subtotal_xof: 1999, fulfilment: 'delivery' as const, delivery_fee_xof: 400 };
    const percent = { kind: 'percent' as const, value: 10, min_order_xof: 0, max_discount_xof: null };
    expect(previewOrder({ ...base, promotion: percent }).discount_xof).toBe(199);
    expect(previewOrder({ ...base, promotion: { ...percent, max_discount_xof: 150 } }).discount_xof).toBe(150);
    const fixed = { kind: 'fixed' as const, value: 5000, min_order_xof: 0, max_discount_xof: null };
    expect(previewOrder({ ...base, promotion: fixed }).total_xof).toBe(400);
    const free = { kind: 'free_delivery' as const, value: null, min_order_xof: 0, max_discount_xof: null };
    expect(previewOrder({ ...base, promotion: free }).total_xof).toBe(1999);
  });

  it('says why a promotion gives nothing: below its minimum, or free delivery on a pickup', () => {
    const free = { kind: 'free_delivery' as const, value: null, min_order_xof: 0, max_discount_xof: null };
    expect(
      previewOrder({ subtotal_xof: 1000, fulfilment: 'pickup', delivery_fee_xof: 300, promotion: free }),
    ).toMatchObject({ discount_xof: 0, promo_problem: 'promo_invalid' });
    expect(
      previewOrder({
        subtotal_xof: 1000,
        fulfilment: 'delivery',
        delivery_fee_xof: 300,
        promotion: { ...free, min_order_xof: 5000 },
      }),
    ).toMatchObject({ discount_xof: 0, total_xof: 1300, promo_problem: 'promo_min_order' });
  });
});

describe('cash with change', () => {
  it('offers the exact total, then the next 500, 1 000, 2 000, 5 000 and 10 000, without repeats', () => {
    expect(cashQuickAmounts(7325)).toEqual([7325, 7500, 8000, 10_000]);
    expect(cashQuickAmounts(1525)).toEqual([1525, 2000, 5000, 10_000]);
    expect(cashQuickAmounts(12_100)).toEqual([12_100, 12_500, 13_000, 14_000, 15_000, 20_000]);
  });

  it('does not repeat a total that is already a round amount', () => {
    expect(cashQuickAmounts(5000)).toEqual([5000, 6000, 10_000]);
    expect(cashQuickAmounts(10_000)).toEqual([10_000]);
  });

  it('offers nothing for an empty or broken total', () => {
    expect(cashQuickAmounts(0)).toEqual([]);
    expect(cashQuickAmounts(12.5)).toEqual([]);
  });

  it('gives the change, and refuses an amount below the total or a fraction', () => {
    expect(changeDue(7325, 10_000)).toEqual({ ok: true, change_xof: 2675 });
    expect(changeDue(7325, 7325)).toEqual({ ok: true, change_xof: 0 });
    expect(changeDue(7325, 5000)).toEqual({ ok: false, reason: 'below_total' });
    expect(changeDue(7325, 7500.5)).toEqual({ ok: false, reason: 'not_whole' });
  });
});

describe('schedule slots', () => {
  const everyDay = (opens: string, closes: string, closes_next_day = false): WeeklySlot[] =>
    [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens, closes, closes_next_day }));
  // Saturday 21 November 2026, 15:52 in Abidjan (UTC+0).
  const now = new Date('2026-11-21T15:52:00Z');

  it('starts 30 minutes from now on the half-hour grid and stops before closing', () => {
    const slots = scheduleSlots({ hours: everyDay('10:00', '23:00'), timeZone: 'Africa/Abidjan', now, days: 1 });
    expect(slots[0]).toEqual({ at: '2026-11-21T16:30:00.000Z', date: '2026-11-21', time: '16:30', dayOffset: 0 });
    expect(slots.at(-1)?.time).toBe('22:30');
    expect(slots).toHaveLength(13);
  });

  it('covers the next days from opening time, and respects a holiday', () => {
    const slots = scheduleSlots({
      hours: everyDay('10:00', '12:00'),
      exceptions: [{ on_date: '2026-11-22', closed: true, opens: null, closes: null }],
      timeZone: 'Africa/Abidjan',
      now,
      days: 3,
    });
    expect(slots.map((s) => `${s.dayOffset} ${s.time}`)).toEqual(['2 10:00', '2 10:30', '2 11:00', '2 11:30']);
  });

  it('follows a slot past midnight into the next date', () => {
    const slots = scheduleSlots({
      hours: everyDay('18:00', '02:00', true),
      timeZone: 'Africa/Abidjan',
      now: new Date('2026-11-21T23:10:00Z'),
      days: 2,
    });
    expect(slots.slice(0, 4).map((s) => `${s.date} ${s.time}`)).toEqual([
      '2026-11-22 00:00',
      '2026-11-22 00:30',
      '2026-11-22 01:00',
      '2026-11-22 01:30',
    ]);
    expect(slots[4]?.time).toBe('18:00');
  });

  it('gives UTC instants for a zone that is not on UTC', () => {
    const slots = scheduleSlots({
      hours: everyDay('10:00', '11:00'),
      timeZone: 'Europe/Paris',
      now: new Date('2026-11-21T06:00:00Z'),
      days: 1,
    });
    expect(slots.map((s) => s.at)).toEqual(['2026-11-21T09:00:00.000Z', '2026-11-21T09:30:00.000Z']);
  });

  it('offers nothing for a store with no hours', () => {
    expect(scheduleSlots({ hours: [], timeZone: 'Africa/Abidjan', now })).toEqual([]);
  });
});

describe('checkout attempt keys', () => {
  let n = 0;
  const newKey = () => `key-0000000${++n}`;
  const a = requestFingerprint({ store_id: 's', items: [{ product_id: 'p', quantity: 2 }], cash_tendered_xof: 10_000 });

  it('fingerprints a request whatever the order of its keys, ignoring undefined fields', () => {
    expect(requestFingerprint({ b: 1, a: { d: [1, 2], c: undefined } })).toBe(
      requestFingerprint({ a: { d: [1, 2] }, b: 1 }),
    );
    expect(requestFingerprint({ a: [1, 2] })).not.toBe(requestFingerprint({ a: [2, 1] }));
  });

  it('reuses the key for a retry of the same request after a timeout', () => {
    const first = nextAttempt(null, a, newKey);
    expect(first).toMatchObject({ ok: true, retry: false });
    const sent: CheckoutAttempt = { ...(first as { attempt: CheckoutAttempt }).attempt, outcome: 'unknown' };
    const again = nextAttempt(sent, a, newKey);
    expect(again).toEqual({ ok: true, attempt: sent, retry: true });
  });

  it('refuses a changed request while the last outcome is unknown (it may have been placed)', () => {
    const sent: CheckoutAttempt = { key: 'key-unknown-1', fingerprint: a, outcome: 'unknown' };
    const b = requestFingerprint({
      store_id: 's',
      items: [{ product_id: 'p', quantity: 2 }],
      cash_tendered_xof: 20_000,
    });
    expect(nextAttempt(sent, b, newKey)).toEqual({ ok: false, reason: 'outcome_unknown', attempt: sent });
  });

  it('takes a new key for a changed request after a refusal, and for the next order after a placement', () => {
    const refused: CheckoutAttempt = { key: 'key-refused-1', fingerprint: a, outcome: 'refused' };
    const b = requestFingerprint({ other: true });
    const changed = nextAttempt(refused, b, newKey);
    expect(changed.ok && changed.attempt.key).not.toBe('key-refused-1');
    expect(nextAttempt(refused, a, newKey)).toMatchObject({ ok: true, retry: true, attempt: { key: 'key-refused-1' } });
    const placed: CheckoutAttempt = { key: 'key-placed-01', fingerprint: a, outcome: 'placed' };
    const next = nextAttempt(placed, a, newKey);
    expect(next.ok && next.attempt).toMatchObject({ fingerprint: a, outcome: 'none' });
    expect(next.ok && next.attempt.key).not.toBe('key-placed-01');
  });

  it('revives only a well-formed attempt from storage', () => {
    expect(reviveAttempt({ key: 'abcdefgh', fingerprint: '{}', outcome: 'unknown' })).toEqual({
      key: 'abcdefgh',
      fingerprint: '{}',
      outcome: 'unknown',
    });
    expect(reviveAttempt({ key: 'short', fingerprint: '{}', outcome: 'unknown' })).toBeNull();
    expect(reviveAttempt({ key: 'abcdefgh', fingerprint: '{}', outcome: 'maybe' })).toBeNull();
    expect(reviveAttempt('nope')).toBeNull();
  });
});
