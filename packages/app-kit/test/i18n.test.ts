// The i18n setup every app shares: French first, English fetched once when chosen, the app's later messages loaded
// before the switch, the choice kept on the phone and applied again at the next start.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppI18n } from '../src/i18n.ts';

// What the browser gives the module: the phone's storage and the page's <html lang>.
const saved = new Map<string, string>();
const html = { lang: 'fr' };
beforeEach(() => {
  saved.clear();
  html.lang = 'fr';
  Object.assign(globalThis, {
    localStorage: { getItem: (k: string) => saved.get(k) ?? null, setItem: (k: string, v: string) => saved.set(k, v) },
    document: { documentElement: html },
  });
});
afterEach(() => {
  Reflect.deleteProperty(globalThis, 'localStorage');
  Reflect.deleteProperty(globalThis, 'document');
});

function app(events: string[] = []) {
  return createAppI18n({
    fr: { hello: 'Bonjour' },
    en: async () => (events.push('en fetched'), { hello: 'Hello' }),
    storageKey: 'ecom.test.locale',
    beforeSwitch: async (locale) => events.push(`later pages in ${locale}`),
  });
}

describe('createAppI18n', () => {
  it('speaks French until English is chosen', () => {
    const { i18n } = app();
    expect(i18n.global.t('hello')).toBe('Bonjour');
    expect(i18n.global.availableLocales).toEqual(['fr']);
  });

  it('fetches English once, loads the later pages before switching, and keeps the choice', async () => {
    const events: string[] = [];
    const { i18n, setLocale } = app(events);
    await setLocale('en');
    expect(i18n.global.t('hello')).toBe('Hello');
    expect(saved.get('ecom.test.locale')).toBe('en');
    expect(html.lang).toBe('en');
    await setLocale('fr');
    await setLocale('en');
    expect(events).toEqual(['en fetched', 'later pages in en', 'later pages in fr', 'later pages in en']);
  });

  it('applies the language saved on the phone at start, and nothing when none is saved', async () => {
    const first = app();
    await first.restoreLocale();
    expect(first.i18n.global.locale.value).toBe('fr');
    saved.set('ecom.test.locale', 'en');
    const next = app();
    await next.restoreLocale();
    expect(next.i18n.global.locale.value).toBe('en');
    expect(next.i18n.global.t('hello')).toBe('Hello');
  });
});
