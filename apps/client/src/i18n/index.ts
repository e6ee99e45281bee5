// vue-i18n, French by default (fr.json), English second (en.json, loaded only when chosen). Messages are
// precompiled at build time by @intlify/unplugin-vue-i18n, so the message compiler stays out of the bundle.
// Order pages merge orders/<locale>.json when they load (loadOrderMessages); the inbox and photo pickers
// inbox/<locale>.json (loadInboxMessages).
// `storeStatus.*` keys come from @ecom/domain (storeStatusAt), `phone.*` from parsePhone's refusal codes.
import { createI18n } from 'vue-i18n';
import fr from './fr.json';

export type Messages = typeof fr;
export type Locale = 'fr' | 'en';
export const LOCALES: readonly Locale[] = ['fr', 'en'];
const KEY = 'ecom.locale';

export const i18n = createI18n<[Messages], Locale, false>({
  legacy: false,
  locale: 'fr',
  fallbackLocale: 'fr',
  messages: { fr } as Record<Locale, Messages>,
});

async function load(locale: Locale): Promise<void> {
  if (locale === 'en' && !i18n.global.availableLocales.includes('en')) {
    i18n.global.setLocaleMessage('en', (await import('./en.json')).default);
  }
  await Promise.all([orders, inbox].filter((b) => b.wanted).map((b) => b.load(locale)));
}

// Some pages bring their own messages, loaded with those pages so they stay off the first screen's budget:
// checkout, tracking and order history (orders/<locale>.json); the inbox and the photo pickers of the profile and
// the address form (inbox/<locale>.json).
type Loader = () => Promise<{ default: unknown }>;
function bundle(loaders: Record<Locale, Loader>) {
  const loaded = new Set<Locale>();
  const b = {
    wanted: false,
    async load(locale: Locale): Promise<void> {
      if (loaded.has(locale)) return;
      i18n.global.mergeLocaleMessage(locale, (await loaders[locale]()).default as never);
      loaded.add(locale);
    },
    /** Called by the pages' routes, alongside their chunk. */
    async want(): Promise<void> {
      b.wanted = true;
      await b.load(i18n.global.locale.value);
    },
  };
  return b;
}
const orders = bundle({ fr: () => import('./orders/fr.json'), en: () => import('./orders/en.json') });
const inbox = bundle({ fr: () => import('./inbox/fr.json'), en: () => import('./inbox/en.json') });

export const loadOrderMessages = orders.want;
export const loadInboxMessages = inbox.want;

/** The language saved on this phone, applied before the first screen. */
export async function restoreLocale(): Promise<void> {
  const saved = globalThis.localStorage?.getItem(KEY) === 'en' ? 'en' : 'fr';
  if (saved !== 'fr') await setLocale(saved).catch(() => undefined);
  document.documentElement.lang = i18n.global.locale.value;
}

export async function setLocale(locale: Locale): Promise<void> {
  await load(locale);
  i18n.global.locale.value = locale;
  localStorage.setItem(KEY, locale);
  document.documentElement.lang = locale;
}

export function currentLocale(): Locale {
  return i18n.global.locale.value;
}
