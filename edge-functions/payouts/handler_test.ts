import assert from 'node:assert/strict';
import { type Operator, PaymentError, type PaymentProvider, type PayoutRequest } from '../_shared/payments/index.ts';
import { signTestJwt } from '../_shared/test-jwt.ts';
import { refusalFromPg } from './db.ts';
import { createPayoutsHandler, type Payout, type PayoutsDb, PayoutsError } from './handler.ts';
import { KNOWN_CODES, message } from './messages.ts';
import { payoutProvidersFromEnv } from './providers.ts';
import { createPayoutSender, type Outcome, type SenderDb } from './send.ts';

const SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
const COURIER = 'a0000000-0000-4000-8000-000000000005';
const STORE = 'd0000000-0000-4000-8000-000000000001';

const jwt = (claims: Record<string, unknown>) => signTestJwt(claims, SECRET);

/** Parsed JSON answers (any, as `Response.json()` gives). */
type Json = ReturnType<typeof JSON.parse>;
const exp = () => Math.floor(Date.now() / 1000) + 600;

/** An in-memory payouts table behind both the handler's and the sender's database calls. */
function fakeDb(options: { threshold?: number; refuse?: PayoutsError } = {}) {
  const rows = new Map<string, Payout>();
  const outcomes: Array<[string, Outcome, Record<string, unknown>]> = [];
  const releases: string[] = [];
  let n = 0;
  const db: PayoutsDb & SenderDb = {
    requestPayout: (_c, r) => {
      if (options.refuse) return Promise.reject(options.refuse);
      n += 1;
      const id = `ec000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
      const payout = {
        id,
        store_id: r.store_id ?? null,
        courier_id: r.store_id ? null : COURIER,
        amount_xof: r.amount_xof,
        phone: r.phone ?? '+2250700000701',
        operator: (r.operator ?? 'orange_ci') as Operator,
        status: r.amount_xof > (options.threshold ?? 100_000) ? 'pending_approval' : 'approved',
        provider: null,
        provider_ref: null,
      };
      rows.set(id, payout);
      return Promise.resolve({ payout: { ...payout } });
    },
    listOwn: () => Promise.resolve([...rows.values()]),
    listAll: () => Promise.resolve([...rows.values()]),
    getPayout: (_c, id) => Promise.resolve(rows.has(id) ? { ...rows.get(id)! } : null),
    reviewPayout: (_c, id, approve, reason) => {
      const p = rows.get(id);
      if (!p) return Promise.reject(new PayoutsError(404, 'payout_not_found'));
      if (p.status !== 'pending_approval') {
        return Promise.reject(new PayoutsError(409, 'payout_not_pending', { status: p.status }));
      }
      p.status = approve ? 'approved' : 'rejected';
      if (reason) p.rejection_reason = reason;
      return Promise.resolve({ payout: { ...p } });
    },
    statement: (_c, q) =>
      Promise.resolve(q.format === 'csv' ? 'date,category\r\n' : { opening_balance_xof: 0, movements: [] }),
    profileLanguage: () => Promise.resolve(null),
    payoutForSend: (id) => Promise.resolve(rows.has(id) ? ({ ...rows.get(id)! } as never) : null),
    claimSend: (id, provider) => {
      const p = rows.get(id);
      if (!p || p.status !== 'approved') return Promise.resolve(null);
      p.status = 'sent';
      p.provider = provider;
      return Promise.resolve({ ...p } as never);
    },
    releaseSend: (id) => {
      releases.push(id);
      const p = rows.get(id)!;
      p.status = 'approved';
      p.provider = null;
      return Promise.resolve();
    },
    recordOutcome: (id, outcome, detail) => {
      outcomes.push([id, outcome, detail]);
      const p = rows.get(id)!;
      if (p.status !== 'sent') return Promise.resolve({ changed: false });
      if (detail.providerRef) p.provider_ref = detail.providerRef;
      if (outcome === 'pending') return Promise.resolve({ changed: false });
      p.status = outcome;
      return Promise.resolve({ changed: true });
    },
    dueForSweep: () =>
      Promise.resolve(
        [...rows.values()]
          .filter((p) => p.status === 'sent' || p.status === 'approved')
          .map((p) => ({ ...p })) as never,
      ),
  };
  return { db, rows, outcomes, releases };
}

type PayoutBehaviour = (
  r: PayoutRequest,
) => Promise<{ status: 'pending' | 'succeeded' | 'failed'; failureReason?: string }>;

/** A provider that records its payout calls and answers as told; its status call answers `status`. */
function fakeProvider(behaviour: PayoutBehaviour, status: () => Promise<'pending' | 'succeeded' | 'failed'>) {
  const payouts: PayoutRequest[] = [];
  const checks: Array<[string, string | undefined]> = [];
  const provider: PaymentProvider = {
    name: 'fake',
    operators: ['orange_ci', 'mtn_ci', 'wave_ci'],
    collect: () => Promise.reject(new Error('not used')),
    fetchStatus: () => Promise.reject(new Error('not used')),
    parseCallback: () => Promise.reject(new Error('not used')),
    payout: async (r) => {
      payouts.push(r);
      const answer = await behaviour(r);
      return { providerRef: `fake-${r.reference.slice(-4)}`, raw: {}, ...answer } as never;
    },
    fetchPayoutStatus: async (reference, providerRef) => {
      checks.push([reference, providerRef]);
      return { providerRef: providerRef ?? `fake-${reference.slice(-4)}`, status: await status(), raw: {} };
    },
  };
  return { provider, payouts, checks };
}

function setup(
  behaviour: PayoutBehaviour = () => Promise.resolve({ status: 'succeeded' }),
  status: () => Promise<'pending' | 'succeeded' | 'failed'> = () => Promise.resolve('succeeded'),
  dbOptions: Parameters<typeof fakeDb>[0] = {},
  create?: (name: string) => PaymentProvider,
) {
  const fake = fakeDb(dbOptions);
  const prov = fakeProvider(behaviour, status);
  const created: string[] = [];
  const providers = payoutProvidersFromEnv(
    (name) => ({ PAYOUT_PROVIDER: 'fake', SUPABASE_URL: 'https://x.supabase.co' })[name],
    (name) => {
      created.push(name);
      return create ? create(name) : prov.provider;
    },
  );
  const logs: string[] = [];
  const sender = createPayoutSender({
    db: fake.db,
    providers,
    callbackUrl: (name) => `https://x/payment-webhooks/${name}`,
    log: (e) => void logs.push(e),
  });
  const handler = createPayoutsHandler({ db: fake.db, sender, jwtSecret: SECRET, log: (e) => void logs.push(e) });
  async function send(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    token?: string,
  ) {
    const bearer = token ?? (await jwt({ sub: COURIER, role: 'authenticated', exp: exp() }));
    const res = await handler(
      new Request(`http://x/payouts${path}`, {
        method,
        headers: { Authorization: `Bearer ${bearer}`, ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );
    const text = await res.text();
    let json: Json = {};
    try {
      json = JSON.parse(text);
    } catch {
      json = { text };
    }
    return { status: res.status, json, headers: res.headers };
  }
  return { ...fake, ...prov, sender, send, logs, created };
}

const KEY = { 'Idempotency-Key': 'payout-key-0001' };

Deno.test(
  'requests a payout (201), sends it at once with the payout id as reference, answers it as it stands',
  async () => {
    const t = setup();
    const r = await t.send('POST', '', { amount_xof: 2000, phone: '+225 07 00 00 07 01', operator: 'orange_ci' }, KEY);
    assert.equal(r.status, 201);
    assert.equal(r.json.payout.status, 'succeeded');
    assert.equal(t.payouts.length, 1);
    assert.deepEqual(t.payouts[0], {
      reference: r.json.payout.id,
      amountXof: 2000,
      operator: 'orange_ci',
      phone: '2250700000701',
      callbackUrl: 'https://x/payment-webhooks/fake',
    });
    assert.deepEqual(t.created, ['fake']);
  },
);

Deno.test(
  'refuses a request without an idempotency key, with a bad body, or a phone without its operator',
  async () => {
    const t = setup();
    assert.equal((await t.send('POST', '', { amount_xof: 2000 })).json.error.code, 'idempotency_key_required');
    const bad = await t.send('POST', '', { amount_xof: 20.5 }, KEY);
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.code, 'validation_failed');
    assert.equal(bad.json.error.message, 'Certaines informations de la demande sont invalides.');
    const phone = await t.send('POST', '', { amount_xof: 2000, phone: '+2250700000701' }, KEY);
    assert.equal(phone.json.error.details[0].field, 'operator');
    assert.equal((await t.send('POST', '', 'nope', KEY)).json.error.code, 'invalid_json');
    assert.equal(t.payouts.length, 0);
  },
);

Deno.test('leaves a payout above the threshold waiting; an approval (key required) sends it', async () => {
  const t = setup();
  const r = await t.send('POST', '', { amount_xof: 150_000 }, KEY);
  assert.equal(r.json.payout.status, 'pending_approval');
  assert.equal(t.payouts.length, 0);
  const id = r.json.payout.id;
  assert.equal((await t.send('POST', `/${id}/approve`)).json.error.code, 'idempotency_key_required');
  const ok = await t.send('POST', `/${id}/approve`, undefined, { 'Idempotency-Key': 'approve-key-001' });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.payout.status, 'succeeded');
  assert.equal(t.payouts.length, 1);
  const again = await t.send('POST', `/${id}/approve`, undefined, { 'Idempotency-Key': 'approve-key-002' });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.message, "Ce retrait n'attend pas de validation : il est payé.");
});

