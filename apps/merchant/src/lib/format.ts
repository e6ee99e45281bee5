// Display helpers that are the app's, not the domain's.

export { shortId } from '@ecom/domain/order';

/** "14:05" in the stores' time zone (Tiassalé, Lomé: UTC+0). */
export const clock = (iso: string): string =>
  new Date(iso).toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Africa/Abidjan' });
