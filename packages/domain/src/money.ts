// Money in XOF (franc CFA). XOF has no minor unit (ISO 4217 exponent 0): amounts are whole numbers of FCFA
// everywhere, never cents (DESIGN.md §7). One formatter for every screen: "1 500 FCFA" as people read it.

/** The space used between thousands and before "FCFA": a no-break space, so an amount never wraps. */
export const MONEY_SPACE = '\u00a0';

export type ParseXofRefusal = 'empty' | 'not_a_number' | 'fraction' | 'negative' | 'too_large';
export type ParseXofResult = { ok: true; value: number } | { ok: false; reason: ParseXofRefusal };

/** Largest amount we accept from a person (a wallet top-up or a price): 10 million FCFA. */
export const MAX_XOF = 10_000_000;

/** Groups digits by three, French style: 1500 → "1 500". */
export function groupThousands(amount: number): string {
  const digits = String(Math.abs(amount));
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end));
  return (amount < 0 ? '-' : '') + groups.join(MONEY_SPACE);
}

/**
 * "1 500 FCFA". Throws RangeError on a fraction or a non-finite number: in XOF those are bugs (an amount
 * multiplied by 100, a float division), and showing them rounded would hide the bug.
 */
export function formatXof(amount: number): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`an XOF amount is a whole number, got ${amount}`);
  return `${groupThousands(amount)}${MONEY_SPACE}FCFA`;
}

/**
 * A movement with its direction: "+1 500 FCFA" in, "−1 500 FCFA" out (a true minus sign), and "0 FCFA" with no sign
 * when nothing moved (never "−0 FCFA").
 */
export function formatSignedXof(amount: number): string {
  const text = formatXof(Math.abs(amount));
  return amount > 0 ? `+${text}` : amount < 0 ? `\u2212${text}` : text;
}

/**
 * Reads an amount typed by a person: "1500", "1 500", "1.500", "1 500 FCFA", "1500F", "2 000 CFA", "1500,00".
 * Dots and spaces group thousands; a comma starts decimals, which must be zeros.
 */
export function parseXof(input: string): ParseXofResult {
  let s = input.trim().replace(/\s*(f\s*cfa|cfa|xof|f)\s*$/i, '');
  s = s.replace(/[\s\u00a0\u202f]/g, ' ').trim();
  if (s === '') return { ok: false, reason: 'empty' };
  if (s.startsWith('-')) return { ok: false, reason: 'negative' };
  const m = /^(\d{1,3}(?:[ .]\d{3})+|\d+)(?:,(\d+))?$/.exec(s);
  if (!m) {
    if (/^\d+[.,]\d+$/.test(s)) return { ok: false, reason: 'fraction' };
    return { ok: false, reason: 'not_a_number' };
  }
  if (m[2] !== undefined && /[1-9]/.test(m[2])) return { ok: false, reason: 'fraction' };
  const value = Number(m[1]!.replace(/[ .]/g, ''));
  if (value > MAX_XOF) return { ok: false, reason: 'too_large' };
  return { ok: true, value };
}
