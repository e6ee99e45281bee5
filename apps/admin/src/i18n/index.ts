// vue-i18n: French by default, English loaded when chosen (saved on this laptop). Messages are precompiled at build
// time (@ecom/app-kit/vite-i18n-ast), so the runtime build ships without the message compiler.
import { createI18n } from 'vue-i18n';
import fr from './fr.json';

export type Messages = typeof fr;
export type Locale = 'fr' | 'en';
const KEY = 'ecom.admin.locale';

export const i18n = createI18n<[Messages], Locale, false>({
  legacy: false,
  locale: 'fr',
  fallbackLocale: 'fr',
  messages: { fr } as Record<Locale, Messages>,
});

export async function setLocale(locale: Locale): Promise<void> {
  if (locale === 'en' && !i18n.global.availableLocales.includes('en')) {
    // The operations part's English (ops-routes.ts) comes with the core's, before the switch re-renders the pages.
    const [core, ops] = await Promise.all([import('./en.json'), import('./ops.en.json')]);
    i18n.global.setLocaleMessage('en', core.default);
    i18n.global.mergeLocaleMessage('en', ops.default);
  }
  i18n.global.locale.value = locale;
  localStorage.setItem(KEY, locale);
  document.documentElement.lang = locale;
}

/** The language saved on this laptop, applied before the first screen. */
export async function restoreLocale(): Promise<void> {
  if (globalThis.localStorage?.getItem(KEY) === 'en') await setLocale('en').catch(() => undefined);
}
