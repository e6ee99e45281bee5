// A throw-away local stack on free ports with migrations and the Tiassalé seed (as the other suites start it).
import { rm } from 'node:fs/promises';
import { startStack, type Stack } from '@ecom/local-stack';
import { tempStateDir } from '../../packages/local-stack/src/process.ts';

/** `functions`: start the Edge Functions too (the order scenarios call `orders`); off by default (faster). */
export async function startTestStack(
  options: { functions?: boolean } = {},
): Promise<{ stack: Stack; stop: () => Promise<void> }> {
  const dir = await tempStateDir('ecom-e2e-');
  const lines: string[] = [];
  let stack: Stack;
  try {
    stack = await startStack({
      apiPort: 0,
      dbPort: 0,
      stateDir: dir,
      fast: true,
      watch: false,
      // Test numbers (config.toml [auth.sms.test_otp]) never reach the Send SMS hook: sign-in needs no functions.
      functions: options.functions ?? false,
      log: (l) => lines.push(l),
    });
  } catch (e) {
    console.error(lines.join('\n'));
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    stack,
    stop: async () => {
      await stack.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