Deno.test('rejects with a reason only', async () => {
  const t = setup();
  const id = (await t.send('POST', '', { amount_xof: 150_000 }, KEY)).json.payout.id;
  assert.equal((await t.send('POST', `/${id}/reject`, {})).json.error.code, 'validation_failed');
  const r = await t.send('POST', `/${id}/reject`, { reason: 'Numéro douteux' });
  assert.equal(r.json.payout.status, 'rejected');
  assert.equal(t.payouts.length, 0);
});

Deno.test('a failure the provider reports puts the money back (failed outcome with its reason)', async () => {
  const t = setup(() => Promise.resolve({ status: 'failed', failureReason: 'declined' }));
  const r = await t.send('POST', '', { amount_xof: 1000 }, KEY);
  assert.equal(r.json.payout.status, 'failed');
  assert.deepEqual(
    t.outcomes.map(([, o, d]) => [o, d.failureReason]),
    [['failed', 'declined']],
  );
});

Deno.test('a provider refusal fails the payout; a config error puts it back to approved, unsent', async () => {
  const refused = setup(() => Promise.reject(new PaymentError('rejected', 'fake', 'number not registered')));
  assert.equal((await refused.send('POST', '', { amount_xof: 1000 }, KEY)).json.payout.status, 'failed');
  assert.equal(refused.outcomes[0]![2].failureReason, 'rejected');

  const config = setup(() => Promise.reject(new PaymentError('config', 'fake', 'missing key')));
  const r = await config.send('POST', '', { amount_xof: 1000 }, KEY);
  assert.equal(r.json.payout.status, 'approved');
  assert.equal(config.releases.length, 1);
});

