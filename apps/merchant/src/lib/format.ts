// Display helpers that are the app's, not the domain's.

/** The short order number people read out on the phone: the first 8 characters of the id, upper case. */
export const shortId = (id: string): string => id.slice(0, 8).toUpperCase();

/** "14:05" in the stores' time zone (Tiassalé, Lomé: UTC+0). */
export const clock = (iso: string): string =>
  new Date(iso).toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Africa/Abidjan' });
