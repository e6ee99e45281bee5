// One scenario file's world: a throw-away stack, the client built for it and served, Chromium with a phone-sized
// page, and the screenshots folder. `stop()` takes it all down and logs how long the file took.
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stack } from '@ecom/local-stack';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, phoneContext } from './browser.ts';
import { buildClient, serveStatic, type AppName, type StaticServer } from './client-app.ts';
import { startTestStack } from './stack.ts';

export const SHOTS = new URL('../screenshots/', import.meta.url).pathname;

export interface ClientScenario {
  stack: Stack;
  context: BrowserContext;
  page: Page;
  /** Saves e2e/screenshots/<name>.png once animations have finished. */
  shot: (name: string) => Promise<void>;
  stop: () => Promise<void>;
}

export async function startClientScenario(opts: {
  name: string;
  /** Start the Edge Functions (ordering needs `orders`). */
  functions?: boolean;
  /** Fixtures set on the stack before the app is built. */
  prepare?: (stack: Stack) => Promise<void>;
  /** The app to build and serve (default the customer app). */
  app?: AppName;
}): Promise<ClientScenario> {
  const t0 = performance.now();
  const started = await startTestStack({ functions: opts.functions });
  const outDir = join(tmpdir(), `ecom-${opts.name}-e2e-${process.pid}`);
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  const stop = async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    await started.stop();
    await rm(outDir, { recursive: true, force: true });
    console.log(`[e2e ${opts.name}] ${Math.round(performance.now() - t0)} ms including stack, build and browser`);
  };
  try {
    await opts.prepare?.(started.stack);
    await buildClient({ outDir, supabaseUrl: started.stack.apiUrl, anonKey: started.stack.anonKey, app: opts.app });
    server = await serveStatic(outDir);
    browser = await launchChromium();
    // The admin dashboard is a laptop web app; every other app is seen on a phone.
    context =
      opts.app === 'admin'
        ? await browser.newContext({
            baseURL: server.url,
            viewport: { width: 1366, height: 860 },
            locale: 'fr-FR',
            timezoneId: 'Africa/Abidjan',
          })
        : await phoneContext(browser, server.url);
    const page = await context.newPage();
    await mkdir(SHOTS, { recursive: true });
    return { stack: started.stack, context, page, shot: screenshots(page, SHOTS), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

// (Here, not in browser.ts: bench/ imports browser.ts and is type-checked without the DOM library.)
/** A screenshot taker for one page: waits for page transitions and sheet animations to finish first. */
export function screenshots(page: Page, dir: string): (name: string) => Promise<void> {
  return async (name) => {
    await page.waitForFunction(() =>
      document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
    );
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(dir, `${name}.png`) });
  };
}
