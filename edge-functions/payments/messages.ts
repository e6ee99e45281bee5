// The messages of the payments function, in French (first) and English, keyed by the stable code clients switch
// on, on top of the common ones (_shared/messages.ts). docs/API.md lists them.
import { formatXof } from '../../packages/domain/src/money.ts';
import { formatPhone } from '../../packages/domain/src/phone.ts';
import type { Language } from '../_shared/language.ts';
import { type MessageTable, messagesOf } from '../_shared/messages.ts';

export type { Language };

const xof = (v: unknown) => formatXof(Number.isSafeInteger(Number(v)) ? Number(v) : 0);
/** The payer's number as people write it: "+225 07 00 00 05 77". */
const phone = (v: unknown) => formatPhone(String(v ?? ''));

const MESSAGES: MessageTable = {
  confirm_on_phone: {
    fr: (p) =>
      `Confirmez le paiement de ${xof(p.amount_xof)} sur votre téléphone (${phone(p.phone)}) avec votre code secret.`,
    en: (p) => `Confirm the payment of ${xof(p.amount_xof)} on your phone (${phone(p.phone)}) with your PIN.`,
  },
  open_payment_page: {
    fr: (p) => `Ouvrez la page de paiement pour régler ${xof(p.amount_xof)}.`,
    en: (p) => `Open the payment page to pay ${xof(p.amount_xof)}.`,
  },
  invalid_idempotency_key: {
    fr: () => "L'en-tête Idempotency-Key doit faire de 8 à 100 caractères.",
    en: () => 'The Idempotency-Key header must be 8 to 100 characters long.',
  },
  idempotency_key_reused: {
    fr: () => 'Cette clé Idempotency-Key a déjà servi pour un autre paiement.',
    en: () => 'This Idempotency-Key was already used for a different payment.',
  },
  amount_out_of_range: {
    fr: (p) => `Le montant doit être entre ${xof(p.min_xof)} et ${xof(p.max_xof)}.`,
    en: (p) => `The amount must be between ${xof(p.min_xof)} and ${xof(p.max_xof)}.`,
  },
  amount_not_multiple_of_5: {
    fr: () => 'Le montant doit être un multiple de 5 FCFA.',
    en: () => 'The amount must be a multiple of 5 FCFA.',
  },
  operator_not_available: {
    fr: () => "Cet opérateur n'est pas disponible dans votre pays.",
    en: () => 'This operator is not available in your country.',
  },
  phone_not_in_country: {
    fr: () => "Ce numéro Mobile Money n'est pas un numéro de votre pays.",
    en: () => 'This mobile money number is not a number of your country.',
  },
  too_many_pending_payments: {
    fr: () => 'Vous avez déjà 5 paiements en attente. Confirmez-les ou attendez leur expiration.',
    en: () => 'You already have 5 payments waiting. Confirm them or wait until they expire.',
  },
  not_a_courier: {
    fr: () => 'Seuls les coursiers peuvent faire un versement.',
    en: () => 'Only couriers can make a cash deposit.',
  },
  deposit_exceeds_debt: {
    fr: (p) => `Vous pouvez verser au plus ${xof(p.max_xof)} (vous devez ${xof(p.owed_xof)}).`,
    en: (p) => `You can deposit at most ${xof(p.max_xof)} (you owe ${xof(p.owed_xof)}).`,
  },
  payment_provider_unavailable: {
    fr: () => 'Le paiement Mobile Money est indisponible pour le moment. Réessayez plus tard.',
    en: () => 'Mobile money payments are unavailable right now. Please try again later.',
  },
  payment_intent_not_found: { fr: () => 'Paiement introuvable.', en: () => 'Payment not found.' },
  invalid_date_range: {
    fr: () => 'Indiquez from et to (AAAA-MM-JJ), 31 jours au plus.',
    en: () => 'Give from and to (YYYY-MM-DD), 31 days at most.',
  },
  forbidden: { fr: () => 'Accès réservé aux administrateurs.', en: () => 'Administrators only.' },
};

export const { message, KNOWN_CODES } = messagesOf(MESSAGES);
