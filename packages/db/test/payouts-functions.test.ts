// The `payouts` edge function through the real stack (gateway → Deno → Postgres), paying out to Wave numbers
// through the real Wave adapter against a fake Wave on a local port (the test stack routes wave_ci payouts there:
// global-setup.ts): a request sent at once and settled, the provider's idempotency key, a failure reversed, a
// timeout left `sent` and resolved once by the service-role sweep, admin approval and rejection, who may do what
// (staff, another merchant, another courier, a customer), statements as JSON and CSV, and 422 for an overdraft.
// The fake Wave answers by the number's last digit: …1 succeeded, …2 failed, …3 too late (a timeout), then
// succeeded when asked.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { schedulePayoutSweep } from '../../local-stack/src/net.ts';
import { stack } from '../../local-stack/test/stack.ts';
import { ensurePeople, PEOPLE, type Person, superuser, tokenFor } from './actors.ts';
import { ID, resetFixtures } from './fixtures.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

const C1 = PEOPLE.courier_on_job.id;
const WAVE_OK = '+2250500000711';
const WAVE_FAILS = '+2250500000712';
const WAVE_SLOW = '+2250500000713';

let db: pg.Pool;
let wave: Server;
let seq = 0;
const newKey = () => `payout-fn-${process.pid}-${Date.now()}-${(seq += 1)}`;

interface WaveCall {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  body: Body | null;
}
const waveCalls: WaveCall[] = [];
const wavePayouts = new Map<string, Body>();

async function readBody(req: IncomingMessage): Promise<Body | null> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body) : null;
}

function startWave(port: number): Promise<Server> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = await readBody(req);
    const key = req.headers['idempotency-key'];
    waveCalls.push({ method: req.method ?? '', path: url.pathname, idempotencyKey: key as string, body });
    const answer = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (req.method === 'POST' && url.pathname === '/v1/payout') {
      const mobile = String(body?.mobile);
      const payout: Body = {
        id: `pt-${wavePayouts.size + 1}`,
        client_reference: body?.client_reference,
        receive_amount: body?.receive_amount,
        currency: 'XOF',
        mobile,
        status: mobile.endsWith('2') ? 'failed' : 'succeeded',
        ...(mobile.endsWith('2') ? { payout_error: { error_code: 'recipient-not-found' } } : {}),
        timestamp: new Date().toISOString(),
      };
      wavePayouts.set(payout.id, payout);
      if (mobile.endsWith('3')) {
        setTimeout(() => answer(200, { ...payout, status: 'processing' }), 3000);
        return;
      }
      return answer(200, payout);
    }
    if (req.method === 'GET' && url.pathname.startsWith('/v1/payout/')) {
      const p = wavePayouts.get(decodeURIComponent(url.pathname.slice('/v1/payout/'.length)));
      return p ? answer(200, p) : answer(404, { code: 'not-found' });
    }
    if (req.method === 'GET' && url.pathname === '/v1/payouts/search') {
      const ref = url.searchParams.get('client_reference');
      return answer(200, { result: [...wavePayouts.values()].filter((p) => p.client_reference === ref) });
    }
    answer(404, { code: 'not-found' });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

