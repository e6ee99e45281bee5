import { defineConfig } from 'vitest/config';

// Unit tests of the app's own logic and its bundle budget; the screens are tested in a real browser by e2e/.
export default defineConfig({ test: { include: ['test/**/*.test.ts'] } });
