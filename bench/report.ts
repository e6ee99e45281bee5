// bench/REPORT.md from one run's results: each figure beside the reference measured in the same run and its target
// (../shared/reference/performance-and-reliability.md §8, B1–B10; R6 from §9), met or not. Written by bench/run.ts;
// `node bench/report.ts` rewrites it from bench/results.json.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

type Json = Record<string, unknown>;

/** The value at a dotted path, or undefined. */
const at = (o: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Json)[k] : undefined), o);
const num = (o: unknown, path: string): number | undefined => {
  const v = at(o, path);
  return typeof v === 'number' ? v : undefined;
};
const fmt = (n: number | undefined, unit: string): string =>
  n === undefined
    ? 'n/a'
    : `${n.toLocaleString('en-US', { maximumFractionDigits: 2 }).replace(/,/g, ' ')} ${unit}`.trim();

interface Row {
  id: string;
  figure: string;
  measured: string;
  reference: string;
  target: string;
  /** true met, false not met, undefined no target to judge against. */
  met?: boolean;
  note?: string;
}

const within = (n: number | undefined, max: number) => (n === undefined ? undefined : n <= max);
const atLeast = (n: number | undefined, min: number) => (n === undefined ? undefined : n >= min);
const both = (...xs: (boolean | undefined)[]) => (xs.some((x) => x === undefined) ? undefined : xs.every(Boolean));

