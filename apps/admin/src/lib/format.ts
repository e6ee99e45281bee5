// Dates and times as the team reads them (Abidjan time = UTC), in the language on screen; money through formatXof.
import { i18n } from '../i18n/index.ts';

const TZ = 'Africa/Abidjan';

function locale(): string {
  return i18n.global.locale.value === 'en' ? 'en-GB' : 'fr-FR';
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'medium', timeZone: TZ }).format(
    new Date(iso),
  );
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: TZ }).format(new Date(iso));
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale(), { timeStyle: 'short', timeZone: TZ }).format(new Date(iso));
}

/** A YYYY-MM-DD (or YYYY-MM-DDTHH:mm from the overview's series) label. */
export function formatBucket(at: string, bucket: 'hour' | 'day'): string {
  return bucket === 'hour' ? at.slice(11, 16) : at.slice(8, 10) + '/' + at.slice(5, 7);
}

/** The start of a YYYY-MM-DD day (UTC = Abidjan), as an ISO instant; null when empty. */
export function dayStart(day: string | null | undefined): string | null {
  return day ? new Date(`${day}T00:00:00Z`).toISOString() : null;
}

/** The start of the day after YYYY-MM-DD; null when empty. */
export function dayEnd(day: string | null | undefined): string | null {
  return day ? new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString() : null;
}
