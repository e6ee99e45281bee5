// Realtime figures, each beside a plain LISTEN/NOTIFY round trip measured in the same run:
//   broadcast_fanout      1 sender → 200 subscribers over WebSocket (delivery latency, messages/s delivered)
//   broadcast_from_db     realtime.send commit → client receipt
//   postgres_changes_rls  commit → receipt for 100 RLS-checked subscribers (and 1, to derive the per-subscriber cost)
//   churn                 1,000 connect/join/disconnect cycles: heap and active handles before/after
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import { rm } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pg from 'pg';
import WebSocket from 'ws';
import { signJwt, startStack, type Stack } from '../packages/local-stack/src/index.ts';
import { tempStateDir } from '../packages/local-stack/src/process.ts';

const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const round = (n: number): number => Math.round(n * 100) / 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stats = (xs: number[]) => ({ p50_ms: round(pct(xs, 50)), p95_ms: round(pct(xs, 95)) });

function client(s: Stack, token?: string): SupabaseClient {
  return createClient(s.apiUrl, s.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    ...(token ? { accessToken: async () => token } : {}),
  });
}

const subscribed = (ch: RealtimeChannel) =>
  new Promise<void>((resolve, reject) =>
    ch.subscribe((st, err) => (st === 'SUBSCRIBED' ? resolve() : st === 'CHANNEL_ERROR' ? reject(err) : undefined)),
  );

async function writer(s: Stack): Promise<pg.Client> {
  const db = new pg.Client({ connectionString: s.dbUrl });
  await db.connect();
  // With synchronous_commit on (the default, and the stack's) a commit reaches the replication stream at once; a
  // writer that turns it off is only seen at the next WAL writer flush (≤ 200 ms). Both are reported.
  await db.query('set synchronous_commit = on');
  return db;
}

async function listenNotify(s: Stack, n: number) {
  const a = new pg.Client({ connectionString: s.dbUrl });
  const b = new pg.Client({ connectionString: s.dbUrl });
  await a.connect();
  await b.connect();
  await b.query('listen bench');
  const lat: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const got = new Promise<void>((r) => b.once('notification', () => r()));
    const t = performance.now();
    await a.query(`notify bench, '${i}'`);
    await got;
    lat.push(performance.now() - t);
  }
  await a.end();
  await b.end();
  return { round_trips: n, ...stats(lat) };
}

async function fanout(s: Stack, subscribers: number, messages: number) {
  const clients = Array.from({ length: subscribers + 1 }, () => client(s));
  const sent = new Map<number, number>();
  const lat: number[] = [];
  let delivered = 0;
  await Promise.all(
    clients.slice(1).map((c) => {
      const ch = c.channel('bench-fanout').on('broadcast', { event: 'tick' }, (m) => {
        const t0 = sent.get((m.payload as { i: number }).i);
        if (t0 !== undefined) lat.push(performance.now() - t0);
        delivered += 1;
      });
      return subscribed(ch);
    }),
  );
  const sender = clients[0]!.channel('bench-fanout');
  await subscribed(sender);
  const t0 = performance.now();
  for (let i = 0; i < messages; i += 1) {
    sent.set(i, performance.now());
    await sender.send({ type: 'broadcast', event: 'tick', payload: { i } });
    await sleep(5);
  }
  const end = Date.now() + 10_000;
  while (delivered < subscribers * messages && Date.now() < end) await sleep(10);
  const secs = (performance.now() - t0) / 1000;
  await Promise.all(clients.map((c) => c.removeAllChannels()));
  return { subscribers, messages, delivered, delivered_per_s: round(delivered / secs), ...stats(lat) };
}

async function fromDb(s: Stack, n: number, syncCommit: boolean) {
  const db = await writer(s);
  if (!syncCommit) await db.query('set synchronous_commit = off');
  const c = client(s);
  const times = new Map<number, number>();
  const lat: number[] = [];
  await subscribed(
    c.channel('bench-db').on('broadcast', { event: 'e' }, (m) => {
      const t = times.get((m.payload as { i: number }).i);
      if (t !== undefined) lat.push(performance.now() - t);
    }),
  );
  for (let i = 0; i < n; i += 1) {
    const before = lat.length;
    // Measured from the statement's start: commit → receipt plus one statement round trip (an upper bound).
    times.set(i, performance.now());
    await db.query(`select realtime.send(jsonb_build_object('i', ${i}), 'e', 'bench-db', false)`);
    const end = Date.now() + 2000;
    while (lat.length === before && Date.now() < end) await sleep(1);
  }
  await c.removeAllChannels();
  await db.end();
  return { messages: n, received: lat.length, ...stats(lat) };
}

