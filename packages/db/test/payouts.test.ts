// Payouts and statements in SQL against the real database (the `payouts` function's side is in
// payouts-functions.test.ts and edge-functions/payouts/handler_test.ts): a request takes the money out of the wallet
// with its payout row or not at all, limits, 20 concurrent requests worth more than the wallet, admin review, the one
// send per payout, outcomes recorded once (settlement, reversal), notifications, and statements that add up. Money is
// put into wallets with ledger adjustments from a test clearing account; the ledger invariants are checked after
// every test (ledger-invariants.ts).
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, ensurePeople, PEOPLE, superuser } from './actors.ts';
import { ID, resetFixtures } from './fixtures.ts';
import { asService } from './service.ts';

const C1 = PEOPLE.courier_on_job.id;
const C2 = PEOPLE.courier_not_on_job.id;
const MX = PEOPLE.merchant_x.id;
const PHONE = '+2250700000701';

let db: pg.Pool;
let seq = 0;
const newKey = () => `payout-key-${process.pid}-${Date.now()}-${(seq += 1)}`;

beforeAll(async () => {
  db = superuser();
  await ensurePeople();
  await resetFixtures(db);
  await db.query('update public.payout_settings set daily_maximum_xof = 10000000');
});
afterEach(async () => {
  await db.query(
    'update public.payout_settings set minimum_xof = 500, daily_maximum_xof = 10000000, approval_threshold_xof = 100000',
  );
});
afterAll(async () => {
  await db.query(
    'update public.payout_settings set minimum_xof = 500, daily_maximum_xof = 500000, approval_threshold_xof = 100000',
  );
  await db.end();
});

async function walletOf(kind: 'merchant_wallet' | 'courier_wallet', owner: string): Promise<string> {
  const { rows, error } = await asService<{ id: string }>(
    db,
    'select private.ledger_account($1::public.ledger_account_kind, $2::uuid) as id',
    [kind, owner],
  );
  expect(error).toBeNull();
  return rows[0]!.id;
}

async function balance(account: string): Promise<number> {
  const { rows } = await db.query<{ balance: string }>('select balance from public.ledger_accounts where id = $1', [
    account,
  ]);
  return Number(rows[0]!.balance);
}

/** Sets an account's balance exactly, with one adjustment against a test clearing account. */
async function setBalance(account: string, target: number): Promise<void> {
  const delta = target - (await balance(account));
  if (delta === 0) return;
  const clearing = (
    await asService<{ id: string }>(db, `select private.ledger_account('provider_clearing', null, 'test:adjust') as id`)
  ).rows[0]!.id;
  const { error } = await asService(db, `select private.post_entry('adjustment', $1::jsonb, '{}', 'Test funds')`, [
    JSON.stringify([
      { account, amount: delta },
      { account: clearing, amount: -delta },
    ]),
  ]);
  expect(error).toBeNull();
}

