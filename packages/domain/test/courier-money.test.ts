import { describe, expect, it } from 'vitest';
import { checkDepositAmount, checkPayoutAmount, payoutMaximum, payoutPhase } from '../src/courier-money.ts';

const LIMITS = {
  minimum_xof: 500,
  daily_maximum_xof: 500_000,
  approval_threshold_xof: 100_000,
  remaining_today_xof: 3000,
};

describe('payout amount', () => {
  it('accepts a whole amount within the balance and the limits', () => {
    expect(checkPayoutAmount('1 500', 5000, LIMITS)).toEqual({ ok: true, value: 1500 });
  });

  it.each([
    ['', 'empty'],
    ['0', 'empty'],
    ['12,5', 'fraction'],
    ['abc', 'not_a_number'],
    ['400', 'below_minimum'],
    ['6000', 'insufficient_funds'],
    ['4000', 'daily_limit_exceeded'],
  ])('refuses %j with %s', (input, reason) => {
    expect(checkPayoutAmount(input, 5000, LIMITS)).toEqual({ ok: false, reason });
  });

  it('leaves the limits to the server when they are not known', () => {
    expect(checkPayoutAmount('100', 5000, null)).toEqual({ ok: true, value: 100 });
    expect(payoutMaximum(5000, null)).toBe(5000);
    expect(payoutMaximum(5000, LIMITS)).toBe(3000);
    expect(payoutMaximum(-20, LIMITS)).toBe(0);
  });

  it('reads each status as waiting, paid or returned to the wallet', () => {
    expect(payoutPhase('pending_approval')).toBe('waiting');
    expect(payoutPhase('sent')).toBe('waiting');
    expect(payoutPhase('succeeded')).toBe('paid');
    expect(payoutPhase('failed')).toBe('returned');
    expect(payoutPhase('rejected')).toBe('returned');
  });
});

describe('cash deposit amount', () => {
  it('accepts up to what is owed', () => {
    expect(checkDepositAmount('2 500', 2500)).toEqual({ ok: true, value: 2500 });
  });
  it.each([
    ['1000', 0, 'nothing_owed'],
    ['50', 2500, 'below_min'],
    ['3000', 2500, 'deposit_exceeds_debt'],
    ['-5', 2500, 'negative'],
  ] as const)('refuses %j (owing %i) with %s', (input, owed, reason) => {
    expect(checkDepositAmount(input, owed)).toEqual({ ok: false, reason });
  });
});
