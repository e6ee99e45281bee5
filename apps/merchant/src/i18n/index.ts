// vue-i18n as every app sets it up (@ecom/app-kit/i18n): French by default (fr.json, in the first screen), English
// loaded when chosen; the messages of the pages after the first screen (pages.<locale>.json: opening a store,
// categories, option groups, customers) load with those pages (withPageMessages in the router). Messages are
// precompiled at build time (@ecom/app-kit/vite-i18n-ast). `phone.*` keys come from parsePhone's refusal codes, `product.*`
// and `hours.*` problems from @ecom/domain/merchant's codes, `status.*` from the order statuses.
import { createAppI18n, type Locale } from '@ecom/app-kit/i18n';
import fr from './fr.json';

export type Messages = typeof fr;
export type { Locale };

export const { i18n, setLocale, restoreLocale } = createAppI18n({
  fr,
  en: () => import('./en.json').then((m) => m.default),
  storageKey: 'ecom.merchant.locale',
  // Pages already shown keep their words in the new language.
  beforeSwitch: async (locale) => {
    if (pagesLoaded.size) await loadPageMessages(locale);
  },
});

const pagesLoaded = new Set<Locale>();

/** The later pages' messages in French (the fallback) and in `locale`, once each. */
async function loadPageMessages(locale: Locale = i18n.global.locale.value): Promise<void> {
  for (const l of new Set<Locale>(['fr', locale])) {
    if (pagesLoaded.has(l)) continue;
    const messages = l === 'en' ? await import('./pages.en.json') : await import('./pages.fr.json');
    i18n.global.mergeLocaleMessage(l, messages.default as never);
    pagesLoaded.add(l);
  }
}

/** A lazy route's page, resolved once its messages are there too. */
export async function withPageMessages<T>(page: Promise<T>): Promise<T> {
  const [module] = await Promise.all([page, loadPageMessages()]);
  return module;
}