interface Request {
  caller: string;
  store?: string | null;
  amount: number;
  phone?: string | null;
  operator?: string | null;
  key?: string;
  hash?: string;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Payout = Record<string, any>;

function requestPayout(r: Request, pool: pg.Pool = db) {
  return asService<{ body: { payout: Payout } }>(
    pool,
    'select private.request_payout($1, $2, $3, $4, $5, $6, $7) as body',
    [
      r.caller,
      r.store ?? null,
      r.amount,
      r.phone === undefined ? PHONE : r.phone,
      r.operator === undefined ? 'orange_ci' : r.operator,
      r.key ?? newKey(),
      r.hash ?? `hash-${r.amount}`,
    ],
  );
}

async function requested(r: Request): Promise<Payout> {
  const { rows, error } = await requestPayout(r);
  expect(error).toBeNull();
  return rows[0]!.body.payout;
}

const review = (id: string, approve: boolean, reason: string | null = null, admin = PEOPLE.admin.id, key = newKey()) =>
  asService<{ body: { payout: Payout } }>(db, 'select private.review_payout($1, $2, $3, $4, $5, $6) as body', [
    id,
    admin,
    approve,
    reason,
    key,
    `review-${approve}-${reason}`,
  ]);
const claim = (id: string, provider = 'sandbox') =>
  asService<{ body: Payout | null }>(db, 'select private.claim_payout_send($1, $2) as body', [id, provider]);
const outcome = (id: string, what: string, ref: string | null = null, reason: string | null = null) =>
  asService<{ body: { payout: Payout; changed: boolean } }>(
    db,
    'select private.record_payout_outcome($1, $2, $3, $4) as body',
    [id, what, ref, reason],
  );

async function payout(id: string): Promise<Payout> {
  return (await db.query('select * from public.payouts where id = $1', [id])).rows[0];
}
async function entriesOf(id: string): Promise<string[]> {
  const { rows } = await db.query<{ kind: string }>(
    'select kind::text from public.ledger_entries where payout_id = $1 order by created_at, kind',
    [id],
  );
  return rows.map((r) => r.kind);
}
async function notices(user: string, payoutId: string): Promise<{ kind: string; title: string }[]> {
  const { rows } = await db.query(
    `select kind::text, title from public.notifications where user_id = $1 and data ->> 'payout_id' = $2 order by created_at`,
    [user, payoutId],
  );
  return rows as { kind: string; title: string }[];
}

describe('requesting a payout', () => {
  it('moves the money from the store wallet to payout clearing with an approved payout, in one go', async () => {
    const wallet = await walletOf('merchant_wallet', ID.storeX);
    await setBalance(wallet, 5000);
    const clearing = (await asService<{ id: string }>(db, `select private.ledger_account('payout_clearing') as id`))
      .rows[0]!.id;
    const before = await balance(clearing);
    const p = await requested({ caller: MX, store: ID.storeX, amount: 2000 });
    expect(p).toMatchObject({ store_id: ID.storeX, courier_id: null, amount_xof: 2000, status: 'approved' });
    expect(p.phone).toBe(PHONE);
    expect(await balance(wallet)).toBe(3000);
    expect(await balance(clearing)).toBe(before + 2000);
    expect(await entriesOf(p.id)).toEqual(['payout']);
  });

  it('refuses more than the wallet holds (EO402 insufficient_funds) and writes nothing', async () => {
    const wallet = await walletOf('courier_wallet', C1);
    await setBalance(wallet, 1000);
    const count = Number((await db.query('select count(*) as n from public.payouts')).rows[0].n);
    const { error } = await requestPayout({ caller: C1, amount: 1500 });
    expect(error).toEqual({ code: 'EO402', message: 'insufficient_funds' });
    expect(Number((await db.query('select count(*) as n from public.payouts')).rows[0].n)).toBe(count);
    expect(await balance(wallet)).toBe(1000);
  });

  it('lets exactly the affordable ones of 20 concurrent requests through', async () => {
    const wallet = await walletOf('courier_wallet', C2);
    await setBalance(wallet, 10_000);
    const pool = superuser();
    // 20 × 1 500 FCFA = 30 000 from a wallet of 10 000: 6 fit, 1 000 stay.
    const results = await Promise.all(
      Array.from({ length: 20 }, () => requestPayout({ caller: C2, amount: 1500 }, pool)),
    );
    await pool.end();
    expect(results.filter((r) => r.error === null)).toHaveLength(6);
    expect(results.filter((r) => r.error?.message === 'insufficient_funds')).toHaveLength(14);
    expect(await balance(wallet)).toBe(1000);
  });

  it('refuses below the minimum and beyond the day maximum, naming the limit', async () => {
    const wallet = await walletOf('courier_wallet', C1);
    await setBalance(wallet, 50_000);
    expect((await requestPayout({ caller: C1, amount: 499 })).error).toEqual({
      code: 'EO422',
      message: 'below_minimum',
    });
    const today = Number(
      (
        await db.query(
          `select coalesce(sum(amount_xof), 0) as n from public.payouts where courier_id = $1
              and created_at >= date_trunc('day', now() at time zone 'Africa/Abidjan') at time zone 'Africa/Abidjan'
              and status not in ('failed', 'rejected')`,
          [C1],
        )
      ).rows[0].n,
    );
    await db.query('update public.payout_settings set daily_maximum_xof = $1', [today + 1500]);
    await requested({ caller: C1, amount: 1000 });
    const over = await requestPayout({ caller: C1, amount: 600 });
    expect(over.error).toEqual({ code: 'EO422', message: 'daily_limit_exceeded' });
    const detail = await db.connect().then(async (c) => {
      try {
        await c.query('set role service_role');
        await c.query('select private.request_payout($1, null, 600, $2, $3, $4, $5)', [
          C1,
          PHONE,
          'orange_ci',
          newKey(),
          'h',
        ]);
        return null;
      } catch (e) {
        return JSON.parse((e as { detail: string }).detail);
      } finally {
        await c.query('reset role');
        c.release();
      }
    });
    expect(detail).toEqual({ daily_maximum_xof: today + 1500, remaining_xof: 500 });
    expect(await balance(wallet)).toBe(49_000);
  });

  it('takes the payout number from payout_destinations when the request names none', async () => {
    const wallet = await walletOf('courier_wallet', C1);
    await setBalance(wallet, 2000);
    await db.query('delete from public.payout_destinations where courier_id = $1', [C1]);
    expect((await requestPayout({ caller: C1, amount: 600, phone: null, operator: null })).error).toEqual({
      code: 'EO422',
      message: 'payout_destination_required',
    });
    await db.query(`insert into public.payout_destinations (courier_id, phone, operator) values ($1, $2, 'wave_ci')`, [
      C1,
      '+2250500000702',
    ]);
    const p = await requested({ caller: C1, amount: 600, phone: null, operator: null });
    expect(p).toMatchObject({ phone: '+2250500000702', operator: 'wave_ci', courier_id: C1 });
    expect((await requestPayout({ caller: C1, amount: 600, operator: 'moov_tg' })).error).toEqual({
      code: 'EO422',
      message: 'operator_mismatch',
    });
  });

  it('refuses staff (403), another merchant and a customer (404), a non-courier (403)', async () => {
    await setBalance(await walletOf('merchant_wallet', ID.storeX), 5000);
    expect((await requestPayout({ caller: PEOPLE.staff_x.id, store: ID.storeX, amount: 1000 })).error).toEqual({
      code: 'EO403',
      message: 'not_store_owner',
    });
    expect((await requestPayout({ caller: PEOPLE.merchant_y.id, store: ID.storeX, amount: 1000 })).error).toEqual({
      code: 'EO404',
      message: 'store_not_found',
    });
    expect((await requestPayout({ caller: PEOPLE.customer_a.id, store: ID.storeX, amount: 1000 })).error).toEqual({
      code: 'EO404',
      message: 'store_not_found',
    });
    expect((await requestPayout({ caller: PEOPLE.customer_a.id, amount: 1000 })).error).toEqual({
      code: 'EO403',
      message: 'not_a_courier',
    });
    expect(await balance(await walletOf('merchant_wallet', ID.storeX))).toBe(5000);
  });

  it('answers the same key and request with the first answer (one payout), and refuses another request', async () => {
    const wallet = await walletOf('merchant_wallet', ID.storeX);
    await setBalance(wallet, 5000);
    const key = newKey();
    const first = await requested({ caller: MX, store: ID.storeX, amount: 1000, key, hash: 'same' });
    const again = await requested({ caller: MX, store: ID.storeX, amount: 1000, key, hash: 'same' });
    expect(again.id).toBe(first.id);
    expect(await balance(wallet)).toBe(4000);
    expect((await requestPayout({ caller: MX, store: ID.storeX, amount: 2000, key, hash: 'other' })).error).toEqual({
      code: 'EO422',
      message: 'idempotency_key_reused',
    });
  });
});

describe('admin review, sending and outcomes', () => {
  it('waits for an admin above the threshold; approved, sent once, succeeded: settled to the provider', async () => {
    await db.query('update public.payout_settings set approval_threshold_xof = 1000');
    const wallet = await walletOf('merchant_wallet', ID.storeX);
    await setBalance(wallet, 5000);
    const p = await requested({ caller: MX, store: ID.storeX, amount: 3000 });
    expect(p.status).toBe('pending_approval');
    expect((await claim(p.id)).rows[0]!.body).toBeNull(); // not approved yet: nothing may send it

    expect((await review(p.id, true, null, MX)).error).toEqual({ code: 'EO403', message: 'not_admin' });
    const key = newKey();
    const approved = await review(p.id, true, null, PEOPLE.admin.id, key);
    expect(approved.rows[0]!.body.payout.status).toBe('approved');
    expect((await review(p.id, true, null, PEOPLE.admin.id, key)).rows[0]!.body.payout.status).toBe('approved');
    expect((await review(p.id, true, null, PEOPLE.admin.id)).error).toEqual({
      code: 'EO409',
      message: 'payout_not_pending',
    });

    const claims = await Promise.all([claim(p.id), claim(p.id), claim(p.id)]);
    expect(claims.filter((c) => c.rows[0]?.body !== null)).toHaveLength(1);
    expect((await payout(p.id)).status).toBe('sent');

    const provider = (
      await asService<{ id: string }>(
        db,
        `select private.ledger_account('provider_clearing', null, 'sandbox:orange_ci') as id`,
      )
    ).rows[0]!.id;
    const before = await balance(provider);
    const done = await outcome(p.id, 'succeeded', 'sbx-1');
    expect(done.rows[0]!.body).toMatchObject({ changed: true, payout: { status: 'succeeded', provider_ref: 'sbx-1' } });
    expect((await outcome(p.id, 'failed')).rows[0]!.body.changed).toBe(false); // a late contrary answer changes nothing
    expect(await balance(provider)).toBe(before + 3000);
    expect(await balance(wallet)).toBe(2000);
    expect(await entriesOf(p.id)).toEqual(['payout', 'payout_settled']);
    expect((await notices(MX, p.id)).map((n) => n.title)).toEqual(['Retrait approuvé', 'Retrait effectué']);
    expect(await notices(PEOPLE.staff_x.id, p.id)).toEqual([]);
  });

  it('puts the money back when an admin rejects (reason required)', async () => {
    await db.query('update public.payout_settings set approval_threshold_xof = 1000');
    const wallet = await walletOf('courier_wallet', C1);
    await setBalance(wallet, 4000);
    const p = await requested({ caller: C1, amount: 2500 });
    expect(await balance(wallet)).toBe(1500);
    expect((await review(p.id, false, '  ')).error).toEqual({ code: 'EO400', message: 'reason_required' });
    const r = await review(p.id, false, 'Numéro non vérifié');
    expect(r.rows[0]!.body.payout).toMatchObject({ status: 'rejected', rejection_reason: 'Numéro non vérifié' });
    expect(await balance(wallet)).toBe(4000);
    expect(await entriesOf(p.id)).toEqual(['payout', 'payout_reversal']);
    expect(await notices(C1, p.id)).toEqual([{ kind: 'payment', title: 'Retrait refusé' }]);
  });

  it('reverses a failed payout once, and keeps a pending one sent with its provider reference', async () => {
    const wallet = await walletOf('courier_wallet', C1);
    await setBalance(wallet, 3000);
    const p = await requested({ caller: C1, amount: 1000 });
    expect((await outcome(p.id, 'failed')).rows[0]!.body.changed).toBe(false); // not sent: nothing to record
    await claim(p.id);
    const pending = await outcome(p.id, 'pending', 'sbx-2');
    expect(pending.rows[0]!.body).toMatchObject({ changed: false, payout: { status: 'sent', provider_ref: 'sbx-2' } });
    const failed = await outcome(p.id, 'failed', null, 'declined');
    expect(failed.rows[0]!.body.payout).toMatchObject({ status: 'failed', failure_reason: 'declined' });
    expect((await outcome(p.id, 'failed')).rows[0]!.body.changed).toBe(false);
    expect(await balance(wallet)).toBe(3000);
    expect(await entriesOf(p.id)).toEqual(['payout', 'payout_reversal']);
    expect(await notices(C1, p.id)).toEqual([{ kind: 'payment', title: 'Retrait échoué' }]);
  });

  it('releases a send that never reached the provider, and lists what the sweep must look at', async () => {
    const wallet = await walletOf('courier_wallet', C1);
    await setBalance(wallet, 3000);
    const p = await requested({ caller: C1, amount: 700 });
    await claim(p.id, 'wave');
    await asService(db, 'select private.release_payout_send($1, $2)', [p.id, 'wave config: WAVE_API_KEY is missing']);
    expect(await payout(p.id)).toMatchObject({ status: 'approved', provider: null, last_error: expect.any(String) });
    const sweep = async (after: string) =>
      (
        await asService<{ id: string; status: string }>(db, 'select id, status from private.payouts_to_sweep($1)', [
          after,
        ])
      ).rows;
    expect(await sweep('1 minute')).not.toContainEqual({ id: p.id, status: 'approved' }); // too fresh
    expect(await sweep('0 seconds')).toContainEqual({ id: p.id, status: 'approved' });
    await claim(p.id, 'wave');
    expect(await sweep('1 minute')).not.toContainEqual({ id: p.id, status: 'sent' });
    expect(await sweep('0 seconds')).toContainEqual({ id: p.id, status: 'sent' });
    await outcome(p.id, 'succeeded', 'pt-1');
    expect(await balance(wallet)).toBe(2300);
  });
});

describe('who sees payouts and settings', () => {
  it('shows a store payout to its owner and admins, not to staff or other merchants; settings to admins only', async () => {
    await setBalance(await walletOf('merchant_wallet', ID.storeX), 1000);
    const p = await requested({ caller: MX, store: ID.storeX, amount: 500 });
    const seen = async (who: Parameters<typeof clientFor>[0]) =>
      (await clientFor(who).from('payouts').select('id').eq('id', p.id)).data?.length;
    expect(await seen('merchant_x')).toBe(1);
    expect(await seen('admin')).toBe(1);
    expect(await seen('staff_x')).toBe(0);
    expect(await seen('merchant_y')).toBe(0);
    expect(await seen('courier_on_job')).toBe(0);
    expect((await clientFor('merchant_x').from('payout_settings').select('*')).data).toEqual([]);
    const admin = await clientFor('admin')
      .from('payout_settings')
      .update({ approval_threshold_xof: 50000 })
      .eq('id', true)
      .select();
    expect(admin.data?.[0]).toMatchObject({ approval_threshold_xof: 50000, updated_by: PEOPLE.admin.id });
  });
});

describe('statements', () => {
  it('adds up (opening + movements = closing = the balance) and shows the commission of a settlement', async () => {
    const wallet = await walletOf('merchant_wallet', ID.storeX);
    await setBalance(wallet, 2000);
    // A settlement of order O3 (subtotal 1 000): the store gets 900, the platform keeps 100.
    const revenue = (
      await asService<{ id: string }>(db, 'select private.platform_revenue_account($1) as id', [ID.orderO3])
    ).rows[0]!.id;
    const clearing = (
      await asService<{ id: string }>(
        db,
        `select private.ledger_account('provider_clearing', null, 'test:adjust') as id`,
      )
    ).rows[0]!.id;
    expect(
      (
        await asService(db, `select private.post_entry('order_capture', $1::jsonb, $2::jsonb)`, [
          JSON.stringify([
            { account: wallet, amount: 900 },
            { account: revenue, amount: 100 },
            { account: clearing, amount: -1000 },
          ]),
          JSON.stringify({ order_id: ID.orderO3 }),
        ])
      ).error,
    ).toBeNull();
    const p = await requested({ caller: MX, store: ID.storeX, amount: 1500 });

    const r = await clientFor('merchant_x').rpc('wallet_statement', { payee_kind: 'store', payee_id: ID.storeX });
    expect(r.error).toBeNull();
    const s = r.data as Payout;
    const sum = s.movements.reduce((t: number, m: Payout) => t + Number(m.amount_xof), 0);
    expect(Number(s.opening_balance_xof) + sum).toBe(Number(s.closing_balance_xof));
    expect(Number(s.closing_balance_xof)).toBe(await balance(wallet));
    expect(Number(s.closing_balance_xof)).toBe(1400);
    const settlement = s.movements.find((m: Payout) => m.kind === 'order_capture' && m.order_id === ID.orderO3);
    expect(settlement).toMatchObject({ category: 'settlement', amount_xof: 900, gross_xof: 1000, commission_xof: 100 });
    const last = s.movements.at(-1);
    expect(last).toMatchObject({ category: 'payout', amount_xof: -1500, payout_id: p.id, balance_xof: 1400 });

    const month = await clientFor('admin').rpc('wallet_statement', {
      payee_kind: 'store',
      payee_id: ID.storeX,
      period: 'month',
    });
    expect(Number((month.data as Payout).closing_balance_xof)).toBe(1400);
    const csv = await clientFor('merchant_x').rpc('wallet_statement_csv', { payee_kind: 'store', payee_id: ID.storeX });
    const lines = (csv.data as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe('date,category,kind,reference,gross_xof,commission_xof,amount_xof,balance_xof,memo');
    expect(lines[1]).toMatch(/,opening_balance,/);
    expect(lines.at(-1)).toMatch(/,closing_balance,,,,,,1400,$/);
    expect(lines.some((l) => /,settlement,order_capture,E3000000,1000,100,900,/.test(l))).toBe(true);
    expect(lines).toHaveLength(s.movements.length + 3);
  });

  it('shows the commission of a real settlement (a cash delivery) on the store’s and the courier’s statements', async () => {
    // private.settle_order_money as the delivery of O1 (cash, delivered by courier_on_job) would run it.
    const { rows, error } = await asService<{ entry: string; split: Payout }>(
      db,
      `select private.settle_order_money(o, 'picked_up', 'delivered') as entry,
              (select to_jsonb(s) from private.order_split(o) s) as split
         from public.orders o where o.id = $1`,
      [ID.orderO1],
    );
    expect(error).toBeNull();
    const { entry, split } = rows[0]!;
    const store = (await clientFor('merchant_x').rpc('wallet_statement', { payee_kind: 'store', payee_id: ID.storeX }))
      .data as Payout;
    expect(store.movements.find((m: Payout) => m.entry_id === entry)).toMatchObject({
      category: 'settlement',
      kind: 'order_cash',
      order_id: ID.orderO1,
      gross_xof: 500,
      amount_xof: split.merchant_xof,
      commission_xof: 500 - split.merchant_xof,
    });
    expect(500 - split.merchant_xof).toBeGreaterThan(0);
    const courier = (await clientFor('courier_on_job').rpc('wallet_statement', { payee_kind: 'courier', payee_id: C1 }))
      .data as Payout;
    expect(courier.movements.find((m: Payout) => m.entry_id === entry)).toMatchObject({
      category: 'settlement',
      gross_xof: 300,
      amount_xof: split.courier_xof,
      commission_xof: 300 - split.courier_xof,
    });
    for (const s of [store, courier]) {
      const sum = s.movements.reduce((t: number, m: Payout) => t + Number(m.amount_xof), 0);
      expect(Number(s.opening_balance_xof) + sum).toBe(Number(s.closing_balance_xof));
    }
    expect(Number(courier.closing_balance_xof)).toBe(await balance(await walletOf('courier_wallet', C1)));
  });

  it('is nobody else’s: staff, another merchant, another courier and a customer get EO404', async () => {
    for (const who of ['staff_x', 'merchant_y', 'courier_on_job', 'customer_a'] as const) {
      const r = await clientFor(who).rpc('wallet_statement', { payee_kind: 'store', payee_id: ID.storeX });
      expect(r.error?.code, who).toBe('EO404');
    }
    const other = await clientFor('courier_not_on_job').rpc('wallet_statement', {
      payee_kind: 'courier',
      payee_id: C1,
    });
    expect(other.error?.code).toBe('EO404');
    const customer = await clientFor('customer_a').rpc('wallet_statement', {
      payee_kind: 'courier',
      payee_id: PEOPLE.customer_a.id,
    });
    expect(customer.error?.code).toBe('EO404');
    const mine = await clientFor('courier_on_job').rpc('wallet_statement', { payee_kind: 'courier', payee_id: C1 });
    expect(mine.error).toBeNull();
    expect(Number((mine.data as Payout).closing_balance_xof)).toBe(await balance(await walletOf('courier_wallet', C1)));
    const anon = await clientFor('anon').rpc('wallet_statement', { payee_kind: 'courier', payee_id: C1 });
    expect(anon.error?.code).toBe('42501');
  });
});
