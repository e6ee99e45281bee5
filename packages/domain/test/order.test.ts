import { describe, expect, it } from 'vitest';
import {
  customerMayCancel,
  orderEta,
  orderTimeline,
  reasonInWords,
  reorderLines,
  systemReason,
  type CatalogueItem,
  type PastItem,
} from '../src/order.ts';

describe('orderTimeline', () => {
  const events = [
    { to_status: 'pending' as const, created_at: '2026-11-21T12:00:00Z' },
    { to_status: 'accepted' as const, created_at: '2026-11-21T12:02:00Z' },
  ];

  it('marks the steps done, the current one, and those to come, with their times', () => {
    expect(orderTimeline('accepted', 'delivery', events)).toEqual([
      { status: 'pending', state: 'done', at: '2026-11-21T12:00:00Z' },
      { status: 'accepted', state: 'current', at: '2026-11-21T12:02:00Z' },
      { status: 'preparing', state: 'upcoming', at: null },
      { status: 'ready', state: 'upcoming', at: null },
      { status: 'picked_up', state: 'upcoming', at: null },
      { status: 'delivered', state: 'upcoming', at: null },
    ]);
  });

  it('has no pickup-by-courier step for a pickup, and a delivered order is all done', () => {
    const steps = orderTimeline('delivered', 'pickup');
    expect(steps.map((s) => s.status)).toEqual(['pending', 'accepted', 'preparing', 'ready', 'delivered']);
    expect(steps.every((s) => s.state === 'done')).toBe(true);
  });

  it('ends a cancelled order after the steps it reached', () => {
    const steps = orderTimeline('cancelled', 'delivery', [
      ...events,
      { to_status: 'cancelled', created_at: '2026-11-21T12:05:00Z' },
    ]);
    expect(steps.map((s) => `${s.status}:${s.state}`)).toEqual(['pending:done', 'accepted:done', 'cancelled:current']);
  });

  it('lets the customer cancel only a pending order', () => {
    expect(customerMayCancel('pending')).toBe(true);
    expect(customerMayCancel('accepted')).toBe(false);
  });
});

describe('orderEta', () => {
  const now = new Date('2026-11-21T12:10:00Z');
  const store = { lat: 5.8983, lng: -4.8228 };
  const home = { lat: 5.9073, lng: -4.8228 }; // ≈ 1 km north

  it('waits for the store, then counts preparation and the ride', () => {
    expect(orderEta({ status: 'pending', fulfilment: 'delivery', now })).toEqual({ kind: 'waiting_store' });
    // accepted 12:00 + 25 min = 12:25, + 1.3 km at 25 km/h = 4 min → 12:29
    expect(
      orderEta({
        status: 'accepted',
        fulfilment: 'delivery',
        now,
        accepted_at: '2026-11-21T12:00:00Z',
        prep_minutes: 25,
        store,
        destination: home,
      }),
    ).toEqual({ kind: 'arrives_at', at: '2026-11-21T12:29:00.000Z', minutes: 19 });
  });

  it('counts from the courier once picked up, and says nothing for a finished order', () => {
    expect(orderEta({ status: 'picked_up', fulfilment: 'delivery', now, courier: store, destination: home })).toEqual({
      kind: 'arrives_at',
      at: '2026-11-21T12:14:00.000Z',
      minutes: 4,
    });
    expect(orderEta({ status: 'delivered', fulfilment: 'delivery', now })).toEqual({ kind: 'none' });
  });

  it('gives the ready time for a pickup that is late, never in the past', () => {
    expect(
      orderEta({
        status: 'preparing',
        fulfilment: 'pickup',
        now,
        accepted_at: '2026-11-21T11:00:00Z',
        prep_minutes: 20,
      }),
    ).toEqual({ kind: 'ready_at', at: '2026-11-21T12:10:00.000Z', minutes: 1 });
  });

  it('shows the scheduled time of a scheduled order', () => {
    expect(
      orderEta({ status: 'accepted', fulfilment: 'delivery', now, scheduled_for: '2026-11-21T19:00:00Z' }),
    ).toEqual({ kind: 'scheduled', at: '2026-11-21T19:00:00Z' });
  });
});

describe('reorderLines', () => {
  const garba: CatalogueItem = {
    id: 'p-garba',
    name: 'Garba',
    price_xof: 600,
    sold_out_until: null,
    groups: [
      {
        id: 'g-extra',
        name: 'Extras',
        min_selections: 0,
        max_selections: 2,
        options: [
          { id: 'o-egg', name: 'Œuf dur', price_delta_xof: 100, available: true },
          { id: 'o-pim', name: 'Piment', price_delta_xof: 0, available: false },
        ],
      },
    ],
  };
  const alloco: CatalogueItem = {
    ...garba,
    id: 'p-alloco',
    name: 'Alloco',
    groups: [],
    sold_out_until: '2026-11-21T20:00:00Z',
  };
  const now = new Date('2026-11-21T12:00:00Z');

  it("refills with today's prices and options", () => {
    const items: PastItem[] = [
      { product_id: 'p-garba', name: 'Garba', quantity: 2, options: [{ group: 'Extras', name: 'Œuf dur' }] },
    ];
    expect(reorderLines(items, [garba], now)).toEqual({
      lines: [
        {
          productId: 'p-garba',
          name: 'Garba',
          price_xof: 600,
          quantity: 2,
          options: [{ groupId: 'g-extra', optionId: 'o-egg', name: 'Œuf dur', price_delta_xof: 100 }],
        },
      ],
      gone: [],
    });
  });

  it('says which items are gone: withdrawn, sold out, or with an option that no longer exists', () => {
    const items: PastItem[] = [
      { product_id: 'p-old', name: 'Foutou banane', quantity: 1, options: [] },
      { product_id: null, name: 'Placali', quantity: 1, options: [] },
      { product_id: 'p-alloco', name: 'Alloco', quantity: 1, options: [] },
      { product_id: 'p-garba', name: 'Garba', quantity: 1, options: [{ group: 'Extras', name: 'Piment' }] },
    ];
    expect(reorderLines(items, [garba, alloco], now)).toEqual({
      lines: [],
      gone: [
        { name: 'Foutou banane', reason: 'unavailable' },
        { name: 'Placali', reason: 'unavailable' },
        { name: 'Alloco', reason: 'sold_out' },
        { name: 'Garba', reason: 'option_unavailable' },
      ],
    });
  });

  it('refuses a line that no longer satisfies a required group', () => {
    const required = { ...garba, groups: [{ ...garba.groups[0]!, min_selections: 1 }] };
    const items: PastItem[] = [{ product_id: 'p-garba', name: 'Garba', quantity: 1, options: [] }];
    expect(reorderLines(items, [required], now).gone).toEqual([{ name: 'Garba', reason: 'option_unavailable' }]);
  });
});

describe('system reasons', () => {
  it('recognises the reasons the platform writes in English and leaves a person’s words alone', () => {
    expect(systemReason('merchant did not answer in time')).toBe('merchant_timeout');
    expect(systemReason('no driver accepted in time')).toBe('no_driver');
    expect(systemReason('order cancelled')).toBe('order_cancelled'); // a ledger memo (private.settle_order)
    expect(systemReason('Rupture de stock')).toBeNull();
    expect(systemReason(null)).toBeNull();
    const fr = (key: string) =>
      ({ 'systemReason.merchant_timeout': 'le commerçant n’a pas répondu à temps' })[key] ?? key;
    expect(reasonInWords('merchant did not answer in time', fr)).toBe('le commerçant n’a pas répondu à temps');
    expect(reasonInWords('Plus de poisson', fr)).toBe('Plus de poisson');
  });
});