async function call(
  who: Person | 'service',
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Body; text: string; type: string | null }> {
  const s = stack();
  const res = await fetch(`${s.apiUrl}/functions/v1/payouts${path}`, {
    method,
    headers: {
      authorization: `Bearer ${who === 'service' ? s.serviceRoleKey : tokenFor(who)}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Body = {};
  try {
    json = JSON.parse(text) as Body;
  } catch {
    json = {};
  }
  return { status: res.status, body: json, text, type: res.headers.get('content-type') };
}
const request = (who: Person, body: Body, key = newKey()) => call(who, 'POST', '', body, { 'idempotency-key': key });

async function account(kind: string, owner: string | null, channel: string | null = null): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    'select private.ledger_account($1::public.ledger_account_kind, $2::uuid, $3) as id',
    [kind, owner, channel],
  );
  return rows[0]!.id;
}
async function balance(id: string): Promise<number> {
  const { rows } = await db.query<{ balance: string }>('select balance from public.ledger_accounts where id = $1', [
    id,
  ]);
  return Number(rows[0]?.balance ?? 0);
}
/** Sets a wallet's balance exactly (an adjustment against a test clearing account). */
async function fund(wallet: string, target: number): Promise<void> {
  const delta = target - (await balance(wallet));
  if (delta === 0) return;
  const clearing = await account('provider_clearing', null, 'test:adjust');
  await db.query(`select private.post_entry('adjustment', $1::jsonb, '{}', 'Test funds')`, [
    JSON.stringify([
      { account: wallet, amount: delta },
      { account: clearing, amount: -delta },
    ]),
  ]);
}
const entriesOf = async (payout: string) =>
  (
    await db.query<{ kind: string }>(
      'select kind::text from public.ledger_entries where payout_id = $1 order by created_at, kind',
      [payout],
    )
  ).rows.map((r) => r.kind);
const posts = (payout: string) => waveCalls.filter((c) => c.method === 'POST' && c.body?.client_reference === payout);

let courierWallet: string;
let storeWallet: string;

beforeAll(async () => {
  db = superuser();
  await ensurePeople();
  await resetFixtures(db);
  wave = await startWave(inject('payouts').wavePort);
  courierWallet = await account('courier_wallet', C1);
  storeWallet = await account('merchant_wallet', ID.storeX);
});
beforeEach(async () => {
  await db.query(
    'update public.payout_settings set minimum_xof = 500, daily_maximum_xof = 10000000, approval_threshold_xof = 100000',
  );
});
afterAll(async () => {
  await db.query(
    'update public.payout_settings set minimum_xof = 500, daily_maximum_xof = 500000, approval_threshold_xof = 100000',
  );
  await new Promise((resolve) => wave.close(resolve));
  await db.end();
});

describe('POST /payouts', () => {
  it('sends a courier payout to Wave at once (payout id as idempotency key) and settles it', async () => {
    await fund(courierWallet, 5000);
    const clearing = await account('provider_clearing', null, 'wave:wave_ci');
    const before = await balance(clearing);
    const r = await request('courier_on_job', { amount_xof: 1500, phone: WAVE_OK, operator: 'wave_ci' });
    expect(r.status, r.text).toBe(201);
    const p = r.body.payout;
    expect(p).toMatchObject({ courier_id: C1, amount_xof: 1500, status: 'succeeded', provider: 'wave' });
    expect(p.provider_ref).toMatch(/^pt-/);
    expect(p).not.toHaveProperty('last_error');
    expect(posts(p.id)).toEqual([
      {
        method: 'POST',
        path: '/v1/payout',
        idempotencyKey: p.id,
        body: { currency: 'XOF', receive_amount: '1500', mobile: WAVE_OK, client_reference: p.id },
      },
    ]);
    expect(await balance(courierWallet)).toBe(3500);
    expect(await balance(clearing)).toBe(before + 1500);
    expect(await entriesOf(p.id)).toEqual(['payout', 'payout_settled']);
    const { rows } = await db.query(
      `select title, kind::text from public.notifications where user_id = $1 and data ->> 'payout_id' = $2`,
      [C1, p.id],
    );
    expect(rows).toEqual([{ title: 'Retrait effectué', kind: 'payment' }]);
  });

  it('answers the same key and body with the same payout (one send), and another body with 422', async () => {
    await fund(courierWallet, 5000);
    const key = newKey();
    const body = { amount_xof: 1000, phone: WAVE_OK, operator: 'wave_ci' };
    const [a, b] = await Promise.all([request('courier_on_job', body, key), request('courier_on_job', body, key)]);
    expect(a.body.payout.id).toBe(b.body.payout.id);
    expect(posts(a.body.payout.id)).toHaveLength(1);
    expect(await balance(courierWallet)).toBe(4000);
    const other = await request('courier_on_job', { ...body, amount_xof: 2000 }, key);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
  });

  it('puts the money back when Wave says the payout failed', async () => {
    await fund(courierWallet, 3000);
    const r = await request('courier_on_job', { amount_xof: 1000, phone: WAVE_FAILS, operator: 'wave_ci' });
    expect(r.body.payout).toMatchObject({ status: 'failed', failure_reason: 'declined' });
    expect(await balance(courierWallet)).toBe(3000);
    expect(await entriesOf(r.body.payout.id)).toEqual(['payout', 'payout_reversal']);
  });

  it('leaves a timed-out payout sent; the service-role sweep resolves it once without sending again', async () => {
    await fund(courierWallet, 3000);
    const r = await request('courier_on_job', { amount_xof: 1200, phone: WAVE_SLOW, operator: 'wave_ci' });
    expect(r.status).toBe(201);
    const id = r.body.payout.id;
    expect(r.body.payout.status).toBe('sent');
    expect(await balance(courierWallet)).toBe(1800);

    expect((await call('courier_on_job', 'POST', '/sweep')).status).toBe(403);
    // Not due yet: sent less than a minute ago.
    const early = await call('service', 'POST', '/sweep');
    expect(early.status).toBe(200);
    expect((await db.query('select status from public.payouts where id = $1', [id])).rows[0].status).toBe('sent');
    await db.query(
      `update public.payouts set sent_at = now() - interval '2 minutes', checked_at = now() - interval '2 minutes' where id = $1`,
      [id],
    );
    const swept = await call('service', 'POST', '/sweep');
    expect(swept.status).toBe(200);
    expect(swept.body.succeeded).toBeGreaterThanOrEqual(1);
    const again = await call('service', 'POST', '/sweep');
    expect(again.status).toBe(200);
    const row = (await db.query('select status, provider_ref from public.payouts where id = $1', [id])).rows[0];
    expect(row).toMatchObject({ status: 'succeeded', provider_ref: expect.stringMatching(/^pt-/) });
    expect(posts(id)).toHaveLength(1);
    expect(await entriesOf(id)).toEqual(['payout', 'payout_settled']);
    expect(await balance(courierWallet)).toBe(1800);
  });

  it('refuses more than the wallet holds with 402 insufficient_funds and writes nothing', async () => {
    await fund(courierWallet, 800);
    const r = await request('courier_on_job', { amount_xof: 1000, phone: WAVE_OK, operator: 'wave_ci' }, undefined);
    expect(r.status).toBe(402);
    expect(r.body.error).toMatchObject({ code: 'insufficient_funds', balance_xof: 800, needed_xof: 1000 });
    expect(r.body.error.message).toBe('Solde insuffisant : votre portefeuille contient 800 FCFA, il faut 1 000 FCFA.');
    expect(await balance(courierWallet)).toBe(800);
  });

  it('lets the store owner withdraw, not staff (403), another merchant or a customer (404)', async () => {
    await fund(storeWallet, 5000);
    const body = { store_id: ID.storeX, amount_xof: 1000, phone: WAVE_OK, operator: 'wave_ci' };
    const staff = await request('staff_x', body);
    expect([staff.status, staff.body.error.code]).toEqual([403, 'not_store_owner']);
    expect(staff.body.error.message).toBe('Seul le propriétaire de la boutique peut retirer son argent.');
    const other = await request('merchant_y', body);
    expect([other.status, other.body.error.code]).toEqual([404, 'store_not_found']);
    const customer = await request('customer_a', body);
    expect([customer.status, customer.body.error.code]).toEqual([404, 'store_not_found']);
    const notCourier = await request('customer_a', { amount_xof: 1000, phone: WAVE_OK, operator: 'wave_ci' });
    expect([notCourier.status, notCourier.body.error.code]).toEqual([403, 'not_a_courier']);
    expect(await balance(storeWallet)).toBe(5000);
    const owner = await request('merchant_x', body);
    expect(owner.status).toBe(201);
    expect(owner.body.payout.status).toBe('succeeded');
    expect(await balance(storeWallet)).toBe(4000);
  });
});

describe('admin review', () => {
  it('holds a payout above the threshold for an admin; approval sends it, a rejection puts the money back', async () => {
    await db.query('update public.payout_settings set approval_threshold_xof = 2000');
    await fund(storeWallet, 10_000);
    const body = { store_id: ID.storeX, amount_xof: 3000, phone: WAVE_OK, operator: 'wave_ci' };
    const held = await request('merchant_x', body);
    expect(held.body.payout.status).toBe('pending_approval');
    const id = held.body.payout.id;
    expect(posts(id)).toEqual([]);

    const key = { 'idempotency-key': newKey() };
    expect((await call('merchant_x', 'POST', `/${id}/approve`, undefined, key)).body.error.code).toBe('not_admin');
    expect((await call('merchant_y', 'POST', `/${id}/approve`, undefined, key)).status).toBe(404);
    expect((await call('merchant_x', 'GET', '/admin')).status).toBe(403);
    const queue = await call('admin', 'GET', '/admin?status=pending_approval');
    expect(queue.body.payouts.map((p: Body) => p.id)).toContain(id);

    const approved = await call('admin', 'POST', `/${id}/approve`, undefined, key);
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body.payout).toMatchObject({ id, status: 'succeeded' });
    const replay = await call('admin', 'POST', `/${id}/approve`, undefined, key);
    expect(replay.body.payout.id).toBe(id);
    expect(posts(id)).toHaveLength(1);

    const second = await request('merchant_x', body);
    const rejected = await call('admin', 'POST', `/${second.body.payout.id}/reject`, { reason: 'Numéro à vérifier' });
    expect(rejected.body.payout).toMatchObject({ status: 'rejected', rejection_reason: 'Numéro à vérifier' });
    expect(await balance(storeWallet)).toBe(7000);

    const mine = await call('merchant_x', 'GET', '');
    expect(mine.body.payouts.map((p: Body) => p.id)).toEqual(expect.arrayContaining([id, second.body.payout.id]));
    expect((await call('staff_x', 'GET', '')).body.payouts).toEqual([]);
    expect((await call('courier_not_on_job', 'GET', `/${id}`)).status).toBe(404);
    expect((await call('merchant_x', 'GET', `/${id}`)).body.payout.status).toBe('succeeded');
  });
});

describe('the payout clock', () => {
  it('is a pg_cron job whose pg_net request reaches the sweep and resolves a timed-out payout', async () => {
    await fund(courierWallet, 2000);
    const r = await request('courier_on_job', { amount_xof: 900, phone: WAVE_SLOW, operator: 'wave_ci' });
    const id = r.body.payout.id;
    expect(r.body.payout.status).toBe('sent');
    await db.query(
      `update public.payouts set sent_at = now() - interval '2 minutes', checked_at = null where id = $1`,
      [id],
    );
    // The test stack leaves the clock off (npm run stack turns it on): switch it on, every second, for this test.
    const s = stack();
    const clock = { functionsUrl: `${s.apiUrl}/functions/v1`, serviceRoleKey: s.serviceRoleKey };
    await schedulePayoutSweep(db, { ...clock, enabled: true, everySeconds: 1 });
    try {
      const job = await db.query(`select schedule, command from cron.job where jobname = 'ecom-payout-sweep'`);
      expect(job.rows[0].schedule).toBe('1 seconds');
      expect(job.rows[0].command).toContain('/functions/v1/payouts/sweep');
      let status = 'sent';
      for (let i = 0; i < 100 && status === 'sent'; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = (await db.query('select status from public.payouts where id = $1', [id])).rows[0].status;
      }
      expect(status).toBe('succeeded');
    } finally {
      await schedulePayoutSweep(db, { ...clock, enabled: false });
    }
    expect((await db.query(`select 1 from cron.job where jobname = 'ecom-payout-sweep'`)).rows).toEqual([]);
    expect(posts(id)).toHaveLength(1);
  });
});

describe('GET /payouts/statement', () => {
  it('gives the owner the store statement as JSON and CSV, and nobody else', async () => {
    await fund(storeWallet, 2500);
    const json = await call('merchant_x', 'GET', `/statement?store_id=${ID.storeX}`);
    expect(json.status, json.text).toBe(200);
    const s = json.body.statement;
    const sum = s.movements.reduce((t: number, m: Body) => t + Number(m.amount_xof), 0);
    expect(Number(s.opening_balance_xof) + sum).toBe(Number(s.closing_balance_xof));
    expect(Number(s.closing_balance_xof)).toBe(2500);
    const csv = await call('merchant_x', 'GET', `/statement?store_id=${ID.storeX}&period=month&format=csv`);
    expect(csv.type).toBe('text/csv; charset=utf-8');
    expect(csv.text.split('\r\n')[0]).toBe(
      'date,category,kind,reference,gross_xof,commission_xof,amount_xof,balance_xof,memo',
    );
    const staff = await call('staff_x', 'GET', `/statement?store_id=${ID.storeX}`);
    expect([staff.status, staff.body.error.code]).toEqual([404, 'statement_not_found']);
    const courier = await call('courier_on_job', 'GET', '/statement?period=month');
    expect(courier.status).toBe(200);
    expect(Number(courier.body.statement.closing_balance_xof)).toBe(await balance(courierWallet));
    const otherCourier = await call('courier_not_on_job', 'GET', `/statement?courier_id=${C1}`);
    expect(otherCourier.status).toBe(404);
  });
});