async function changes(s: Stack, subscribers: number, n: number) {
  const db = await writer(s);
  const users: string[] = [];
  for (let i = 0; i < subscribers; i += 1) {
    const { rows } = await db.query<{ id: string }>(
      `insert into auth.users (instance_id, id, aud, role, created_at, updated_at)
       values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', now(), now())
       returning id`,
    );
    users.push(rows[0]!.id);
  }
  const clients = users.map((u) =>
    client(
      s,
      signJwt(
        { sub: u, role: 'authenticated', aud: 'authenticated', exp: Math.floor(Date.now() / 1000) + 3600 },
        s.jwtSecret,
      ),
    ),
  );
  const lat: number[] = [];
  let t = 0;
  let got = 0;
  await Promise.all(
    clients.map(async (c) => {
      await c.realtime.setAuth();
      const ch = c.channel(`bench-rls-${Math.random()}`);
      const ready = new Promise<void>((r) => ch.on('system', {}, () => r()));
      ch.on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'bench_rt_orders' }, () => {
        lat.push(performance.now() - t);
        got += 1;
      });
      await subscribed(ch);
      await ready;
    }),
  );
  for (let i = 0; i < n; i += 1) {
    const before = got;
    t = performance.now();
    // Every subscriber may see the row (so each one costs an RLS check and receives it).
    await db.query(`insert into public.bench_rt_orders (note) values ('x')`);
    const end = Date.now() + 3000;
    while (got < before + subscribers && Date.now() < end) await sleep(1);
  }
  await Promise.all(clients.map((c) => c.removeAllChannels()));
  await db.end();
  return { subscribers, changes: n, receipts: got, ...stats(lat) };
}

async function churn(s: Stack, cycles: number) {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const url = `${s.apiUrl.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${s.anonKey}&vsn=2.0.0`;
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('error', reject);
      ws.once('open', () =>
        ws.send(JSON.stringify(['1', '1', 'realtime:churn', 'phx_join', { config: { presence: { enabled: true } } }])),
      );
      ws.once('message', () => {
        ws.send(
          JSON.stringify([
            '1',
            '2',
            'realtime:churn',
            'presence',
            { type: 'presence', event: 'track', payload: { a: 1 } },
          ]),
        );
        ws.terminate();
        ws.once('close', () => resolve());
      });
    });
  for (let i = 0; i < 50; i += 1) await once();
  await sleep(300);
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const handles0 = process.getActiveResourcesInfo().length;
  const t0 = performance.now();
  for (let i = 0; i < cycles; i += 1) await once();
  const secs = (performance.now() - t0) / 1000;
  await sleep(500);
  gc();
  return {
    cycles,
    cycles_per_s: round(cycles / secs),
    heap_before_mb: round(heap0 / 2 ** 20),
    heap_after_mb: round(process.memoryUsage().heapUsed / 2 ** 20),
    active_handles_before: handles0,
    active_handles_after: process.getActiveResourcesInfo().length,
  };
}

export async function realtimeBench(): Promise<Record<string, unknown>> {
  const dir = await tempStateDir('ecom-bench-rt-');
  const s = await startStack({
    apiPort: 0,
    dbPort: 0,
    stateDir: dir,
    fast: true,
    functions: false,
    log: () => undefined,
  });
  try {
    const admin = new pg.Client({ connectionString: s.dbUrl });
    await admin.connect();
    await admin.query(`
      create table public.bench_rt_orders (id bigint primary key generated always as identity, note text);
      grant select on public.bench_rt_orders to authenticated;
      alter table public.bench_rt_orders enable row level security;
      create policy "Signed-in people can view orders" on public.bench_rt_orders for select to authenticated
        using ((select auth.uid()) is not null);
      alter publication supabase_realtime add table public.bench_rt_orders;`);
    await admin.end();
    return {
      reference_listen_notify: await listenNotify(s, 200),
      broadcast_fanout: await fanout(s, 200, 50),
      broadcast_from_db: {
        synchronous_commit_on: await fromDb(s, 100, true),
        writer_synchronous_commit_off: await fromDb(s, 30, false),
      },
      postgres_changes_rls: await (async () => {
        const one = await changes(s, 1, 50);
        const many = await changes(s, 100, 30);
        return {
          one_subscriber: one,
          hundred_subscribers: many,
          per_subscriber_rls_cost_ms: round((many.p50_ms - one.p50_ms) / 99),
        };
      })(),
      churn: await churn(s, 1000),
    };
  } finally {
    await s.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
