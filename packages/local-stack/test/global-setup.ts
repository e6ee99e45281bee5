// Starts one stack for the whole test run on free ports and a throw-away data folder, so tests never touch a
// developer's running stack (54321/54322) and two runs can go side by side.
import { webcrypto } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startStack, type Stack } from '../src/index.ts';
import { tempStateDir } from '../src/process.ts';
import type { TestPayoutInfo, TestPushInfo } from './stack.ts';

let stack: Stack | undefined;
let dir: string | undefined;

/** A port free right now: the notify tests run their fake push service (FCM, Web Push) on it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Settings the `notify` function gets in tests: FCM and Web Push pointed at a local fake, a fresh VAPID key. */
async function pushSettings(): Promise<{ env: Record<string, string>; info: TestPushInfo }> {
  const port = await freePort();
  const pair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const jwk = await webcrypto.subtle.exportKey('jwk', pair.privateKey);
  const vapidPublicKey = Buffer.from(await webcrypto.subtle.exportKey('raw', pair.publicKey)).toString('base64url');
  const info: TestPushInfo = {
    port,
    fcmProject: 'ecom-test',
    fcmAccessToken: 'ya29.test-access-token',
    vapidPublicKey,
  };
  return {
    info,
    env: {
      FCM_PROJECT_ID: info.fcmProject,
      FCM_ACCESS_TOKEN: info.fcmAccessToken,
      FCM_BASE_URL: `http://127.0.0.1:${port}`,
      VAPID_PUBLIC_KEY: vapidPublicKey,
      VAPID_PRIVATE_KEY: jwk.d!,
      VAPID_SUBJECT: 'mailto:tech@ecom.test',
      WEBPUSH_ALLOWED_HOSTS: '127.0.0.1',
      // Short timeouts and backoff so retry tests stay fast.
      NOTIFY_BACKOFF_SECONDS: '2',
    },
  };
}

/**
 * Settings the `payouts` function gets in tests: Wave payouts (wave_ci) go to a local fake Wave the payout tests
 * start on `port`, with a short deadline so a timeout test stays fast; other operators keep the local default.
 */
async function payoutSettings(): Promise<{ env: Record<string, string>; info: TestPayoutInfo }> {
  const port = await freePort();
  return {
    info: { wavePort: port },
    env: {
      PAYOUT_PROVIDER_WAVE_CI: 'wave',
      WAVE_API_KEY: 'wave_test_key',
      WAVE_BASE_URL: `http://127.0.0.1:${port}`,
      PAYOUT_PROVIDER_TIMEOUT_MS: '1500',
    },
  };
}

export async function setup(project: TestProject): Promise<void> {
  dir = await tempStateDir('ecom-stack-test-');
  const push = await pushSettings();
  const payouts = await payoutSettings();
  const lines: string[] = [];
  try {
    stack = await startStack({
      apiPort: 0,
      dbPort: 0,
      stateDir: dir,
      fast: true,
      watch: false,
      // Short provider deadlines so the payment and payout timeout tests stay fast; the tests call the sweeps themselves.
      env: { ...push.env, PAYMENT_PROVIDER_TIMEOUT_MS: '2000', ...payouts.env },
      paymentSweepSeconds: 0,
      log: (l) => lines.push(l),
    });
  } catch (e) {
    console.error(lines.join('\n'));
    throw e;
  }
  console.log(`[test stack] ready in ${stack.startupMs} ms at ${stack.apiUrl}`);
  project.provide('stack', {
    apiUrl: stack.apiUrl,
    dbUrl: stack.dbUrl,
    anonKey: stack.anonKey,
    serviceRoleKey: stack.serviceRoleKey,
    publishableKey: stack.publishableKey,
    secretKey: stack.secretKey,
    jwtSecret: stack.jwtSecret,
    stateDir: stack.stateDir,
  });
  project.provide('push', push.info);
  project.provide('payouts', payouts.info);
}

export async function teardown(): Promise<void> {
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}
