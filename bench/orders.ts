// Order placement (DESIGN.md §11: "order placement vs a bare insert transaction"): 50 customers at once, each
// placing cash delivery orders one after another through the gateway (POST /functions/v1/orders: JWT gate, Deno,
// zod, RLS checks as the caller, private.place_order computing prices, fee, total, code, contact snapshot, store
// notifications and the idempotency record in one transaction), against the reference: the same order rows
// (orders, order_contacts, order_delivery_codes, order_items, with their triggers) inserted by 50 pg connections in
// one transaction each, amounts computed beforehand. Same stack, same run.
import { rm } from 'node:fs/promises';
import pg from 'pg';
import { signJwt, startStack } from '../packages/local-stack/src/index.ts';
import { tempStateDir } from '../packages/local-stack/src/process.ts';

const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const round = (n: number): number => Math.round(n * 100) / 100;

const STORE = '51000000-0000-4000-8000-000000000001';
const CUSTOMERS = 50;
const ORDERS_EACH = 10;

export async function ordersBench() {
  const dir = await tempStateDir('ecom-bench-');
  const s = await startStack({ apiPort: 0, dbPort: 0, stateDir: dir, fast: true, log: () => undefined });
  const admin = new pg.Pool({ connectionString: s.dbUrl, max: CUSTOMERS });
  try {
    await admin.query(`update public.stores set status = 'open', busy_until = null where id = $1`, [STORE]);
    await admin.query('delete from public.store_hours where store_id = $1', [STORE]);
    await admin.query('delete from public.store_hour_exceptions where store_id = $1', [STORE]);
    await admin.query(
      `insert into public.store_hours (store_id, weekday, opens, closes, closes_next_day)
       select $1, d, '00:00', '00:00', true from generate_series(1, 7) d`,
      [STORE],
    );
    const { rows: products } = await admin.query<{ id: string; name: string; price_xof: number }>(
      `select p.id, p.name, p.price_xof from public.products p
        where p.store_id = $1 and p.available
          and not exists (select 1 from public.product_option_groups g where g.product_id = p.id and g.min_selections > 0)
        order by p.position, p.name limit 2`,
      [STORE],
    );
    const customers: Array<{ id: string; token: string; address: string }> = [];
    for (let i = 0; i < CUSTOMERS; i += 1) {
      const id = `00000000-0000-4000-8000-${String(0xb000 + i).padStart(12, '0')}`;
      await admin.query(
        `insert into auth.users (instance_id, id, aud, role, phone, phone_confirmed_at, raw_app_meta_data,
                                 raw_user_meta_data, created_at, updated_at)
         values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2, now(), '{}',
                 '{"full_name": "Client Bench"}', now(), now())`,
        [id, `22507990${String(i).padStart(5, '0')}`],
      );
      const { rows } = await admin.query<{ id: string }>(
        `insert into public.addresses (user_id, lat, lng, landmark, phone)
         values ($1, 5.8983 + $2::float8 / 10000, -4.8228, 'Près du marché', '+2250700000101') returning id`,
        [id, i],
      );
      const claims = {
        sub: id,
        role: 'authenticated',
        aud: 'authenticated',
        exp: Math.floor(Date.now() / 1000) + 3600,
      };
      customers.push({ id, token: signJwt(claims, s.jwtSecret), address: rows[0]!.id });
    }
    const body = (address: string) =>
      JSON.stringify({
        store_id: STORE,
        items: products.map((p) => ({ product_id: p.id, quantity: 2 })),
        fulfilment: 'delivery',
        address_id: address,
        payment_method: 'cash',
        cash_tendered_xof: 20000,
      });
    const placeOne = async (c: (typeof customers)[number], key: string): Promise<number> => {
      const t = performance.now();
      const res = await fetch(`${s.functionsUrl}/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: body(c.address),
      });
      const text = await res.text();
      if (res.status !== 201) throw new Error(`placement answered ${res.status}: ${text}`);
      return performance.now() - t;
    };
    // Warm up: the Deno process, its pool and the plans of the functions.
    for (const c of customers.slice(0, 10)) await placeOne(c, `warm-${c.id}`);

    const gateway: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      customers.map(async (c) => {
        for (let n = 0; n < ORDERS_EACH; n += 1) gateway.push(await placeOne(c, `bench-${c.id}-${n}`));
      }),
    );
    const gatewaySecs = (performance.now() - t0) / 1000;

    // The reference: the rows the function wrote, inserted directly.
    const { rows: sample } = await admin.query(
      `select o.subtotal_xof, o.delivery_fee_xof, o.total_xof, c.address from public.orders o
         join public.order_contacts c on c.order_id = o.id where o.idempotency_key like 'bench-%' limit 1`,
    );
    const ref = sample[0]!;
    const bare: number[] = [];
    const t1 = performance.now();
    await Promise.all(
      customers.map(async (c) => {
        const client = await admin.connect();
        try {
          for (let n = 0; n < ORDERS_EACH; n += 1) {
            const t = performance.now();
            await client.query('begin');
            const { rows } = await client.query<{ id: string }>(
              `insert into public.orders (customer_id, customer_first_name, store_id, fulfilment, subtotal_xof,
                                          delivery_fee_xof, total_xof, payment_method, cash_tendered_xof, idempotency_key)
               values ($1, 'Client', $2, 'delivery', $3, $4, $5, 'cash', 20000, $6) returning id`,
              [c.id, STORE, ref.subtotal_xof, ref.delivery_fee_xof, ref.total_xof, `bare-${c.id}-${n}`],
            );
            const id = rows[0]!.id;
            await client.query(
              `insert into public.order_contacts (order_id, customer_phone, address) values ($1, '+2250700000101', $2)`,
              [id, ref.address],
            );
            await client.query('insert into public.order_delivery_codes (order_id) values ($1)', [id]);
            await client.query(
              `insert into public.order_items (order_id, product_id, name, unit_price_xof, quantity, position)
               select $1, p.id, p.name, p.price_xof, 2, p.ord from unnest($2::uuid[], $3::text[], $4::int[])
                 with ordinality as p (id, name, price_xof, ord)`,
              [id, products.map((p) => p.id), products.map((p) => p.name), products.map((p) => p.price_xof)],
            );
            await client.query('commit');
            bare.push(performance.now() - t);
          }
        } finally {
          client.release();
        }
      }),
    );
    const bareSecs = (performance.now() - t1) / 1000;
    const total = CUSTOMERS * ORDERS_EACH;
    return {
      customers: CUSTOMERS,
      orders: total,
      function_pool_size: 10,
      gateway_place_order: {
        orders_per_s: round(total / gatewaySecs),
        p50_ms: round(pct(gateway, 50)),
        p95_ms: round(pct(gateway, 95)),
      },
      reference_bare_sql_insert: {
        orders_per_s: round(total / bareSecs),
        p50_ms: round(pct(bare, 50)),
        p95_ms: round(pct(bare, 95)),
      },
    };
  } finally {
    await admin.end();
    await s.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
