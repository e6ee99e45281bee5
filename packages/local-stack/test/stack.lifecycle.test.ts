// The stack as a developer runs it: data survives a restart, --reset throws it away, a second stack runs beside
// the first on other ports, and stopping (Ctrl-C for `npm run stack`) leaves no process behind.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startStack } from '../src/index.ts';
import { freePort, tempStateDir } from '../src/process.ts';
import { stack } from './stack.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const tempDir = async (): Promise<string> => {
  const d = await tempStateDir('ecom-lifecycle-');
  dirs.push(d);
  return d;
};

const portOpen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = createConnection({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

/** Every process below `pid` (children, grandchildren…), from ps. */
function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const [child, parent] of rows) {
      if (parent !== p) continue;
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function query(url: string, sql: string): Promise<unknown[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

describe('stack lifecycle', () => {
  it('keeps data across a restart, and starts empty again with reset', async () => {
    const stateDir = await tempDir();
    const opts = { apiPort: 0, dbPort: 0, stateDir, fast: true, functions: false, log: () => undefined };
    const first = await startStack(opts);
    await query(
      first.dbUrl,
      `create table public.lifecycle_probe (id int primary key); insert into public.lifecycle_probe values (42);`,
    );
    await first.stop();

    const second = await startStack(opts);
    expect(await query(second.dbUrl, 'select id from public.lifecycle_probe')).toEqual([{ id: 42 }]);
    // The migrations are not applied twice.
    const applied = await query(second.dbUrl, 'select count(*)::int as n from supabase_migrations.schema_migrations');
    const files = (await readdir(join(REPO_ROOT, 'supabase/migrations'))).filter((f) => f.endsWith('.sql'));
    expect(applied).toEqual([{ n: files.length }]);
    // Realtime's replication slot of the first run is gone (no WAL kept for a reader that will never come back).
    expect(await query(second.dbUrl, 'select count(*)::int as n from pg_replication_slots')).toEqual([{ n: 1 }]);
    await second.stop();

    const third = await startStack({ ...opts, reset: true });
    const exists = await query(third.dbUrl, `select to_regclass('public.lifecycle_probe') as t`);
    expect(exists).toEqual([{ t: null }]);
    expect(await query(third.dbUrl, `select to_regclass('public.profiles')::text as t`)).toEqual([{ t: 'profiles' }]);
    await third.stop();
  }, 120_000);

  it('runs beside the test stack on other ports, and frees every port when stopped', async () => {
    const other = await startStack({
      apiPort: 0,
      dbPort: 0,
      stateDir: await tempDir(),
      fast: true,
      log: () => undefined,
    });
    expect(other.apiUrl).not.toBe(stack().apiUrl);
    const r = await fetch(`${other.apiUrl}/rest/v1/profiles?select=id`, { headers: { apikey: other.serviceRoleKey } });
    expect(r.status).toBe(200);
    const fn = await fetch(`${other.functionsUrl}/health`, { headers: { authorization: `Bearer ${other.anonKey}` } });
    expect(fn.status).toBe(200);
    const apiPort = Number(new URL(other.apiUrl).port);
    const dbPort = Number(new URL(other.dbUrl).port);
    await other.stop();
    expect(await portOpen(apiPort)).toBe(false);
    expect(await portOpen(dbPort)).toBe(false);
  }, 120_000);

  it('refuses an API port that is already taken, clearly, before starting anything', async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)),
    );
    try {
      const stateDir = await tempStateDir('ecom-lifecycle-');
      dirs.push(stateDir);
      await expect(startStack({ apiPort: port, dbPort: 0, stateDir, log: () => undefined })).rejects.toThrow(
        `API port ${port} is in use (another stack?)`,
      );
    } finally {
      blocker.close();
    }
  });

  it('keeps the exit code of a process that loads it (no exit hook forcing 0, which would hide failing tests)', () => {
    const code = `await import('./packages/local-stack/src/index.ts'); process.exitCode = 3;`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: REPO_ROOT });
    expect(run.status).toBe(3);
  });

  it('`npm run stack` prints the status, and Ctrl-C stops every child', async () => {
    const [port, dbPort] = [await freePort(), await freePort()];
    const child = spawn(
      process.execPath,
      ['packages/local-stack/src/cli.ts', '--port', String(port), '--db-port', String(dbPort), '--no-watch', '--reset'],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    dirs.push(join(REPO_ROOT, '.stack', String(port)));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no status printed:\n${out}`)), 60_000);
      child.stdout.on('data', () => {
        if (out.includes('Press Ctrl-C')) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    expect(out).toContain(`API URL: http://127.0.0.1:${port}`);
    expect(out).toContain(`DB URL: postgresql://postgres:postgres@127.0.0.1:${dbPort}/postgres`);
    expect(out).toContain('anon key: eyJ');
    expect(out).toContain('JWT secret: super-secret-jwt-token-with-at-least-32-characters-long');

    const children = descendants(child.pid!);
    // Postgres, PostgREST and one Deno per function at least.
    expect(children.length).toBeGreaterThanOrEqual(3);
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    expect(await exit).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(children.filter(alive)).toEqual([]);
    expect(await portOpen(port)).toBe(false);
    expect(await portOpen(dbPort)).toBe(false);
  }, 120_000);
});
