// A moment as the lists show it ("21 nov., 14:05"): in the language on screen and the pilot zone's time zone, so a
// phone set to another zone still shows the town's clock. Used by the order history, my rides and the inbox.
import { useI18n } from 'vue-i18n';
import { PILOT_ZONE } from './useZone.ts';

export function useDayTime(): (at: string) => string {
  const { locale } = useI18n();
  return (at) =>
    new Intl.DateTimeFormat(locale.value, {
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: PILOT_ZONE.timezone,
    }).format(new Date(at));
}
