// Budget (DESIGN.md §11, B9): the JavaScript a phone needs for the first screen stays ≤ 170 KiB gzip.
// Runs on dist/ from `vite build` (the package's test script builds first).
import { describe, expect, it } from 'vitest';
import { INITIAL_JS_BUDGET_KIB, measureBundle } from '../scripts/size.ts';

const dist = new URL('../dist', import.meta.url).pathname;

describe('first-screen JavaScript', async () => {
  const size = await measureBundle(dist);

  it.each(['sign_in', 'home'] as const)('%s stays within the initial JS budget', (route) => {
    const r = size.routes[route];
    console.log(
      `[bundle] ${route}: ${r.initial_js_gzip_kib} KiB gzip JS in ${r.chunks} chunks, ${r.css_gzip_kib} KiB CSS`,
    );
    expect(r.initial_js_gzip_kib).toBeLessThanOrEqual(INITIAL_JS_BUDGET_KIB);
  });

  it('keeps the other pages out of the first screen', () => {
    const home = size.routes.home.files.join(' ');
    expect(home).toMatch(/HomeDiscoverPage/);
    expect(home).not.toMatch(/StoreDetailPage|CartReviewPage|ProfileAccountPage|AuthSignInPage|workbox/);
    // Ordering, tracking, the map and Realtime load with their pages.
    expect(home).not.toMatch(/OrderCheckoutPage|OrderTrackingPage|OrderHistoryPage|MapView|leaflet|realtime/i);
    // A new visitor's sign-in screen also fetches home's chunks (index.html preloads them: the next screen after
    // the code is home), and still nothing else.
    const signIn = size.routes.sign_in.files.join(' ');
    expect(signIn).toMatch(/AuthSignInPage/);
    expect(signIn).toMatch(/HomeDiscoverPage/);
    expect(signIn).not.toMatch(/StoreDetailPage|CartReviewPage|ProfileAccountPage|OrderCheckoutPage|leaflet/i);
  });
});
