// vue-i18n as every app sets it up (@ecom/app-kit/i18n): French by default (fr.json, in the first screen), English
// loaded when chosen. Messages are precompiled at build time (@ecom/app-kit/vite-i18n-ast). `phone.*` keys come from
// parsePhone's refusal codes. `step.*` and `queue.*` come from @ecom/domain/courier.
import { createAppI18n, type Locale } from '@ecom/app-kit/i18n';
import fr from './fr.json';

export type Messages = typeof fr;
export type { Locale };

export const { i18n, setLocale, restoreLocale } = createAppI18n({
  fr,
  en: () => import('./en.json').then((m) => m.default),
  storageKey: 'ecom.courier.locale',
});
