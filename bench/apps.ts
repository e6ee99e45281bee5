// The staff apps' weight on a phone (issues 8 and 9, DESIGN.md §11, B9): gzip JavaScript of each first screen, read
// from a production build's chunk graph (@ecom/app-kit/bundle-size, as their bundle-size tests do).
//   merchant  sign-in (a new phone) and the order queue (a signed-in merchant)
//   courier   sign-in and the duty screen (online switch, offers)
// Budget 170 KiB each, like the customer app (whose figures, in `client`, are the same-run reference).
// `node bench/apps.ts` prints JSON; bench/run.ts includes it as `staff_apps`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIRST_SCREEN_BUDGET_KIB, measureRoutes } from '../packages/app-kit/src/bundle-size.ts';
import { DEMO_ANON_KEY } from '../packages/local-stack/src/keys.ts';
import { buildClient, type AppName } from '../e2e/lib/client-app.ts';

/** The pages of each first screen (the same lists as apps/<app>/test/bundle-size.test.ts). */
const FIRST_SCREENS = {
  merchant: {
    sign_in: ['src/views/AuthSignInPage.vue'],
    queue: ['src/views/AppTabsPage.vue', 'src/views/OrderQueuePage.vue'],
  },
  courier: {
    sign_in: ['src/views/AuthSignInPage.vue'],
    duty: ['src/views/DutyHomePage.vue'],
  },
} satisfies Partial<Record<AppName, Record<string, string[]>>>;

export async function staffAppsBench() {
  const out: Record<string, Record<string, { initial_js_gzip_kib: number; css_gzip_kib: number; chunks: number }>> = {};
  for (const [app, routes] of Object.entries(FIRST_SCREENS) as [AppName, Record<string, string[]>][]) {
    const outDir = await mkdtemp(join(tmpdir(), `ecom-bench-${app}-`));
    try {
      await buildClient({ outDir, supabaseUrl: 'http://127.0.0.1:54321', anonKey: DEMO_ANON_KEY, app });
      const sizes = await measureRoutes(outDir, routes);
      out[app] = Object.fromEntries(
        Object.entries(sizes).map(([route, s]) => [
          route,
          { initial_js_gzip_kib: s.initial_js_gzip_kib, css_gzip_kib: s.css_gzip_kib, chunks: s.chunks },
        ]),
      );
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  }
  return { ...out, budget_initial_js_gzip_kib: FIRST_SCREEN_BUDGET_KIB };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await staffAppsBench(), null, 2));
}