Deno.test(
  'a timeout leaves the payout sent; the sweep resolves it once, by a status call, never a second send',
  async () => {
    let answer: 'pending' | 'succeeded' = 'pending';
    const t = setup(
      () => Promise.reject(new PaymentError('timeout', 'fake', 'no answer in 8000 ms')),
      () => Promise.resolve(answer),
    );
    const r = await t.send('POST', '', { amount_xof: 1000 }, KEY);
    assert.equal(r.status, 201);
    assert.equal(r.json.payout.status, 'sent');
    const service = await jwt({ role: 'service_role', exp: exp() });
    const first = await t.send('POST', '/sweep', undefined, {}, service);
    assert.deepEqual(first.json, { checked: 1, sent: 0, succeeded: 0, failed: 0, pending: 1, errors: 0 });
    answer = 'succeeded';
    const second = await t.send('POST', '/sweep', undefined, {}, service);
    assert.deepEqual(second.json, { checked: 1, sent: 0, succeeded: 1, failed: 0, pending: 0, errors: 0 });
    const third = await t.send('POST', '/sweep', undefined, {}, service);
    assert.equal(third.json.checked, 0);
    assert.equal(t.payouts.length, 1);
    // The second check names the provider's id the first one learnt.
    assert.deepEqual(t.checks, [
      [r.json.payout.id, undefined],
      [r.json.payout.id, 'fake-0001'],
    ]);
    assert.equal(t.rows.get(r.json.payout.id)!.status, 'succeeded');
  },
);

