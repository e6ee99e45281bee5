// The wallet page, its components and its messages load with the page: never on the first screen (home, sign-in).
// Runs on dist/ from `vite build` (the package's test script builds first).
import { describe, expect, it } from 'vitest';
import { measureBundle } from '../scripts/size.ts';

const dist = new URL('../dist', import.meta.url).pathname;

describe('wallet bundle', async () => {
  const size = await measureBundle(dist);

  it.each(['home', 'sign_in'] as const)('keeps the wallet off the %s first screen', (route) => {
    const files = size.routes[route].files.join(' ');
    expect(files).toMatch(/HomeDiscoverPage/);
    expect(files).not.toMatch(/WalletPage|WalletTopUp|WalletMobileMoney|useTopUp|useWallet|payments-api/);
  });
});
