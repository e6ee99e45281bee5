// Mobile-money payments through the real stack: the `payments` and `payment-webhooks` functions on Deno, the
// gateway, Postgres, and the sandbox provider reached over HTTP (packages/local-stack/src/sandbox-pay.ts). These
// tests try to break money: replays, concurrency, out-of-order and forged callbacks, provider faults, a backend
// killed mid-settlement, expiry, idempotency keys, a courier paying in more than he owes. The ledger invariants are
// checked after every test (ledger-invariants.ts).
import { createHmac, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signJwt } from '../../local-stack/src/keys.ts';
import { SANDBOX_PAY_API_KEY, SANDBOX_PAY_PIN, SANDBOX_PAY_WEBHOOK_SECRET } from '../../local-stack/src/sandbox-pay.ts';
import { newClient, stack } from '../../local-stack/test/stack.ts';
import { superuser } from './actors.ts';
import { asService } from './service.ts';

/** A JSON answer or a row, read loosely: the tests check its shape themselves. */
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let db: pg.Pool;
beforeAll(() => {
  db = superuser();
});
beforeEach(() => sandbox('_control/reset'));
afterAll(async () => {
  await sandbox('_control/reset');
  await db.end();
});

// ------------------------------------------------------------------------------------------------------- helpers

interface Payer {
  id: string;
  phone: string;
  token: string;
}

let nextNumber = 10;
/** A new signed-in person on one of our reserved numbers (+225 07 00 00 05 xx). */
async function newPayer(roles: string[] = []): Promise<Payer> {
  const phone = `22507000005${String(nextNumber++).padStart(2, '0')}`;
  const { data, error } = await newClient('service').auth.admin.createUser({ phone: `+${phone}`, phone_confirm: true });
  if (error) throw error;
  const id = data.user!.id;
  for (const role of roles) await db.query('insert into public.user_roles (user_id, role) values ($1, $2)', [id, role]);
  const token = signJwt(
    {
      sub: id,
      role: 'authenticated',
      aud: 'authenticated',
      exp: Math.floor(Date.now() / 1000) + 3600,
      phone,
      user_roles: ['customer', ...roles].sort(),
    },
    stack().jwtSecret,
  );
  return { id, phone, token };
}

async function sandbox(
  path: string,
  body?: unknown,
  method = body === undefined && !path.includes('reset') ? 'GET' : 'POST',
) {
  const res = await fetch(`${stack().apiUrl}/sandbox-pay/v1/${path}`, {
    method,
    headers: { authorization: `Bearer ${SANDBOX_PAY_API_KEY}`, 'content-type': 'application/json' },
    ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}),
  });
  return (await res.json()) as Record<string, unknown> & { data?: Array<Record<string, unknown>> };
}

const fn = (path: string) => `${stack().apiUrl}/functions/v1/${path}`;

