// Budget (DESIGN.md §11, B9): the JavaScript a phone needs for the merchant's first screen stays ≤ 170 KiB gzip.
// Runs on dist/ from `vite build` (the package's test script builds first).
import { describe, expect, it } from 'vitest';
import { FIRST_SCREEN_BUDGET_KIB, measureRoutes } from '@ecom/app-kit/bundle-size';

const dist = new URL('../dist', import.meta.url).pathname;

/** A new phone lands on sign-in; a signed-in merchant lands on the order queue (in the tabs). */
const FIRST_ROUTES = {
  sign_in: ['src/views/AuthSignInPage.vue'],
  queue: ['src/views/AppTabsPage.vue', 'src/views/OrderQueuePage.vue'],
};

describe('first-screen JavaScript of the merchant app', async () => {
  const size = await measureRoutes(dist, FIRST_ROUTES);

  it.each(['sign_in', 'queue'] as const)('%s stays within the initial JS budget', (route) => {
    const r = size[route];
    console.log(
      `[bundle] ${route}: ${r.initial_js_gzip_kib} KiB gzip JS in ${r.chunks} chunks, ${r.css_gzip_kib} KiB CSS`,
    );
    expect(r.initial_js_gzip_kib).toBeLessThanOrEqual(FIRST_SCREEN_BUDGET_KIB);
  });

  it('keeps the other pages and the English messages out of the first screens', () => {
    for (const route of ['sign_in', 'queue'] as const) {
      const files = size[route].files.join(' ');
      expect(files).not.toMatch(
        /ProductEditPage|MoneyWalletPage|CatalogueListPage|OrderDetailPage|StoreControlsPage|en-/,
      );
    }
    expect(size.sign_in.files.join(' ')).not.toMatch(/OrderQueuePage|realtime/i);
  });
});
