// `npm run bench`: figures measured on this machine, each beside a reference measured in the same run.
// Writes JSON to stdout, to bench/results.json (committed after a run on the project's machine) and to
// bench/results/<date>.json (history, not committed), and bench/REPORT.md (bench/report.ts: each figure, its
// same-run reference and its target, met or not).
//   stack.cold_start_ms    new data folder: initdb, platform bootstrap, migrations, PostgREST, Auth, Functions
//   stack.warm_start_ms    same folder again (data kept)          reference: Postgres alone on that folder
//   rest.read              GET /rest/v1/profiles?id=eq.<me> as a signed-in person through the gateway (RLS on)
//                          reference: the same select over one pg connection, as that person (role + claims)
//   geo                    private.nearest_couriers at 10k and 100k couriers   reference: the same call, index off
//   orders                 50 customers placing cash orders through the gateway (orders/s, p50/p95)
//                          reference: the same order rows inserted by bare SQL transactions, same run
//   ledger                 customer → merchant transfers + platform fee leg (private.post_entry), 16 connections,
//                          uniform and one hot merchant; reference: a bare single-row UPDATE loop, same run
//   client                 the customer app's initial JS and first-visit transfer (bench/client.ts)
//   staff_apps             the merchant and courier apps' first-screen JS (bench/apps.ts)
//   dispatch               merchant accepts → offer on the courier's phone (bench/dispatch.ts)
//   webhooks               payment-webhooks ack latency; reference: forged signatures (bench/webhooks.ts)
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { REPO_ROOT, signJwt, startStack } from '../packages/local-stack/src/index.ts';
import { startPostgres } from '../packages/local-stack/src/postgres.ts';
import { freePort, tempStateDir } from '../packages/local-stack/src/process.ts';
import { geoBench } from './geo.ts';
import { clientBench } from './client.ts';
import { dispatchBench } from './dispatch.ts';
import { ledgerBench } from './ledger.ts';
import { ordersBench } from './orders.ts';
import { realtimeBench } from './realtime.ts';
import { staffAppsBench } from './apps.ts';
import { renderReport } from './report.ts';
import { webhooksBench } from './webhooks.ts';

const quiet = { log: () => undefined };
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const round = (n: number): number => Math.round(n * 100) / 100;

