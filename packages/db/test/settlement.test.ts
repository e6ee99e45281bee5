// Paying for orders and rides with the ledger, against the real database: the hold at placement, its release on
// reject / cancel / timeout / expiry, settlement on delivery and completion (wallet, cash, mobile money), the ride
// cancellation fee, refunds by an admin through the orders function, and the courier cash limit in dispatch. Every
// test asserts each account it touches, as a difference from before; the invariants run after every test.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stack } from '../../local-stack/test/stack.ts';
import { ensurePeople, PEOPLE, type Person, superuser, tokenFor } from './actors.ts';
import { ID, resetFixtures, TIASSALE } from './fixtures.ts';
import { asService } from './service.ts';

const A = PEOPLE.customer_a.id;
const C1 = PEOPLE.courier_on_job.id;
const C2 = PEOPLE.courier_not_on_job.id;
const PICKUP = { lat: 5.8983, lng: -4.8228, landmark: 'Devant la pharmacie du marché' } as const;
const DROPOFF = { lat: 5.9083, lng: -4.8228, landmark: 'Gare routière, sous le manguier' } as const;
/** Tiassalé's rates (the migration): maquis 10 % of the subtotal, 20 % of the delivery fee, rides 15 %. */
const pct = (amount: number, bps: number) => Math.round((amount * bps) / 10000);

let db: pg.Pool;
let keySeq = 0;
const newKey = () => `settle-${process.pid}-${Date.now()}-${(keySeq += 1)}`;

type Snapshot = Record<string, number>;
/** The accounts a test may move: A's wallet and hold, store X, both couriers' wallets and cash, the platform. */
async function balances(): Promise<Snapshot> {
  const { rows } = await db.query<{ name: string; balance: string }>(
    `select n.name, coalesce((select sum(a.balance) from public.ledger_accounts a
                               where a.kind = n.kind::public.ledger_account_kind
                                 and a.owner_id is not distinct from n.owner), 0) as balance
       from (values ('wallet', 'customer_wallet', $1::uuid), ('hold', 'customer_hold', $1::uuid),
                    ('merchant', 'merchant_wallet', $2::uuid), ('courier', 'courier_wallet', $3::uuid),
                    ('cash', 'courier_cash', $3::uuid), ('courier2', 'courier_wallet', $4::uuid),
                    ('cash2', 'courier_cash', $4::uuid), ('platform', 'platform_revenue', null)) as n (name, kind, owner)`,
    [A, ID.storeX, C1, C2],
  );
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.balance)]));
}
/** What moved since `before`, accounts that did not move left out. */
async function moved(before: Snapshot): Promise<Snapshot> {
  const after = await balances();
  return Object.fromEntries(
    Object.entries(after)
      .map(([k, v]) => [k, v - before[k]!] as const)
      .filter(([, v]) => v !== 0),
  );
}

/** Sets customer A's wallet to exactly `amount` (an adjustment against the fixture clearing account). */
async function setWallet(amount: number): Promise<void> {
  await db.query(
    `select private.post_entry('adjustment', jsonb_build_array(
              private.posting(a.id, $1 - a.balance), private.posting($2::uuid, a.balance - $1)), '{}', 'test wallet')
       from public.ledger_accounts a
      where a.id = private.ledger_account('customer_wallet', $3::uuid) and a.balance <> $1`,
    [amount, ID.accountClearing, A],
  );
}
/** A mobile-money top-up landing in A's wallet (what the top-up flow posts once the provider confirms). */
const topUp = (amount: number) =>
  db.query(
    `select private.post_entry('topup', jsonb_build_array(private.posting($1::uuid, $2), private.posting($3::uuid, -$2)))`,
    [ID.accountA, amount, ID.accountClearing],
  );

