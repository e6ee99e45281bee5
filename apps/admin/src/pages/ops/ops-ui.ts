// What the operations pages share: the words of a refusal (ops.errors.<code> with its detail, money in FCFA), a new
// idempotency key, dates as the team reads them.
import { formatXof } from '@ecom/domain';
import { OpsError } from '../../data/ops/errors.ts';

type T = (key: string, params?: Record<string, unknown>) => string;
type Te = (key: string) => boolean;

/** The message of an error in the current language; never a raw SQL text. */
export function errorText(t: T, te: Te, error: unknown): string {
  if (error instanceof OpsError) {
    const key = `ops.errors.${error.code}`;
    if (te(key)) {
      const d = error.detail;
      const params: Record<string, unknown> = { ...d };
      if (typeof d.refundable_xof === 'number') params.refundable = formatXof(d.refundable_xof);
      // A column named by the database reads as the label of its field on the page.
      if (typeof d.field === 'string' && te(`ops.fields.${d.field}`)) params.field = t(`ops.fields.${d.field}`);
      return t(key, params);
    }
  }
  if (error instanceof TypeError) return t('ops.errors.network');
  return t('ops.errors.unknown');
}

export const newIdempotencyKey = (): string => `admin-${crypto.randomUUID()}`;

/** "21/11/2026 14:05" (GMT: Côte d'Ivoire's time). */
export function shortDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(locale === 'en' ? 'en-GB' : 'fr-FR', {
    timeZone: 'Africa/Abidjan',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** Whole FCFA typed by a person ("1 500", "1500") or null. */
export function parseWholeXof(text: string | number | null | undefined): number | null {
  const s = String(text ?? '')
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(/fcfa|f$/i, '');
  if (!/^-?\d+$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}
