// One scenario file's world: a throw-away stack, the client built for it and served, Chromium with a phone-sized
// page, and the screenshots folder. `stop()` takes it all down and logs how long the file took.
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stack } from '@ecom/local-stack';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
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

/** One page of a multi-app scenario: its own browser context (its own person, storage and position). */
export interface AppPage {
  context: BrowserContext;
  page: Page;
  shot: (name: string) => Promise<void>;
}

export interface AppsScenario {
  stack: Stack;
  /** The served URL of each app built for this scenario. */
  urls: Partial<Record<AppName, string>>;
  /** A new phone-sized context (or `viewport`: a tablet) on `app`, with its first page. */
  open: (app: AppName, extra?: BrowserContextOptions) => Promise<AppPage>;
  stop: () => Promise<void>;
}

/**
 * Several apps against one stack: each of `apps` is built for the stack and served on its own port, one Chromium
 * serves every context `open` makes (customer, merchant and couriers side by side, as many as the scenario needs).
 */
export async function startAppsScenario(opts: {
  name: string;
  apps: AppName[];
  functions?: boolean;
  prepare?: (stack: Stack) => Promise<void>;
}): Promise<AppsScenario> {
  const t0 = performance.now();
  const started = await startTestStack({ functions: opts.functions });
  const outRoot = join(tmpdir(), `ecom-${opts.name}-e2e-${process.pid}`);
  const servers: StaticServer[] = [];
  const contexts: BrowserContext[] = [];
  let browser: Browser | undefined;
  const stop = async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    for (const s of servers) await s.close();
    await started.stop();
    await rm(outRoot, { recursive: true, force: true });
    console.log(`[e2e ${opts.name}] ${Math.round(performance.now() - t0)} ms including stack, builds and browser`);
  };
  try {
    await opts.prepare?.(started.stack);
    const urls: Partial<Record<AppName, string>> = {};
    for (const app of opts.apps) {
      const outDir = join(outRoot, app);
      await buildClient({ outDir, supabaseUrl: started.stack.apiUrl, anonKey: started.stack.anonKey, app });
      const server = await serveStatic(outDir);
      servers.push(server);
      urls[app] = server.url;
    }
    browser = await launchChromium();
    await mkdir(SHOTS, { recursive: true });
    const open = async (app: AppName, extra: BrowserContextOptions = {}): Promise<AppPage> => {
      const url = urls[app];
      if (!url) throw new Error(`${app} was not built for this scenario`);
      const context = await phoneContext(browser!, url, extra);
      contexts.push(context);
      const page = await context.newPage();
      return { context, page, shot: screenshots(page, SHOTS) };
    };
    return { stack: started.stack, urls, open, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
