// The customer app's weight on a phone (DESIGN.md §11, performance-and-reliability.md B9).
//   bundle                 from the build's chunk graph: gzip JS of the first screen (sign-in for a new visitor, home
//                          for a returning one), budget 170 KiB
//   first_visit_home       a signed-in person opens home with an empty HTTP cache in Debian's Chromium (360×740,
//                          no service worker yet): bytes on the wire (gzip, as the static server sends) by type,
//                          requests, and time until the first store card shows; reference: the same page reloaded
//                          with a warm HTTP cache
// `node bench/client.ts` prints JSON; bench/run.ts includes it as `client`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { measureBundle } from '../apps/client/scripts/size.ts';
import { launchChromium, phoneContext, signIn } from '../e2e/lib/browser.ts';
import { buildClient, serveStatic } from '../e2e/lib/client-app.ts';
import { startTestStack } from '../e2e/lib/stack.ts';

const kib = (bytes: number): number => Math.round((bytes / 1024) * 10) / 10;

async function visit(page: Page, path: string) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const types = new Map<string, string>();
  const byType: Record<string, number> = {};
  let bytes = 0;
  let requests = 0;
  cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
  cdp.on('Network.loadingFinished', (e) => {
    const type = (types.get(e.requestId) ?? 'Other').toLowerCase();
    byType[type] = (byType[type] ?? 0) + e.encodedDataLength;
    bytes += e.encodedDataLength;
    requests += 1;
  });
  const t = performance.now();
  await page.goto(path);
  await page.locator('[data-test="store-card"]').first().waitFor();
  const storesShownMs = Math.round(performance.now() - t);
  await page.waitForLoadState('networkidle');
  await cdp.detach();
  return {
    transfer_kib: kib(bytes),
    by_type_kib: Object.fromEntries(Object.entries(byType).map(([k, v]) => [k, kib(v)])),
    requests,
    stores_shown_ms: storesShownMs,
  };
}

export async function clientBench() {
  const { stack, stop } = await startTestStack();
  const outDir = await mkdtemp(join(tmpdir(), 'ecom-client-bench-'));
  const browser = await launchChromium();
  try {
    await buildClient({ outDir, supabaseUrl: stack.apiUrl, anonKey: stack.anonKey });
    const bundle = await measureBundle(outDir);
    const server = await serveStatic(outDir);
    try {
      const first = await phoneContext(browser, server.url);
      await signIn(await first.newPage(), '07 00 00 03 04');
      const storageState = await first.storageState();
      await first.close();
      // A fresh profile with the session only: empty HTTP cache, no service worker.
      const context = await phoneContext(browser, server.url, { storageState, serviceWorkers: 'block' });
      const page = await context.newPage();
      const cold = await visit(page, '/tabs/home');
      const warm = await visit(page, '/tabs/home');
      await context.close();
      return {
        bundle: {
          budget_initial_js_gzip_kib: bundle.budget_initial_js_gzip_kib,
          sign_in: {
            initial_js_gzip_kib: bundle.routes.sign_in.initial_js_gzip_kib,
            css_gzip_kib: bundle.routes.sign_in.css_gzip_kib,
          },
          home: {
            initial_js_gzip_kib: bundle.routes.home.initial_js_gzip_kib,
            css_gzip_kib: bundle.routes.home.css_gzip_kib,
          },
          all_js_gzip_kib: bundle.all_js_gzip_kib,
          largest_home_chunks: bundle.routes.home.largest,
        },
        first_visit_home: cold,
        reference_repeat_visit_http_cache: warm,
      };
    } finally {
      await server.close();
    }
  } finally {
    await browser.close();
    await stop();
    await rm(outDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await clientBench(), null, 2));
}
