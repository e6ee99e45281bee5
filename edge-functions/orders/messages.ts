// The messages of the orders function, in French (first) and English, keyed by the stable error code that
// clients switch on, on top of the common ones (_shared/messages.ts). docs/API.md lists them; the tests check the
// French ones word for word.

import type { Language } from '../_shared/language.ts';
import { lockMinutes, REASSIGN_MESSAGES, triesLeft } from '../_shared/jobs.ts';
import { formatXof, type MessageTable, messagesOf } from '../_shared/messages.ts';

export type { Language };
export { languageFromHeader } from '../_shared/language.ts';
export { formatXof };
type Params = Record<string, unknown>;

const STATUS: Record<Language, Record<string, string>> = {
  fr: {
    pending: 'en attente',
    accepted: 'acceptée',
    rejected: 'refusée',
    cancelled: 'annulée',
    preparing: 'en préparation',
    ready: 'prête',
    picked_up: 'récupérée par le coursier',
    delivered: 'livrée',
    cash_collected: 'espèces encaissées',
  },
  en: {
    pending: 'pending',
    accepted: 'accepted',
    rejected: 'rejected',
    cancelled: 'cancelled',
    preparing: 'being prepared',
    ready: 'ready',
    picked_up: 'picked up',
    delivered: 'delivered',
    cash_collected: 'cash collected',
  },
};

function formatTime(value: unknown, lang: Language): string {
  const d = new Date(String(value));
  if (Number.isNaN(d.getTime())) return String(value);
  return d.toLocaleTimeString(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Africa/Abidjan',
  });
}

const status = (lang: Language, s: unknown) => STATUS[lang][String(s)] ?? String(s);
const named = (p: Params, fr: boolean) => (p.name ? `« ${String(p.name)} »` : fr ? 'Cet article' : 'This item');