async function sql<T extends pg.QueryResultRow>(query: string, params: unknown[]): Promise<T> {
  const { rows, error } = await asService<T>(db, query, params);
  expect(error).toBeNull();
  return rows[0]!;
}
/** Places an order for A at store X as the orders function does; returns the order summary or the refusal. */
async function place(extra: Record<string, unknown> = {}, key = newKey()) {
  const request = {
    store_id: ID.storeX,
    items: [{ product_id: ID.productX, quantity: 2, option_ids: [] }],
    fulfilment: 'delivery',
    address_id: ID.addressA,
    payment_method: 'wallet',
    idempotency_key: key,
    ...extra,
  };
  return asService<{ body: { order: Order } }>(db, 'select private.place_order($1, $2, $3) as body', [
    A,
    JSON.stringify(request),
    `hash-${JSON.stringify(extra)}`,
  ]);
}
interface Order {
  id: string;
  subtotal_xof: number;
  delivery_fee_xof: number;
  total_xof: number;
}
async function placed(extra: Record<string, unknown> = {}): Promise<Order> {
  const r = await place(extra);
  expect(r.error).toBeNull();
  return r.rows[0]!.body.order;
}
const move = (id: string, to: string, actor: Person, extra: { reason?: string; code?: string } = {}) =>
  sql('select private.move_order($1, $2, $3, $4, null, $5) as body', [
    id,
    to,
    PEOPLE[actor].id,
    extra.reason ?? null,
    extra.code ?? null,
  ]);
const codeOf = async (id: string) =>
  (await db.query<{ code: string }>('select code from public.order_delivery_codes where order_id = $1', [id])).rows[0]!
    .code;
/** Merchant X takes the order through to ready; a delivery goes to courier_on_job, who delivers it. */
async function deliver(o: Order, fulfilment: 'delivery' | 'pickup' = 'delivery'): Promise<void> {
  for (const to of ['accepted', 'preparing', 'ready']) await move(o.id, to, 'merchant_x');
  if (fulfilment === 'pickup') {
    await move(o.id, 'delivered', 'merchant_x', { code: await codeOf(o.id) });
    return;
  }
  await db.query('update public.orders set courier_id = $2 where id = $1', [o.id, C1]);
  await move(o.id, 'picked_up', 'courier_on_job');
  await move(o.id, 'delivered', 'courier_on_job', { code: await codeOf(o.id) });
}
const entries = async (column: 'order_id' | 'ride_id', id: string) =>
  (
    await db.query<{ kind: string }>(
      `select kind from public.ledger_entries where ${column} = $1 order by created_at, kind`,
      [id],
    )
  ).rows.map((r) => r.kind);

/** Store X open around the clock (the fixtures give it Monday hours and the default closed status). */
async function openStoreX(): Promise<void> {
  await db.query(`update public.stores set status = 'open', busy_until = null where id = $1`, [ID.storeX]);
  await db.query('delete from public.store_hours where store_id = $1', [ID.storeX]);
  await db.query(
    `insert into public.store_hours (store_id, weekday, opens, closes, closes_next_day)
     select $1, d, '00:00', '00:00', true from generate_series(1, 7) d`,
    [ID.storeX],
  );
  await db.query('delete from public.store_hour_exceptions where store_id = $1', [ID.storeX]);
}

beforeAll(async () => {
  db = superuser();
  await ensurePeople();
});
afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});
beforeEach(async () => {
  await resetFixtures(db);
  await openStoreX();
});

describe('the fixtures', () => {
  it('hold O2 (wallet, pending), captured O3 (mobile money, collected) and settled R3 (cash, completed)', async () => {
    // Fixture ids come back at every reset: what counts is what is held now and the latest entry of each.
    const { rows } = await db.query<{ held: string; latest: string | null }>(
      `select private.held_for(j.customer, j.order_id, j.ride_id) as held,
              (select e.kind from public.ledger_entries e join public.ledger_postings p on p.entry_id = e.id
                where e.order_id = j.order_id or e.ride_id = j.ride_id order by p.id desc limit 1) as latest
         from (values ($1::uuid, $2::uuid, null::uuid), ($3, $4, null), ($3, null, $5))
              as j (customer, order_id, ride_id)`,
      [PEOPLE.customer_b.id, ID.orderO2, A, ID.orderO3, ID.rideR3],
    );
    expect(rows.map((r) => [Number(r.held), r.latest])).toEqual([
      [800, 'order_hold'],
      [0, 'order_capture'],
      [0, 'ride_cash'],
    ]);
  });
});

