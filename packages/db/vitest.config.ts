import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The same throw-away local stack as the local-stack conformance suite: migrations and seed applied by the real
    // Supabase CLI, on free ports.
    globalSetup: ['../local-stack/test/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    // Money is checked after every test: see test/ledger-invariants.ts.
    setupFiles: ['test/ledger-invariants.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // One stack, shared fixtures: files run one after another.
    fileParallelism: false,
  },
});