Deno.test(
  'the sweep sends an approved payout nobody sent, and keeps a payout unknown at the provider sent',
  async () => {
    let configured = false;
    const prov = fakeProvider(
      () => Promise.resolve({ status: 'pending' }),
      () => Promise.reject(new PaymentError('rejected', 'fake', 'no payout carries reference')),
    );
    const t = setup(undefined, undefined, {}, (name) => {
      if (!configured) throw new PaymentError('config', name, 'not configured yet');
      return prov.provider;
    });
    const r = await t.send('POST', '', { amount_xof: 1000 }, KEY);
    assert.equal(r.json.payout.status, 'approved');
    configured = true;
    const service = await jwt({ role: 'service_role', exp: exp() });
    const swept = await t.send('POST', '/sweep', undefined, {}, service);
    assert.deepEqual(swept.json, { checked: 1, sent: 1, succeeded: 0, failed: 0, pending: 1, errors: 0 });
    const unknown = await t.send('POST', '/sweep', undefined, {}, service);
    assert.equal(unknown.json.errors, 1);
    assert.equal(t.rows.get(r.json.payout.id)!.status, 'sent');
    assert.equal(prov.payouts.length, 1);
  },
);

Deno.test('two sends of one payout at once reach the provider once', async () => {
  const t = setup(() => new Promise((resolve) => setTimeout(() => resolve({ status: 'succeeded' }), 20)));
  const r = await t.send('POST', '', { amount_xof: 150_000 }, KEY);
  await t.db.reviewPayout({ userId: COURIER, claims: {} }, r.json.payout.id, true, null, null, 'h');
  const results = await Promise.all([t.sender.send(r.json.payout.id), t.sender.send(r.json.payout.id)]);
  assert.deepEqual(results.sort(), ['skipped', 'succeeded']);
  assert.equal(t.payouts.length, 1);
});

Deno.test('the sweep is for the service role only', async () => {
  const t = setup();
  assert.equal((await t.send('POST', '/sweep', undefined, {}, 'nope')).status, 401);
  const person = await t.send('POST', '/sweep');
  assert.equal(person.status, 403);
  assert.equal(person.json.error.code, 'forbidden');
  const anon = await t.send('POST', '/sweep', undefined, {}, await jwt({ role: 'anon', exp: exp() }));
  assert.equal(anon.status, 403);
  assert.equal(
    (await t.send('GET', '/sweep', undefined, {}, await jwt({ role: 'service_role', exp: exp() }))).status,
    405,
  );
});