describe('an order paid by wallet', () => {
  it('holds the total at placement and settles it on delivery: merchant, courier and platform', async () => {
    const before = await balances();
    const o = await placed();
    expect(await moved(before)).toEqual({ wallet: -o.total_xof, hold: o.total_xof });
    await deliver(o);
    const commission = pct(o.subtotal_xof, 1000);
    const cut = pct(o.delivery_fee_xof, 2000);
    expect(await moved(before)).toEqual({
      wallet: -o.total_xof,
      merchant: o.subtotal_xof - commission,
      courier: o.delivery_fee_xof - cut,
      platform: commission + cut,
    });
    expect(await entries('order_id', o.id)).toEqual(['order_hold', 'order_capture']);
  });

  it('takes a promotion out of the platform only', async () => {
    const before = await balances();
    const o = await placed({ promo_code: 'GARBA100' });
    expect(o.total_xof).toBe(o.subtotal_xof + o.delivery_fee_xof - 100);
    await deliver(o);
    const commission = pct(o.subtotal_xof, 1000);
    const cut = pct(o.delivery_fee_xof, 2000);
    expect(await moved(before)).toEqual({
      wallet: -o.total_xof,
      merchant: o.subtotal_xof - commission,
      courier: o.delivery_fee_xof - cut,
      platform: commission + cut - 100,
    });
  });

  it("uses the store kind rate of the zone, and the store's own commission first", async () => {
    await db.query(
      `update public.order_rates set merchant_commission_bps = 2000, delivery_cut_bps = 5000
        where zone_id = $1 and store_kind = 'maquis'`,
      [TIASSALE],
    );
    try {
      let before = await balances();
      let o = await placed();
      await deliver(o);
      expect(await moved(before)).toMatchObject({
        merchant: o.subtotal_xof - pct(o.subtotal_xof, 2000),
        courier: o.delivery_fee_xof - pct(o.delivery_fee_xof, 5000),
      });
      await db.query('update public.stores set commission_bps = 500 where id = $1', [ID.storeX]);
      before = await balances();
      o = await placed();
      await deliver(o);
      expect(await moved(before)).toMatchObject({ merchant: o.subtotal_xof - pct(o.subtotal_xof, 500) });
    } finally {
      await db.query(
        `update public.order_rates set merchant_commission_bps = 1000, delivery_cut_bps = 2000
          where zone_id = $1 and store_kind = 'maquis'`,
        [TIASSALE],
      );
    }
  });

  it('refuses an order the wallet cannot pay with the balance, and writes nothing', async () => {
    await setWallet(1000);
    const before = await balances();
    const orders = await db.query('select count(*)::int as n from public.orders where customer_id = $1', [A]);
    const r = await place();
    expect(r.error).toMatchObject({ code: 'EO402', message: 'insufficient_funds' });
    expect(await moved(before)).toEqual({});
    expect((await db.query('select count(*)::int as n from public.orders where customer_id = $1', [A])).rows).toEqual(
      orders.rows,
    );
  });

  it('gives the money back on reject, cancel and the merchant timeout', async () => {
    for (const end of ['rejected', 'cancelled', 'timeout']) {
      const before = await balances();
      const o = await placed();
      if (end === 'rejected') await move(o.id, 'rejected', 'merchant_x', { reason: 'Rupture' });
      if (end === 'cancelled') await move(o.id, 'cancelled', 'customer_a', { reason: 'Erreur' });
      if (end === 'timeout') {
        await sql(`select private.run_order_timeouts(interval '0 seconds')`, []);
      }
      expect(await moved(before), end).toEqual({});
      expect(await entries('order_id', o.id)).toEqual(['order_hold', 'order_release']);
    }
  });

  it('places exactly the affordable ones of 100 concurrent wallet orders', async () => {
    const pool = new pg.Pool({ connectionString: stack().dbUrl, max: 20 });
    try {
      const one = await placed({ fulfilment: 'pickup', address_id: null });
      await move(one.id, 'cancelled', 'customer_a', { reason: 'Test' });
      await setWallet(one.total_xof * 10 + one.total_xof / 2);
      const before = await balances();
      const results = await Promise.all(
        Array.from({ length: 100 }, async (_, i) => {
          const c = await pool.connect();
          try {
            await c.query('begin');
            await c.query('set local role service_role');
            const request = {
              store_id: ID.storeX,
              items: [{ product_id: ID.productX, quantity: 2, option_ids: [] }],
              fulfilment: 'pickup',
              payment_method: 'wallet',
              idempotency_key: `concurrent-${randomUUID()}-${i}`,
            };
            await c.query('select private.place_order($1, $2, $3)', [A, JSON.stringify(request), `h${i}`]);
            await c.query('commit');
            return 'placed';
          } catch (e) {
            await c.query('rollback');
            return (e as Error).message;
          } finally {
            c.release();
          }
        }),
      );
      expect(results.filter((r) => r === 'placed')).toHaveLength(10);
      expect(results.filter((r) => r !== 'placed').every((r) => r === 'insufficient_funds')).toBe(true);
      expect(await moved(before)).toEqual({ wallet: -10 * one.total_xof, hold: 10 * one.total_xof });
    } finally {
      await pool.end();
    }
  });

  it('holds once for a placement replayed with the same key', async () => {
    const before = await balances();
    const key = newKey();
    const first = await place({}, key);
    const again = await place({}, key);
    expect(again.rows[0]!.body.order.id).toBe(first.rows[0]!.body.order.id);
    const o = first.rows[0]!.body.order;
    expect(await entries('order_id', o.id)).toEqual(['order_hold']);
    expect(await moved(before)).toEqual({ wallet: -o.total_xof, hold: o.total_xof });
  });
});

