import { describe, expect, it } from 'vitest';
import { formatSignedXof, formatXof, parseXof } from '../src/money.ts';

const nb = (s: string): string => s.replace(/ /g, '\u00a0');

describe('formatXof', () => {
  it('groups thousands with no-break spaces and ends with FCFA', () => {
    expect(formatXof(1500)).toBe(nb('1 500 FCFA'));
    expect(formatXof(150)).toBe(nb('150 FCFA'));
    expect(formatXof(0)).toBe(nb('0 FCFA'));
    expect(formatXof(1_234_567)).toBe(nb('1 234 567 FCFA'));
    expect(formatXof(-2500)).toBe(nb('-2 500 FCFA'));
  });

  it('refuses fractions and non-numbers instead of hiding a cents bug', () => {
    expect(() => formatXof(1500.5)).toThrow(RangeError);
    expect(() => formatXof(Number.NaN)).toThrow(RangeError);
    expect(() => formatXof(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('parseXof', () => {
  it.each([
    ['1500', 1500],
    ['1 500', 1500],
    ['1\u00a0500', 1500],
    ['1.500', 1500],
    ['1 500 FCFA', 1500],
    ['1500F', 1500],
    ['2 000 cfa', 2000],
    ['1500,00', 1500],
    ['  750 ', 750],
    ['1.000.000', 1_000_000],
  ])('reads %j as %d', (input, value) => {
    expect(parseXof(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['FCFA', 'empty'],
    ['abc', 'not_a_number'],
    ['15 00', 'not_a_number'],
    ['1500,50', 'fraction'],
    ['1.5', 'fraction'],
    ['-500', 'negative'],
    ['10 000 001', 'too_large'],
  ])('refuses %j with %s', (input, reason) => {
    expect(parseXof(input)).toEqual({ ok: false, reason });
  });
});

describe('formatSignedXof', () => {
  it('shows money in with a plus, money out with a true minus, and nothing moved without a sign', () => {
    expect(formatSignedXof(1500)).toBe(`+${formatXof(1500)}`);
    expect(formatSignedXof(-1500)).toBe(`\u2212${formatXof(1500)}`);
    expect(formatSignedXof(0)).toBe(formatXof(0));
    expect(formatSignedXof(-0)).toBe(formatXof(0));
  });
});