async function call(
  payer: Payer | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(fn(path), {
    method,
    headers: {
      ...(payer ? { authorization: `Bearer ${payer.token}` } : {}),
      'content-type': 'application/json',
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Loose };
}

function topUp(payer: Payer, body: Record<string, unknown>, key = `key-${randomUUID()}`, path = 'payments/top-ups') {
  return call(payer, 'POST', path, { operator: 'orange_ci', ...body }, { 'Idempotency-Key': key });
}

const sweep = () => call({ id: '', phone: '', token: stack().serviceRoleKey }, 'POST', 'payments/sweep', {});

/** Lets the sweep look at an intent now (it skips intents younger than 5 s, and backs off per intent). */
const makeDue = (intentId: string) =>
  db.query(
    `update public.payment_intents set created_at = created_at - interval '1 minute', last_checked_at = null
      where id = $1`,
    [intentId],
  );

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function intent(id: string) {
  const { rows } = await db.query('select * from public.payment_intents where id = $1', [id]);
  return rows[0] as Loose;
}

const settled = (id: string) =>
  until(`intent ${id} to settle`, async () => {
    const row = await intent(id);
    return row.status !== 'pending' ? row : null;
  });

async function credits(intentId: string): Promise<number> {
  const { rows } = await db.query(
    `select count(*)::int as n from public.ledger_entries where payment_intent_id = $1 and kind in ('topup', 'cash_deposit')`,
    [intentId],
  );
  return rows[0].n;
}

async function balance(ownerId: string, kind = 'customer_wallet'): Promise<number> {
  const { rows } = await db.query('select balance from public.ledger_accounts where owner_id = $1 and kind = $2', [
    ownerId,
    kind,
  ]);
  return rows[0] ? Number(rows[0].balance) : 0;
}

/** A callback exactly as the sandbox signs it (same secret, same scheme), for replays and forgeries. */
function signedCallback(
  type: string,
  data: Record<string, unknown>,
  options: { eventId?: string; secret?: string; at?: number } = {},
) {
  const body = JSON.stringify({
    id: options.eventId ?? `evt_${randomUUID()}`,
    type,
    created_at: new Date().toISOString(),
    data,
  });
  const t = options.at ?? Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', options.secret ?? SANDBOX_PAY_WEBHOOK_SECRET)
    .update(`${t}.${body}`)
    .digest('hex');
  return { body, headers: { 'content-type': 'application/json', 'sandbox-signature': `t=${t},v1=${v1}` } };
}

async function post(callback: { body: string; headers: Record<string, string> }) {
  const res = await fetch(fn('payment-webhooks/sandbox'), {
    method: 'POST',
    headers: callback.headers,
    body: callback.body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A top-up the payer has not confirmed yet (number …77 waits for the phone), with no callback going out. */
async function quietPendingTopUp(payer: Payer, amount = 2500) {
  await sandbox('_control', { callbacks_off: true });
  const res = await topUp(payer, { amount_xof: amount, phone: '2250700000577' });
  expect(res.status).toBe(201);
  return res.body.payment_intent as { id: string; provider_ref: string; amount_xof: number };
}

// ----------------------------------------------------------------------------------------------------- top-ups

describe('a mobile-money top-up', () => {
  it('credits the wallet once the sandbox confirms and calls back, and tells the payer', async () => {
    const payer = await newPayer();
    const res = await topUp(payer, { amount_xof: 1500, phone: '2250700000501' });
    expect(res.status).toBe(201);
    expect(res.body.payment_intent).toMatchObject({ status: 'pending', amount_xof: 1500, provider: 'sandbox' });
    expect(res.body.payment_intent.provider_ref).toMatch(/^col_/);
    expect(res.body.instructions).toBe(
      'Confirmez le paiement de 1\u00a0500\u00a0FCFA sur votre téléphone (+225 07 00 00 05 01) avec votre code secret.',
    );
    const id = res.body.payment_intent.id as string;
    const done = await settled(id);
    expect(done).toMatchObject({ status: 'succeeded', provider_amount_xof: '1500', flag: null });
    expect(await credits(id)).toBe(1);
    expect(await balance(payer.id)).toBe(1500);

    const { rows: callbacks } = await db.query(
      'select verified, outcome, raw_body, headers from public.payment_callbacks where payment_intent_id = $1',
      [id],
    );
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0]).toMatchObject({ verified: true, outcome: 'credited' });
    expect(JSON.parse(callbacks[0].raw_body).type).toBe('collection.succeeded');
    expect(callbacks[0].headers['sandbox-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);

    const { rows: notes } = await db.query('select kind, title, body from public.notifications where user_id = $1', [
      payer.id,
    ]);
    expect(notes).toEqual([
      { kind: 'payment', title: 'Portefeuille rechargé', body: '1 500 FCFA ajoutés à votre portefeuille.' },
    ]);

    const mine = await call(payer, 'GET', `payments/intents/${id}`);
    expect(mine.status).toBe(200);
    expect(mine.body.payment_intent).toMatchObject({ id, status: 'succeeded' });
    expect(mine.body.payment_intent.idempotency_key).toBeUndefined();
    const list = await call(payer, 'GET', 'payments/intents');
    expect(list.body.payment_intents.map((i: { id: string }) => i.id)).toEqual([id]);
    const stranger = await newPayer();
    const theirs = await call(stranger, 'GET', `payments/intents/${id}`);
    expect(theirs.status).toBe(404);
    expect(theirs.body.error.code).toBe('payment_intent_not_found');
  });

  it('waits for the payer to confirm on the phone with the PIN; a refusal on the phone fails it, nothing credited', async () => {
    const payer = await newPayer();
    const res = await topUp(payer, { amount_xof: 3000, phone: '2250700000577' });
    const id = res.body.payment_intent.id as string;
    const phone = await sandbox('phones/2250700000577/requests');
    const request = phone.data!.find((r) => r.reference === id)!;
    expect(request).toMatchObject({ amount: 3000, status: 'pending' });
    const confirm = await fetch(
      `${stack().apiUrl}/sandbox-pay/v1/phones/2250700000577/requests/${request.id}/confirm`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pin: SANDBOX_PAY_PIN }),
      },
    );
    expect(confirm.status).toBe(202);
    expect((await settled(id)).status).toBe('succeeded');
    expect(await balance(payer.id)).toBe(3000);

    const refused = await topUp(payer, { amount_xof: 4000, phone: '2250700000577' });
    const ref = refused.body.payment_intent.provider_ref as string;
    await fetch(`${stack().apiUrl}/sandbox-pay/v1/phones/2250700000577/requests/${ref}/refuse`, { method: 'POST' });
    expect(await settled(refused.body.payment_intent.id)).toMatchObject({
      status: 'failed',
      failure_reason: 'cancelled',
    });
    expect(await balance(payer.id)).toBe(3000);
  });

  it('fails declined and insufficient-funds payments with their reason and credits nothing', async () => {
    const payer = await newPayer();
    const declined = await topUp(payer, { amount_xof: 1000, phone: '2250700000502' });
    const broke = await topUp(payer, { amount_xof: 1000, phone: '2250700000503' });
    expect(await settled(declined.body.payment_intent.id)).toMatchObject({
      status: 'failed',
      failure_reason: 'declined',
    });
    expect(await settled(broke.body.payment_intent.id)).toMatchObject({
      status: 'failed',
      failure_reason: 'insufficient_funds',
    });
    expect(await balance(payer.id)).toBe(0);
    const { rows } = await db.query('select title from public.notifications where user_id = $1 order by created_at', [
      payer.id,
    ]);
    expect(rows.map((r) => r.title)).toEqual(['Paiement échoué', 'Paiement échoué']);
  });

  it('refuses an amount paid that differs from the one asked, flags it, and credits nothing', async () => {
    const payer = await newPayer();
    const res = await topUp(payer, { amount_xof: 2000, phone: '2250700000505' });
    const done = await settled(res.body.payment_intent.id);
    expect(done).toMatchObject({
      status: 'failed',
      failure_reason: 'amount_mismatch',
      flag: 'amount_mismatch',
      provider_amount_xof: '1999',
    });
    expect(await credits(done.id)).toBe(0);
    expect(await balance(payer.id)).toBe(0);
  });

  it('refuses amounts out of range, another country’s operator and a missing key, in the caller’s language', async () => {
    const payer = await newPayer();
    const small = await topUp(payer, { amount_xof: 50, phone: '2250700000501' });
    expect(small.status).toBe(422);
    expect(small.body.error).toMatchObject({
      code: 'amount_out_of_range',
      message: 'Le montant doit être entre 100\u00a0FCFA et 500\u00a0000\u00a0FCFA.',
    });
    const big = await call(
      payer,
      'POST',
      'payments/top-ups',
      { amount_xof: 500_001, operator: 'mtn_ci', phone: '2250700000501' },
      {
        'Idempotency-Key': `key-${randomUUID()}`,
        'Accept-Language': 'en',
      },
    );
    expect(big.body.error.message).toBe('The amount must be between 100\u00a0FCFA and 500\u00a0000\u00a0FCFA.');
    const togo = await topUp(payer, { amount_xof: 1000, operator: 'mixx_tg', phone: '22890000001' });
    expect([togo.status, togo.body.error.code]).toEqual([422, 'operator_not_available']);
    const noKey = await call(payer, 'POST', 'payments/top-ups', {
      amount_xof: 1000,
      operator: 'orange_ci',
      phone: '2250700000501',
    });
    expect([noKey.status, noKey.body.error.code]).toEqual([400, 'idempotency_key_required']);
    const bad = await topUp(payer, { amount_xof: 10.5, phone: 'abc' });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed']);
    expect((await db.query('select 1 from public.payment_intents where user_id = $1', [payer.id])).rowCount).toBe(0);
  });
});

// -------------------------------------------------------------------------------------------------- idempotency

describe('the Idempotency-Key of a top-up', () => {
  it('answers the same intent for the same body, 422 for another body, one intent under concurrent retries', async () => {
    const payer = await newPayer();
    const key = `key-${randomUUID()}`;
    const first = await topUp(payer, { amount_xof: 1200, phone: '2250700000577' }, key);
    const again = await topUp(payer, { amount_xof: 1200, phone: '2250700000577' }, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.replayed).toBe(true);
    expect(again.body.payment_intent.id).toBe(first.body.payment_intent.id);
    const other = await topUp(payer, { amount_xof: 1300, phone: '2250700000577' }, key);
    expect([other.status, other.body.error.code]).toEqual([422, 'idempotency_key_reused']);

    const key2 = `key-${randomUUID()}`;
    const burst = await Promise.all(
      Array.from({ length: 8 }, () => topUp(payer, { amount_xof: 700, phone: '2250700000577' }, key2)),
    );
    expect(new Set(burst.map((r) => r.body.payment_intent.id)).size).toBe(1);
    expect(burst.filter((r) => r.status === 201)).toHaveLength(1);
    const { rows } = await db.query('select count(*)::int as n from public.payment_intents where user_id = $1', [
      payer.id,
    ]);
    expect(rows[0].n).toBe(2);
    // The sandbox got one collection per intent, not one per retry.
    expect((await sandbox(`collections?reference=${first.body.payment_intent.id}`)).data).toHaveLength(1);
  });
});

// ------------------------------------------------------------------------------------------------------ callbacks

describe('payment callbacks', () => {
  it('credit once for 10 replays and 20 concurrent copies of one callback, and for 20 distinct events at once', async () => {
    const payer = await newPayer();
    const pi = await quietPendingTopUp(payer, 2500);
    await sandbox('_control/settle', { reference: pi.id, status: 'succeeded', announce: false });
    const cb = signedCallback('collection.succeeded', { id: pi.provider_ref, reference: pi.id });

    const burst = await Promise.all(Array.from({ length: 20 }, () => post(cb)));
    expect(burst.map((r) => r.status)).toEqual(Array(20).fill(200));
    for (let i = 0; i < 10; i += 1) expect((await post(cb)).status).toBe(200);
    const distinct = await Promise.all(
      Array.from({ length: 20 }, () =>
        post(signedCallback('collection.succeeded', { id: pi.provider_ref, reference: pi.id })),
      ),
    );
    expect(distinct.every((r) => r.status === 200)).toBe(true);

    expect((await intent(pi.id)).status).toBe('succeeded');
    expect(await credits(pi.id)).toBe(1);
    expect(await balance(payer.id)).toBe(2500);
    const { rows } = await db.query(
      'select count(*)::int as n from public.payment_callbacks where payment_intent_id = $1 and verified',
      [pi.id],
    );
    expect(rows[0].n).toBe(21); // one row per authentic event: the 30 copies of the first were deduplicated
  });

  it('survive duplicated and out-of-order deliveries from the sandbox: a stale "failed" after success changes nothing', async () => {
    const payer = await newPayer();
    await sandbox('_control', { out_of_order: true, duplicate_callbacks: 2 });
    const res = await topUp(payer, { amount_xof: 1800, phone: '2250700000501' });
    const id = res.body.payment_intent.id as string;
    const deliveries = await until('6 deliveries answered', async () => {
      const d = (await sandbox(`_control/callbacks?reference=${id}`)).data!;
      return d.length >= 6 && d.every((x) => x.status === 200) ? d : null;
    });
    expect(deliveries.map((d) => d.type).sort()).toEqual([
      'collection.failed',
      'collection.failed',
      'collection.failed',
      'collection.succeeded',
      'collection.succeeded',
      'collection.succeeded',
    ]);
    expect(await intent(id)).toMatchObject({ status: 'succeeded' });
    expect(await credits(id)).toBe(1);
    expect(await balance(payer.id)).toBe(1800);
  });

  it('never credit on a callback that claims success when the provider says the payment failed', async () => {
    const payer = await newPayer();
    await sandbox('_control', { out_of_order: true });
    const res = await topUp(payer, { amount_xof: 900, phone: '2250700000502' });
    const id = res.body.payment_intent.id as string;
    await until('both deliveries answered', async () => {
      const d = (await sandbox(`_control/callbacks?reference=${id}`)).data!;
      return d.length >= 2 && d.every((x) => x.status === 200);
    });
    expect(await intent(id)).toMatchObject({ status: 'failed', failure_reason: 'declined' });
    expect(await credits(id)).toBe(0);
    expect(await balance(payer.id)).toBe(0);
  });

  it('refuse forged, stale, tampered and unsigned callbacks with 401, keep them as evidence, and credit nothing', async () => {
    const payer = await newPayer();
    const pi = await quietPendingTopUp(payer, 5000);
    // The provider really has the money: only the signature stands between a forger and a credit.
    await sandbox('_control/settle', { reference: pi.id, status: 'succeeded', announce: false });
    const data = { id: pi.provider_ref, reference: pi.id };
    const genuine = signedCallback('collection.succeeded', data);
    const attempts = [
      signedCallback('collection.succeeded', data, { secret: 'not-the-secret' }),
      signedCallback('collection.succeeded', data, { at: Math.floor(Date.now() / 1000) - 301 }),
      // Well past the 300 s window: on a loaded machine the call may take seconds to reach the function.
      signedCallback('collection.succeeded', data, { at: Math.floor(Date.now() / 1000) + 900 }),
      { body: genuine.body.replace('"collection.succeeded"', '"collection.expired"'), headers: genuine.headers },
      { body: genuine.body, headers: { 'content-type': 'application/json' } },
    ];
    for (const forged of attempts) {
      const res = await post(forged);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'invalid_signature', message: 'Invalid signature' } });
    }
    expect(await intent(pi.id)).toMatchObject({ status: 'pending' });
    expect(await credits(pi.id)).toBe(0);
    const { rows } = await db.query(
      `select count(*)::int as n from public.payment_callbacks where not verified and outcome = 'forged'
          and raw_body like $1`,
      [`%${pi.id}%`],
    );
    expect(rows[0].n).toBe(5);
    // The genuine one still works afterwards.
    expect((await post(genuine)).body.outcome).toBe('credited');
    expect(await balance(payer.id)).toBe(5000);
  });

  it('credit each paid intent exactly once across 1,000 concurrent duplicated, distinct and out-of-order deliveries', async () => {
    const outcomes = ['succeeded', 'succeeded', 'failed', 'expired', 'pending'] as const;
    const intents: Array<{
      id: string;
      ref: string;
      outcome: (typeof outcomes)[number];
      payer: Payer;
      amount: number;
    }> = [];
    for (let p = 0; p < 4; p += 1) {
      const payer = await newPayer();
      for (const outcome of outcomes) {
        const pi = await quietPendingTopUp(payer, 1000 + p);
        if (outcome !== 'pending')
          await sandbox('_control/settle', { reference: pi.id, status: outcome, announce: false });
        intents.push({ id: pi.id, ref: pi.provider_ref, outcome, payer, amount: 1000 + p });
      }
    }
    // Per intent: 5 events (each claim, some of them lying), each delivered 10 times, all shuffled together.
    const deliveries = intents.flatMap((pi) =>
      ['collection.succeeded', 'collection.failed', 'collection.expired', 'collection.succeeded', 'collection.failed']
        .map((type) => signedCallback(type, { id: pi.ref, reference: pi.id }))
        .flatMap((cb) => Array(10).fill(cb) as (typeof cb)[]),
    );
    expect(deliveries).toHaveLength(1000);
    deliveries.sort(() => Math.random() - 0.5);
    const statuses: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        while (next < deliveries.length) statuses.push((await post(deliveries[next++]!)).status);
      }),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    for (const pi of intents) {
      const row = await intent(pi.id);
      expect([pi.outcome, row.status]).toEqual([pi.outcome, pi.outcome]);
      expect(await credits(pi.id)).toBe(pi.outcome === 'succeeded' ? 1 : 0);
    }
    for (const payer of new Set(intents.map((i) => i.payer))) {
      const paid = intents.filter((i) => i.payer === payer && i.outcome === 'succeeded');
      expect(await balance(payer.id)).toBe(paid.reduce((sum, i) => sum + i.amount, 0));
    }
  }, 60_000);

  it('answer 200 to authentic events they do not handle and to unknown references, crediting nothing', async () => {
    const ignored = await post(signedCallback('collection.pending', { reference: randomUUID() }));
    expect(ignored).toEqual({ status: 200, body: { received: true, ignored: true } });
    const unknown = await post(signedCallback('collection.succeeded', { reference: randomUUID(), id: 'col_x' }));
    expect(unknown).toEqual({ status: 200, body: { received: true, ignored: true } });
    const res = await fetch(fn('payment-webhooks/paypal'), { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
  });
});