describe('an order paid in cash', () => {
  it("puts the total in the courier's cash in hand and splits it like a wallet order", async () => {
    const before = await balances();
    const o = await placed({ payment_method: 'cash' });
    expect(await moved(before)).toEqual({});
    await deliver(o);
    const commission = pct(o.subtotal_xof, 1000);
    const cut = pct(o.delivery_fee_xof, 2000);
    expect(await moved(before)).toEqual({
      cash: -o.total_xof,
      merchant: o.subtotal_xof - commission,
      courier: o.delivery_fee_xof - cut,
      platform: commission + cut,
    });
    expect(await entries('order_id', o.id)).toEqual(['order_cash']);
  });

  it('paid at the counter for a pickup: the store pays the platform its commission', async () => {
    const before = await balances();
    const o = await placed({ payment_method: 'cash', fulfilment: 'pickup', address_id: null });
    await deliver(o, 'pickup');
    const commission = pct(o.subtotal_xof, 1000);
    expect(await moved(before)).toEqual({ merchant: -commission, platform: commission });
  });
});

describe('an order paid by mobile money', () => {
  it('is paid from the top-up made for it: held at placement, captured at delivery', async () => {
    const before = await balances();
    const quote = await placed({ fulfilment: 'pickup', address_id: null, payment_method: 'cash' });
    await move(quote.id, 'cancelled', 'customer_a', { reason: 'Devis' });
    await setWallet(0);
    const empty = await balances();
    const short = await place({ fulfilment: 'pickup', address_id: null, payment_method: 'mobile_money' });
    expect(short.error).toMatchObject({ code: 'EO402', message: 'insufficient_funds' });
    await topUp(quote.total_xof);
    const o = await placed({ fulfilment: 'pickup', address_id: null, payment_method: 'mobile_money' });
    expect(await moved(empty)).toEqual({ hold: o.total_xof });
    await deliver(o, 'pickup');
    const commission = pct(o.subtotal_xof, 1000);
    expect(await moved(empty)).toEqual({ merchant: o.subtotal_xof - commission, platform: commission });
    expect((await moved(before)).wallet).toBe(-before.wallet!);
  });
});

