// vue-i18n: French by default (fr.json, in the first screen), English loaded when chosen; the onboarding, review,
// money and history pages' words come with those pages (loadPageMessages). Messages are precompiled
// at build time (@ecom/app-kit/vite-i18n-ast). `phone.*` keys come from parsePhone's refusal codes. `step.*` and `queue.*` come from @ecom/domain/courier.
import { createI18n } from 'vue-i18n';
import fr from './fr.json';

export type Messages = typeof fr;
export type Locale = 'fr' | 'en';
const KEY = 'ecom.courier.locale';

export const i18n = createI18n<[Messages], Locale, false>({
  legacy: false,
  locale: 'fr',
  fallbackLocale: 'fr',
  messages: { fr } as Record<Locale, Messages>,
});

export async function setLocale(locale: Locale): Promise<void> {
  if (locale === 'en' && !i18n.global.availableLocales.includes('en')) {
    i18n.global.setLocaleMessage('en', (await import('./en.json')).default);
  }
  if (pagesLoaded.size > 0) await loadPageMessages(locale);
  i18n.global.locale.value = locale;
  localStorage.setItem(KEY, locale);
  document.documentElement.lang = locale;
}

/** The language saved on this phone, applied before the first screen. */
export async function restoreLocale(): Promise<void> {
  if (globalThis.localStorage?.getItem(KEY) === 'en') await setLocale('en').catch(() => undefined);
}

const pagesLoaded = new Set<Locale>();

/**
 * The words of the onboarding, review, money and history pages (i18n/pages/<locale>.json), merged in when the first of
 * those pages opens (the router awaits it before the page renders), so that the sign-in and duty screens do not carry
 * them (docs/courier.md, "Budgets"). A change of language loads the other language's once these were needed.
 */
export async function loadPageMessages(locale: Locale = i18n.global.locale.value as Locale): Promise<void> {
  if (pagesLoaded.has(locale)) return;
  const messages = (locale === 'en' ? await import('./pages/en.json') : await import('./pages/fr.json')).default;
  i18n.global.mergeLocaleMessage(locale, messages as never);
  pagesLoaded.add(locale);
}
