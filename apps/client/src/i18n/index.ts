// vue-i18n, French by default (fr.json), English second (en.json, loaded only when chosen). Messages are
// precompiled at build time by @intlify/unplugin-vue-i18n, so the message compiler stays out of the bundle.
// Order, ride, wallet and inbox pages merge orders/, rides/, wallet/ and inbox/<locale>.json when they load
// (loadOrderMessages, loadRideMessages, loadWalletMessages, loadInboxMessages; inbox/ also carries the photo
// pickers' messages of the profile and the address form).
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
  await Promise.all(BUNDLES.map((b) => b.loadIn(locale)));
}

// Pages of one domain bring their own messages (<domain>/<locale>.json), loaded with those pages: they stay off
// the first screen's budget, and follow a change of language once wanted.
function messageBundle(files: Record<Locale, () => Promise<{ default: unknown }>>) {
  const loaded = new Set<Locale>();
  let wanted = false;
  async function loadIn(locale: Locale): Promise<void> {
    if (!wanted || loaded.has(locale)) return;
    i18n.global.mergeLocaleMessage(locale, (await files[locale]()).default as never);
    loaded.add(locale);
  }
  return {
    loadIn,
    want: async (): Promise<void> => {
      wanted = true;
      await loadIn(i18n.global.locale.value);
    },
  };
}

// Checkout, tracking and order history; the ride request and ride pages; the wallet (and mobile money at checkout);
// the inbox and the photo pickers.
const ORDERS = messageBundle({ fr: () => import('./orders/fr.json'), en: () => import('./orders/en.json') });
const RIDES = messageBundle({ fr: () => import('./rides/fr.json'), en: () => import('./rides/en.json') });
const WALLET = messageBundle({ fr: () => import('./wallet/fr.json'), en: () => import('./wallet/en.json') });
const INBOX = messageBundle({ fr: () => import('./inbox/fr.json'), en: () => import('./inbox/en.json') });
const BUNDLES = [ORDERS, RIDES, WALLET, INBOX];

/** Called by the order pages' routes, alongside their chunk. */
export const loadOrderMessages = (): Promise<void> => ORDERS.want();
/** Called by the ride pages' routes, alongside their chunk. */
export const loadRideMessages = (): Promise<void> => RIDES.want();
/** Called by the wallet page's and the checkout's routes, alongside their chunk. */
export const loadWalletMessages = (): Promise<void> => WALLET.want();
/** Called by the inbox's, the profile's and the checkout's routes (photo pickers), alongside their chunk. */
export const loadInboxMessages = (): Promise<void> => INBOX.want();

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
