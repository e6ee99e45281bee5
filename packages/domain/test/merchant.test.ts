import { describe, expect, it } from 'vitest';
import {
  busyUntil,
  changeToPrepare,
  checkPhotoFile,
  checkCategoryName,
  checkOptionGroup,
  checkProduct,
  checkStoreApplication,
  checkPromotion,
  checkSlot,
  merchantMoves,
  needsAnswer,
  ordersByHour,
  queueLane,
  revenueByDay,
  salesSummary,
} from '../src/merchant.ts';

describe('merchant moves and queue', () => {
  it('offers accept or reject on a new order, then preparing, then ready', () => {
    expect(merchantMoves('pending')).toEqual(['accepted', 'rejected']);
    expect(merchantMoves('accepted')).toEqual(['preparing']);
    expect(merchantMoves('preparing')).toEqual(['ready']);
    expect(merchantMoves('ready')).toEqual([]);
    expect(merchantMoves('cancelled')).toEqual([]);
  });
  it('keeps ringing while one order is pending', () => {
    expect(needsAnswer([{ status: 'accepted' }, { status: 'pending' }])).toBe(true);
    expect(needsAnswer([{ status: 'accepted' }, { status: 'ready' }])).toBe(false);
    expect(queueLane('pending')).toBe('new');
    expect(queueLane('preparing')).toBe('in_progress');
    expect(queueLane('ready')).toBe('ready');
    expect(queueLane('delivered')).toBe('done');
  });
  it('computes the cash change to prepare, only for cash with a tendered amount above the total', () => {
    expect(changeToPrepare({ payment_method: 'cash', cash_tendered_xof: 5000, total_xof: 3825 })).toBe(1175);
    expect(changeToPrepare({ payment_method: 'cash', cash_tendered_xof: 3825, total_xof: 3825 })).toBeNull();
    expect(changeToPrepare({ payment_method: 'cash', cash_tendered_xof: null, total_xof: 3825 })).toBeNull();
    expect(changeToPrepare({ payment_method: 'wallet', cash_tendered_xof: null, total_xof: 3825 })).toBeNull();
  });
  it('sets busy N minutes from now and refuses nonsense', () => {
    const now = new Date('2026-11-21T12:00:00Z');
    expect(busyUntil(30, now)).toBe('2026-11-21T12:30:00.000Z');
    expect(() => busyUntil(0, now)).toThrow(RangeError);
    expect(() => busyUntil(1.5, now)).toThrow(RangeError);
  });
});

describe('checkProduct', () => {
  it('accepts a dish as typed and cleans it', () => {
    expect(checkProduct({ name: '  Garba   complet ', price: '1 500 FCFA', description: ' Bien pimenté ' })).toEqual({
      ok: true,
      value: { name: 'Garba complet', price_xof: 1500, description: 'Bien pimenté' },
    });
  });
  it('refuses a negative price and an empty name, both at once', () => {
    expect(checkProduct({ name: '  ', price: '-500' })).toEqual({
      ok: false,
      problems: [
        { field: 'name', code: 'empty' },
        { field: 'price', code: 'negative' },
      ],
    });
  });
  it('refuses a free dish, a price with centimes, words, and an overlong name', () => {
    const codes = (price: string) => (checkProduct({ name: 'Alloco', price }) as { problems: unknown[] }).problems;
    expect(codes('0')).toEqual([{ field: 'price', code: 'zero' }]);
    expect(codes('12,5')).toEqual([{ field: 'price', code: 'fraction' }]);
    expect(codes('beaucoup')).toEqual([{ field: 'price', code: 'not_a_number' }]);
    expect(codes('')).toEqual([{ field: 'price', code: 'empty' }]);
    expect(codes('20 000 000')).toEqual([{ field: 'price', code: 'too_large' }]);
    expect(checkProduct({ name: 'x'.repeat(81), price: '100' })).toEqual({
      ok: false,
      problems: [{ field: 'name', code: 'too_long' }],
    });
  });
});

