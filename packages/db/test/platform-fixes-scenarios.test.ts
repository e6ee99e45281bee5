// Three small defects the whole-platform scenarios found (issue 11), each held here against the database:
//   - the order clock's reason is stored in English, so the apps map it (@ecom/domain/order SYSTEM_REASONS) and the
//     notification is written in the person's language: the SQL text and the apps' map must stay the same words;
//   - dispatch's freshness window (interval '30 seconds' in the dispatch functions) is the constant the courier app's
//     position cadence is sized for (@ecom/domain/courier DISPATCH_FRESHNESS_MS);
//   - the seeded orders read out as different short numbers (the first 8 characters of the id, as notifications,
//     the merchant queue and the admin show them).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DISPATCH_FRESHNESS_MS } from '../../domain/src/courier.ts';
import { systemReason } from '../../domain/src/order.ts';
import { ensurePeople, PEOPLE, superuser } from './actors.ts';
import { ID, resetFixtures } from './fixtures.ts';

const db = superuser();

beforeAll(() => ensurePeople());
beforeEach(() => resetFixtures(db));
afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});

describe('an order the merchant never answered', () => {
  it('is cancelled with a reason the apps translate, and the customer is told in their language', async () => {
    await db.query(`update public.profiles set language = 'fr' where id = $1`, [PEOPLE.customer_a.id]);
    // In one transaction rolled back at the end: a pending pickup, then the clock with a zero answer window (every
    // pending order of the moment is timed out, the seed's too: the rollback puts them all back).
    const c = await db.connect();
    try {
      await c.query('begin');
      const { rows } = await c.query<{ id: string }>(
        `insert into public.orders (customer_id, customer_first_name, store_id, fulfilment, subtotal_xof, total_xof,
                                    payment_method, idempotency_key)
         values ($1, 'Awa', $2, 'pickup', 500, 500, 'cash', $3) returning id`,
        [PEOPLE.customer_a.id, ID.storeX, `fixes-timeout-${process.pid}-${Date.now()}`],
      );
      const id = rows[0]!.id;
      const run = await c.query<{ r: { cancelled: number } }>(
        `select private.run_order_timeouts(interval '0 seconds') as r`,
      );
      expect(run.rows[0]!.r.cancelled).toBeGreaterThanOrEqual(1);
      const order = (
        await c.query<{ status: string; cancellation_reason: string }>(
          'select status, cancellation_reason from public.orders where id = $1',
          [id],
        )
      ).rows[0]!;
      expect(order.status).toBe('cancelled');
      // The stored words are the ones the apps recognise as the system's ("le commerçant n'a pas répondu…").
      expect(systemReason(order.cancellation_reason)).toBe('merchant_timeout');
      const notices = (
        await c.query<{ language: string; title: string; body: string }>(
          `select language, title, body from public.notifications where user_id = $1 and data ->> 'order_id' = $2`,
          [PEOPLE.customer_a.id, id],
        )
      ).rows;
      expect(notices).toHaveLength(1);
      expect(notices[0]!.language).toBe('fr');
      expect(notices[0]!.title).toBe('Commande annulée');
      expect(notices[0]!.body).toContain("n'a pas répondu à temps");
      expect(notices[0]!.body).not.toContain(order.cancellation_reason);
      expect(notices[0]!.body).toContain(id.slice(0, 8).toUpperCase());
    } finally {
      await c.query('rollback');
      c.release();
    }
  });

  it('a ride nobody took carries the other system reason the apps translate', async () => {
    const def = (
      await db.query<{ src: string }>(
        `select pg_get_functiondef('private.run_ride_dispatch(interval)'::regprocedure) as src`,
      )
    ).rows[0]!.src;
    const reason = /'expired', null, 'system', '([^']+)'/.exec(def)?.[1];
    expect(systemReason(reason)).toBe('no_driver');
  });
});

describe('dispatch freshness and the courier app', () => {
  it('offers jobs only to positions fresher than the window the app’s cadence is sized for', async () => {
    const seconds = DISPATCH_FRESHNESS_MS / 1000;
    for (const fn of [
      'private.dispatch_order(uuid, interval, integer, interval)',
      'private.dispatch_ride(uuid, interval, integer, interval)',
    ]) {
      const { rows } = await db.query<{ src: string }>(`select pg_get_functiondef($1::regprocedure) as src`, [fn]);
      const windows = [...rows[0]!.src.matchAll(/available_couriers\([^)]*interval '(\d+) seconds'/g)].map((m) =>
        Number(m[1]),
      );
      expect(windows.length, fn).toBeGreaterThan(0);
      expect(new Set(windows), fn).toEqual(new Set([seconds]));
    }
    const { rows } = await db.query<{ c: string }>(
      `select obj_description(p.oid, 'pg_proc') as c from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'private' and p.proname = 'available_couriers'`,
    );
    expect(rows[0]!.c).toContain(`max_age = ${seconds} seconds`);
  });
});

describe('the seed’s orders and rides', () => {
  it('read out as different short numbers', async () => {
    const { rows } = await db.query<{ ref: string }>(
      `select upper(left(id::text, 8)) as ref from public.orders where idempotency_key like 'seed-order-%'`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(new Set(rows.map((r) => r.ref)).size).toBe(rows.length);
  });

  it('and rides read out as different short numbers too', async () => {
    const { rows } = await db.query<{ ref: string }>(
      `select upper(left(id::text, 8)) as ref from public.rides where idempotency_key like 'seed-ride-%'`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(new Set(rows.map((r) => r.ref)).size).toBe(rows.length);
  });
});
