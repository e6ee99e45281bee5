// The local Supabase-compatible stack: Postgres 17, migrations by the real Supabase CLI, PostgREST 12, the Auth
// stand-in, Edge Functions on real Deno, and the gateway that makes them one API on one port. Used by
// `npm run stack` (cli.ts) and by test setup. Contract: DESIGN.md §3, docs/local-stack.md.
import { mkdir } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createAuthService, type AuthService } from './auth/index.ts';
import { loadConfig, REPO_ROOT, type StackConfig } from './config.ts';
import { startFunctionsService, type FunctionsService } from './functions/index.ts';
import { createGateway } from './gateway.ts';
import {
  apiKeysFor,
  DEMO_JWT_SECRET,
  DEMO_PUBLISHABLE_KEY,
  DEMO_SECRET_KEY,
  DEV_SEND_SMS_HOOK_SECRET,
} from './keys.ts';
import { dbUrl, pushMigrations, startPostgres, type RunningPostgres } from './postgres.ts';
import { startPostgrest, type RunningPostgrest } from './postgrest.ts';
import { freePort } from './process.ts';
import { startRealtimeService, type RealtimeService } from './realtime/index.ts';
import { scheduleNotifyDrain, schedulePaymentSweep, schedulePayoutSweep, startNetWorker } from './net.ts';
import { createSandboxPay, SANDBOX_PAY_API_KEY, SANDBOX_PAY_PATH, SANDBOX_PAY_WEBHOOK_SECRET } from './sandbox-pay.ts';
import { startScheduler } from './scheduler.ts';
import { startStorageService, type StorageService } from './storage/index.ts';

export { loadConfig, REPO_ROOT } from './config.ts';
export type { StackConfig } from './config.ts';
export * from './keys.ts';

export interface StartStackOptions {
  /** Folder holding supabase/ (default: this repository). */
  projectRoot?: string;
  /** API gateway port; 0 picks a free one. Default: [api] port of config.toml. */
  apiPort?: number;
  /** Postgres port; 0 picks a free one. Default: [db] port of config.toml. */
  dbPort?: number;
  /** Where the database and logs live (git-ignored). Default: <projectRoot>/.stack/<apiPort>. */
  stateDir?: string;
  /** Start from an empty database (migrations and seed run again). */
  reset?: boolean;
  /** Tests: no fsync. Never for data you care about. */
  fast?: boolean;
  /** Start the Edge Functions (default true). */
  functions?: boolean;
  /** Reload functions when their files change (dev). */
  watch?: boolean;
  /**
   * Drain the push / SMS queue on its own, as on Supabase: pg_cron calls the `notify` function through pg_net every
   * 5 s (job `ecom-notify`). Default false: tests and benchmarks drain when they choose. `npm run stack` turns it on.
   */
  notifyDrain?: boolean;
  /**
   * Resolve payouts on their own, as on Supabase: pg_cron calls `POST /payouts/sweep` through pg_net every 30 s
   * (job `ecom-payout-sweep`). Default false: tests sweep when they choose. `npm run stack` turns it on.
   */
  payoutSweep?: boolean;
  /** Adjust the parsed config.toml before anything starts (tests use it to switch a hook off, say). */
  configure?: (config: StackConfig) => void;
  /** Extra env for functions and for `env()` values in config.toml. */
  env?: Record<string, string>;
  /**
   * Seconds between two calls of the payments sweep (re-queries pending payment intents, expires old ones); 0 turns
   * the clock off (tests call the sweep themselves). Default 5.
   */
  paymentSweepSeconds?: number;
  log?: (line: string) => void;
}

export interface Stack {
  apiUrl: string;
  dbUrl: string;
  restUrl: string;
  functionsUrl: string;
  realtimeUrl: string;
  storageUrl: string;
  /** The sandbox mobile-money provider's API (docs/payments.md). */
  sandboxPayUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  publishableKey: string;
  secretKey: string;
  jwtSecret: string;
  stateDir: string;
  config: StackConfig;
  /** Milliseconds from the call to a ready stack. */
  startupMs: number;
  stop(): Promise<void>;
}