describe('checkSlot', () => {
  it('refuses closing before opening on the same day', () => {
    expect(checkSlot('18:00', '08:00', false)).toBe('closes_before_opens');
    expect(checkSlot('08:00', '08:00', false)).toBe('same_time');
    expect(checkSlot('08:00', '22:00', false)).toBeNull();
  });
  it('accepts a night slot that ends the next day, but not one longer than a day', () => {
    expect(checkSlot('18:00', '02:00', true)).toBeNull();
    expect(checkSlot('00:00', '00:00', true)).toBeNull();
    expect(checkSlot('08:00', '22:00', true)).toBe('closes_before_opens');
  });
  it('says a time is missing', () => {
    expect(checkSlot('', '22:00', false)).toBe('missing');
    expect(checkSlot('25:00', '22:00', false)).toBe('missing');
  });
});

describe('checkPhotoFile', () => {
  it('takes camera photos and refuses what is not an image or is too heavy', () => {
    expect(checkPhotoFile({ size: 4_000_000, type: 'image/jpeg' })).toBeNull();
    expect(checkPhotoFile({ size: 1000, type: 'application/pdf' })).toBe('not_an_image');
    expect(checkPhotoFile({ size: 16 * 1024 * 1024, type: 'image/png' })).toBe('too_large');
  });
});

describe('salesSummary', () => {
  it('counts delivered orders only and ranks best sellers by quantity', () => {
    const s = salesSummary([
      {
        status: 'delivered',
        subtotal_xof: 2000,
        items: [
          { name: 'Garba', quantity: 2, line_total_xof: 1000 },
          { name: 'Bissap', quantity: 1, line_total_xof: 1000 },
        ],
      },
      { status: 'delivered', subtotal_xof: 1500, items: [{ name: 'Garba', quantity: 3, line_total_xof: 1500 }] },
      { status: 'rejected', subtotal_xof: 9000, items: [{ name: 'Poulet', quantity: 9, line_total_xof: 9000 }] },
    ]);
    expect(s.orders).toBe(2);
    expect(s.revenue_xof).toBe(3500);
    expect(s.average_basket_xof).toBe(1750);
    expect(s.best_sellers.map((b) => b.name)).toEqual(['Garba', 'Bissap']);
  });
});

describe('ordersByHour', () => {
  it('counts delivered orders in their hour of the day', () => {
    const h = ordersByHour([
      { status: 'delivered', created_at: '2026-11-21T12:05:00Z' },
      { status: 'delivered', created_at: '2026-11-21T12:55:00Z' },
      { status: 'delivered', created_at: '2026-11-20T19:30:00Z' },
      { status: 'cancelled', created_at: '2026-11-21T12:10:00Z' },
    ]);
    expect(h).toHaveLength(24);
    expect(h[12]).toBe(2);
    expect(h[19]).toBe(1);
    expect(h.reduce((a, b) => a + b, 0)).toBe(3);
  });
});

describe('checkPromotion', () => {
  const base = {
    code: ' garba10 ',
    kind: 'percent' as const,
    value: '10',
    starts_on: '2026-11-21',
    ends_on: '2026-11-30',
    min_order: '',
    usage_limit_total: '100',
    usage_limit_per_customer: '1',
  };
  it('accepts a percentage over a period, both days included', () => {
    expect(checkPromotion(base, '2026-11-21')).toEqual({
      ok: true,
      value: {
        code: 'GARBA10',
        kind: 'percent',
        value: 10,
        starts_at: '2026-11-21T00:00:00Z',
        ends_at: '2026-12-01T00:00:00.000Z',
        min_order_xof: 0,
        usage_limit_total: 100,
        usage_limit_per_customer: 1,
      },
    });
  });
  it('reads a fixed amount as typed and takes no value for free delivery', () => {
    const fixed = checkPromotion({ ...base, kind: 'fixed', value: '1 000 FCFA' }, '2026-11-21');
    expect(fixed.ok && fixed.value.value).toBe(1000);
    const free = checkPromotion({ ...base, kind: 'free_delivery', value: 'whatever' }, '2026-11-21');
    expect(free.ok && free.value.value).toBeNull();
  });
  it('refuses a bad code, a percentage above 100, a period that ends before it starts, and a bad limit', () => {
    expect(
      checkPromotion(
        { ...base, code: 'a b', value: '150', ends_on: '2026-11-20', usage_limit_total: '-3' },
        '2026-11-21',
      ),
    ).toEqual({
      ok: false,
      problems: [
        { field: 'code', code: 'format' },
        { field: 'value', code: 'percent_range' },
        { field: 'dates', code: 'ends_before_starts' },
        { field: 'usage_limit_total', code: 'not_a_whole_number' },
      ],
    });
  });
  it('refuses a negative fixed amount and a period already over', () => {
    expect(
      checkPromotion(
        { ...base, kind: 'fixed', value: '-500', starts_on: '2026-11-01', ends_on: '2026-11-10' },
        '2026-11-21',
      ),
    ).toEqual({
      ok: false,
      problems: [
        { field: 'value', code: 'negative' },
        { field: 'dates', code: 'ends_in_past' },
      ],
    });
  });
});