describe('refunds by an admin', () => {
  async function refund(who: Person, orderId: string, body: Record<string, unknown>, key = newKey()) {
    const s = stack();
    const res = await fetch(`${s.apiUrl}/functions/v1/orders/${orderId}/refund`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokenFor(who)}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  }

  it('refunds part then the rest, once per key, never more than was paid, and only for admins', async () => {
    const o = await placed();
    await deliver(o);
    const merchantGot = o.subtotal_xof - pct(o.subtotal_xof, 1000);
    const before = await balances();

    const customer = await refund('customer_a', o.id, { amount_xof: 100, reason: 'Plat froid' });
    expect(customer.status).toBe(403);
    expect(customer.body.error.code).toBe('admin_only');

    const key = newKey();
    const part = await refund('admin', o.id, { amount_xof: 500, reason: 'Plat froid' }, key);
    expect(part.status).toBe(200);
    const fromMerchant = Math.floor((500 * merchantGot) / o.total_xof);
    expect(part.body.refund).toMatchObject({
      order_id: o.id,
      amount_xof: 500,
      merchant_xof: fromMerchant,
      platform_xof: 500 - fromMerchant,
      refunded_xof: 500,
      refundable_xof: o.total_xof - 500,
    });
    const replay = await refund('admin', o.id, { amount_xof: 500, reason: 'Plat froid' }, key);
    expect(replay).toEqual(part);
    const reused = await refund('admin', o.id, { amount_xof: 400, reason: 'Plat froid' }, key);
    expect([reused.status, reused.body.error.code]).toEqual([422, 'idempotency_key_reused']);
    expect(await moved(before)).toEqual({ wallet: 500, merchant: -fromMerchant, platform: -(500 - fromMerchant) });

    const tooMuch = await refund('admin', o.id, { amount_xof: o.total_xof, reason: 'Tout' });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error).toMatchObject({
      code: 'refund_exceeds_paid',
      paid_xof: o.total_xof,
      refunded_xof: 500,
      refundable_xof: o.total_xof - 500,
    });
    const rest = await refund('admin', o.id, { amount_xof: o.total_xof - 500, reason: 'Commande jamais reçue' });
    expect([rest.status, rest.body.refund.refundable_xof]).toEqual([200, 0]);
    const after = await moved(before);
    expect(after.wallet).toBe(o.total_xof);
    expect(after.merchant! + after.platform!).toBe(-o.total_xof);
    expect(after.courier).toBeUndefined(); // the courier keeps his earnings

    const { rows } = await db.query(
      `select actor_id, new_data ->> 'reason' as reason from public.audit_log
        where table_name = 'ledger_entries' and new_data ->> 'order_id' = $1 order by id`,
      [o.id],
    );
    expect(rows).toEqual([
      { actor_id: PEOPLE.admin.id, reason: 'Plat froid' },
      { actor_id: PEOPLE.admin.id, reason: 'Commande jamais reçue' },
    ]);
    expect(await entries('order_id', o.id)).toEqual(['order_hold', 'order_capture', 'refund', 'refund']);
  });

  it('refuses an order still under way, and a cancelled one that paid nothing', async () => {
    const o = await placed();
    const early = await refund('admin', o.id, { amount_xof: 100, reason: 'Geste' });
    expect([early.status, early.body.error.code, early.body.error.status]).toEqual([409, 'not_refundable', 'pending']);
    await move(o.id, 'cancelled', 'customer_a', { reason: 'Erreur' });
    const cancelled = await refund('admin', o.id, { amount_xof: 100, reason: 'Geste' });
    expect([cancelled.status, cancelled.body.error.code, cancelled.body.error.paid_xof]).toEqual([
      422,
      'refund_exceeds_paid',
      0,
    ]);
  });
});

