// What the customer app's wallet screen reads, with the customer's own token through PostgREST, under the ledger's
// RLS (no view or RPC of its own): the wallet and hold balances, the wallet's postings newest first with their
// entry's kind and order embedded, and nothing of anyone else's. The same queries as apps/client's useWallet.
import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../local-stack/src/keys.ts';
import { stack } from '../../local-stack/test/stack.ts';
import type { Database } from '../src/database.types.ts';
import { superuser } from './actors.ts';
import { asService } from './service.ts';

let db: pg.Pool;
beforeAll(() => {
  db = superuser();
});
afterAll(() => db.end());

/** A signed-in customer (RLS only needs the token's subject): a fresh id each time, so no other test's money. */
function customer() {
  const id = randomUUID();
  const token = signJwt(
    {
      sub: id,
      role: 'authenticated',
      aud: 'authenticated',
      exp: Math.floor(Date.now() / 1000) + 3600,
      user_roles: ['customer'],
    },
    stack().jwtSecret,
  );
  const client = createClient<Database>(stack().apiUrl, stack().anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { headers: { Authorization: `Bearer ${token}` } },
  });
  return { id, client };
}

async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[]): Promise<T[]> {
  const { rows, error } = await asService<T>(db, text, params);
  expect(error).toBeNull();
  return rows;
}

const account = async (kind: string, owner: string | null, channel: string | null = null) =>
  (
    await sql<{ id: string }>('select private.ledger_account($1::public.ledger_account_kind, $2::uuid, $3) as id', [
      kind,
      owner,
      channel,
    ])
  )[0]!.id;

const post = async (kind: string, postings: { account: string; amount: number }[], refs: object) =>
  (
    await sql<{ id: string }>('select private.post_entry($1::public.ledger_entry_kind, $2::jsonb, $3::jsonb) as id', [
      kind,
      JSON.stringify(postings),
      JSON.stringify(refs),
    ])
  )[0]!.id;

describe('wallet reads', () => {
  it('gives a customer their balances and their wallet postings with the entry kind and order, newest first', async () => {
    const me = customer();
    const wallet = await account('customer_wallet', me.id);
    const hold = await account('customer_hold', me.id);
    const clearing = await account('provider_clearing', null, 'sandbox:orange_ci');
    const intentId = randomUUID();
    const orderId = randomUUID();
    const topup = await post(
      'topup',
      [
        { account: wallet, amount: 5000 },
        { account: clearing, amount: -5000 },
      ],
      { payment_intent_id: intentId },
    );
    const held = await post(
      'order_hold',
      [
        { account: wallet, amount: -3500 },
        { account: hold, amount: 3500 },
      ],
      { order_id: orderId },
    );

    const balances = await me.client
      .from('ledger_accounts')
      .select('id, kind, balance')
      .eq('owner_id', me.id)
      .in('kind', ['customer_wallet', 'customer_hold']);
    expect(balances.error).toBeNull();
    expect(balances.data!.map((a) => [a.kind, a.balance]).sort()).toEqual([
      ['customer_hold', 3500],
      ['customer_wallet', 1500],
    ]);

    const postings = await me.client
      .from('ledger_postings')
      .select('amount, balance_after, created_at, entry:ledger_entries(id, kind, order_id, ride_id, payment_intent_id)')
      .eq('account_id', wallet)
      .order('id', { ascending: false })
      .limit(50);
    expect(postings.error).toBeNull();
    expect(postings.data!.map((p) => ({ amount: p.amount, after: p.balance_after, entry: p.entry }))).toEqual([
      {
        amount: -3500,
        after: 1500,
        entry: { id: held, kind: 'order_hold', order_id: orderId, ride_id: null, payment_intent_id: null },
      },
      {
        amount: 5000,
        after: 5000,
        entry: { id: topup, kind: 'topup', order_id: null, ride_id: null, payment_intent_id: intentId },
      },
    ]);

    // The other side of the top-up (the provider's clearing account) stays out of sight, also through the entry.
    const lines = await me.client.from('ledger_postings').select('account_id').eq('entry_id', topup);
    expect(lines.data!.map((l) => l.account_id)).toEqual([wallet]);
  });

  it('shows another customer nothing of that wallet, and no account of their own before their first movement', async () => {
    const owner = customer();
    const wallet = await account('customer_wallet', owner.id);
    const clearing = await account('provider_clearing', null, 'sandbox:mtn_ci');
    await post(
      'topup',
      [
        { account: wallet, amount: 2000 },
        { account: clearing, amount: -2000 },
      ],
      { payment_intent_id: randomUUID() },
    );
    const other = customer();
    const accounts = await other.client.from('ledger_accounts').select('id').eq('owner_id', owner.id);
    expect(accounts).toMatchObject({ error: null, data: [] });
    const postings = await other.client
      .from('ledger_postings')
      .select('amount, entry:ledger_entries(kind)')
      .eq('account_id', wallet);
    expect(postings).toMatchObject({ error: null, data: [] });
    const mine = await other.client.from('ledger_accounts').select('id').eq('owner_id', other.id);
    expect(mine).toMatchObject({ error: null, data: [] });
  });
});
