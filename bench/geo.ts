// Nearest couriers (reference performance-and-reliability.md B7): private.nearest_couriers among 10 000 then
// 100 000 couriers whose positions are spread over Tiassalé ± 20 km (70 % online), p50 / p95 of the call as the
// service role from random pickups within the town, beside the same call with index scans switched off
// (`enable_indexscan`, `enable_bitmapscan` off: the planner falls back to scanning courier_presence), measured in
// the same run on the same data. The plan each mode really ran (auto_explain inside the function) is reported.
import { rm } from 'node:fs/promises';
import pg from 'pg';
import { startStack } from '../packages/local-stack/src/index.ts';
import { tempStateDir } from '../packages/local-stack/src/process.ts';

const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const round = (n: number): number => Math.round(n * 100) / 100;
const stats = (xs: number[]) => ({ p50_ms: round(pct(xs, 50)), p95_ms: round(pct(xs, 95)) });

const TIASSALE = '5a1e0000-0000-4000-8000-000000000001';
const CENTRE = { lat: 5.8983, lng: -4.8228 };
/** ± 20 km in degrees of latitude (and, at 6° N, nearly the same in longitude). */
const SPREAD = 20000 / 111320;

async function addCouriers(db: pg.Client, from: number, to: number): Promise<void> {
  await db.query('begin');
  await db.query('alter table public.couriers disable trigger couriers_guard');
  await db.query('alter table auth.users disable trigger on_auth_user_created');
  await db.query(
    `with u as (
       insert into auth.users (instance_id, id, aud, role, phone, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
       select '00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated',
              '2250899' || lpad(i::text, 6, '0'), '{}', '{}', now(), now()
         from generate_series($1::int, $2::int) i
       returning id)
     , c as (
       insert into public.couriers (user_id, vehicle_type, zone_id, approval_status)
       select id, (array['moto', 'moto', 'moto', 'tricycle', 'car'])[1 + floor(random() * 5)::int]::public.vehicle_type,
              $3, 'approved'
         from u
       returning user_id)
     insert into public.courier_presence (courier_id, online, lat, lng)
     select user_id, random() < 0.7, $4 + (random() * 2 - 1) * $6, $5 + (random() * 2 - 1) * $6 from c`,
    [from, to, TIASSALE, CENTRE.lat, CENTRE.lng, SPREAD],
  );
  await db.query('alter table public.couriers enable trigger couriers_guard');
  await db.query('alter table auth.users enable trigger on_auth_user_created');
  await db.query('commit');
  await db.query('vacuum analyze public.courier_presence');
  await db.query('analyze public.couriers');
}

/** Each mode on its own connection: PL/pgSQL caches the plan of the function's query per session. */
async function measure(dbUrl: string, queries: number, indexed: boolean) {
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  const notices: string[] = [];
  db.on('notice', (n) => notices.push(n.message ?? ''));
  try {
    await db.query('begin');
    if (!indexed) {
      await db.query('set local enable_indexscan = off');
      await db.query('set local enable_bitmapscan = off');
    }
    // The plan the function really runs, by auto_explain, from one call.
    await db.query("load 'auto_explain'");
    await db.query('set local auto_explain.log_min_duration = 0');
    await db.query('set local auto_explain.log_nested_statements = on');
    await db.query("set local auto_explain.log_level = 'notice'");
    await db.query('set local role service_role');
    await db.query('select * from private.nearest_couriers($1, $2, 3000)', [CENTRE.lat, CENTRE.lng]);
    await db.query('reset role');
    await db.query('set local auto_explain.log_min_duration = -1');
    await db.query('set local role service_role');
    const plan = notices.find((n) => n.includes('earth_box')) ?? '';
    const lat: number[] = [];
    let found = 0;
    for (let i = 0; i < queries; i += 1) {
      // Pickups within 3 km of the centre; a 3 km search radius, ten candidates.
      const p = [CENTRE.lat + (Math.random() * 2 - 1) * 0.027, CENTRE.lng + (Math.random() * 2 - 1) * 0.027];
      const t = performance.now();
      const r = await db.query('select courier_id, distance_m from private.nearest_couriers($1, $2, 3000)', p);
      lat.push(performance.now() - t);
      found += r.rowCount ?? 0;
    }
    await db.query('rollback');
    return {
      queries,
      ...stats(lat),
      avg_candidates: round(found / queries),
      plan: /Index Scan using courier_presence_location_idx/.test(plan)
        ? 'Index Scan using courier_presence_location_idx (distance order)'
        : /Bitmap Index Scan on courier_presence_location_idx/.test(plan)
          ? 'Bitmap Index Scan on courier_presence_location_idx + sort'
          : /Seq Scan on courier_presence/.test(plan)
            ? 'Seq Scan on courier_presence + sort'
            : plan,
    };
  } finally {
    await db.end();
  }
}

export async function geoBench() {
  const dir = await tempStateDir('ecom-bench-geo-');
  const s = await startStack({
    apiPort: 0,
    dbPort: 0,
    stateDir: dir,
    fast: true,
    functions: false,
    log: () => undefined,
  });
  const db = new pg.Client({ connectionString: s.dbUrl });
  await db.connect();
  try {
    const out: Record<string, unknown> = {};
    let have = 0;
    for (const n of [10_000, 100_000]) {
      await addCouriers(db, have + 1, n);
      have = n;
      const size = await db.query<{ size: string }>(
        `select pg_size_pretty(pg_relation_size('public.courier_presence_location_idx')) as size`,
      );
      const queries = 300;
      out[`couriers_${n}`] = {
        online_share: 0.7,
        spread_km: 20,
        radius_m: 3000,
        index_size: size.rows[0]!.size,
        nearest_couriers: await measure(s.dbUrl, queries, true),
        reference_without_index: await measure(s.dbUrl, queries, false),
      };
    }
    return { ...out, target_p95_ms_at_100k: 3 };
  } finally {
    await db.end();
    await s.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await geoBench(), null, 2));
