import { defineConfig } from 'vitest/config';

// The app's data layer against a real throw-away local stack (the same global setup as packages/db's tests).
export default defineConfig({
  test: {
    globalSetup: ['../../packages/local-stack/test/global-setup.ts'],
    include: ['test/**/*.stack.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
