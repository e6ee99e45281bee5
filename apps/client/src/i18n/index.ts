// vue-i18n, French by default (fr.json), English second (en.json, loaded only when chosen). Messages are
// precompiled at build time by @intlify/unplugin-vue-i18n, so the message compiler stays out of the bundle.
// Order pages merge orders/<locale>.json when they load (loadOrderMessages); other features (wallet/) merge theirs
// through loadMessageBundle.
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
  if (ordersWanted) await loadOrders(locale);
  for (const bundle of bundlesWanted) await mergeBundle(bundle, locale);
}

// Checkout, tracking and order history bring their own messages (orders/<locale>.json), loaded with those pages:
// they stay off the first screen's budget.
const ORDER_MESSAGES = { fr: () => import('./orders/fr.json'), en: () => import('./orders/en.json') };
const ordersLoaded = new Set<Locale>();
let ordersWanted = false;

async function loadOrders(locale: Locale): Promise<void> {
  if (ordersLoaded.has(locale)) return;
  i18n.global.mergeLocaleMessage(locale, (await ORDER_MESSAGES[locale]()).default as never);
  ordersLoaded.add(locale);
}

/** Called by the order pages' routes, alongside their chunk. */
export async function loadOrderMessages(): Promise<void> {
  ordersWanted = true;
  await loadOrders(i18n.global.locale.value);
}

/**
 * Messages of one feature (e.g. i18n/wallet/<locale>.json), merged when its pages load and again when the language
 * changes. The importers are passed in by the route so each file stays its own chunk.
 */
export type MessageBundle = Record<Locale, () => Promise<{ default: unknown }>>;
const bundlesWanted = new Set<MessageBundle>();
const bundlesLoaded = new Map<MessageBundle, Set<Locale>>();

async function mergeBundle(bundle: MessageBundle, locale: Locale): Promise<void> {
  const done = bundlesLoaded.get(bundle) ?? new Set<Locale>();
  if (done.has(locale)) return;
  i18n.global.mergeLocaleMessage(locale, (await bundle[locale]()).default as never);
  done.add(locale);
  bundlesLoaded.set(bundle, done);
}

export async function loadMessageBundle(bundle: MessageBundle): Promise<void> {
  bundlesWanted.add(bundle);
  await mergeBundle(bundle, i18n.global.locale.value);
}

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
