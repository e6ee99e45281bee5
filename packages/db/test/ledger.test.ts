// The ledger core (private.post_entry and friends) against the real database: balanced entries only, no overdraft
// of a user account even under 100 concurrent debits, nothing half-written on a refusal, idempotent money calls, and
// the read rules. The invariants themselves are checked after every test (test/ledger-invariants.ts).
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, ensurePeople, PEOPLE, superuser } from './actors.ts';
import { ID, resetFixtures } from './fixtures.ts';
import { ledgerViolations } from './ledger-invariants.ts';
import { asService } from './service.ts';

let db: pg.Pool;

beforeAll(async () => {
  db = superuser();
  await ensurePeople();
  await resetFixtures(db);
});
afterAll(async () => {
  await db.end();
});

/** A fresh owner's account of `kind` (a random owner id: no user row is needed for a ledger account). */
async function account(kind: string, owner: string | null = randomUUID(), channel: string | null = null) {
  const { rows, error } = await asService<{ id: string }>(
    db,
    'select private.ledger_account($1::public.ledger_account_kind, $2::uuid, $3) as id',
    [kind, owner, channel],
  );
  expect(error).toBeNull();
  return rows[0]!.id;
}

async function post(kind: string, postings: { account: string; amount: number }[], refs: object = {}) {
  return asService<{ id: string }>(
    db,
    'select private.post_entry($1::public.ledger_entry_kind, $2::jsonb, $3::jsonb) as id',
    [kind, JSON.stringify(postings), JSON.stringify(refs)],
  );
}

async function balance(id: string): Promise<number> {
  const { rows } = await db.query<{ balance: string }>('select balance from public.ledger_accounts where id = $1', [
    id,
  ]);
  return Number(rows[0]!.balance);
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: string }>(sql, params);
  return Number(rows[0]!.n);
}

describe('post_entry', () => {
  it('writes a balanced entry, its postings with the balance after, and the balances', async () => {
    const clearing = await account('provider_clearing', null, `test:${randomUUID().slice(0, 8)}`);
    const wallet = await account('customer_wallet');
    const { rows, error } = await post('topup', [
      { account: wallet, amount: 2500 },
      { account: clearing, amount: -2500 },
    ]);
    expect(error).toBeNull();
    expect(await balance(wallet)).toBe(2500);
    expect(await balance(clearing)).toBe(-2500);
    const postings = await db.query<{ account_id: string; amount: string; balance_after: string }>(
      'select account_id, amount, balance_after from public.ledger_postings where entry_id = $1 order by amount',
      [rows[0]!.id],
    );
    expect(postings.rows.map((p) => [p.account_id, Number(p.amount), Number(p.balance_after)])).toEqual([
      [clearing, -2500, -2500],
      [wallet, 2500, 2500],
    ]);
  });

  it('merges lines on one account and drops what nets to zero', async () => {
    const a = await account('courier_wallet');
    const b = await account('courier_cash');
    const { rows, error } = await post('adjustment', [
      { account: a, amount: 300 },
      { account: a, amount: 200 },
      { account: b, amount: -500 },
    ]);
    expect(error).toBeNull();
    expect(await count('select count(*) as n from public.ledger_postings where entry_id = $1', [rows[0]!.id])).toBe(2);
    expect(await balance(a)).toBe(500);
  });

  it.each([
    [
      'an unbalanced entry',
      (a: string, b: string) => [
        { account: a, amount: 100 },
        { account: b, amount: -99 },
      ],
      /sum to zero, got 1/,
    ],
    ['a single line', (a: string) => [{ account: a, amount: 100 }], /at least two postings/],
    [
      'lines that net to nothing',
      (a: string) => [
        { account: a, amount: 100 },
        { account: a, amount: -100 },
      ],
      /at least two postings/,
    ],
    [
      'a fraction of a franc',
      (a: string, b: string) => [
        { account: a, amount: 0.5 },
        { account: b, amount: -0.5 },
      ],
      /whole number/,
    ],
    [
      'an unknown account',
      (a: string) => [
        { account: a, amount: 100 },
        { account: randomUUID(), amount: -100 },
      ],
      /unknown ledger account/,
    ],
  ])('refuses %s and writes nothing', async (_, build, message) => {
    const a = await account('courier_cash');
    const b = await account('courier_cash');
    const entries = await count('select count(*) as n from public.ledger_entries');
    const { error } = await post('adjustment', build(a, b) as { account: string; amount: number }[]);
    expect(error?.message).toMatch(message);
    expect(await count('select count(*) as n from public.ledger_entries')).toBe(entries);
    expect(await balance(a)).toBe(0);
  });

  it('refuses to overdraw a user account (EO402 insufficient_funds) and changes nothing', async () => {
    const wallet = await account('customer_wallet');
    const merchant = await account('merchant_wallet');
    const clearing = await account('provider_clearing', null, `test:${randomUUID().slice(0, 8)}`);
    expect(
      (
        await post('topup', [
          { account: wallet, amount: 1000 },
          { account: clearing, amount: -1000 },
        ])
      ).error,
    ).toBeNull();
    const { error } = await post('order_capture', [
      { account: wallet, amount: -1001 },
      { account: merchant, amount: 1001 },
    ]);
    expect(error).toEqual({ code: 'EO402', message: 'insufficient_funds' });
    expect(await balance(wallet)).toBe(1000);
    expect(await balance(merchant)).toBe(0);
  });

  it('lets exactly the affordable ones of 100 concurrent payments from one wallet through', async () => {
    const wallet = await account('customer_wallet');
    const clearing = await account('provider_clearing', null, `test:${randomUUID().slice(0, 8)}`);
    expect(
      (
        await post('topup', [
          { account: wallet, amount: 10_000 },
          { account: clearing, amount: -10_000 },
        ])
      ).error,
    ).toBeNull();
    const merchants = await Promise.all(Array.from({ length: 4 }, () => account('merchant_wallet')));
    // 100 payments of 300 FCFA (30 000 in all) from a wallet holding 10 000: 33 fit, 1 000 FCFA stay.
    const pool = superuser();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        asService(pool, 'select private.post_entry($1, $2::jsonb)', [
          'order_hold',
          JSON.stringify([
            { account: wallet, amount: -300 },
            { account: merchants[i % 4]!, amount: 300 },
          ]),
        ]),
      ),
    );
    await pool.end();
    const ok = results.filter((r) => r.error === null).length;
    expect(ok).toBe(33);
    expect(results.filter((r) => r.error?.message === 'insufficient_funds')).toHaveLength(67);
    expect(await balance(wallet)).toBe(100);
    const credited = await Promise.all(merchants.map(balance));
    expect(credited.reduce((s, b) => s + b, 0)).toBe(9_900);
    expect(await ledgerViolations(db)).toEqual([]);
  });

  it('keeps entries and postings append-only, even for the service role and the owner', async () => {
    const update = await db
      .query('update public.ledger_entries set memo = $1 where id = $2', ['x', ID.entryL1])
      .catch((e: Error) => e);
    expect((update as Error).message).toMatch(/ledger_entries is append-only/);
    const del = await db
      .query('delete from public.ledger_postings where entry_id = $1', [ID.entryL1])
      .catch((e: Error) => e);
    expect((del as Error).message).toMatch(/ledger_postings is append-only/);
    const { error } = await asService(db, 'update public.ledger_accounts set balance = 0 where id = $1', [ID.accountA]);
    expect(error?.code).toBe('42501');
  });
});

