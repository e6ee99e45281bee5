// Ledger transfer throughput (performance-and-reliability.md §8 B8): customer → merchant transfers with a platform
// fee leg, each one a private.post_entry call in its own transaction (3 postings, ordered row locks, overdraft check,
// balances updated), from 16 connections at once; a uniform mix (1 000 customers, 200 merchants) and a "one hot
// merchant" mix (every transfer credits the same merchant). Reference, same run and same connections: a bare
// single-row UPDATE loop (one row per transaction), spread over 1 000 rows and then on one hot row. Postgres runs
// with fsync on (durable commits), like the stack people run. After the run the invariants must hold.
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startStack } from '../packages/local-stack/src/index.ts';
import { tempStateDir } from '../packages/local-stack/src/process.ts';

const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const round = (n: number): number => Math.round(n * 100) / 100;

const CONNECTIONS = 16;
const TRANSFERS = 8_000;
const CUSTOMERS = 1_000;
const MERCHANTS = 200;

interface Figures {
  per_s: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
}

/** Runs `total` calls of `work(i)` spread over the pool's connections; calls per second and latency percentiles. */
async function drive(
  db: pg.Pool,
  total: number,
  work: (c: pg.PoolClient, i: number) => Promise<unknown>,
): Promise<Figures> {
  const clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => db.connect()));
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    clients.map(async (c) => {
      for (let i = next++; i < total; i = next++) {
        const t = performance.now();
        await work(c, i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  for (const c of clients) c.release();
  return {
    per_s: round(total / secs),
    p50_ms: round(pct(latencies, 50)),
    p95_ms: round(pct(latencies, 95)),
    p99_ms: round(pct(latencies, 99)),
  };
}

export async function ledgerBench() {
  const dir = await tempStateDir('ecom-bench-');
  const s = await startStack({ apiPort: 0, dbPort: 0, stateDir: dir, functions: false, log: () => undefined });
  const db = new pg.Pool({ connectionString: s.dbUrl, max: CONNECTIONS });
  try {
    const account = async (kind: string, owner: string | null, channel: string | null = null) =>
      (await db.query<{ id: string }>('select private.ledger_account($1, $2, $3) as id', [kind, owner, channel]))
        .rows[0]!.id;
    const clearing = await account('provider_clearing', null, 'bench:orange_ci');
    const customers: string[] = [];
    for (let i = 0; i < CUSTOMERS; i += 1) {
      const id = await account('customer_wallet', `00000000-0000-4000-8000-${String(0xc000 + i).padStart(12, '0')}`);
      await db.query('select private.post_entry($1, $2::jsonb)', [
        'topup',
        JSON.stringify([
          { account: id, amount: 10_000_000 },
          { account: clearing, amount: -10_000_000 },
        ]),
      ]);
      customers.push(id);
    }
    const merchants: string[] = [];
    for (let i = 0; i < MERCHANTS; i += 1) {
      merchants.push(
        await account('merchant_wallet', `00000000-0000-4000-8000-${String(0xd000 + i).padStart(12, '0')}`),
      );
    }
    const platform = (
      await db.query<{ id: string }>(
        'select distinct private.platform_revenue_account(gen_random_uuid()) as id from generate_series(1, 256)',
      )
    ).rows.map((r) => r.id);
    const transfer = (merchantOf: (i: number) => string) => (c: pg.PoolClient, i: number) =>
      c.query('select private.post_entry($1, $2::jsonb)', [
        'order_capture',
        JSON.stringify([
          { account: customers[(i * 7919) % CUSTOMERS]!, amount: -1000 },
          { account: merchantOf(i), amount: 900 },
          { account: platform[i % platform.length]!, amount: 100 },
        ]),
      ]);
    // Warm up the plans and the caches on every connection.
    await drive(
      db,
      400,
      transfer((i) => merchants[i % MERCHANTS]!),
    );
    const uniform = await drive(
      db,
      TRANSFERS,
      transfer((i) => merchants[(i * 31) % MERCHANTS]!),
    );
    const hot = await drive(
      db,
      TRANSFERS,
      transfer(() => merchants[0]!),
    );

    await db.query('create table public.bench_rows (id integer primary key, v bigint not null default 0)');
    await db.query('insert into public.bench_rows (id) select g from generate_series(0, $1) g', [CUSTOMERS - 1]);
    const bump = (row: (i: number) => number) => (c: pg.PoolClient, i: number) =>
      c.query('update public.bench_rows set v = v + 1 where id = $1', [row(i)]);
    await drive(
      db,
      400,
      bump((i) => i % CUSTOMERS),
    );
    const bareUniform = await drive(
      db,
      TRANSFERS,
      bump((i) => (i * 7919) % CUSTOMERS),
    );
    const bareHot = await drive(
      db,
      TRANSFERS,
      bump(() => 0),
    );

    const violations = (await db.query('select * from private.ledger_violations()')).rows.length;
    return {
      connections: CONNECTIONS,
      transfers_per_mix: TRANSFERS,
      postings_per_transfer: 3,
      uniform: {
        transfers_per_s: uniform.per_s,
        p50_ms: uniform.p50_ms,
        p95_ms: uniform.p95_ms,
        p99_ms: uniform.p99_ms,
      },
      hot_merchant: { transfers_per_s: hot.per_s, p50_ms: hot.p50_ms, p95_ms: hot.p95_ms, p99_ms: hot.p99_ms },
      reference_bare_update: {
        uniform: { updates_per_s: bareUniform.per_s, p50_ms: bareUniform.p50_ms, p99_ms: bareUniform.p99_ms },
        hot_row: { updates_per_s: bareHot.per_s, p50_ms: bareHot.p50_ms, p99_ms: bareHot.p99_ms },
      },
      invariant_violations: violations,
      targets: { uniform_per_s: 2000, hot_merchant_per_s: 1000, p99_ms: 25, machine: '4 vCPU (this one has 2)' },
    };
  } finally {
    await db.end();
    await s.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(await ledgerBench(), null, 2));
