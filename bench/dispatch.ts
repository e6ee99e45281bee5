// Dispatch latency: the merchant accepts an order through the `orders` function (which dispatches in the same
// transaction) until the offer reaches the chosen courier's phone, i.e. the broadcast on the private topic
// `courier:<id>` arrives in a supabase-js client subscribed as that courier. Reported next to the accept call's own
// round trip. 20 free couriers wait online around the store; each order goes to the nearest courier still free
// (a courier holding an open offer is busy), so every order exercises the KNN search and the offer insert.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { rm } from 'node:fs/promises';
import pg from 'pg';
import { signJwt, startStack, type Stack } from '../packages/local-stack/src/index.ts';
import { tempStateDir } from '../packages/local-stack/src/process.ts';

const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const round = (n: number): number => Math.round(n * 100) / 100;

const STORE = '51000000-0000-4000-8000-000000000001'; // Maquis Chez Tantie Awa (seed)
const MERCHANT = 'de000000-0000-4000-8000-000000000111'; // its owner (seed/040_demo_accounts.sql)
const COURIERS = 20;
const courierId = (n: number) => `c8000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const CUSTOMER = 'c8000000-0000-4000-8000-0000000000c1';

const tokenFor = (s: Stack, sub: string, roles: string[]) =>
  signJwt(
    { sub, role: 'authenticated', aud: 'authenticated', exp: Math.floor(Date.now() / 1000) + 3600, user_roles: roles },
    s.jwtSecret,
  );

async function call(s: Stack, token: string, path: string, body: unknown, key?: string) {
  const res = await fetch(`${s.functionsUrl}/orders${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { order?: { id?: string } };
  if (res.status >= 300) throw new Error(`orders${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

async function setup(s: Stack, db: pg.Pool): Promise<string> {
  await db.query(`update public.stores set status = 'open', busy_until = null where id = $1`, [STORE]);
  await db.query('delete from public.store_hours where store_id = $1', [STORE]);
  await db.query('delete from public.store_hour_exceptions where store_id = $1', [STORE]);
  await db.query(
    `insert into public.store_hours (store_id, weekday, opens, closes, closes_next_day)
     select $1, d, '00:00', '00:00', true from generate_series(1, 7) d`,
    [STORE],
  );
  // Only our couriers take part: the demo couriers go offline.
  await db.query('update public.courier_presence set online = false');
  const ids = Array.from({ length: COURIERS }, (_, i) => courierId(i + 1));
  await db.query(
    `insert into auth.users (instance_id, id, aud, role, phone, phone_confirmed_at, raw_app_meta_data,
                             raw_user_meta_data, created_at, updated_at)
     select '00000000-0000-0000-0000-000000000000', id, 'authenticated', 'authenticated',
            '2250788' || lpad(n::text, 6, '0'), now(), '{}', '{"full_name": "Livreur Bench"}', now(), now()
       from unnest($1::uuid[] || $2::uuid) with ordinality as u (id, n)`,
    [ids, CUSTOMER],
  );
  await db.query(`insert into public.user_roles (user_id, role) select id, 'courier' from unnest($1::uuid[]) id`, [
    ids,
  ]);
  const c = await db.connect();
  try {
    // Approval normally needs reviewed documents; the benchmark is about dispatch, not KYC.
    await c.query('begin');
    await c.query('alter table public.couriers disable trigger couriers_guard');
    await c.query(
      `insert into public.couriers (user_id, vehicle_type, zone_id, approval_status)
       select u.cid, 'moto', s.zone_id, 'approved' from unnest($1::uuid[]) as u (cid), public.stores s where s.id = $2`,
      [ids, STORE],
    );
    await c.query('alter table public.couriers enable trigger couriers_guard');
    await c.query('commit');
  } finally {
    c.release();
  }
  // Online in a ring 150 m – 1.1 km around the store.
  await db.query(
    `insert into public.courier_presence (courier_id, online, lat, lng)
     select u.cid, true, s.lat + (50 * u.n + 100) / 111320.0, s.lng
       from unnest($1::uuid[]) with ordinality as u (cid, n), public.stores s where s.id = $2`,
    [ids, STORE],
  );
  const { rows } = await db.query<{ id: string }>(
    `insert into public.addresses (user_id, lat, lng, landmark, phone)
     select $1, s.lat + 0.004, s.lng, 'Derrière le marché', '+2250700000101' from public.stores s where s.id = $2
     returning id`,
    [CUSTOMER, STORE],
  );
  return rows[0]!.id;
}

export async function dispatchBench() {
  const dir = await tempStateDir('ecom-bench-');
  const s = await startStack({ apiPort: 0, dbPort: 0, stateDir: dir, fast: true, log: () => undefined });
  const db = new pg.Pool({ connectionString: s.dbUrl, max: 4 });
  const clients: SupabaseClient[] = [];
  try {
    const address = await setup(s, db);
    const product = (
      await db.query<{ id: string }>(
        `select p.id from public.products p where p.store_id = $1 and p.available
            and not exists (select 1 from public.product_option_groups g where g.product_id = p.id and g.min_selections > 0)
          order by p.position limit 1`,
        [STORE],
      )
    ).rows[0]!.id;
    const customerToken = tokenFor(s, CUSTOMER, ['customer']);
    const merchantToken = tokenFor(s, MERCHANT, ['customer', 'merchant']);

    // Every courier's phone listens on its private topic.
    const arrivals = new Map<string, number>();
    await Promise.all(
      Array.from({ length: COURIERS }, async (_, i) => {
        const id = courierId(i + 1);
        const token = tokenFor(s, id, ['courier']);
        const client = createClient(s.apiUrl, s.anonKey, {
          accessToken: async () => token,
          auth: { persistSession: false },
        });
        clients.push(client);
        await client.realtime.setAuth();
        await new Promise<void>((resolve, reject) => {
          client
            .channel(`courier:${id}`, { config: { private: true } })
            .on('broadcast', { event: 'offer' }, (m) => {
              const jobId = (m.payload as { job_id?: string }).job_id;
              if (jobId && !arrivals.has(jobId)) arrivals.set(jobId, performance.now());
            })
            .subscribe((status, err) =>
              status === 'SUBSCRIBED' ? resolve() : status === 'CHANNEL_ERROR' ? reject(err) : undefined,
            );
        });
      }),
    );

    const offerLatency: number[] = [];
    const acceptCall: number[] = [];
    for (let n = 0; n < COURIERS; n += 1) {
      const placed = await call(
        s,
        customerToken,
        '',
        {
          store_id: STORE,
          items: [{ product_id: product, quantity: 1 }],
          fulfilment: 'delivery',
          address_id: address,
          payment_method: 'cash',
          cash_tendered_xof: 20000,
        },
        `dispatch-bench-${n}`,
      );
      const orderId = placed.order?.id;
      if (!orderId) throw new Error(`no order id in ${JSON.stringify(placed)}`);
      const t0 = performance.now();
      await call(s, merchantToken, `/${orderId}/transition`, { to: 'accepted', prep_minutes: 15 });
      acceptCall.push(performance.now() - t0);
      const deadline = Date.now() + 5000;
      while (!arrivals.has(orderId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
      const at = arrivals.get(orderId);
      if (at === undefined) throw new Error(`no offer reached a courier for order ${orderId}`);
      offerLatency.push(at - t0);
    }
    return {
      orders: COURIERS,
      couriers_online: COURIERS,
      accept_to_offer_on_courier_phone: { p50_ms: round(pct(offerLatency, 50)), p95_ms: round(pct(offerLatency, 95)) },
      reference_accept_call_round_trip: { p50_ms: round(pct(acceptCall, 50)), p95_ms: round(pct(acceptCall, 95)) },
    };
  } finally {
    for (const c of clients) await c.removeAllChannels();
    await db.end();
    await s.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