describe('platform revenue shards', () => {
  it('spreads settlements over 8 accounts and always picks the same one for the same seed', async () => {
    const seeds = Array.from({ length: 64 }, () => randomUUID());
    const ids = await Promise.all(
      seeds.map(
        async (s) =>
          (await asService<{ id: string }>(db, 'select private.platform_revenue_account($1) as id', [s])).rows[0]!.id,
      ),
    );
    expect(new Set(ids).size).toBe(8);
    const again = await asService<{ id: string }>(db, 'select private.platform_revenue_account($1) as id', [seeds[0]]);
    expect(again.rows[0]!.id).toBe(ids[0]);
  });
});

describe('money call idempotency', () => {
  const scope = 'test';
  const call = (owner: string, key: string, hash: string) =>
    `select private.replay_money_request('${scope}', '${owner}', '${key}', '${hash}') as prior`;

  it('answers the first response for the same key and body, refuses another body, and checks the key', async () => {
    const owner = randomUUID();
    const key = `key-${randomUUID()}`;
    expect((await asService(db, call(owner, key, 'h1'))).rows[0]).toEqual({ prior: null });
    await asService(db, 'select private.remember_money_request($1, $2, $3, $4, $5)', [
      scope,
      owner,
      key,
      'h1',
      JSON.stringify({ status: 201, body: { id: 'first' } }),
    ]);
    expect((await asService(db, call(owner, key, 'h1'))).rows[0]).toEqual({
      prior: { status: 201, body: { id: 'first' } },
    });
    expect((await asService(db, call(owner, key, 'h2'))).error).toEqual({
      code: 'EO422',
      message: 'idempotency_key_reused',
    });
    expect((await asService(db, call(randomUUID(), key, 'h2'))).rows[0]).toEqual({ prior: null });
    expect((await asService(db, call(owner, 'short', 'h1'))).error).toEqual({
      code: 'EO422',
      message: 'invalid_idempotency_key',
    });
  });

  it('keeps keys at least 72 hours whatever the purge is asked', async () => {
    const owner = randomUUID();
    await db.query(
      `insert into private.money_requests (scope, owner_id, idempotency_key, request_hash, response, created_at)
       values ('test', $1, 'key-71-hours', 'h', '{}', now() - interval '71 hours'),
              ('test', $1, 'key-8-days', 'h', '{}', now() - interval '8 days')`,
      [owner],
    );
    await asService(db, `select private.purge_money_requests(interval '1 hour')`);
    const { rows } = await db.query('select idempotency_key from private.money_requests where owner_id = $1', [owner]);
    expect(rows).toEqual([{ idempotency_key: 'key-71-hours' }]);
  });
});

describe('who reads the ledger', () => {
  it('shows people their own accounts only, through the Data API', async () => {
    const mine = await clientFor('customer_a').from('ledger_accounts').select('id, kind, balance');
    expect(mine.error).toBeNull();
    expect(mine.data!.every((a) => a.id !== ID.accountB)).toBe(true);
    expect(mine.data!.map((a) => a.id)).toContain(ID.accountA);
    // Staff of store X do not see the store's money; its owner does.
    const staff = await clientFor('staff_x').from('ledger_accounts').select('id').eq('id', ID.accountX);
    expect(staff.data).toEqual([]);
    const owner = await clientFor('merchant_x').from('ledger_accounts').select('id').eq('id', ID.accountX);
    expect(owner.data).toEqual([{ id: ID.accountX }]);
    expect(PEOPLE.merchant_x.roles).toContain('merchant');
  });
});