export async function startStack(options: StartStackOptions = {}): Promise<Stack> {
  const t0 = performance.now();
  const log = options.log ?? ((line: string) => console.log(line));
  const projectRoot = options.projectRoot ?? REPO_ROOT;
  const env: Record<string, string> = {
    SEND_SMS_HOOK_SECRETS: process.env.SEND_SMS_HOOK_SECRETS || DEV_SEND_SMS_HOOK_SECRET,
    ...options.env,
  };
  const config = loadConfig(join(projectRoot, 'supabase'), { ...process.env, ...env });
  options.configure?.(config);

  // The API port is taken first (port 0: the system picks one), so nothing can take it while the rest starts; it
  // answers 503 until the gateway's routes are attached.
  const gateway: Server = createServer((_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'The local stack is starting' }));
  });
  const wantedApiPort = options.apiPort ?? config.api.port;
  await new Promise<void>((resolve, reject) => {
    gateway.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new Error(`API port ${wantedApiPort} is in use (another stack?)`) : e),
    );
    gateway.listen(wantedApiPort, '127.0.0.1', resolve);
  });
  const apiPort = (gateway.address() as AddressInfo).port;
  const stops: Array<() => Promise<void>> = [
    () =>
      new Promise<void>((resolve) => {
        gateway.close(() => resolve());
        gateway.closeAllConnections();
      }),
  ];
  const stop = async (): Promise<void> => {
    for (const s of stops.splice(0).reverse()) await s().catch((e: unknown) => log(`[stack] stop: ${String(e)}`));
  };

  try {
    const dbPort = options.dbPort === 0 ? await freePort() : (options.dbPort ?? config.db.port);
    const stateDir = options.stateDir ?? join(projectRoot, '.stack', String(apiPort));
    const logDir = join(stateDir, 'logs');
    await mkdir(logDir, { recursive: true });

    const jwtSecret = DEMO_JWT_SECRET;
    const keys = apiKeysFor(jwtSecret);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const sandboxPay = createSandboxPay({ log });
    stops.push(async () => sandboxPay.close());
    const db: RunningPostgres = await startPostgres({
      port: dbPort,
      dataDir: join(stateDir, 'db'),
      reset: options.reset ?? false,
      fast: options.fast ?? false,
      logFile: join(logDir, 'postgres.log'),
      log: (l) => log(l),
    });
    stops.push(db.stop);
    await pushMigrations(projectRoot, dbUrl(dbPort), env, log);
    // The clock jobs name this stack's URL: (re)scheduled at every start, removed when they should not run.
    const clock = { functionsUrl: `${apiUrl}/functions/v1`, serviceRoleKey: keys.serviceRole };
    await scheduleNotifyDrain(db.pool, {
      ...clock,
      enabled: (options.notifyDrain ?? false) && options.functions !== false,
    });
    await schedulePayoutSweep(db.pool, {
      ...clock,
      enabled: (options.payoutSweep ?? false) && options.functions !== false,
    });
    await schedulePaymentSweep(db.pool, {
      ...clock,
      enabled: (options.paymentSweepSeconds ?? 5) > 0 && options.functions !== false,
      everySeconds: options.paymentSweepSeconds ?? 5,
    });
    // pg_cron's worker: runs what migrations scheduled with cron.schedule(…); pg_net's sends what jobs queued.
    const scheduler = startScheduler({ pool: db.pool, log });
    stops.push(() => scheduler.stop());
    const net = startNetWorker({ pool: db.pool, log });
    stops.push(() => net.stop());

    const [restPort, restAdminPort] = [await freePort(), await freePort()];
    const restPromise = startPostgrest({
      config,
      dbPort,
      port: restPort,
      adminPort: restAdminPort,
      jwtSecret,
      logFile: join(logDir, 'postgrest.log'),
    });
    const functionsPromise: Promise<FunctionsService | undefined> =
      options.functions === false
        ? Promise.resolve(undefined)
        : startFunctionsService({
            config,
            env: {
              SUPABASE_URL: apiUrl,
              SUPABASE_ANON_KEY: keys.anon,
              SUPABASE_SERVICE_ROLE_KEY: keys.serviceRole,
              SUPABASE_DB_URL: dbUrl(dbPort),
              SUPABASE_PUBLISHABLE_KEYS: JSON.stringify({ default: DEMO_PUBLISHABLE_KEY }),
              SUPABASE_SECRET_KEYS: JSON.stringify({ default: DEMO_SECRET_KEY }),
              // Local runs pay through the sandbox provider, reached over HTTP like a real one.
              PAYMENT_PROVIDER: 'sandbox',
              SANDBOX_PAY_BASE_URL: `${apiUrl}${SANDBOX_PAY_PATH}`,
              SANDBOX_PAY_API_KEY,
              SANDBOX_PAY_WEBHOOK_SECRET,
              ...env,
            },
            jwtSecret,
            watch: options.watch ?? false,
            stateDir,
            log,
          });
    const [rest, functions]: [RunningPostgrest, FunctionsService | undefined] = await Promise.all([
      restPromise.then((r) => {
        stops.push(r.stop);
        return r;
      }),
      functionsPromise.then((f) => {
        if (f) stops.push(() => f.stop());
        return f;
      }),
    ]);

    const auth: AuthService = createAuthService({
      pool: db.pool,
      config,
      jwtSecret,
      externalUrl: `${apiUrl}/auth/v1`,
      anonKey: keys.anon,
      serviceRoleKey: keys.serviceRole,
      sendSmsHookSecrets: config.auth.hooks.sendSms?.secrets ?? [],
      resolveHookUrl: (uri) =>
        uri.replace(
          new RegExp(
            `^(https?)://(host\\.docker\\.internal|localhost|127\\.0\\.0\\.1|kong)(:${config.api.port}|:8000)?/`,
          ),
          `http://127.0.0.1:${apiPort}/`,
        ),
    });
    stops.push(() => auth.close());

    const common = { pool: db.pool, config, jwtSecret, anonKey: keys.anon, serviceRoleKey: keys.serviceRole, log };
    const [realtime, storage]: [RealtimeService | undefined, StorageService | undefined] = await Promise.all([
      config.realtime.enabled
        ? startRealtimeService({ ...common, dbUrl: dbUrl(dbPort), stateDir }).then((r) => {
            stops.push(() => r.close());
            return r;
          })
        : undefined,
      config.storage.enabled
        ? startStorageService({ ...common, apiUrl, dataDir: join(stateDir, 'storage') }).then((s) => {
            stops.push(() => s.close());
            return s;
          })
        : undefined,
    ]);
    const disabled = (name: string) => (_req: unknown, res: ServerResponse) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `${name} is disabled in supabase/config.toml` }));
    };

    createGateway(
      {
        rest: rest.url,
        auth: (req, res, path) => auth.handle(req, res, path),
        devSms: (req, res, path) => auth.handleOutbox(req, res, path),
        sandboxPay: (req, res, path) => sandboxPay.handle(req, res, path),
        functions: (req, res, path) => {
          if (functions) return functions.handle(req, res, path);
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ code: 'BOOT_ERROR', message: 'Edge Functions are not running in this stack' }));
        },
        storage: storage ? (req, res, path) => storage.handle(req, res, path) : disabled('Storage'),
        realtime: realtime ? (req, res, path) => realtime.handle(req, res, path) : disabled('Realtime'),
        realtimeUpgrade: (req, socket, head) => {
          if (realtime) realtime.handleUpgrade(req, socket, head);
          else socket.destroy();
        },
        health: () => ({
          status: 'ok',
          services: {
            db: 'ok',
            rest: 'ok',
            auth: 'ok',
            realtime: realtime ? 'ok' : 'disabled',
            storage: storage ? 'ok' : 'disabled',
            functions: functions ? 'ok' : 'disabled',
          },
        }),
      },
      { anon: keys.anon, serviceRole: keys.serviceRole, publishable: DEMO_PUBLISHABLE_KEY, secret: DEMO_SECRET_KEY },
      gateway,
    );

    return {
      apiUrl,
      dbUrl: dbUrl(dbPort),
      restUrl: `${apiUrl}/rest/v1`,
      functionsUrl: `${apiUrl}/functions/v1`,
      realtimeUrl: `ws://127.0.0.1:${apiPort}/realtime/v1`,
      storageUrl: `${apiUrl}/storage/v1`,
      sandboxPayUrl: `${apiUrl}${SANDBOX_PAY_PATH}`,
      anonKey: keys.anon,
      serviceRoleKey: keys.serviceRole,
      publishableKey: DEMO_PUBLISHABLE_KEY,
      secretKey: DEMO_SECRET_KEY,
      jwtSecret,
      stateDir,
      config,
      startupMs: Math.round(performance.now() - t0),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
