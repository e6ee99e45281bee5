// The messages every user-facing function shares, in French (first) and English, keyed by the stable error code
// clients switch on; a function adds its own (`messageCatalogue({ ...COMMON_MESSAGES, …own })`).
import type { Language } from './language.ts';

export type MessageParams = Record<string, unknown>;
export type Message = (p: MessageParams) => string;
export type MessageTable = Record<string, Record<Language, Message>>;

export const COMMON_MESSAGES: MessageTable = {
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
  unauthorized: { fr: () => 'Connectez-vous pour continuer.', en: () => 'Sign in to continue.' },
  not_found: { fr: () => 'Introuvable.', en: () => 'Not found.' },
  method_not_allowed: { fr: () => 'Méthode non autorisée.', en: () => 'Method not allowed.' },
  internal_error: {
    fr: () => 'Une erreur est survenue. Réessayez dans un instant.',
    en: () => 'Something went wrong. Please try again in a moment.',
  },
};

/** `message(code, lang, params)` over a table (unknown codes fall back to internal_error) and its codes. */
export function messageCatalogue(table: MessageTable): {
  message: (code: string, lang: Language, params?: MessageParams) => string;
  codes: readonly string[];
} {
  return {
    message: (code, lang, params = {}) =>
      (table[code] ?? table.internal_error ?? COMMON_MESSAGES.internal_error!)[lang](params),
    codes: Object.keys(table),
  };
}