export function reportRows(r: Json): Row[] {
  const rows: Row[] = [];
  const ms = (p: string) => num(r, p);
  /** "N unit, pXX M ms" of a throughput figure at `path` (its rate under `rate`, its percentile under `p`). */
  const flow = (path: string, rate: string, unit: string, p: 'p95' | 'p99') =>
    `${fmt(ms(`${path}.${rate}`), unit)}, ${p} ${fmt(ms(`${path}.${p}_ms`), 'ms')}`;
  /** Met when the rate is at least `min` and the percentile at most `max` ms. */
  const flowMet = (path: string, rate: string, min: number, p: 'p95' | 'p99', max: number) =>
    both(atLeast(ms(`${path}.${rate}`), min), within(ms(`${path}.${p}_ms`), max));
  /** A row for one figure at `path` with a ceiling `max` (its target reads "≤ max unit"). */
  const capped = (id: string, figure: string, path: string, unit: string, max: number, reference: string): Row => ({
    id,
    figure,
    measured: fmt(ms(path), unit),
    reference,
    target: `≤ ${String(max).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} ${unit}`,
    met: within(ms(path), max),
  });

  rows.push({
    id: '—',
    figure: 'Local stack cold start (initdb, bootstrap, migrations, PostgREST, Auth, Functions)',
    measured: fmt(ms('stack.cold_start_ms'), 'ms') + ` (warm ${fmt(ms('stack.warm_start_ms'), 'ms')})`,
    reference: `Postgres alone ${fmt(ms('stack.reference_postgres_only_ms'), 'ms')}`,
    target: '≤ 10 000 ms (project)',
    met: within(ms('stack.cold_start_ms'), 10_000),
  });
  rows.push({
    id: 'B1',
    figure: 'PostgREST read with RLS and JWT (one client, sequential)',
    measured: flow('rest_read', 'sequential_req_per_s', 'req/s', 'p95'),
    reference: `same select over SQL as that person: ${flow('rest_read.reference_sql_same_query', 'per_s', '/s', 'p95')}`,
    target: '≥ 2 000 req/s per 2-vCPU node, p95 ≤ 15 ms',
    met: flowMet('rest_read', 'sequential_req_per_s', 2000, 'p95', 15),
    note: 'one sequential client, not a load test: req/s is latency-bound here',
  });
  rows.push({
    id: 'B2',
    figure: 'Order placement through the gateway (50 customers at once)',
    measured: flow('orders.gateway_place_order', 'orders_per_s', 'orders/s', 'p95'),
    reference: `bare SQL insert of the same rows: ${flow('orders.reference_bare_sql_insert', 'orders_per_s', '/s', 'p95')}`,
    target: '≥ 800 order-creates/s, p95 ≤ 40 ms',
    met: flowMet('orders.gateway_place_order', 'orders_per_s', 800, 'p95', 40),
  });
  rows.push({
    id: 'B4',
    figure: 'Order-status broadcast from the database, commit → client',
    measured: `p50 ${fmt(ms('realtime.broadcast_from_db.synchronous_commit_on.p50_ms'), 'ms')}, p95 ${fmt(ms('realtime.broadcast_from_db.synchronous_commit_on.p95_ms'), 'ms')}`,
    reference: `LISTEN/NOTIFY round trip p95 ${fmt(ms('realtime.reference_listen_notify.p95_ms'), 'ms')}`,
    target: 'p95 ≤ 120 ms, p99 ≤ 200 ms',
    met: within(ms('realtime.broadcast_from_db.synchronous_commit_on.p95_ms'), 120),
    note: 'p99 not measured (100 messages)',
  });
  rows.push({
    id: 'B4',
    figure: 'Postgres Changes with RLS, 100 subscribers',
    measured: `p95 ${fmt(ms('realtime.postgres_changes_rls.hundred_subscribers.p95_ms'), 'ms')}`,
    reference: `1 subscriber p95 ${fmt(ms('realtime.postgres_changes_rls.one_subscriber.p95_ms'), 'ms')}`,
    target: '(anchor: 228 ms p95 at 500 clients)',
  });
  rows.push({
    id: 'B5',
    figure: 'Courier position broadcast fan-out (200 subscribers × 50 messages)',
    measured: `${fmt(ms('realtime.broadcast_fanout.delivered_per_s'), 'msg/s')}, p95 ${fmt(ms('realtime.broadcast_fanout.p95_ms'), 'ms')}`,
    reference: `LISTEN/NOTIFY p95 ${fmt(ms('realtime.reference_listen_notify.p95_ms'), 'ms')}`,
    target: 'server-side p95 ≤ 60 ms',
    met: within(ms('realtime.broadcast_fanout.p95_ms'), 60),
    note: '200 subscribers here, 5 000 couriers in the target',
  });
  rows.push({
    id: 'B7',
    figure: 'Nearest available courier at 100k couriers',
    measured: `p95 ${fmt(ms('geo.couriers_100000.nearest_couriers.p95_ms'), 'ms')} (${String(at(r, 'geo.couriers_100000.nearest_couriers.plan') ?? '')})`,
    reference: `same call without the index: p95 ${fmt(ms('geo.couriers_100000.reference_without_index.p95_ms'), 'ms')}`,
    target: 'p95 ≤ 3 ms at 100k',
    met: within(ms('geo.couriers_100000.nearest_couriers.p95_ms'), 3),
  });
  rows.push({
    id: 'B8',
    figure: 'Ledger transfers, uniform',
    measured: flow('ledger.uniform', 'transfers_per_s', 'transfers/s', 'p99'),
    reference: `bare single-row UPDATE: ${flow('ledger.reference_bare_update.uniform', 'updates_per_s', '/s', 'p99')}`,
    target: '≥ 2 000/s (4 vCPU), p99 ≤ 25 ms',
    met: flowMet('ledger.uniform', 'transfers_per_s', 2000, 'p99', 25),
  });
  rows.push({
    id: 'B8',
    figure: 'Ledger transfers, one hot merchant',
    measured: flow('ledger.hot_merchant', 'transfers_per_s', 'transfers/s', 'p99'),
    reference: `bare UPDATE of one hot row: ${flow('ledger.reference_bare_update.hot_row', 'updates_per_s', '/s', 'p99')}`,
    target: '≥ 1 000/s (4 vCPU), p99 ≤ 25 ms',
    met: flowMet('ledger.hot_merchant', 'transfers_per_s', 1000, 'p99', 25),
    note: `invariant violations: ${String(at(r, 'ledger.invariant_violations') ?? 'n/a')}`,
  });
  rows.push(
    capped(
      'B9',
      'Customer app initial JS, home (returning visitor)',
      'client.bundle.home.initial_js_gzip_kib',
      'KiB gzip',
      170,
      `sign-in (new visitor) ${fmt(ms('client.bundle.sign_in.initial_js_gzip_kib'), 'KiB')}`,
    ),
    capped(
      'B9',
      'Customer app initial JS, sign-in (new visitor)',
      'client.bundle.sign_in.initial_js_gzip_kib',
      'KiB gzip',
      170,
      `all JS of the app ${fmt(ms('client.bundle.all_js_gzip_kib'), 'KiB')}`,
    ),
  );
  rows.push({
    id: 'B9/B10',
    figure: 'Customer app first visit to home, transfer (empty cache)',
    measured: `${fmt(ms('client.first_visit_home.transfer_kib'), 'KiB')} in ${fmt(ms('client.first_visit_home.requests'), 'requests')}`,
    reference: `repeat visit, warm HTTP cache: ${fmt(ms('client.reference_repeat_visit_http_cache.transfer_kib'), 'KiB')}`,
    target: '(B10: ≤ 300 KB per completed order, tracking included)',
  });
  rows.push(
    capped(
      'B9',
      'Customer app on Slow 4G (CPU 4×): stores shown, first visit (target: TTI)',
      'client.slow_4g.first_visit.stores_shown_ms',
      'ms',
      4000,
      `same over HTTP/1.1: ${fmt(ms('client.slow_4g_http1_reference.first_visit.stores_shown_ms'), 'ms')}`,
    ),
    capped(
      'B9',
      'Customer app on Slow 4G: repeat visit (service worker)',
      'client.slow_4g.repeat_visit_service_worker.stores_shown_ms',
      'ms',
      1500,
      `first visit ${fmt(ms('client.slow_4g.first_visit.stores_shown_ms'), 'ms')}`,
    ),
  );
  for (const [app, route, label] of [
    ['merchant', 'sign_in', 'Merchant app initial JS, sign-in'],
    ['merchant', 'queue', 'Merchant app initial JS, order queue'],
    ['courier', 'sign_in', 'Courier app initial JS, sign-in'],
    ['courier', 'duty', 'Courier app initial JS, duty screen'],
  ] as const) {
    rows.push(
      capped(
        'B9',
        label,
        `staff_apps.${app}.${route}.initial_js_gzip_kib`,
        'KiB gzip',
        170,
        `customer app home ${fmt(ms('client.bundle.home.initial_js_gzip_kib'), 'KiB')}`,
      ),
    );
  }
  rows.push({
    id: '—',
    figure: 'Dispatch: merchant accepts → offer on the courier’s phone',
    measured: `p50 ${fmt(ms('dispatch.accept_to_offer_on_courier_phone.p50_ms'), 'ms')}, p95 ${fmt(ms('dispatch.accept_to_offer_on_courier_phone.p95_ms'), 'ms')}`,
    reference: `the accept call's round trip p95 ${fmt(ms('dispatch.reference_accept_call_round_trip.p95_ms'), 'ms')}`,
    target: '(none in §8; issue 5 asked for the figure)',
  });
  rows.push({
    id: 'R6',
    figure: 'Payment webhook ack, authentic callbacks (status call + idempotent credit)',
    measured: `p50 ${fmt(ms('webhooks.authentic_callbacks.p50_ms'), 'ms')}, p99 ${fmt(ms('webhooks.authentic_callbacks.p99_ms'), 'ms')}, ${fmt(ms('webhooks.authentic_callbacks.acks_per_s'), 'acks/s')}`,
    reference: `forged signature, refused: p99 ${fmt(ms('webhooks.reference_forged_signature.p99_ms'), 'ms')}`,
    target: '2xx ack p99 ≤ 500 ms',
    met: within(ms('webhooks.authentic_callbacks.p99_ms'), 500),
    note: `double credits: ${String(at(r, 'webhooks.double_credits') ?? 'n/a')}; the ack waits for the status call (no async queue)`,
  });
  return rows;
}

