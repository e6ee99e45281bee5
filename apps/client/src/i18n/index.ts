// vue-i18n as every app sets it up (@ecom/app-kit/i18n): French by default (fr.json), English second (en.json,
// loaded only when chosen). Messages are precompiled at build time (@ecom/app-kit/vite-i18n-ast), so the message
// compiler stays out of the bundle.
// Order, ride, wallet and inbox pages merge orders/, rides/, wallet/ and inbox/<locale>.json when they load
// (loadOrderMessages, loadRideMessages, loadWalletMessages, loadInboxMessages; inbox/ also carries the photo
// pickers' messages of the profile and the address form).
// `storeStatus.*` keys come from @ecom/domain (storeStatusAt), `phone.*` from parsePhone's refusal codes.
import { createAppI18n, type Locale } from '@ecom/app-kit/i18n';
import fr from './fr.json';

export type Messages = typeof fr;
export type { Locale };
export const LOCALES: readonly Locale[] = ['fr', 'en'];

export const { i18n, setLocale, restoreLocale } = createAppI18n({
  fr,
  en: () => import('./en.json').then((m) => m.default),
  storageKey: 'ecom.locale',
  // The feature messages already wanted follow the switch.
  beforeSwitch: (locale) => Promise.all(BUNDLES.map((b) => b.loadIn(locale))),
});

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

export function currentLocale(): Locale {
  return i18n.global.locale.value;
}
