// Test helpers: every test file talks to the one stack that test/global-setup.ts started on free ports (never the
// developer's stack on 54321), only through unmodified @supabase/supabase-js or plain HTTP, as an app would.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { rm } from 'node:fs/promises';
import { inject } from 'vitest';
import { startStack, type StartStackOptions } from '../src/index.ts';
import { tempStateDir } from '../src/process.ts';

export interface TestStackInfo {
  apiUrl: string;
  dbUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  publishableKey: string;
  secretKey: string;
  jwtSecret: string;
  /** The stack's state folder (database, logs, storage files). */
  stateDir: string;
}

/** Where the `notify` function of the test stack sends pushes (a fake the notify tests start on `port`). */
export interface TestPushInfo {
  port: number;
  fcmProject: string;
  fcmAccessToken: string;
  /** base64url uncompressed P-256 point; the VAPID JWTs verify with it. */
  vapidPublicKey: string;
}

/** Where the `payouts` function of the test stack sends Wave payouts (a fake the payout tests start on it). */
export interface TestPayoutInfo {
  wavePort: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: TestStackInfo;
    push: TestPushInfo;
    payouts: TestPayoutInfo;
  }
}

export const stack = (): TestStackInfo => inject('stack');

/** A fresh client with no shared session storage, like one phone. */
export function newClient(key: 'anon' | 'service' = 'anon'): SupabaseClient {
  const s = stack();
  return createClient(s.apiUrl, key === 'anon' ? s.anonKey : s.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
}

let counter = 0;
/** A unique, valid Ivorian mobile number (+225 07 …) so tests never share rate limits or users. */
export function uniquePhone(prefix = '22507'): string {
  counter += 1;
  const tail = `${process.pid % 1000}`.padStart(3, '0') + `${Date.now() % 100000}`.padStart(5, '0') + `${counter}`;
  return `+${prefix}${tail.slice(-8)}`;
}

/**
 * A second, throw-away stack for tests that need other settings than the shared one (a hook switched off, a
 * shorter resend interval…): free ports, its own temporary folder, removed again by `stop()`.
 */
export async function startExtraStack(options: Omit<StartStackOptions, 'apiPort' | 'dbPort' | 'stateDir'> = {}) {
  const dir = await tempStateDir('ecom-extra-stack-');
  try {
    const s = await startStack({ apiPort: 0, dbPort: 0, stateDir: dir, fast: true, log: () => undefined, ...options });
    return {
      ...s,
      stop: async (): Promise<void> => {
        await s.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