describe('the courier cash limit', () => {
  /** courier_not_on_job online next to store X, free (his open fixture offer withdrawn), holding `cash` FCFA. */
  async function freeCourierHolding(cash: number): Promise<void> {
    await db.query('delete from public.offers where id = $1', [ID.offerF3]);
    await db.query(
      `insert into public.courier_presence (courier_id, online, lat, lng) values ($1, true, 5.8991, -4.8221)
       on conflict (courier_id) do update set online = true, lat = 5.8991, lng = -4.8221, updated_at = now()`,
      [C2],
    );
    await db.query(
      `select private.post_entry('adjustment', jsonb_build_array(
                private.posting(private.ledger_account('courier_cash', $1::uuid), -$2::bigint),
                private.posting($3::uuid, $2::bigint)), '{}', 'test cash in hand')`,
      [C2, cash, ID.accountClearing],
    );
  }
  /** Whether dispatch would offer store X's waiting job to courier_not_on_job (seed couriers may be around too). */
  const offersToC2 = async () => {
    const { rows } = await asService<{ courier_id: string }>(
      db,
      'select courier_id from private.available_couriers(5.8990, -4.8220, 10000, null, $1, 100)',
      ['30 seconds'],
    );
    return rows.some((r) => r.courier_id === C2);
  };

  it('offers no cash job that would take his cash in hand over the zone limit, and other jobs still', async () => {
    await freeCourierHolding(49_500);
    const cash = await placed({ payment_method: 'cash' });
    await move(cash.id, 'accepted', 'merchant_x');
    expect(cash.total_xof).toBeGreaterThan(500);
    expect(await offersToC2()).toBe(false);
    await db.query('update public.courier_cash_limits set limit_xof = 60000 where zone_id = $1', [TIASSALE]);
    expect(await offersToC2()).toBe(true);
    expect(
      (await sql<{ courier_id: string }>('select (private.dispatch_order($1)).courier_id', [cash.id])).courier_id,
    ).toBeTruthy();
  });

  it('keeps a cash ride from a driver over the limit too', async () => {
    await freeCourierHolding(49_500);
    const { rows, error } = await asService<{ id: string }>(
      db,
      `select (private.request_ride($1, $2, 'h-cash-car') -> 'ride' ->> 'id') as id`,
      [A, JSON.stringify({ pickup: PICKUP, dropoff: DROPOFF, vehicle_type: 'car', idempotency_key: newKey() })],
    );
    expect(error).toBeNull();
    const carsAtPickup = async () =>
      (
        await asService<{ courier_id: string }>(
          db,
          `select courier_id from private.available_couriers($1, $2, 10000, 'car', '30 seconds', 100)`,
          [PICKUP.lat, PICKUP.lng],
        )
      ).rows.map((r) => r.courier_id);
    expect(await carsAtPickup()).not.toContain(C2);
    const offers = await db.query('select 1 from public.offers where ride_id = $1 and courier_id = $2', [
      rows[0]!.id,
      C2,
    ]);
    expect(offers.rowCount).toBe(0);
    await db.query('update public.courier_cash_limits set limit_xof = 60000 where zone_id = $1', [TIASSALE]);
    expect(await carsAtPickup()).toContain(C2);
  });

  it('lets a wallet job through to a courier at the limit', async () => {
    await freeCourierHolding(60_000);
    const o = await placed();
    await move(o.id, 'accepted', 'merchant_x');
    expect(await offersToC2()).toBe(true);
  });
});