async function startup(runs: number) {
  const cold: number[] = [];
  const warm: number[] = [];
  const pgOnly: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const dir = await tempStateDir('ecom-bench-');
    try {
      const opts = { apiPort: 0, dbPort: 0, stateDir: dir, ...quiet };
      const a = await startStack(opts);
      cold.push(a.startupMs);
      await a.stop();
      const b = await startStack(opts);
      warm.push(b.startupMs);
      await b.stop();
      const t = performance.now();
      const p = await startPostgres({
        port: await freePort(),
        dataDir: join(dir, 'db'),
        reset: false,
        fast: false,
        logFile: join(dir, 'pg.log'),
        ...quiet,
      });
      pgOnly.push(Math.round(performance.now() - t));
      await p.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return {
    runs,
    cold_start_ms: median(cold),
    warm_start_ms: median(warm),
    reference_postgres_only_ms: median(pgOnly),
    target_ms: 10000,
  };
}

async function restRead(n: number) {
  const dir = await tempStateDir('ecom-bench-');
  const s = await startStack({ apiPort: 0, dbPort: 0, stateDir: dir, fast: true, functions: false, ...quiet });
  try {
    const admin = new pg.Client({ connectionString: s.dbUrl });
    await admin.connect();
    const id = '00000000-0000-4000-8000-00000000b001';
    await admin.query(
      `insert into auth.users (instance_id, id, aud, role, phone, phone_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
       values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', '2250700009999', now(), '{}', '{}', now(), now())`,
      [id],
    );
    const claims = { sub: id, role: 'authenticated', aud: 'authenticated', exp: Math.floor(Date.now() / 1000) + 3600 };
    const token = signJwt(claims, s.jwtSecret);
    const url = `${s.restUrl}/profiles?id=eq.${id}&select=id,full_name,language`;
    const headers = { apikey: s.anonKey, authorization: `Bearer ${token}` };
    for (let i = 0; i < 50; i += 1) await (await fetch(url, { headers })).arrayBuffer();
    const rest: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < n; i += 1) {
      const t = performance.now();
      const r = await fetch(url, { headers });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`REST read answered ${r.status}`);
      rest.push(performance.now() - t);
    }
    const restSecs = (performance.now() - t0) / 1000;

    const sql: number[] = [];
    const t1 = performance.now();
    for (let i = 0; i < n; i += 1) {
      const t = performance.now();
      await admin.query('begin');
      await admin.query(
        `select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`,
        [JSON.stringify(claims)],
      );
      await admin.query('select id, full_name, language from public.profiles where id = $1', [id]);
      await admin.query('commit');
      sql.push(performance.now() - t);
    }
    const sqlSecs = (performance.now() - t1) / 1000;
    await admin.end();
    return {
      requests: n,
      sequential_req_per_s: round(n / restSecs),
      p50_ms: round(pct(rest, 50)),
      p95_ms: round(pct(rest, 95)),
      reference_sql_same_query: { per_s: round(n / sqlSecs), p50_ms: round(pct(sql, 50)), p95_ms: round(pct(sql, 95)) },
    };
  } finally {
    await s.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

// Sample sizes: the whole run must stay under 10 minutes on the project's 2-core machine.
const SAMPLING = { stack_start_runs: 3, rest_reads: 2000, webhook_callbacks: 300, webhook_top_ups: 10 };
const run0 = performance.now();
const sections: Record<string, number> = {};
async function timed<T>(name: string, f: () => Promise<T>): Promise<T> {
  const t = performance.now();
  try {
    return await f();
  } finally {
    sections[name] = Math.round((performance.now() - t) / 100) / 10;
    console.error(`[bench] ${name}: ${sections[name]} s`);
  }
}

const result = {
  date: new Date().toISOString(),
  machine: {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: cpus().length,
    // Other work on the machine moves every figure: the 1-minute load average before and after the run.
    load_avg_1m: { start: Math.round(loadavg()[0]! * 10) / 10, end: 0 },
  },
  sampling: SAMPLING,
  stack: await timed('stack', () => startup(SAMPLING.stack_start_runs)),
  rest_read: await timed('rest_read', () => restRead(SAMPLING.rest_reads)),
  realtime: await timed('realtime', () => realtimeBench()),
  geo: await timed('geo', () => geoBench()),
  client: await timed('client', () => clientBench()),
  staff_apps: await timed('staff_apps', () => staffAppsBench()),
  orders: await timed('orders', () => ordersBench()),
  dispatch: await timed('dispatch', () => dispatchBench()),
  ledger: await timed('ledger', () => ledgerBench()),
  webhooks: await timed('webhooks', () =>
    webhooksBench({ callbacks: SAMPLING.webhook_callbacks, topUps: SAMPLING.webhook_top_ups }),
  ),
  sections_s: sections,
  duration_s: 0,
};
result.duration_s = Math.round((performance.now() - run0) / 1000);
result.machine.load_avg_1m.end = Math.round(loadavg()[0]! * 10) / 10;
const text = JSON.stringify(result, null, 2);
console.log(text);
await writeFile(join(REPO_ROOT, 'bench/results.json'), text + '\n');
await writeFile(join(REPO_ROOT, 'bench/REPORT.md'), renderReport(result));
await mkdir(join(REPO_ROOT, 'bench/results'), { recursive: true });
await writeFile(join(REPO_ROOT, 'bench/results', `${result.date.slice(0, 10)}.json`), text + '\n');
console.error(`[bench] done in ${result.duration_s} s: bench/results.json, bench/REPORT.md`);
