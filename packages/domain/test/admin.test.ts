import { describe, expect, it } from 'vitest';
import {
  canWrite,
  checkAmount,
  checkReason,
  overviewPeriod,
  shortId,
  staffRole,
  tokenClaims,
  tokenRoles,
} from '../src/admin.ts';

/** An unsigned JWT with these claims (the dashboard only reads the payload; the database checks the signature). */
function token(claims: Record<string, unknown>): string {
  const b64url = (s: string) =>
    btoa(String.fromCharCode(...new TextEncoder().encode(s)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  return `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(JSON.stringify(claims))}.sig`;
}

describe('staffRole', () => {
  it('lets an admin in, whatever other roles he holds', () => {
    expect(staffRole({ access_token: token({ user_roles: ['admin', 'customer'] }) })).toBe('admin');
  });

  it('lets support in, below admin', () => {
    expect(staffRole({ access_token: token({ user_roles: ['customer', 'support'] }) })).toBe('support');
    expect(staffRole({ access_token: token({ user_roles: ['support', 'admin'] }) })).toBe('admin');
  });

  it('refuses a customer, a merchant and a courier', () => {
    for (const roles of [['customer'], ['customer', 'merchant'], ['courier', 'customer']]) {
      expect(staffRole({ access_token: token({ user_roles: roles }) })).toBeNull();
    }
  });

  it('refuses a token without the claim, a malformed claim, a broken token and no session', () => {
    expect(staffRole({ access_token: token({ sub: 'x' }) })).toBeNull();
    expect(staffRole({ access_token: token({ user_roles: 'admin' }) })).toBeNull();
    expect(staffRole({ access_token: 'not-a-jwt' })).toBeNull();
    expect(staffRole({ access_token: 'a.%%%.c' })).toBeNull();
    expect(staffRole(null)).toBeNull();
  });

  it('ignores roles the dashboard does not know yet', () => {
    expect(tokenRoles(token({ user_roles: ['support', 42, 'customer'] }))).toEqual(['support', 'customer']);
    expect(staffRole({ access_token: token({ user_roles: ['customer', 'superuser'] }) })).toBeNull();
  });

  it('reads accented UTF-8 claims', () => {
    expect(tokenClaims(token({ name: 'Aïcha Koné' }))?.name).toBe('Aïcha Koné');
  });
});

describe('canWrite', () => {
  it('lets only admins change things', () => {
    expect(canWrite('admin')).toBe(true);
    expect(canWrite('support')).toBe(false);
    expect(canWrite(null)).toBe(false);
  });
});

describe('shortId', () => {
  it('reads the first 8 hex digits in upper case', () => {
    expect(shortId('c3000000-0000-4000-8000-000000000003')).toBe('C3000000');
  });
});

describe('overviewPeriod', () => {
  const now = new Date('2026-11-21T14:35:00Z');
  it('covers today hour by hour', () => {
    expect(overviewPeriod('today', now)).toEqual({
      from: new Date('2026-11-21T00:00:00Z'),
      to: new Date('2026-11-22T00:00:00Z'),
      bucket: 'hour',
    });
  });
  it('covers the last 7 and 30 days day by day, today included', () => {
    expect(overviewPeriod('7d', now).from).toEqual(new Date('2026-11-15T00:00:00Z'));
    expect(overviewPeriod('30d', now)).toMatchObject({ from: new Date('2026-10-23T00:00:00Z'), bucket: 'day' });
  });
});

describe('checkAmount', () => {
  const fee = { min: 0, max: 100_000 };
  it('accepts whole FCFA with spaces', () => {
    expect(checkAmount(' 1 500 ', fee)).toEqual({ ok: true, value: 1500 });
    expect(checkAmount('0', fee)).toEqual({ ok: true, value: 0 });
  });
  it('refuses empty, fractions, negatives, zero when at least 1, and too large', () => {
    expect(checkAmount('', fee)).toEqual({ ok: false, problem: 'empty' });
    expect(checkAmount('12.5', fee)).toEqual({ ok: false, problem: 'not_whole' });
    expect(checkAmount('abc', fee)).toEqual({ ok: false, problem: 'not_whole' });
    expect(checkAmount('-100', fee)).toEqual({ ok: false, problem: 'negative' });
    expect(checkAmount('0', { min: 1, max: 10 })).toEqual({ ok: false, problem: 'not_positive' });
    expect(checkAmount('100001', fee)).toEqual({ ok: false, problem: 'too_large' });
  });
});

describe('checkReason', () => {
  it('wants a trimmed reason within the limits', () => {
    expect(checkReason('  ')).toBe('too_short');
    expect(checkReason('ab', 3)).toBe('too_short');
    expect(checkReason('Plat arrivé froid')).toBeNull();
    expect(checkReason('x'.repeat(281))).toBe('too_long');
  });
});
