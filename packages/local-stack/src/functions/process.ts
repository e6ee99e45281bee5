// One Deno child per edge function: spawn it on a free loopback port, follow its boot through the marker lines
// worker.ts prints, respawn it on demand after it died (the edge-runtime boots a worker per request in the same
// spirit), and stop it without leaving orphans.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type FunctionConfig, REPO_ROOT } from '../config.ts';
import { MARKERS } from './markers.ts';
import { freePort } from '../process.ts';

const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'worker.ts');

export type FunctionState = 'starting' | 'ready' | 'failed' | 'exited' | 'stopped';

export interface FunctionProcessOptions {
  fn: FunctionConfig;
  denoBin: string;
  env: Record<string, string>;
  watch: boolean;
  bootTimeoutMs: number;
  log: (line: string) => void;
}

export interface FunctionProcess {
  readonly name: string;
  /** Loopback port the function listens on (changes when the child is respawned). */
  port(): number;
  state(): FunctionState;
  /** Resolves true once the function listens, false if it failed to boot; respawns a child that died. */
  ready(): Promise<boolean>;
  stop(): Promise<void>;
  /** Synchronous last resort for process exit. */
  kill(): void;
}

/** The Deno binary the `deno` npm package installed (no Node shim in between, so signals reach Deno itself). */
export function resolveDenoBinary(): string {
  const exe = process.platform === 'win32' ? 'deno.exe' : 'deno';
  const candidates = [
    process.env.ECOM_DENO_BIN,
    join(REPO_ROOT, 'node_modules', 'deno', exe),
    join(REPO_ROOT, 'node_modules', '@deno', `${process.platform}-${process.arch}-glibc`, exe),
    join(REPO_ROOT, 'node_modules', '@deno', `${process.platform}-${process.arch}`, exe),
    join(REPO_ROOT, 'node_modules', '.bin', exe),
  ];
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate;
  return exe;
}

/**
 * Deno config for a function: `import_map` from config.toml (a deno.json is a config, anything else an import map),
 * else the nearest deno.json(c) above the entrypoint inside the repo (edge-functions/deno.json for ours).
 */
export function denoConfigArgs(fn: FunctionConfig): string[] {
  if (fn.importMap) {
    return /deno\.jsonc?$/.test(fn.importMap) ? ['--config', fn.importMap] : ['--import-map', fn.importMap];
  }
  let dir = dirname(fn.entrypoint);
  const root = resolve(REPO_ROOT);
  for (;;) {
    for (const file of ['deno.json', 'deno.jsonc'])
      if (existsSync(join(dir, file))) return ['--config', join(dir, file)];
    const parent = dirname(dir);
    if (dir === root || parent === dir) return ['--no-config'];
    dir = parent;
  }
}

export function createFunctionProcess(options: FunctionProcessOptions): FunctionProcess {
  const { fn, log } = options;
  const prefix = `[functions:${fn.name}]`;
  let child: ChildProcess | null = null;
  let state: FunctionState = 'exited';
  let port = 0;
  let spawning: Promise<void> | null = null;
  const waiters = new Set<(ok: boolean) => void>();

  const settle = (next: FunctionState) => {
    state = next;
    if (next === 'starting') return;
    for (const waiter of waiters) waiter(next === 'ready');
    waiters.clear();
  };

  // A package.json next to the entrypoint opts into npm package.json resolution, as under the CLI; otherwise the
  // monorepo's package.json files must not turn Deno into "bring your own node_modules" mode.
  const env = { ...options.env };
  if (!existsSync(join(dirname(fn.entrypoint), 'package.json'))) env.DENO_NO_PACKAGE_JSON = '1';

  const args = (listenPort: number) => [
    'run',
    '--allow-all',
    '--no-prompt',
    ...denoConfigArgs(fn),
    ...(options.watch ? [`--watch=${dirname(fn.entrypoint)}`, '--no-clear-screen'] : []),
    WORKER,
    fn.name,
    pathToFileURL(fn.entrypoint).href,
    String(listenPort),
    options.watch ? '1' : '0',
    String(process.pid),
  ];

  async function start(): Promise<void> {
    port = await freePort();
    let bootStarted = Date.now();
    let everReady = false;
    state = 'starting';
    const proc = spawn(options.denoBin, args(port), {
      cwd: dirname(fn.entrypoint),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      if (line === MARKERS.ready) {
        const ms = Date.now() - bootStarted;
        log(everReady ? `${prefix} reloaded in ${ms} ms` : `${prefix} ready on 127.0.0.1:${port} in ${ms} ms`);
        everReady = true;
        settle('ready');
      } else if (line === MARKERS.bootError) {
        log(`${prefix} failed to boot (see the error above)`);
        settle('failed');
      } else if (line === MARKERS.starting) {
        if (everReady || state === 'failed') bootStarted = Date.now();
        state = 'starting';
      } else {
        log(`${prefix} ${line}`);
      }
    });
    createInterface({ input: proc.stderr! }).on('line', (line) => {
      // Deno's watcher announces a reload before our bootstrap runs again.
      if (options.watch && /Restarting/.test(line) && state === 'ready') state = 'starting';
      log(`${prefix} ${line}`);
    });
    proc.on('error', (error) => {
      log(`${prefix} could not start Deno (${options.denoBin}): ${error.message}`);
      if (child === proc) child = null;
      if (state !== 'stopped') settle('failed');
    });
    proc.on('exit', (code, signal) => {
      if (child === proc) child = null;
      if (state === 'stopped') return;
      log(`${prefix} exited (${signal ?? `code ${code}`})`);
      settle(state === 'starting' ? 'failed' : 'exited');
    });
  }

  return {
    name: fn.name,
    port: () => port,
    state: () => state,
    async ready() {
      if (state === 'stopped') return false;
      if (state === 'ready' && child) return true;
      if (state === 'failed' && child) return false; // --watch: waits for a file change
      if (!child) {
        spawning ??= start().finally(() => (spawning = null));
        await spawning;
      }
      if (state === 'ready') return true;
      if (state === 'failed' || !child) return false;
      return new Promise<boolean>((done) => {
        const timer = setTimeout(() => {
          waiters.delete(finish);
          log(`${prefix} not ready after ${options.bootTimeoutMs} ms`);
          done(false);
        }, options.bootTimeoutMs);
        const finish = (ok: boolean) => {
          clearTimeout(timer);
          done(ok);
        };
        waiters.add(finish);
      });
    },
    async stop() {
      settle('stopped');
      await spawning?.catch(() => {});
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((done) => proc.once('exit', () => done()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
    kill() {
      state = 'stopped';
      child?.kill('SIGKILL');
    },
  };
}
