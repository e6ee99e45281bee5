// Starts one stack for the whole test run on free ports and a throw-away data folder, so tests never touch a
// developer's running stack (54321/54322) and two runs can go side by side.
import { rm } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';
import { startStack, type Stack } from '../src/index.ts';
import { tempStateDir } from '../src/process.ts';

let stack: Stack | undefined;
let dir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  dir = await tempStateDir('ecom-stack-test-');
  const lines: string[] = [];
  try {
    stack = await startStack({
      apiPort: 0,
      dbPort: 0,
      stateDir: dir,
      fast: true,
      watch: false,
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
}

export async function teardown(): Promise<void> {
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}
