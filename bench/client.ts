// The customer app's weight on a phone (DESIGN.md §11, performance-and-reliability.md B9).
//   bundle                 from the build's chunk graph: gzip JS of the first screen (sign-in for a new visitor, home
//                          for a returning one), budget 170 KiB
//   first_visit_home       a signed-in person opens home with an empty HTTP cache in Debian's Chromium (360×740,
//                          no service worker yet): bytes on the wire (gzip, as the static server sends) by type,
//                          requests, and time until the first store card shows; reference: the same page reloaded
//                          with a warm HTTP cache
//   slow_4g / slow_3g      the same first visit on an emulated cheap phone and network (CDP: CPU slowed 4×, and
//                          Lighthouse's Slow 4G, 562.5 ms RTT, 1.47 Mbps down, 675 Kbps up; or Russell's 400 ms,
//                          400 Kbps): time until the first store card shows, cold (empty HTTP cache, no service
//                          worker) and repeat (the service worker installed by the first visit serves the shell),
//                          served over HTTP/2 with TLS as a CDN would; Slow 4G also over plain HTTP/1.1
// `node bench/client.ts` prints JSON; bench/run.ts includes it as `client`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { measureBundle } from '../apps/client/scripts/size.ts';
import { launchChromium, phoneContext, signIn } from '../e2e/lib/browser.ts';
import { buildClient, serveStatic } from '../e2e/lib/client-app.ts';
import { startTestStack } from '../e2e/lib/stack.ts';

const kib = (bytes: number): number => Math.round((bytes / 1024) * 10) / 10;

/** An emulated network and CPU (Chrome DevTools Protocol), as Lighthouse applies them. */
interface Throttle {
  rtt_ms: number;
  down_kbps: number;
  up_kbps: number;
  cpu_slowdown: number;
}
const SLOW_4G: Throttle = { rtt_ms: 562.5, down_kbps: 1474.56, up_kbps: 675, cpu_slowdown: 4 };
const SLOW_3G_RUSSELL: Throttle = { rtt_ms: 400, down_kbps: 400, up_kbps: 400, cpu_slowdown: 4 };

async function visit(page: Page, path: string, throttle?: Throttle) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  if (throttle) {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: throttle.rtt_ms,
      downloadThroughput: (throttle.down_kbps * 1024) / 8,
      uploadThroughput: (throttle.up_kbps * 1024) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle.cpu_slowdown });
  }
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
  if (throttle) await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await cdp.detach();
  return {
    transfer_kib: kib(bytes),
    by_type_kib: Object.fromEntries(Object.entries(byType).map(([k, v]) => [k, kib(v)])),
    requests,
    stores_shown_ms: storesShownMs,
  };
}

/**
 * A first visit on a throttled phone (fresh profile, service workers allowed), then the service worker takes over and
 * the page is opened again: the repeat visit's shell comes from its cache.
 */
async function throttled(
  browser: Browser,
  baseURL: string,
  storageState: Awaited<ReturnType<BrowserContext['storageState']>>,
  throttle: Throttle,
) {
  const context = await phoneContext(browser, baseURL, { storageState });
  try {
    const page = await context.newPage();
    const cold = await visit(page, '/tabs/home', throttle);
    // The service worker installed by that visit takes the page over (autoUpdate: skipWaiting + clientsClaim).
    await page.waitForFunction('navigator.serviceWorker.controller !== null');
    const repeat = await visit(page, '/tabs/home', throttle);
    return {
      profile: throttle,
      first_visit: { stores_shown_ms: cold.stores_shown_ms, transfer_kib: cold.transfer_kib },
      // (What the service worker serves is not seen on the page's network log: no transfer figure here.)
      repeat_visit_service_worker: { stores_shown_ms: repeat.stores_shown_ms },
    };
  } finally {
    await context.close();
  }
}

/**
 * Signs a test number in on that origin and returns the browser state holding the session (one number per origin:
 * Auth refuses a second code to the same number within a minute).
 */
async function signedIn(browser: Browser, baseURL: string, national: string) {
  const context = await phoneContext(browser, baseURL);
  try {
    await signIn(await context.newPage(), national);
    return await context.storageState();
  } finally {
    await context.close();
  }
}

export async function clientBench() {
  const { stack, stop } = await startTestStack();
  const outDir = await mkdtemp(join(tmpdir(), 'ecom-client-bench-'));
  const browser = await launchChromium({ ignoreCertificateErrors: true });
  try {
    await buildClient({ outDir, supabaseUrl: stack.apiUrl, anonKey: stack.anonKey });
    const bundle = await measureBundle(outDir);
    const server = await serveStatic(outDir);
    const h2 = await serveStatic(outDir, { http2: true });
    try {
      const storageState = await signedIn(browser, server.url, '07 00 00 03 04');
      // A fresh profile with the session only: empty HTTP cache, no service worker.
      const context = await phoneContext(browser, server.url, { storageState, serviceWorkers: 'block' });
      const page = await context.newPage();
      const cold = await visit(page, '/tabs/home');
      const warm = await visit(page, '/tabs/home');
      await context.close();
      // Throttled: served over HTTP/2 as a CDN would (one connection for all of the page's files); and, for
      // reference, Slow 4G over the plain HTTP/1.1 server, where Chromium opens at most 6 connections per origin.
      const h2State = await signedIn(browser, h2.url, '07 00 00 03 05');
      const slow_4g = await throttled(browser, h2.url, h2State, SLOW_4G);
      const slow_3g = await throttled(browser, h2.url, h2State, SLOW_3G_RUSSELL);
      const slow_4g_http1 = await throttled(browser, server.url, storageState, SLOW_4G);
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
        slow_4g,
        slow_3g_russell: slow_3g,
        slow_4g_http1_reference: slow_4g_http1,
        targets: { initial_js_gzip_kib: 170, slow_4g_first_ms: 4000, slow_4g_repeat_ms: 1500 },
      };
    } finally {
      await server.close();
      await h2.close();
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
