// The messages of the rides function, in French (first) and English, keyed by the stable error code that
// clients switch on, on top of the common ones (_shared/messages.ts). docs/API.md lists them; the tests check the
// French ones word for word.
import type { Language } from '../_shared/language.ts';
import { lockMinutes, REASSIGN_MESSAGES, triesLeft } from '../_shared/jobs.ts';
import { type MessageTable, messagesOf } from '../_shared/messages.ts';

const STATUS: Record<string, Record<Language, string>> = {
  requested: { fr: 'demandée', en: 'requested' },
  accepted: { fr: 'acceptée', en: 'accepted' },
  arrived: { fr: 'chauffeur arrivé', en: 'driver arrived' },
  in_progress: { fr: 'en cours', en: 'in progress' },
  completed: { fr: 'terminée', en: 'completed' },
  cancelled: { fr: 'annulée', en: 'cancelled' },
  expired: { fr: 'expirée', en: 'expired' },
};
const status = (value: unknown, lang: Language) => STATUS[String(value)]?.[lang] ?? String(value);

const MESSAGES: MessageTable = {
  reason_required: {
    fr: () => 'Indiquez un motif pour annuler la course.',
    en: () => 'Give a reason to cancel the ride.',
  },
  wrong_role: {
    fr: (p) => `Vous ne pouvez pas faire passer cette course à « ${status(p.to, 'fr')} ».`,
    en: (p) => `You cannot move this ride to "${status(p.to, 'en')}".`,
  },
  ride_not_found: { fr: () => 'Course introuvable.', en: () => 'Ride not found.' },
  illegal_transition: {
    fr: (p) =>
      `Impossible : la course est ${status(p.status, 'fr')}, elle ne peut pas passer à « ${status(p.to, 'fr')} ».`,
    en: (p) => `Not possible: the ride is ${status(p.status, 'en')} and cannot move to "${status(p.to, 'en')}".`,
  },
  offer_taken: {
    fr: () => 'Cette course a déjà été prise par un autre chauffeur.',
    en: () => 'Another driver already took this ride.',
  },
  offer_expired: { fr: () => 'Cette proposition a expiré.', en: () => 'This offer has expired.' },
  offer_closed: {
    fr: () => 'Cette proposition a déjà reçu une réponse.',
    en: () => 'This offer has already been answered.',
  },
  courier_busy: {
    fr: () => 'Terminez votre course en cours avant d’en accepter une autre.',
    en: () => 'Finish your current job before accepting another one.',
  },
  outside_zone: {
    fr: (p) =>
      p.place === 'dropoff'
        ? "Le point d'arrivée est en dehors de la zone desservie."
        : 'Le point de départ est en dehors de la zone desservie.',
    en: (p) =>
      p.place === 'dropoff' ? 'The dropoff is outside the area we serve.' : 'The pickup is outside the area we serve.',
  },
  same_place: {
    fr: () => "Le point de départ et le point d'arrivée sont au même endroit.",
    en: () => 'The pickup and the dropoff are the same place.',
  },
  vehicle_unavailable: {
    fr: () => "Ce type de véhicule n'est pas disponible dans cette zone.",
    en: () => 'This vehicle type is not available in this area.',
  },
  wrong_start_pin: {
    fr: (p) => `Code PIN de départ incorrect.${triesLeft(p, 'fr')}`,
    en: (p) => `Wrong start PIN.${triesLeft(p, 'en')}`,
  },
  code_locked: {
    fr: (p) =>
      `Trop de codes PIN incorrects : le départ de cette course est bloqué. Réessayez dans ${lockMinutes(p)} min avec le code du passager.`,
    en: (p) =>
      `Too many wrong PINs: starting this ride is locked. Try again in ${lockMinutes(p)} min with the rider's PIN.`,
  },
  admin_only: {
    fr: () => 'Seul un administrateur peut changer le chauffeur d’une course.',
    en: () => 'Only an admin can change the driver of a ride.',
  },
  cannot_reassign: {
    fr: (p) => `Impossible de changer de chauffeur : la course est ${status(p.status, 'fr')}.`,
    en: (p) => `The driver cannot change: the ride is ${status(p.status, 'en')}.`,
  },
  ...REASSIGN_MESSAGES,
  idempotency_key_reused: {
    fr: () => 'Cette clé Idempotency-Key a déjà servi pour une autre course.',
    en: () => 'This Idempotency-Key was already used for a different ride.',
  },
};

export const { message, KNOWN_CODES } = messagesOf(MESSAGES);
