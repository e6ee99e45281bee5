// What a phone downloads for the client's first screen, from the built chunk graph (dist/.vite/manifest.json):
// the entry chunk and its static imports, what index.html preloads, plus the lazy chunks of the first route and
// their static imports.
// Sizes are gzip -9 of the files as served (@ecom/app-kit/bundle-size, as the staff apps measure theirs).
// `node scripts/size.ts` prints JSON; bench/client.ts and the bundle-size test use measureBundle().
import { FIRST_SCREEN_BUDGET_KIB, measureRoutes, measureTotals } from '@ecom/app-kit/bundle-size';

/** The initial-JS budget (DESIGN.md §11, performance-and-reliability.md B9). */
export const INITIAL_JS_BUDGET_KIB = FIRST_SCREEN_BUDGET_KIB;

/** The pages each first screen needs: a new visitor lands on sign-in, a returning one on home (in the tabs). */
export const FIRST_ROUTES = {
  sign_in: ['src/views/AuthSignInPage.vue'],
  home: ['src/views/AppTabsPage.vue', 'src/views/HomeDiscoverPage.vue'],
} as const;

/** index.html may ask for more than the entry (scripts/vite-preload-first-route.ts): every visitor downloads those. */
export async function measureBundle(distDir: string) {
  const totals = await measureTotals(distDir);
  return {
    budget_initial_js_gzip_kib: INITIAL_JS_BUDGET_KIB,
    html_gzip_kib: totals.html_gzip_kib,
    routes: await measureRoutes(distDir, FIRST_ROUTES),
    all_js_gzip_kib: totals.all_js_gzip_kib,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dist = new URL('../dist', import.meta.url).pathname;
  console.log(JSON.stringify(await measureBundle(dist), null, 2));
}
