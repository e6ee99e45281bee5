// The messages of the courier function, in French (first) and English, keyed by the stable error code that
// clients switch on, on top of the common ones (_shared/messages.ts). docs/API.md lists them; the tests check the
// French ones word for word.
import type { Language } from '../_shared/language.ts';
import { type MessageParams, type MessageTable, messagesOf } from '../_shared/messages.ts';
import { KNOWN_CODES as ORDER_CODES, message as orderMessage } from '../orders/messages.ts';
import { KNOWN_CODES as RIDE_CODES, message as rideMessage } from '../rides/messages.ts';

const MESSAGES: MessageTable = {
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
  // Steps taken offline and refused when they reached the server (POST /courier/sync).
  job_cancelled: {
    fr: () => 'Annulée entre-temps : cette étape n’a pas été enregistrée. Ne remettez rien et contactez le support.',
    en: () => 'Cancelled meanwhile: this step was not recorded. Hand nothing over and contact support.',
  },
  job_reassigned: {
    fr: () => 'Cette course a été confiée à un autre coursier entre-temps : cette étape n’a pas été enregistrée.',
    en: () => 'This job was given to another courier meanwhile: this step was not recorded.',
  },
  device_time_invalid: {
    fr: () => 'L’heure de votre téléphone est fausse : réglez la date et l’heure, puis réessayez.',
    en: () => "Your phone's clock is wrong: set the date and time, then try again.",
  },
  action_not_offline: {
    fr: () => 'Cette action ne peut pas être faite hors connexion.',
    en: () => 'This action cannot be done offline.',
  },
  action_id_reused: {
    fr: () => 'Cette action a déjà été envoyée par un autre appareil.',
    en: () => 'This action was already sent from another device.',
  },
};

export const { message, KNOWN_CODES } = messagesOf(MESSAGES);

/**
 * Why one offline step was refused, in the courier's words: our own codes, else the order's or the ride's
 * (illegal_transition, wrong_delivery_code, wrong_start_pin, code_locked… read differently for each).
 */
export function stepMessage(code: string, lang: Language, detail: MessageParams, job: unknown): string {
  if (code in MESSAGES) return message(code, lang, detail);
  if (job === 'ride' && RIDE_CODES.includes(code)) return rideMessage(code, lang, detail);
  if (ORDER_CODES.includes(code)) return orderMessage(code, lang, detail);
  return message(code, lang, detail);
}