Deno.test(
  'refusals from the database speak the caller’s language (insufficient funds: 402 as for orders)',
  async () => {
    const t = setup(undefined, undefined, {
      refuse: refusalFromPg({
        code: 'EO402',
        message: 'insufficient_funds',
        detail: '{"balance_xof": 1500, "needed_xof": 2000}',
      })!,
    });
    const fr = await t.send('POST', '', { amount_xof: 2000 }, KEY);
    assert.equal(fr.status, 402);
    assert.equal(
      fr.json.error.message,
      'Solde insuffisant : votre portefeuille contient 1 500 FCFA, il faut 2 000 FCFA.',
    );
    const en = await t.send('POST', '', { amount_xof: 2000 }, { ...KEY, 'Accept-Language': 'en' });
    assert.equal(en.json.error.message, 'Not enough money: your wallet holds 1 500 FCFA, 2 000 FCFA needed.');
    assert.deepEqual(
      [
        refusalFromPg({ code: 'EO422', message: 'daily_limit_exceeded', detail: '{}' })?.status,
        refusalFromPg({ code: 'EO403', message: 'not_store_owner' })?.status,
        refusalFromPg({ code: '23514', message: 'phone must be…' })?.code,
        refusalFromPg(new Error('boom')),
      ],
      [422, 403, 'validation_failed', null],
    );
    assert.equal(
      message('daily_limit_exceeded', 'fr', { remaining_xof: 500, daily_maximum_xof: 500000 }),
      "Vous ne pouvez plus retirer que 500 FCFA aujourd'hui (plafond : 500 000 FCFA par jour).",
    );
  },
);

Deno.test('statements as JSON and CSV; unknown routes and ids', async () => {
  const t = setup();
  const json = await t.send('GET', `/statement?store_id=${STORE}&period=month&date=2026-11-01`);
  assert.deepEqual(json.json, { statement: { opening_balance_xof: 0, movements: [] } });
  const csv = await t.send('GET', `/statement?format=csv`);
  assert.equal(csv.headers.get('Content-Type'), 'text/csv; charset=utf-8');
  assert.equal(csv.json.text, 'date,category\r\n');
  assert.equal((await t.send('GET', '/statement?period=year')).json.error.code, 'validation_failed');
  assert.equal((await t.send('GET', '/not-a-uuid')).json.error.code, 'payout_not_found');
  assert.equal((await t.send('GET', '/a/b/c')).status, 404);
  assert.equal((await t.send('DELETE', '')).status, 405);
  assert.equal((await t.send('GET', '', undefined, {}, 'nope')).status, 401);
});

Deno.test('every code has a French and an English message', () => {
  for (const code of KNOWN_CODES) {
    assert.ok(message(code, 'fr', { status: 'sent' }).length > 0, code);
    assert.ok(message(code, 'en', { status: 'sent' }).length > 0, code);
  }
});

Deno.test('picks the payout provider per operator, then the default, then the sandbox on a local stack', () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  const pick = (vars: Record<string, string>, op: Operator) => payoutProvidersFromEnv(env(vars)).nameFor(op);
  assert.equal(pick({ PAYOUT_PROVIDER: 'cinetpay', PAYOUT_PROVIDER_WAVE_CI: 'wave' }, 'wave_ci'), 'wave');
  assert.equal(pick({ PAYOUT_PROVIDER: 'cinetpay', PAYOUT_PROVIDER_WAVE_CI: 'wave' }, 'mtn_ci'), 'cinetpay');
  assert.equal(pick({ SUPABASE_URL: 'http://127.0.0.1:54321' }, 'mtn_ci'), 'sandbox');
  assert.throws(() => pick({ SUPABASE_URL: 'https://abc.supabase.co' }, 'mtn_ci'), PaymentError);
});

Deno.test('a payout callback is confirmed by a status call to the provider that sent it, once', async () => {
  const t = setup(
    () => Promise.reject(new PaymentError('timeout', 'fake', 'no answer')),
    () => Promise.resolve('succeeded'),
  );
  const id = (await t.send('POST', '', { amount_xof: 1000 }, KEY)).json.payout.id;
  const other = fakeProvider(
    () => Promise.resolve({ status: 'succeeded' }),
    () => Promise.resolve('failed'),
  );
  assert.equal(await t.sender.confirm(id, { ...other.provider, name: 'another' }), 'ignored');
  assert.equal(await t.sender.confirm(id, t.provider), 'succeeded');
  assert.equal(await t.sender.confirm(id, t.provider), 'ignored');
  assert.equal(t.rows.get(id)!.status, 'succeeded');
  assert.equal(t.payouts.length, 1);
});
