// Phone numbers of the countries we serve, parsed from the way people write them and stored as E.164.
//   Côte d'Ivoire: +225 and 10 digits since 2021 (01 Moov, 05 MTN, 07 Orange; 21, 25, 27 fixed lines)
//   Togo:          +228 and 8 digits (portability since 2024: the prefix does not tell the operator)
// The database checks the same rule (private.check_phone); this module is what the apps and functions share.

export type CountryCode = 'CI' | 'TG';

export interface CountryPhonePlan {
  country: CountryCode;
  dialCode: string;
  nationalLength: number;
  /** First digits a number may start with. */
  prefixes: readonly string[];
  /** An example in national form, as people write it. */
  example: string;
}

export const PHONE_PLANS: Readonly<Record<CountryCode, CountryPhonePlan>> = {
  CI: {
    country: 'CI',
    dialCode: '225',
    nationalLength: 10,
    prefixes: ['01', '05', '07', '21', '25', '27'],
    example: '07 00 00 00 01',
  },
  TG: {
    country: 'TG',
    dialCode: '228',
    nationalLength: 8,
    prefixes: ['2', '7', '9'],
    example: '90 00 00 01',
  },
};

export type PhoneRefusal =
  'empty' | 'invalid_characters' | 'unsupported_country' | 'too_short' | 'too_long' | 'invalid_prefix';

export interface PhoneNumber {
  country: CountryCode;
  /** "+2250700000301" */
  e164: string;
  /** "0700000301" */
  national: string;
}

export type PhoneParseResult = ({ ok: true } & PhoneNumber) | { ok: false; reason: PhoneRefusal };

const ALLOWED = /^\+?[\d\s.\-()/\u00a0]*$/;

function countryOfDialCode(digits: string): CountryCode | undefined {
  for (const plan of Object.values(PHONE_PLANS)) {
    if (digits.startsWith(plan.dialCode) && digits.length === plan.dialCode.length + plan.nationalLength) {
      return plan.country;
    }
  }
  return undefined;
}

/**
 * Reads a number as people write it: "07 00 00 03 01", "07.00.00.03.01", "+225 07 00 00 03 01",
 * "00225 0700000301", "2250700000301" (how Auth stores it), "90 00 00 01" with country TG.
 * A number with an international prefix chooses its own country; otherwise `country` applies.
 */
export function parsePhone(input: string, country: CountryCode = 'CI'): PhoneParseResult {
  const raw = input.trim();
  if (raw === '') return { ok: false, reason: 'empty' };
  if (!ALLOWED.test(raw) || raw.indexOf('+') > 0) return { ok: false, reason: 'invalid_characters' };
  let digits = raw.replace(/\D/g, '');
  if (digits === '') return { ok: false, reason: 'empty' };

  const international = raw.startsWith('+') || digits.startsWith('00');
  let plan = PHONE_PLANS[country];
  if (international) {
    if (digits.startsWith('00')) digits = digits.slice(2);
    const found = Object.values(PHONE_PLANS).find((p) => digits.startsWith(p.dialCode));
    if (!found) return { ok: false, reason: 'unsupported_country' };
    plan = found;
    digits = digits.slice(plan.dialCode.length);
  } else {
    const byDialCode = countryOfDialCode(digits);
    if (byDialCode) {
      plan = PHONE_PLANS[byDialCode];
      digits = digits.slice(plan.dialCode.length);
    }
  }

  if (digits.length < plan.nationalLength) return { ok: false, reason: 'too_short' };
  if (digits.length > plan.nationalLength) return { ok: false, reason: 'too_long' };
  if (!plan.prefixes.some((p) => digits.startsWith(p))) return { ok: false, reason: 'invalid_prefix' };
  return { ok: true, country: plan.country, e164: `+${plan.dialCode}${digits}`, national: digits };
}

/** Pairs of digits, as people read them: "0700000301" → "07 00 00 03 01", "90000001" → "90 00 00 01". */
export function groupPairs(digits: string): string {
  return (digits.match(/\d{1,2}/g) ?? []).join(' ');
}

/** "+225 07 00 00 03 01" from E.164 (with or without the "+"); the input back when it is not one of ours. */
export function formatPhone(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  const country = countryOfDialCode(digits);
  if (!country) return e164;
  const plan = PHONE_PLANS[country];
  return `+${plan.dialCode} ${groupPairs(digits.slice(plan.dialCode.length))}`;
}

/**
 * Live formatting while a person types the national part: keeps digits only, at most the country's length,
 * grouped in pairs. "0700" → "07 00".
 */
export function formatPhoneInput(input: string, country: CountryCode): string {
  const digits = input.replace(/\D/g, '').slice(0, PHONE_PLANS[country].nationalLength);
  return groupPairs(digits);
}
