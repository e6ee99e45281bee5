// Where a tapped notification leads (lib/inbox-links.ts), and the inbox messages in both languages.
import { describe, expect, it } from 'vitest';
import inboxEn from '../src/i18n/inbox/en.json';
import inboxFr from '../src/i18n/inbox/fr.json';
import { notificationLink } from '../src/lib/inbox-links.ts';

const ORDER = 'e3000000-0000-4000-8000-000000000001';
const RIDE = 'e5000000-0000-4000-8000-000000000001';

describe('notificationLink', () => {
  it('opens the order of an order notification', () => {
    expect(notificationLink({ kind: 'order_update', data: { order_id: ORDER, status: 'accepted' } })).toBe(
      `/orders/${ORDER}`,
    );
  });

  it('opens the ride of a ride notification', () => {
    expect(notificationLink({ kind: 'ride_update', data: { ride_id: RIDE } })).toBe(`/rides/${RIDE}`);
  });

  it('opens the wallet for money news', () => {
    expect(notificationLink({ kind: 'payment', data: {} })).toBe('/wallet');
    expect(notificationLink({ kind: 'system', data: { payment_intent_id: ORDER } })).toBe('/wallet');
  });

  it('leads nowhere for a promotion or a system message', () => {
    expect(notificationLink({ kind: 'promotion', data: {} })).toBeNull();
    expect(notificationLink({ kind: 'system', data: null })).toBeNull();
  });

  it('ignores an id that is not a uuid (no path built from whatever came in)', () => {
    expect(notificationLink({ kind: 'order_update', data: { order_id: '../wallet' } })).toBeNull();
    expect(notificationLink({ kind: 'order_update', data: { order_id: 42 } })).toBeNull();
  });
});

type Tree = { [k: string]: string | Tree };
const keys = (t: Tree, prefix = ''): string[] =>
  Object.entries(t).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keys(v, `${prefix}${k}.`)));

describe('inbox messages', () => {
  it('has the same keys in French and English', () => {
    expect(keys(inboxEn as Tree).sort()).toEqual(keys(inboxFr as Tree).sort());
  });
});
