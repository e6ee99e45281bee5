import { defineConfig } from 'vitest/config';

// Pure helpers and the first-route size (on dist/ from `vite build`); the screens are tested in a real browser by e2e/.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], exclude: ['test/**/*.stack.test.ts'] } });
