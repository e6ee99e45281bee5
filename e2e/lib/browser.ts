// Debian's Chromium driven by playwright-core (no browser download), as a cheap Android phone would show the app.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** `ignoreCertificateErrors`: for the benches' self-signed HTTP/2 server (service workers need a trusted origin). */
export async function launchChromium(opts: { ignoreCertificateErrors?: boolean } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium (.ci/run does it)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-gpu',
      ...(opts.ignoreCertificateErrors ? ['--ignore-certificate-errors'] : []),
    ],
  });
}

/** 360×740 at 2× with touch: a common entry-level Android screen. Position: central Tiassalé. */
export function phoneContext(
  browser: Browser,
  baseURL: string,
  extra: BrowserContextOptions = {},
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    hasTouch: true,
    isMobile: true,
    locale: 'fr-FR',
    timezoneId: 'Africa/Abidjan',
    geolocation: { latitude: 5.8991, longitude: -4.8214 },
    permissions: ['geolocation'],
    ...extra,
  });
}

/** Signs in through the sign-in screen with a test number (code 123456) and waits for home. */
export async function signIn(page: Page, national: string): Promise<void> {
  await page.goto('/sign-in');
  await page.locator('[data-test="phone"]').fill(national);
  await page.locator('[data-test="send-code"]').click();
  await page.locator('[data-test="code"]').pressSequentially('123456');
  await page.waitForURL('**/tabs/home');
}
