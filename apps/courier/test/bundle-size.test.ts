// Budget (DESIGN.md §11, B9): the JavaScript a phone needs for the courier's first screen stays ≤ 170 KiB gzip.
// Runs on dist/ from `vite build` (the package's test script builds first).
import { describe, expect, it } from 'vitest';
import { FIRST_SCREEN_BUDGET_KIB, measureRoutes } from '@ecom/app-kit/bundle-size';

const dist = new URL('../dist', import.meta.url).pathname;

/**
 * A new phone lands on sign-in; a signed-in courier lands on the duty screen (online switch, map, offers); a person
 * who is not a courier yet lands on the onboarding.
 */
const FIRST_ROUTES = {
  sign_in: ['src/views/AuthSignInPage.vue'],
  duty: ['src/views/DutyHomePage.vue'],
  // The onboarding's words come with it (loaded by the router before it renders).
  apply: ['src/views/ApplyWizardPage.vue', 'src/i18n/pages/fr.json'],
};

describe('first-screen JavaScript of the courier app', async () => {
  const size = await measureRoutes(dist, FIRST_ROUTES);

  it.each(['sign_in', 'duty', 'apply'] as const)('%s stays within the initial JS budget', (route) => {
    const r = size[route];
    console.log(
      `[bundle] ${route}: ${r.initial_js_gzip_kib} KiB gzip JS in ${r.chunks} chunks, ${r.css_gzip_kib} KiB CSS`,
    );
    expect(r.initial_js_gzip_kib).toBeLessThanOrEqual(FIRST_SCREEN_BUDGET_KIB);
  });

  it('keeps the other pages, the map library and the English messages out of the first screens', () => {
    for (const route of ['sign_in', 'duty'] as const) {
      expect(size[route].files.join(' ')).not.toMatch(
        /JobActivePage|MoneyEarningsPage|DocumentListPage|ApplyWizardPage|ApplyStatusPage|MoneyPayoutPage|MoneyCashDepositPage|JobHistoryPage|leaflet|en-/,
      );
    }
    expect(size.apply.files.join(' ')).not.toMatch(/DutyHomePage|leaflet|MoneyPayoutPage|en-/);
    // The pages' French words are not in the sign-in or duty screens.
    const pageWords = size.apply.files.find((f) => /\/fr-/.test(f));
    expect(pageWords).toBeDefined();
    expect(size.sign_in.files).not.toContain(pageWords);
    expect(size.duty.files).not.toContain(pageWords);
    expect(size.sign_in.files.join(' ')).not.toMatch(/DutyHomePage|realtime/i);
  });
});
