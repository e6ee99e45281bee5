import { describe, expect, it } from 'vitest';
import { formatPhone, formatPhoneInput, parsePhone } from '../src/phone.ts';

describe('parsePhone', () => {
  it.each([
    ['07 00 00 03 01'],
    ['0700000301'],
    ['07.00.00.03.01'],
    ['07-00-00-03-01'],
    ['+225 07 00 00 03 01'],
    ['+2250700000301'],
    ['00225 07 00 00 03 01'],
    ['2250700000301'],
  ])('reads the Ivorian number written %j', (input) => {
    expect(parsePhone(input)).toEqual({ ok: true, country: 'CI', e164: '+2250700000301', national: '0700000301' });
  });

  it('reads Togolese numbers with the country chosen or from +228', () => {
    const expected = { ok: true, country: 'TG', e164: '+22890000001', national: '90000001' };
    expect(parsePhone('90 00 00 01', 'TG')).toEqual(expected);
    expect(parsePhone('+228 90 00 00 01')).toEqual(expected);
    expect(parsePhone('0022890000001', 'CI')).toEqual(expected);
    expect(parsePhone('22890000001')).toEqual(expected);
  });

  it('accepts Ivorian fixed lines and every mobile prefix', () => {
    for (const p of ['01', '05', '07', '21', '25', '27']) expect(parsePhone(`${p}00000000`).ok).toBe(true);
  });

  it.each([
    ['', 'CI', 'empty'],
    ['   ', 'CI', 'empty'],
    ['+33 6 12 34 56 78', 'CI', 'unsupported_country'],
    ['0033612345678', 'CI', 'unsupported_country'],
    ['+1 555 0100', 'TG', 'unsupported_country'],
    ['07 00 00 03', 'CI', 'too_short'],
    ['07 00 00 03 01 99', 'CI', 'too_long'],
    ['+225 07 00 00 03', 'CI', 'too_short'],
    ['90 00 00 01', 'CI', 'too_short'],
    ['08 00 00 03 01', 'CI', 'invalid_prefix'],
    ['50 00 00 01', 'TG', 'invalid_prefix'],
    ['07 00 ab 03 01', 'CI', 'invalid_characters'],
    ['07+0000301', 'CI', 'invalid_characters'],
  ] as const)('refuses %j (country %s) with %s', (input, country, reason) => {
    expect(parsePhone(input, country)).toEqual({ ok: false, reason });
  });
});

describe('formatPhone', () => {
  it('writes numbers in pairs after the country code', () => {
    expect(formatPhone('+2250700000301')).toBe('+225 07 00 00 03 01');
    expect(formatPhone('2250700000301')).toBe('+225 07 00 00 03 01');
    expect(formatPhone('+22890000001')).toBe('+228 90 00 00 01');
  });

  it('leaves a number of another country as it was', () => {
    expect(formatPhone('+33612345678')).toBe('+33612345678');
  });
});

describe('formatPhoneInput', () => {
  it('groups what is typed so far in pairs and stops at the national length', () => {
    expect(formatPhoneInput('0', 'CI')).toBe('0');
    expect(formatPhoneInput('070', 'CI')).toBe('07 0');
    expect(formatPhoneInput('07.00.00.03.01.55', 'CI')).toBe('07 00 00 03 01');
    expect(formatPhoneInput('900000019', 'TG')).toBe('90 00 00 01');
    expect(formatPhoneInput('ab', 'CI')).toBe('');
  });
});
