import { describe, expect, it } from 'vitest';
import { storeStatusAt, type StoreStatusInput, type WeeklySlot } from '../src/store-status.ts';

// Abidjan is UTC+0 all year; Lomé too. Lagos (UTC+1) checks that the zone, not UTC, decides.
const everyDay = (opens: string, closes: string, closes_next_day = false): WeeklySlot[] =>
  [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens, closes, closes_next_day }));

function at(iso: string, over: Partial<StoreStatusInput> = {}) {
  return storeStatusAt({
    status: 'open',
    busy_until: null,
    hours: everyDay('10:00:00', '23:00:00'),
    timeZone: 'Africa/Abidjan',
    now: new Date(iso),
    ...over,
  });
}

// 2026-11-23 is a Monday.
describe('storeStatusAt', () => {
  it('is open inside a slot, until its closing time', () => {
    expect(at('2026-11-23T12:00:00Z')).toEqual({
      state: 'open',
      acceptsOrders: true,
      labelKey: 'storeStatus.openUntil',
      params: { time: '23:00' },
    });
  });

  it('is closed before opening and says when it opens today', () => {
    expect(at('2026-11-23T08:30:00Z')).toMatchObject({
      state: 'closed',
      acceptsOrders: false,
      labelKey: 'storeStatus.opensAt',
      params: { time: '10:00' },
    });
  });

  it('after closing, opens tomorrow', () => {
    expect(at('2026-11-23T23:00:00Z')).toMatchObject({
      state: 'closed',
      labelKey: 'storeStatus.opensTomorrowAt',
      params: { time: '10:00' },
    });
  });

  it('keeps an overnight slot open after midnight and closes it at its end', () => {
    const hours = [...everyDay('11:00', '15:00'), ...everyDay('18:00', '02:00', true)];
    expect(at('2026-11-24T01:30:00Z', { hours })).toMatchObject({ state: 'open', params: { time: '02:00' } });
    expect(at('2026-11-23T22:00:00Z', { hours })).toMatchObject({ state: 'open', params: { time: '02:00' } });
    expect(at('2026-11-24T02:00:00Z', { hours })).toMatchObject({
      state: 'closed',
      labelKey: 'storeStatus.opensAt',
      params: { time: '11:00' },
    });
    expect(at('2026-11-23T16:00:00Z', { hours })).toMatchObject({ state: 'closed', params: { time: '18:00' } });
  });

  it('treats midnight with closes_next_day as the end of the day', () => {
    const hours = everyDay('12:00', '00:00', true);
    expect(at('2026-11-23T23:59:00Z', { hours })).toMatchObject({ state: 'open', params: { time: '00:00' } });
    expect(at('2026-11-24T00:00:00Z', { hours })).toMatchObject({ state: 'closed', params: { time: '12:00' } });
  });

  it('names the weekday when the next opening is days away', () => {
    // Open Tuesday to Sunday; on Sunday night it next opens Tuesday (weekday 2).
    const hours = everyDay('12:00', '20:00').filter((h) => h.weekday !== 1);
    expect(at('2026-11-22T21:00:00Z', { hours })).toMatchObject({
      labelKey: 'storeStatus.opensOn',
      params: { time: '12:00', weekday: 2 },
    });
  });

  it('is busy until busy_until, shown in the zone time, and open again after it', () => {
    const busy = { status: 'busy' as const, busy_until: '2026-11-23T12:30:00Z' };
    expect(at('2026-11-23T12:00:00Z', busy)).toEqual({
      state: 'busy',
      acceptsOrders: false,
      labelKey: 'storeStatus.busyUntil',
      params: { time: '12:30' },
    });
    expect(at('2026-11-23T12:00:00Z', { ...busy, timeZone: 'Africa/Lagos' })).toMatchObject({
      params: { time: '13:30' },
    });
    expect(at('2026-11-23T12:31:00Z', busy)).toMatchObject({ state: 'open' });
  });

  it('is closed whatever the hours when the merchant closed it', () => {
    expect(at('2026-11-23T12:00:00Z', { status: 'closed' })).toMatchObject({
      state: 'closed',
      labelKey: 'storeStatus.closed',
      params: {},
    });
  });

  it('reads the clock in the zone time zone, not UTC', () => {
    // 09:30 UTC is 10:30 in Lagos: open there, not yet in Abidjan.
    expect(at('2026-11-23T09:30:00Z', { timeZone: 'Africa/Lagos' })).toMatchObject({ state: 'open' });
    expect(at('2026-11-23T09:30:00Z')).toMatchObject({ state: 'closed' });
  });

  it('is closed on a closed-all-day exception and opens the day after', () => {
    const exceptions = [{ on_date: '2026-12-25', closed: true, opens: null, closes: null }];
    expect(at('2026-12-25T12:00:00Z', { exceptions })).toMatchObject({
      state: 'closed',
      labelKey: 'storeStatus.opensTomorrowAt',
    });
  });

  it('uses an exception day’s special slot instead of the weekly hours', () => {
    const exceptions = [{ on_date: '2026-12-25', closed: false, opens: '09:00', closes: '12:00' }];
    expect(at('2026-12-25T09:30:00Z', { exceptions })).toMatchObject({ state: 'open', params: { time: '12:00' } });
    expect(at('2026-12-25T13:00:00Z', { exceptions })).toMatchObject({
      state: 'closed',
      labelKey: 'storeStatus.opensTomorrowAt',
    });
  });

  it('trusts the status alone when a store has no hours', () => {
    expect(at('2026-11-23T03:00:00Z', { hours: [] })).toMatchObject({ state: 'open', labelKey: 'storeStatus.open' });
  });

  it('is closed with no next opening when no slot comes within a week', () => {
    const exceptions = [1, 2, 3, 4, 5, 6, 7, 8].map((d) => ({
      on_date: `2026-11-${String(22 + d).padStart(2, '0')}`,
      closed: true,
      opens: null,
      closes: null,
    }));
    expect(
      at('2026-11-23T12:00:00Z', {
        exceptions: [...exceptions, { on_date: '2026-11-23', closed: true, opens: null, closes: null }],
      }),
    ).toMatchObject({
      labelKey: 'storeStatus.closed',
    });
  });
});
