// A failed call in words: the edge functions' own message (written in the language asked), our database codes
// through `errors.<code>`, a lost connection or a timeout as such; never a raw error.
import { AdminError } from '../data/errors.ts';
import { i18n } from '../i18n/index.ts';
import { formatDate } from './format.ts';

const DOCUMENT_KINDS = ['national_id', 'driving_licence', 'vehicle_registration', 'insurance', 'municipal_card'];

export function describeError(e: unknown): string {
  const t = i18n.global.t as (key: string, named?: Record<string, unknown>) => string;
  const te = i18n.global.te as (key: string) => boolean;
  if (!(e instanceof AdminError)) return t('errors.unknown');
  if (e.kind === 'timeout') return t('common.noAnswer');
  if (e.kind === 'network') return t('errors.network');
  if (e.serverMessage) return e.serverMessage;
  if (e.code === 'documents_incomplete') {
    const blockers = Array.isArray(e.details.blockers) ? (e.details.blockers as string[]) : [];
    const names = blockers.map((b) => (DOCUMENT_KINDS.includes(b) || te(`docKind.${b}`) ? t(`docKind.${b}`) : b));
    return t('errors.documents_incomplete', { list: names.join(', ') });
  }
  if (e.code === 'document_expired') {
    const date = typeof e.details.expires_on === 'string' ? formatDate(e.details.expires_on) : '';
    return t('errors.document_expired', { date });
  }
  if (e.code === 'amount_too_small') {
    const field = String(e.details.field ?? '');
    return t('errors.amount_too_small', { field: te(`fees.${field}`) ? t(`fees.${field}`) : field });
  }
  return te(`errors.${e.code}`) ? t(`errors.${e.code}`) : t('errors.unknown');
}