const MESSAGES: MessageTable = {
  reason_required: {
    fr: () => 'Indiquez un motif pour refuser ou annuler une commande.',
    en: () => 'Give a reason to reject or cancel an order.',
  },
  wrong_role: {
    fr: (p) => `Vous ne pouvez pas faire passer cette commande à « ${status('fr', p.to)} ».`,
    en: (p) => `You cannot move this order to "${status('en', p.to)}".`,
  },
  order_not_found: { fr: () => 'Commande introuvable.', en: () => 'Order not found.' },
  store_not_found: { fr: () => 'Boutique introuvable.', en: () => 'Store not found.' },
  address_not_found: {
    fr: () => 'Adresse de livraison introuvable.',
    en: () => 'Delivery address not found.',
  },
  illegal_transition: {
    fr: (p) =>
      `Impossible : la commande est ${status('fr', p.status)}, elle ne peut pas passer à « ${status('fr', p.to)} ».`,
    en: (p) => `Not possible: the order is ${status('en', p.status)} and cannot move to "${status('en', p.to)}".`,
  },
  courier_not_assigned: {
    fr: () => "Aucun coursier n'est encore assigné à cette commande.",
    en: () => 'No courier is assigned to this order yet.',
  },
  store_closed: {
    fr: () => 'Cette boutique est fermée pour le moment.',
    en: () => 'This store is closed at the moment.',
  },
  store_busy: {
    fr: (p) => `Cette boutique est débordée : elle reprend les commandes à ${formatTime(p.busy_until, 'fr')}.`,
    en: (p) => `This store is busy: it takes orders again at ${formatTime(p.busy_until, 'en')}.`,
  },
  scheduled_out_of_range: {
    fr: () => 'Choisissez une heure entre 30 minutes et 7 jours à partir de maintenant.',
    en: () => 'Choose a time between 30 minutes and 7 days from now.',
  },
  scheduled_outside_hours: {
    fr: () => "La boutique sera fermée à l'heure choisie.",
    en: () => 'The store will be closed at the time you chose.',
  },
  item_unavailable: {
    fr: (p) => `${named(p, true)} n'est pas disponible dans cette boutique.`,
    en: (p) => `${p.name ? `"${String(p.name)}"` : 'This item'} is not available at this store.`,
  },
  item_sold_out: {
    fr: (p) => `« ${String(p.name)} » est épuisé pour le moment.`,
    en: (p) => `"${String(p.name)}" is sold out for now.`,
  },
  option_unavailable: {
    fr: (p) => `Une option choisie pour « ${String(p.name)} » n'est pas disponible.`,
    en: (p) => `An option chosen for "${String(p.name)}" is not available.`,
  },
  options_invalid: {
    fr: (p) => `Choix invalide pour « ${String(p.name)} » : vérifiez « ${String(p.group)} ».`,
    en: (p) => `Invalid choice for "${String(p.name)}": check "${String(p.group)}".`,
  },
  below_minimum: {
    fr: (p) => `Le minimum de commande est de ${formatXof(p.min_order_xof)}.`,
    en: (p) => `The minimum order is ${formatXof(p.min_order_xof)}.`,
  },
  address_outside_zone: {
    fr: () => 'Cette adresse est en dehors de la zone de livraison de la boutique.',
    en: () => "This address is outside the store's delivery area.",
  },
  promo_invalid: {
    fr: (p) => `Le code promo ${String(p.code)} n'est pas valable pour cette commande.`,
    en: (p) => `Promo code ${String(p.code)} is not valid for this order.`,
  },
  promo_expired: {
    fr: (p) => `Le code promo ${String(p.code)} a expiré.`,
    en: (p) => `Promo code ${String(p.code)} has expired.`,
  },
  promo_exhausted: {
    fr: (p) => `Le code promo ${String(p.code)} a déjà été utilisé autant de fois que permis.`,
    en: (p) => `Promo code ${String(p.code)} has already been used as many times as allowed.`,
  },
  promo_min_order: {
    fr: (p) => `Le code promo ${String(p.code)} demande au moins ${formatXof(p.min_order_xof)} d'achats.`,
    en: (p) => `Promo code ${String(p.code)} needs an order of at least ${formatXof(p.min_order_xof)}.`,
  },
  cash_below_total: {
    fr: (p) => `Le montant en espèces doit couvrir le total de ${formatXof(p.total_xof)}.`,
    en: (p) => `The cash amount must cover the total of ${formatXof(p.total_xof)}.`,
  },
  admin_only: {
    fr: () => 'Seul un administrateur peut faire cela.',
    en: () => 'Only an admin can do this.',
  },
  not_refundable: {
    fr: (p) => `Une commande ${status('fr', p.status)} ne peut pas être remboursée.`,
    en: (p) => `An order that is ${status('en', p.status)} cannot be refunded.`,
  },
  refund_exceeds_paid: {
    fr: (p) => `Le remboursement dépasse ce qui reste à rembourser (${formatXof(p.refundable_xof)}).`,
    en: (p) => `The refund is more than what is left to refund (${formatXof(p.refundable_xof)}).`,
  },
  phone_required: {
    fr: () => 'Ajoutez un numéro de téléphone pour être joint à la livraison.',
    en: () => 'Add a phone number so we can reach you.',
  },
  idempotency_key_reused: {
    fr: () => 'Cette clé Idempotency-Key a déjà servi pour une autre commande.',
    en: () => 'This Idempotency-Key was already used for a different order.',
  },
  wrong_delivery_code: {
    fr: (p) => `Code de livraison incorrect.${triesLeft(p, 'fr')}`,
    en: (p) => `Wrong delivery code.${triesLeft(p, 'en')}`,
  },
  code_locked: {
    fr: (p) =>
      `Trop de codes incorrects : la remise de cette commande est bloquée. Réessayez dans ${lockMinutes(p)} min avec le code du client.`,
    en: (p) =>
      `Too many wrong codes: handing over this order is locked. Try again in ${lockMinutes(p)} min with the customer's code.`,
  },
  cannot_reassign: {
    fr: (p) => `Impossible de changer de coursier : la commande est ${status('fr', p.status)}.`,
    en: (p) => `The courier cannot change: the order is ${status('en', p.status)}.`,
  },
  ...REASSIGN_MESSAGES,
};

export const { message, KNOWN_CODES } = messagesOf(MESSAGES);