export function renderReport(r: Json): string {
  const rows = reportRows(r);
  const mark = (m: boolean | undefined) => (m === undefined ? '—' : m ? 'met' : '**not met**');
  const lines = [
    '# Benchmark report',
    '',
    `Generated by \`npm run bench\` (bench/run.ts) on ${String(r.date ?? '?')}, this machine: ` +
      `${String(at(r, 'machine.cpus') ?? '?')} CPUs, Node ${String(at(r, 'machine.node') ?? '?')}, 1-minute load ` +
      `average ${String(at(r, 'machine.load_avg_1m.start') ?? '?')} at the start and ` +
      `${String(at(r, 'machine.load_avg_1m.end') ?? '?')} at the end (above the CPU count, other work shared the ` +
      'machine and every figure is lower than on an idle one). ' +
      `The run took ${fmt(num(r, 'duration_s'), 's')}. Raw figures: [results.json](results.json) ` +
      '(history: bench/results/<date>.json, not committed).',
    '',
    'Each figure sits beside a reference measured in the same run on the same machine (compare within a run only: ' +
      'other work on this shared 2-core machine moves every figure). Targets: ' +
      '`../shared/reference/performance-and-reliability.md` §8 (B1–B10) and §9 (R6); they are written for ' +
      'production hardware in the Supabase region (4 vCPU for B8), so a "not met" here is a figure to watch, ' +
      'not a verdict on production.',
    '',
    '| | Figure | Measured | Same-run reference | Target | |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (x) =>
        `| ${x.id} | ${x.figure}${x.note ? ` <br><sub>${x.note}</sub>` : ''} | ${x.measured} | ${x.reference} | ${x.target} | ${mark(x.met)} |`,
    ),
    '',
    `Met ${rows.filter((x) => x.met === true).length}, not met ${rows.filter((x) => x.met === false).length}, ` +
      `no target ${rows.filter((x) => x.met === undefined).length}.`,
    '',
  ];
  const sampling = at(r, 'sampling');
  if (sampling && typeof sampling === 'object') {
    lines.push('Sample sizes of this run (chosen so the whole run stays under 10 minutes on this machine):', '');
    for (const [k, v] of Object.entries(sampling as Json)) lines.push(`- ${k}: ${String(v)}`);
    lines.push('');
  }
  lines.push(
    'Not measured here: B3 (policy EXPLAIN at 1M rows), B6 (Edge cold starts on the platform), B10 (bytes per ' +
      'completed order, reconnect time), load at constant arrival rate (k6 / wrk2).',
    '',
  );
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = new URL('.', import.meta.url).pathname;
  const results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as Json;
  await writeFile(join(dir, 'REPORT.md'), renderReport(results));
}
