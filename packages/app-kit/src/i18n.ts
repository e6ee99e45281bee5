// vue-i18n as every Ecom app sets it up: French by default (its messages in the first screen), English loaded when
// chosen, the choice saved on the phone and applied before the first screen. Messages arrive precompiled
// (vite-i18n-ast.ts). `beforeSwitch` loads what else the app has in the new language (the message files of its later
// pages) before the switch, so no page shows keys.
import { createI18n } from 'vue-i18n';

export type Locale = 'fr' | 'en';

export function createAppI18n<Messages extends Record<string, unknown>>(app: {
  fr: Messages;
  /** `() => import('./en.json').then((m) => m.default)`: only the default export, so the chunk keeps no named ones. */
  en: () => Promise<Messages>;
  /** localStorage key of the chosen language. */
  storageKey: string;
  beforeSwitch?: (locale: Locale) => Promise<unknown>;
}) {
  const i18n = createI18n<[Messages], Locale, false>({
    legacy: false,
    locale: 'fr',
    fallbackLocale: 'fr',
    messages: { fr: app.fr } as Record<Locale, Messages>,
  });

  async function setLocale(locale: Locale): Promise<void> {
    if (locale === 'en' && !i18n.global.availableLocales.includes('en')) {
      i18n.global.setLocaleMessage('en', await app.en());
    }
    await app.beforeSwitch?.(locale);
    i18n.global.locale.value = locale;
    localStorage.setItem(app.storageKey, locale);
    document.documentElement.lang = locale;
  }

  /** The language saved on this phone, applied before the first screen. */
  async function restoreLocale(): Promise<void> {
    if (globalThis.localStorage?.getItem(app.storageKey) === 'en') await setLocale('en').catch(() => undefined);
  }

  return { i18n, setLocale, restoreLocale };
}
