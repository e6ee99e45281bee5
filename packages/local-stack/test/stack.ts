// Test helpers: every test file talks to the one stack that test/global-setup.ts started on free ports (never the
// developer's stack on 54321), only through unmodified @supabase/supabase-js or plain HTTP, as an app would.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { inject } from 'vitest';

export interface TestStackInfo {
  apiUrl: string;
  dbUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  publishableKey: string;
  secretKey: string;
  jwtSecret: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: TestStackInfo;
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
