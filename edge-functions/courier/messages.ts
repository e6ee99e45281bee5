// The messages of the courier function, in French (first) and English, keyed by the stable error code that
// clients switch on, on top of the common ones (_shared/messages.ts). docs/API.md lists them; the tests check the
// French ones word for word.
import { type MessageTable, messagesOf } from '../_shared/messages.ts';

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
};

export const { message, KNOWN_CODES } = messagesOf(MESSAGES);
