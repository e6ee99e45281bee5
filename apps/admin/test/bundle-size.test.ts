// The dashboard has no phone budget (a laptop on office Wi-Fi), but its sign-in must stay light and never carry the
// pages behind it: Chart.js, Leaflet and the data pages load with their own routes. Sizes are logged for
// docs/admin.md. Runs on dist/ from `vite build` (the package's test script builds first).
import { describe, expect, it } from 'vitest';
import { measureRoutes } from '@ecom/app-kit/bundle-size';

const dist = new URL('../dist', import.meta.url).pathname;

const FIRST_ROUTES = {
  sign_in: ['src/pages/AuthSignInPage.vue'],
  overview: ['src/pages/AppLayout.vue', 'src/pages/OverviewPage.vue'],
};

describe('first-route JavaScript of the admin dashboard', async () => {
  const size = await measureRoutes(dist, FIRST_ROUTES);

  it.each(['sign_in', 'overview'] as const)('measures %s', (route) => {
    const r = size[route];
    console.log(
      `[bundle] ${route}: ${r.initial_js_gzip_kib} KiB gzip JS in ${r.chunks} chunks, ${r.css_gzip_kib} KiB CSS`,
    );
    expect(r.initial_js_gzip_kib).toBeGreaterThan(0);
  });

  it('keeps the charts, the map and the other pages out of the sign-in', () => {
    const files = size.sign_in.files.join(' ');
    expect(files).not.toMatch(
      /OverviewPage|OrdersPage|OrderDetailPage|MoneyPage|ApprovalsPage|MapView|LiveMapPage|en-/,
    );
    expect(size.sign_in.initial_js_gzip_kib).toBeLessThan(size.overview.initial_js_gzip_kib);
  });

  it('keeps Leaflet out of the overview', () => {
    expect(size.overview.files.join(' ')).not.toMatch(/MapView|LiveMapPage/);
  });
});
