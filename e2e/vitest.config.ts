import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.e2e.test.ts'],
    // One stack and one browser per file; files one after another (they are heavy).
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
