// Every message the payouts function sends, in French (first) and English, keyed by the stable error code that
// clients switch on. docs/API.md lists them; the tests check the French ones word for word.
import type { Language } from '../_shared/language.ts';
import { COMMON_MESSAGES, formatXof, type MessageTable, messagesOf } from '../_shared/messages.ts';

const STATUS: Record<Language, Record<string, string>> = {
  fr: {
    pending_approval: 'en attente de validation',
    approved: 'approuvé',
    sent: 'envoyé',
    succeeded: 'payé',
    failed: 'échoué',
    rejected: 'refusé',
  },
  en: {
    pending_approval: 'waiting for approval',
    approved: 'approved',
    sent: 'sent',
    succeeded: 'paid',
    failed: 'failed',
    rejected: 'refused',
  },
};
const status = (lang: Language, s: unknown) => STATUS[lang][String(s)] ?? String(s);

const MESSAGES: MessageTable = {
  invalid_idempotency_key: COMMON_MESSAGES.idempotency_key_required!,
  idempotency_key_reused: {
    fr: () => 'Cette clé Idempotency-Key a déjà servi pour une autre demande.',
    en: () => 'This Idempotency-Key was already used for a different request.',
  },
  forbidden: {
    fr: () => 'Seul le service peut lancer cette vérification.',
    en: () => 'Only the service role may run this sweep.',
  },
  store_not_found: { fr: () => 'Boutique introuvable.', en: () => 'Store not found.' },
  not_store_owner: {
    fr: () => 'Seul le propriétaire de la boutique peut retirer son argent.',
    en: () => "Only the store's owner can withdraw its money.",
  },
  not_a_courier: {
    fr: () => "Ce compte n'est pas inscrit comme coursier.",
    en: () => 'This account is not registered as a courier.',
  },
  not_admin: {
    fr: () => 'Réservé aux administrateurs.',
    en: () => 'Administrators only.',
  },
  payout_not_found: { fr: () => 'Retrait introuvable.', en: () => 'Withdrawal not found.' },
  payout_not_pending: {
    fr: (p) => `Ce retrait n'attend pas de validation : il est ${status('fr', p.status)}.`,
    en: (p) => `This withdrawal is not waiting for approval: it is ${status('en', p.status)}.`,
  },
  reason_required: {
    fr: () => 'Indiquez un motif pour refuser un retrait.',
    en: () => 'Give a reason to refuse a withdrawal.',
  },
  below_minimum: {
    fr: (p) => `Le retrait minimum est de ${formatXof(p.minimum_xof)}.`,
    en: (p) => `The minimum withdrawal is ${formatXof(p.minimum_xof)}.`,
  },
  daily_limit_exceeded: {
    fr: (p) =>
      `Vous ne pouvez plus retirer que ${formatXof(p.remaining_xof)} aujourd'hui (plafond : ${formatXof(p.daily_maximum_xof)} par jour).`,
    en: (p) =>
      `You can only withdraw ${formatXof(p.remaining_xof)} more today (limit: ${formatXof(p.daily_maximum_xof)} a day).`,
  },
  payout_destination_required: {
    fr: () => 'Indiquez le numéro Mobile Money et son opérateur pour recevoir le retrait.',
    en: () => 'Give the mobile-money number and its operator to receive the withdrawal.',
  },
  operator_mismatch: {
    fr: () => "Ce numéro n'est pas du pays de cet opérateur.",
    en: () => "This number is not from this operator's country.",
  },
  statement_not_found: { fr: () => 'Relevé introuvable.', en: () => 'Statement not found.' },
};

export const { message, KNOWN_CODES } = messagesOf(MESSAGES);
