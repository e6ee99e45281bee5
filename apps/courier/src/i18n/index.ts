// vue-i18n as every app sets it up (@ecom/app-kit/i18n): French by default (fr.json, in the first screen), English
// loaded when chosen; the onboarding, review, money and history pages' words come with those pages
// (loadPageMessages). Messages are precompiled at build time (@ecom/app-kit/vite-i18n-ast). `phone.*` keys come from parsePhone's refusal codes. `step.*` and `queue.*` come from @ecom/domain/courier.
import { createAppI18n, type Locale } from '@ecom/app-kit/i18n';
import fr from './fr.json';

export type Messages = typeof fr;
export type { Locale };

export const { i18n, setLocale, restoreLocale } = createAppI18n({
  fr,
  en: () => import('./en.json').then((m) => m.default),
  storageKey: 'ecom.courier.locale',
  // The later pages' words follow the switch once they were needed.
  beforeSwitch: async (locale) => {
    if (pagesLoaded.size > 0) await loadPageMessages(locale);
  },
});

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
