// The messages every user-facing function shares, in French (first) and English, keyed by their stable code, and the
// lookup each function's messages.ts builds from its own table plus these.
import type { Language } from './language.ts';

export type MessageParams = Record<string, unknown>;
export type MessageTable = Record<string, Record<Language, (p: MessageParams) => string>>;

/** 1500 → "1 500 FCFA" (XOF has no minor unit), as the server's messages write amounts. */
export function formatXof(amount: unknown): string {
  const n = typeof amount === 'number' ? amount : Number(amount);
  return `${String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} FCFA`;
}

export const COMMON_MESSAGES: MessageTable = {
  insufficient_funds: {
    fr: (p) =>
      `Solde insuffisant : votre portefeuille contient ${formatXof(p.balance_xof)}, il faut ${formatXof(p.needed_xof)}.`,
    en: (p) => `Not enough money: your wallet holds ${formatXof(p.balance_xof)}, ${formatXof(p.needed_xof)} needed.`,
  },
  validation_failed: {
    fr: () => 'Certaines informations de la demande sont invalides.',
    en: () => 'Some fields of the request are invalid.',
  },
  invalid_json: {
    fr: () => 'Le corps de la requête doit être un objet JSON.',
    en: () => 'The request body must be a JSON object.',
  },
  idempotency_key_required: {
    fr: () => "L'en-tête Idempotency-Key (8 à 100 caractères) est obligatoire.",
    en: () => 'The Idempotency-Key header (8 to 100 characters) is required.',
  },
  // A person an admin suspended (private.refuse_suspended): no order, ride, going online or offer.
  account_suspended: {
    fr: () => 'Votre compte est suspendu : appelez le support pour en savoir plus.',
    en: () => 'Your account is suspended: call support to find out more.',
  },
  unauthorized: { fr: () => 'Connectez-vous pour continuer.', en: () => 'Sign in to continue.' },
  not_found: { fr: () => 'Introuvable.', en: () => 'Not found.' },
  method_not_allowed: { fr: () => 'Méthode non autorisée.', en: () => 'Method not allowed.' },
  internal_error: {
    fr: () => 'Une erreur est survenue. Réessayez dans un instant.',
    en: () => 'Something went wrong. Please try again in a moment.',
  },
};

/** `message(code, lang, params)` over `table` and the common messages; an unknown code reads as internal_error. */
export function messagesOf(table: MessageTable) {
  const all: MessageTable = { ...COMMON_MESSAGES, ...table };
  return {
    message(code: string, lang: Language, params: MessageParams = {}): string {
      const entry = all[code] ?? all.internal_error!;
      return entry[lang](params);
    },
    KNOWN_CODES: Object.keys(all) as readonly string[],
  };
}
