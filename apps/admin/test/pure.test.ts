// The data layer's pure parts: a courier's and a store's state on the live map, the short id as a uuid range, and
// how a server refusal becomes an AdminError the screen can put in words.
import { describe, expect, it } from 'vitest';
import { fromPostgrest } from '../src/data/errors.ts';
import { courierState, storeState } from '../src/data/live.ts';
import { shortIdRange } from '../src/data/orders.ts';

const now = Date.parse('2026-11-21T12:00:00Z');
const ago = (s: number) => new Date(now - s * 1000).toISOString();

describe('courierState', () => {
  it('puts a job first, then silence over 2 minutes, then the online flag', () => {
    expect(courierState({ online: true, updated_at: ago(10) }, true, now)).toBe('on_job');
    expect(courierState({ online: false, updated_at: ago(10) }, true, now)).toBe('on_job');
    expect(courierState({ online: true, updated_at: ago(10) }, false, now)).toBe('idle');
    expect(courierState({ online: true, updated_at: ago(121) }, false, now)).toBe('stale');
    expect(courierState({ online: false, updated_at: ago(10) }, false, now)).toBe('offline');
  });
});

describe('storeState', () => {
  const noon = [{ weekday: 6, opens: '11:00', closes: '15:00', closes_next_day: false }]; // a Saturday
  it('reads busy until a time still to come, closed, and the opening hours', () => {
    expect(storeState({ status: 'open', busy_until: null, hours: [] }, now)).toBe('open');
    expect(storeState({ status: 'busy', busy_until: ago(-600), hours: [] }, now)).toBe('busy');
    expect(storeState({ status: 'busy', busy_until: ago(600), hours: noon }, now)).toBe('open');
    expect(storeState({ status: 'closed', busy_until: null, hours: noon }, now)).toBe('closed');
    expect(storeState({ status: 'open', busy_until: null, hours: noon }, now + 4 * 3600_000)).toBe('closed');
  });
});

describe('shortIdRange', () => {
  it('turns the 8 characters read out into the ids they start', () => {
    expect(shortIdRange('#1A2B3C4D')).toEqual([
      '1a2b3c4d-0000-0000-0000-000000000000',
      '1a2b3c4d-ffff-ffff-ffff-ffffffffffff',
    ]);
    expect(shortIdRange('1A2B3C4')).toBeNull();
    expect(shortIdRange('1A2B3C4G')).toBeNull();
  });
});

describe('fromPostgrest', () => {
  it('keeps our functions’ codes and their details', () => {
    const e = fromPostgrest({ code: 'EO422', message: 'documents_incomplete', details: '{"blockers":["insurance"]}' });
    expect([e.kind, e.code, e.details]).toEqual(['refused', 'documents_incomplete', { blockers: ['insurance'] }]);
  });
  it('reads a refused grant as not_admin and a negative amount as the field it names', () => {
    expect(fromPostgrest({ code: '42501', message: 'permission denied for function admin_overview' }).code).toBe(
      'not_admin',
    );
    const fee = fromPostgrest({
      code: '23514',
      message: 'delivery_base_fee_xof must be a whole number of FCFA of at least 0, got -5',
    });
    expect([fee.code, fee.details.field]).toEqual(['amount_too_small', 'delivery_base_fee_xof']);
  });
  it('tells a lost connection from a refusal', () => {
    expect(fromPostgrest({ message: 'TypeError: fetch failed' }).kind).toBe('network');
    expect(fromPostgrest({ code: 'XX000', message: 'something odd' }).code).toBe('XX000');
  });
});
