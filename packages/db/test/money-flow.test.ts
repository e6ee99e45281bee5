// One order paid by mobile money, end to end through the real stack and nothing simulated on our side: the customer
// tops up through the `payments` function, the sandbox provider confirms (magic number …01) and calls back
// `payment-webhooks`, which confirms by a status call and credits the wallet; the order placed through the `orders`
// function with payment_method mobile_money holds that money; the store takes it to delivery at the counter through
// the same function; the ledger ends exactly where the rules say (docs/settlement.md): the store gets the subtotal
// minus 10 % (maquis, Tiassalé), the platform the commission, and the provider clearing account holds the top-up.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stack } from '../../local-stack/test/stack.ts';
import { ensurePeople, PEOPLE, type Person, superuser, tokenFor } from './actors.ts';
import { ID, resetFixtures } from './fixtures.ts';

const A = PEOPLE.customer_a.id;
const PHONE_THAT_PAYS = '2250700000801';

let db: pg.Pool;

beforeAll(async () => {
  db = superuser();
  await ensurePeople();
  await resetFixtures(db);
  await db.query(`update public.stores set status = 'open', busy_until = null where id = $1`, [ID.storeX]);
  await db.query('delete from public.store_hours where store_id = $1', [ID.storeX]);
  await db.query(
    `insert into public.store_hours (store_id, weekday, opens, closes, closes_next_day)
     select $1, d, '00:00', '00:00', true from generate_series(1, 7) d`,
    [ID.storeX],
  );
  await db.query('delete from public.store_hour_exceptions where store_id = $1', [ID.storeX]);
  // A starts from an empty wallet (an adjustment against the fixtures' clearing account).
  await db.query(
    `select private.post_entry('adjustment', jsonb_build_array(
              private.posting(a.id, -a.balance), private.posting($1::uuid, a.balance)), '{}', 'test: empty wallet')
       from public.ledger_accounts a
      where a.id = private.ledger_account('customer_wallet', $2::uuid) and a.balance <> 0`,
    [ID.accountClearing, A],
  );
});

afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});

async function call(who: Person, method: string, path: string, body?: unknown, key?: string) {
  const res = await fetch(`${stack().apiUrl}/functions/v1/${path}`, {
    method,
    headers: {
      authorization: `Bearer ${tokenFor(who)}`,
      'content-type': 'application/json',
      ...(key ? { 'idempotency-key': key } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function balance(kind: string, owner: string | null, channel: string | null = null): Promise<number> {
  const { rows } = await db.query<{ total: string | null }>(
    `select sum(balance) as total from public.ledger_accounts
      where kind = $1 and owner_id is not distinct from $2 and ($3::text is null or channel = $3)`,
    [kind, owner, channel],
  );
  return Number(rows[0]!.total ?? 0);
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('an order paid by mobile money, end to end', () => {
  it('tops up through the sandbox, holds at placement, settles at delivery, and every account ends right', async () => {
    const order = {
      store_id: ID.storeX,
      items: [{ product_id: ID.productX, quantity: 2, option_ids: [ID.optionX] }],
      fulfilment: 'pickup',
      payment_method: 'mobile_money',
    };
    // 2 × (Garba 500 + Œuf dur 100) = 1 200 FCFA, collected at the counter: no delivery fee.
    const total = 1200;
    const clearing = 'sandbox:orange_ci';
    const before = {
      merchant: await balance('merchant_wallet', ID.storeX),
      platform: await balance('platform_revenue', null),
      clearing: await balance('provider_clearing', null, clearing),
    };

    // Without the money the order is refused, in French, and nothing is written.
    const short = await call('customer_a', 'POST', 'orders', order, `flow-${randomUUID()}`);
    expect(short.status).toBe(402);
    expect(short.body.error.code).toBe('insufficient_funds');
    expect(short.body.error.message).toBe(
      'Solde insuffisant : votre portefeuille contient 0 FCFA, il faut 1 200 FCFA.',
    );

    // The top-up: pending until the payer's phone confirms (the sandbox does it for …01), then credited once.
    const topUp = await call(
      'customer_a',
      'POST',
      'payments/top-ups',
      { amount_xof: total, operator: 'orange_ci', phone: PHONE_THAT_PAYS },
      `flow-${randomUUID()}`,
    );
    expect(topUp.status).toBe(201);
    expect(topUp.body.payment_intent.status).toBe('pending');
    const intentId = topUp.body.payment_intent.id as string;
    const paid = await until('the top-up to succeed', async () => {
      const r = await call('customer_a', 'GET', `payments/intents/${intentId}`);
      return r.body.payment_intent?.status === 'succeeded' ? r.body.payment_intent : null;
    });
    expect(paid.amount_xof).toBe(total);
    expect(await balance('customer_wallet', A)).toBe(total);
    expect(await balance('provider_clearing', null, clearing)).toBe(before.clearing - total);

    // The order holds the money it was topped up for.
    const placed = await call('customer_a', 'POST', 'orders', order, `flow-${randomUUID()}`);
    expect(placed.status).toBe(201);
    const o = placed.body.order as { id: string; total_xof: number; payment_method: string };
    expect(o).toMatchObject({ total_xof: total, payment_method: 'mobile_money' });
    expect(await balance('customer_wallet', A)).toBe(0);
    expect(await balance('customer_hold', A)).toBe(total);

    // The store takes it through to the counter, with the customer's code.
    for (const to of ['accepted', 'preparing', 'ready']) {
      const r = await call('merchant_x', 'POST', `orders/${o.id}/transition`, { to });
      expect(r.status, `${to}: ${JSON.stringify(r.body)}`).toBe(200);
    }
    const { rows } = await db.query<{ code: string }>(
      'select code from public.order_delivery_codes where order_id = $1',
      [o.id],
    );
    const delivered = await call('merchant_x', 'POST', `orders/${o.id}/transition`, {
      to: 'delivered',
      code: rows[0]!.code,
    });
    expect(delivered.status).toBe(200);

    const commission = 120; // 10 % of the 1 200 FCFA subtotal (maquis in Tiassalé)
    expect(await balance('customer_hold', A)).toBe(0);
    expect(await balance('customer_wallet', A)).toBe(0);
    expect(await balance('merchant_wallet', ID.storeX)).toBe(before.merchant + total - commission);
    expect(await balance('platform_revenue', null)).toBe(before.platform + commission);
    expect(await balance('provider_clearing', null, clearing)).toBe(before.clearing - total);
    const kinds = await db.query<{ kind: string }>(
      `select kind from public.ledger_entries where order_id = $1 or payment_intent_id = $2 order by created_at`,
      [o.id, intentId],
    );
    expect(kinds.rows.map((r) => r.kind)).toEqual(['topup', 'order_hold', 'order_capture']);
  });
});