describe('checkStoreApplication', () => {
  const draft = {
    kind: 'maquis',
    name: '  Maquis   Chez Adjoua ',
    phone: '07 00 00 09 81',
    lat: 5.899,
    lng: -4.8228,
    landmark: 'Derrière la gare',
    description: '',
    hours: [
      { weekday: 1, opens: '08:00', closes: '14:00', closes_next_day: false },
      { weekday: 1, opens: '18:00', closes: '02:00', closes_next_day: true },
    ],
    payoutPhone: '05 00 00 09 81',
    payoutOperator: 'mtn_ci',
  };

  it('returns the values for rpc apply_for_store: numbers in E.164, the name tidied', () => {
    const result = checkStoreApplication(draft);
    expect(result).toEqual({
      ok: true,
      value: {
        kind: 'maquis',
        name: 'Maquis Chez Adjoua',
        phone: '+2250700000981',
        lat: 5.899,
        lng: -4.8228,
        landmark: 'Derrière la gare',
        description: '',
        hours: draft.hours,
        payout_phone: '+2250500000981',
        payout_operator: 'mtn_ci',
      },
    });
  });

  it('names every problem at once', () => {
    const result = checkStoreApplication({
      kind: '',
      name: 'A',
      phone: '12',
      lat: null,
      lng: null,
      landmark: ' ',
      description: 'x'.repeat(1001),
      hours: [],
      payoutPhone: '',
      payoutOperator: '',
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      { field: 'kind', code: 'empty' },
      { field: 'name', code: 'too_short' },
      { field: 'phone', code: 'invalid' },
      { field: 'location', code: 'missing' },
      { field: 'landmark', code: 'too_short' },
      { field: 'description', code: 'too_long' },
      { field: 'hours', code: 'empty' },
      { field: 'payoutPhone', code: 'invalid' },
      { field: 'payoutOperator', code: 'empty' },
    ]);
  });

  it.each([
    [[{ weekday: 2, opens: '18:00', closes: '08:00', closes_next_day: false }], 'closes_before_opens'],
    [[{ weekday: 2, opens: '08:00', closes: '08:00', closes_next_day: false }], 'same_time'],
    [[{ weekday: 8, opens: '08:00', closes: '12:00', closes_next_day: false }], 'missing'],
    [
      [
        { weekday: 3, opens: '08:00', closes: '12:00', closes_next_day: false },
        { weekday: 3, opens: '08:00', closes: '13:00', closes_next_day: false },
      ],
      'duplicate',
    ],
  ])('refuses hours %j: %s', (hours, code) => {
    const result = checkStoreApplication({ ...draft, hours });
    expect(!result.ok && result.problems).toEqual([{ field: 'hours', code }]);
  });

  it('refuses a pin off the globe, a Togo operator for an Ivorian number and a name too long', () => {
    const result = checkStoreApplication({ ...draft, lat: 95, payoutOperator: 'mixx_tg', name: 'x'.repeat(81) });
    expect(!result.ok && result.problems).toEqual([
      { field: 'name', code: 'too_long' },
      { field: 'location', code: 'invalid' },
      { field: 'payoutOperator', code: 'wrong_country' },
    ]);
  });
});