// ------------------------------------------------------------------------------------------ faults and the sweep

describe('provider faults and the sweep', () => {
  it('credits nothing while the status call fails (5xx, timeout); the sweep credits exactly once later', async () => {
    const payer = await newPayer();
    const pi = await quietPendingTopUp(payer, 3500);
    await sandbox('_control/settle', { reference: pi.id, status: 'succeeded', announce: false });
    const data = { id: pi.provider_ref, reference: pi.id };

    await sandbox('_control', { fail_next: 1, fail_with: 503, fail_on: 'status' });
    const down = await post(signedCallback('collection.succeeded', data));
    expect(down).toMatchObject({ status: 200, body: { outcome: 'status_unavailable' } });
    await sandbox('_control', { fail_next: 1, fail_with: 'timeout', hang_ms: 4000, fail_on: 'status' });
    const slow = await post(signedCallback('collection.succeeded', data));
    expect(slow).toMatchObject({ status: 200, body: { outcome: 'status_unavailable' } });
    expect(await intent(pi.id)).toMatchObject({ status: 'pending' });
    expect(await credits(pi.id)).toBe(0);

    // The sweep while the provider is still down: nothing; once it answers: one credit; again: nothing more.
    await makeDue(pi.id);
    await sandbox('_control', { fail_next: 500, fail_with: 503, fail_on: 'status' });
    expect((await sweep()).body.outcomes.status_unavailable).toBeGreaterThanOrEqual(1);
    expect(await credits(pi.id)).toBe(0);
    await sandbox('_control', { fail_next: 0 });
    await makeDue(pi.id);
    const swept = await sweep();
    expect(swept.status).toBe(200);
    expect(swept.body.outcomes.credited).toBeGreaterThanOrEqual(1);
    expect(await intent(pi.id)).toMatchObject({ status: 'succeeded' });
    await makeDue(pi.id);
    await sweep();
    expect(await credits(pi.id)).toBe(1);
    expect(await balance(payer.id)).toBe(3500);
  });

  it('survives a backend killed between the callback and the credit: the sweep credits exactly once', async () => {
    const payer = await newPayer();
    const pi = await quietPendingTopUp(payer, 4200);
    await sandbox('_control/settle', { reference: pi.id, status: 'succeeded', announce: false });

    // Hold the intent's row so the webhook's settlement waits inside its transaction, then kill that backend.
    const holder = await db.connect();
    let answered = { status: 0 };
    try {
      await holder.query('begin');
      await holder.query('select 1 from public.payment_intents where id = $1 for no key update', [pi.id]);
      const delivery = post(signedCallback('collection.succeeded', { id: pi.provider_ref, reference: pi.id }));
      const victim = await until('the webhook to wait on the intent', async () => {
        const { rows } = await db.query(
          `select pid from pg_stat_activity
            where application_name = 'ecom-payment-webhooks' and wait_event_type = 'Lock'
              and query like '%settle_payment_intent%'`,
        );
        return rows[0]?.pid as number | undefined;
      });
      await db.query('select pg_terminate_backend($1)', [victim]);
      answered = await delivery;
    } finally {
      await holder.query('rollback');
      holder.release();
    }
    expect(answered.status).toBe(200);
    expect(await intent(pi.id)).toMatchObject({ status: 'pending' });
    expect(await credits(pi.id)).toBe(0);

    await makeDue(pi.id);
    expect((await sweep()).status).toBe(200);
    expect(await intent(pi.id)).toMatchObject({ status: 'succeeded' });
    await makeDue(pi.id);
    await sweep();
    expect((await post(signedCallback('collection.succeeded', { id: pi.provider_ref, reference: pi.id }))).status).toBe(
      200,
    );
    expect(await credits(pi.id)).toBe(1);
    expect(await balance(payer.id)).toBe(4200);
  });

  it('expires a payment nobody confirms, cleanly; a success the provider reports later is still credited, flagged', async () => {
    const payer = await newPayer();
    const res = await topUp(payer, { amount_xof: 1100, phone: '2250700000504' });
    const id = res.body.payment_intent.id as string;
    await makeDue(id);
    expect((await sweep()).status).toBe(200);
    expect(await intent(id)).toMatchObject({ status: 'pending', check_attempts: 1 });
    await db.query(`update public.payment_intents set expires_at = now() - interval '1 second' where id = $1`, [id]);
    await makeDue(id);
    expect((await sweep()).body.outcomes.expired).toBeGreaterThanOrEqual(1);
    expect(await intent(id)).toMatchObject({ status: 'expired', failure_reason: 'timeout', ledger_entry_id: null });
    expect(await credits(id)).toBe(0);
    const { rows } = await db.query('select title from public.notifications where user_id = $1', [payer.id]);
    expect(rows.map((r) => r.title)).toEqual(['Paiement expiré']);

    // The backstop expires what the sweep could not ask about, an hour past the deadline.
    const pi = await quietPendingTopUp(payer, 1300);
    await db.query(`update public.payment_intents set expires_at = now() - interval '2 hours' where id = $1`, [pi.id]);
    const backstop = await asService(db, 'select private.expire_stale_payment_intents() as n');
    expect(backstop.rows[0]!.n).toBeGreaterThanOrEqual(1);
    expect(await intent(pi.id)).toMatchObject({ status: 'expired' });

    // The operator says paid after all: the money reached us, so it is credited, and flagged for review.
    await sandbox('_control', { callbacks_off: false });
    await sandbox('_control/settle', { reference: pi.id, status: 'succeeded' });
    const late = await until('the late success', async () => {
      const row = await intent(pi.id);
      return row.status === 'succeeded' ? row : null;
    });
    expect(late).toMatchObject({ status: 'succeeded', flag: 'late_success' });
    expect(await credits(pi.id)).toBe(1);
    expect(await balance(payer.id)).toBe(1300);
  });

  it('lets only the service role sweep', async () => {
    const payer = await newPayer();
    const res = await call(payer, 'POST', 'payments/sweep', {});
    expect(res.status).toBe(403);
    const anon = await fetch(fn('payments/sweep'), { method: 'POST' });
    expect(anon.status).toBe(401);
  });
});

