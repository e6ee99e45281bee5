// Every message the courier function sends, in French (first) and English, keyed by the stable error code that
// clients switch on. docs/API.md lists them; the tests check the French ones word for word.
import type { Language } from '../_shared/language.ts';

type Params = Record<string, unknown>;
type Message = (p: Params) => string;

const MESSAGES: Record<string, Record<Language, Message>> = {
  validation_failed: {
    fr: () => 'Certaines informations de la demande sont invalides.',
    en: () => 'Some fields of the request are invalid.',
  },
  invalid_json: {
    fr: () => 'Le corps de la requête doit être un objet JSON.',
    en: () => 'The request body must be a JSON object.',
  },
  unauthorized: { fr: () => 'Connectez-vous pour continuer.', en: () => 'Sign in to continue.' },
  not_found: { fr: () => 'Introuvable.', en: () => 'Not found.' },
  method_not_allowed: { fr: () => 'Méthode non autorisée.', en: () => 'Method not allowed.' },
  not_a_courier: {
    fr: () => "Ce compte n'est pas inscrit comme coursier.",
    en: () => 'This account is not registered as a courier.',
  },
  courier_not_approved: {
    fr: () => "Votre compte coursier n'est pas encore validé.",
    en: () => 'Your courier account is not approved yet.',
  },
  position_required: {
    fr: () => 'Partagez votre position pour passer en ligne.',
    en: () => 'Share your position to go online.',
  },
  offer_not_found: { fr: () => 'Proposition introuvable.', en: () => 'Offer not found.' },
  offer_expired: {
    fr: () => 'Cette proposition a expiré.',
    en: () => 'This offer has expired.',
  },
  offer_closed: {
    fr: () => 'Cette proposition a déjà reçu une réponse.',
    en: () => 'This offer has already been answered.',
  },
  offer_taken: {
    fr: () => 'Cette course a déjà été prise par un autre coursier.',
    en: () => 'Another courier already took this job.',
  },
  courier_busy: {
    fr: () => 'Terminez votre course en cours avant d’en accepter une autre.',
    en: () => 'Finish your current job before accepting another one.',
  },
  internal_error: {
    fr: () => 'Une erreur est survenue. Réessayez dans un instant.',
    en: () => 'Something went wrong. Please try again in a moment.',
  },
};

export function message(code: string, lang: Language, params: Params = {}): string {
  const entry = MESSAGES[code] ?? MESSAGES.internal_error!;
  return entry[lang](params);
}

export const KNOWN_CODES: readonly string[] = Object.keys(MESSAGES);