describe('checkCategoryName', () => {
  it('tidies the name and accepts a new one', () => {
    expect(checkCategoryName('  Plats   du jour ', ['Boissons'])).toEqual({ ok: true, value: 'Plats du jour' });
  });
  it('refuses an empty name, a name over 60 characters and one the store already has (case and accents aside)', () => {
    expect(checkCategoryName('   ', [])).toEqual({ ok: false, problem: 'empty' });
    expect(checkCategoryName('x'.repeat(61), [])).toEqual({ ok: false, problem: 'too_long' });
    expect(checkCategoryName('ENTREES', ['Entrées'])).toEqual({ ok: false, problem: 'duplicate' });
  });
});

describe('checkOptionGroup', () => {
  const group = {
    name: ' Accompagnement ',
    required: true,
    min: '1',
    max: '1',
    options: [
      { name: 'Attiéké', priceDelta: '' },
      { name: 'Alloco', priceDelta: '200' },
      { name: '', priceDelta: '' },
    ],
  };

  it('returns the rows to write: blank lines dropped, an empty extra price is 0 FCFA', () => {
    expect(checkOptionGroup(group)).toEqual({
      ok: true,
      value: {
        name: 'Accompagnement',
        min_selections: 1,
        max_selections: 1,
        options: [
          { name: 'Attiéké', price_delta_xof: 0 },
          { name: 'Alloco', price_delta_xof: 200 },
        ],
      },
    });
  });

  it('makes an optional group choose from 0', () => {
    const result = checkOptionGroup({ ...group, required: false, min: 'anything', max: '2' });
    expect(result.ok && result.value).toMatchObject({ min_selections: 0, max_selections: 2 });
  });

  it('names every problem of a bad group', () => {
    const result = checkOptionGroup({
      name: '',
      required: true,
      min: '0',
      max: 'x',
      options: [
        { name: '', priceDelta: '100' },
        { name: 'Sauce', priceDelta: '-50' },
        { name: 'Piment', priceDelta: '12,5' },
      ],
    });
    expect(!result.ok && result.problems).toEqual([
      { field: 'name', code: 'empty' },
      { field: 'option', index: 0, code: 'empty' },
      { field: 'option', index: 1, code: 'negative' },
      { field: 'option', index: 2, code: 'fraction' },
      { field: 'min', code: 'too_small' },
      { field: 'max', code: 'not_a_number' },
    ]);
  });

  it.each([
    [{ max: '0' }, { field: 'max', code: 'too_small' }],
    [
      { min: '2', max: '1' },
      { field: 'max', code: 'below_min' },
    ],
    [{ max: '3' }, { field: 'max', code: 'above_options' }],
    [{ options: [] }, { field: 'options', code: 'none' }],
    [
      {
        options: [
          { name: 'Riz', priceDelta: '' },
          { name: 'riz', priceDelta: '100' },
        ],
      },
      { field: 'options', code: 'duplicate' },
    ],
  ])('refuses %j', (over, problem) => {
    const result = checkOptionGroup({ ...group, ...over });
    expect(!result.ok && result.problems).toContainEqual(problem);
  });
});

describe('revenueByDay', () => {
  it('sums delivered orders per UTC day over the period, oldest first, empty days at 0', () => {
    const to = new Date('2026-11-21T15:00:00Z');
    const orders = [
      { status: 'delivered' as const, created_at: '2026-11-21T08:00:00Z', subtotal_xof: 3000 },
      { status: 'delivered' as const, created_at: '2026-11-21T23:59:00Z', subtotal_xof: 1500 },
      { status: 'cancelled' as const, created_at: '2026-11-21T09:00:00Z', subtotal_xof: 9999 },
      { status: 'delivered' as const, created_at: '2026-11-19T00:00:00Z', subtotal_xof: 2000 },
      { status: 'delivered' as const, created_at: '2026-11-18T23:59:59Z', subtotal_xof: 7000 },
    ];
    expect(revenueByDay(orders, 3, to)).toEqual([
      { day: '2026-11-19', revenue_xof: 2000, orders: 1 },
      { day: '2026-11-20', revenue_xof: 0, orders: 0 },
      { day: '2026-11-21', revenue_xof: 4500, orders: 2 },
    ]);
  });
});