// ---------------------------------------------------------------------------------------------- cash deposits

describe('a courier’s cash deposit (versement)', () => {
  async function courierOwing(amount: number): Promise<Payer> {
    const courier = await newPayer(['courier']);
    const { error } = await asService(
      db,
      `select private.post_entry('order_cash', jsonb_build_array(
          jsonb_build_object('account', private.ledger_account('courier_cash', $1::uuid), 'amount', -$2::bigint),
          jsonb_build_object('account', private.platform_revenue_account($1::uuid), 'amount', $2::bigint)))`,
      [courier.id, amount],
    );
    expect(error).toBeNull();
    return courier;
  }

  it('lowers what he owes, and never beyond it', async () => {
    const courier = await courierOwing(5000);
    const tooMuch = await topUp(
      courier,
      { amount_xof: 6000, phone: '2250700000501' },
      undefined,
      'payments/cash-deposits',
    );
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error).toMatchObject({ code: 'deposit_exceeds_debt', owed_xof: 5000, max_xof: 5000 });
    expect(tooMuch.body.error.message).toBe(
      'Vous pouvez verser au plus 5\u00a0000\u00a0FCFA (vous devez 5\u00a0000\u00a0FCFA).',
    );

    const paid = await topUp(
      courier,
      { amount_xof: 3000, phone: '2250700000501' },
      undefined,
      'payments/cash-deposits',
    );
    expect(paid.status).toBe(201);
    expect(paid.body.payment_intent.purpose).toBe('cash_deposit');
    expect(await settled(paid.body.payment_intent.id)).toMatchObject({ status: 'succeeded' });
    expect(await balance(courier.id, 'courier_cash')).toBe(-2000);
    expect(await balance(courier.id, 'customer_wallet')).toBe(0);

    // Two deposits at once that each fit, but not together: one is refused.
    const both = await Promise.all([
      topUp(courier, { amount_xof: 1500, phone: '2250700000577' }, undefined, 'payments/cash-deposits'),
      topUp(courier, { amount_xof: 1500, phone: '2250700000577' }, undefined, 'payments/cash-deposits'),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 422]);
  });

  it('is for couriers only', async () => {
    const customer = await newPayer();
    const res = await topUp(
      customer,
      { amount_xof: 1000, phone: '2250700000501' },
      undefined,
      'payments/cash-deposits',
    );
    expect([res.status, res.body.error.code]).toEqual([403, 'not_a_courier']);
  });
});