describe('rides', () => {
  async function requestRide(method: string) {
    const body = await sql<{ body: { ride: { id: string; fare_quote_xof: number } } }>(
      'select private.request_ride($1, $2, $3) as body',
      [
        A,
        JSON.stringify({
          pickup: PICKUP,
          dropoff: DROPOFF,
          vehicle_type: 'moto',
          payment_method: method,
          idempotency_key: newKey(),
        }),
        newKey(),
      ],
    );
    return body.body.ride;
  }
  const step = (id: string, to: string, pin: string | null = null) =>
    sql('select private.transition_ride($1, $2, $3, $4, null, $5)', [id, to, C1, 'courier', pin]);
  const pinOf = async (id: string) =>
    (await db.query<{ pin: string }>('select pin from public.ride_start_pins where ride_id = $1', [id])).rows[0]!.pin;
  async function drive(id: string, until: 'arrived' | 'completed') {
    await step(id, 'accepted');
    await step(id, 'arrived');
    if (until === 'arrived') return;
    await step(id, 'in_progress', await pinOf(id));
    await step(id, 'completed');
  }

  it('by wallet: holds the quote, pays the driver fare − commission at completion', async () => {
    const before = await balances();
    const r = await requestRide('wallet');
    expect(await moved(before)).toEqual({ wallet: -r.fare_quote_xof, hold: r.fare_quote_xof });
    await drive(r.id, 'completed');
    const commission = pct(r.fare_quote_xof, 1500);
    expect(await moved(before)).toEqual({
      wallet: -r.fare_quote_xof,
      courier: r.fare_quote_xof - commission,
      platform: commission,
    });
    expect(await entries('ride_id', r.id)).toEqual(['ride_hold', 'ride_capture']);
  });

  it("in cash: the fare goes to the driver's cash in hand", async () => {
    const before = await balances();
    const r = await requestRide('cash');
    await drive(r.id, 'completed');
    const commission = pct(r.fare_quote_xof, 1500);
    expect(await moved(before)).toEqual({
      cash: -r.fare_quote_xof,
      courier: r.fare_quote_xof - commission,
      platform: commission,
    });
  });

  it('releases the hold when the ride expires', async () => {
    const before = await balances();
    const r = await requestRide('wallet');
    await sql(`select private.run_ride_dispatch(interval '0 seconds')`, []);
    expect(await moved(before)).toEqual({});
    expect(await entries('ride_id', r.id)).toEqual(['ride_hold', 'ride_release']);
  });

  it("collects the cancellation fee for the driver: from a wallet ride, and from a cash rider's wallet", async () => {
    const fee = 200; // Tiassalé's minimum moto fare
    const toDriver = fee - pct(fee, 1500);
    for (const method of ['wallet', 'cash']) {
      const before = await balances();
      const r = await requestRide(method);
      await drive(r.id, 'arrived');
      await sql('select private.move_ride($1, $2, $3, $4)', [r.id, 'cancelled', A, null]);
      expect(await moved(before), method).toEqual({ wallet: -fee, courier: toDriver, platform: fee - toDriver });
      expect((await entries('ride_id', r.id)).includes('cancellation_fee')).toBe(true);
    }
  });

  it('waives the fee of a cash rider whose wallet is short (no entry), and free cancels cost nothing', async () => {
    await setWallet(100);
    const before = await balances();
    const r = await requestRide('cash');
    await drive(r.id, 'arrived');
    await sql('select private.move_ride($1, $2, $3, $4)', [r.id, 'cancelled', A, null]);
    const { rows } = await db.query('select cancellation_fee_xof from public.rides where id = $1', [r.id]);
    expect(rows).toEqual([{ cancellation_fee_xof: 200 }]);
    expect(await entries('ride_id', r.id)).toEqual([]);
    await setWallet(5000);
    const early = await requestRide('wallet');
    await sql('select private.move_ride($1, $2, $3, $4)', [early.id, 'cancelled', A, null]);
    expect(await entries('ride_id', early.id)).toEqual(['ride_hold', 'ride_release']);
    expect((await moved(before)).courier).toBeUndefined();
  });
});