// ------------------------------------------------------------------------------------------------ reconciliation

describe('the reconciliation report', () => {
  it('flags an amount mismatch, a provider success not credited and a stuck pending intent; admins only', async () => {
    const payer = await newPayer();
    const ok = await topUp(payer, { amount_xof: 1000, phone: '2250700000501' });
    const short = await topUp(payer, { amount_xof: 1000, phone: '2250700000505' });
    await settled(ok.body.payment_intent.id);
    await settled(short.body.payment_intent.id);
    const stuck = await quietPendingTopUp(payer, 1000);
    await sandbox('_control/settle', { reference: stuck.id, status: 'succeeded', announce: false });
    await db.query(`update public.payment_intents set expires_at = now() - interval '1 minute' where id = $1`, [
      stuck.id,
    ]);

    const admin = await newPayer(['admin']);
    const day = new Date().toISOString().slice(0, 10);
    const report = await call(admin, 'GET', `payments/reconciliation?from=${day}&to=${day}`);
    expect(report.status).toBe(200);
    const items = report.body.report.items as Array<{ payment_intent: { id: string }; flags: string[] }>;
    const flagsOf = (id: string) => items.find((i) => i.payment_intent.id === id)?.flags;
    expect(flagsOf(ok.body.payment_intent.id)).toEqual([]);
    expect(flagsOf(short.body.payment_intent.id)).toEqual(['provider_success_not_credited', 'amount_mismatch']);
    expect(flagsOf(stuck.id)).toEqual(['provider_success_not_credited', 'stuck_pending']);
    expect(report.body.report.summary.ledger_violations).toBe(0);

    const denied = await call(payer, 'GET', `payments/reconciliation?from=${day}&to=${day}`);
    expect([denied.status, denied.body.error.code]).toEqual([403, 'forbidden']);
    const badRange = await call(admin, 'GET', 'payments/reconciliation?from=2026-01-01&to=2026-03-01');
    expect([badRange.status, badRange.body.error.code]).toEqual([400, 'invalid_date_range']);
  });
});
