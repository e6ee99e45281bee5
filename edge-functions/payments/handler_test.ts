import assert from 'node:assert/strict';
import { PaymentError, type PaymentProvider, type StatusResult } from '../_shared/payments/provider.ts';
import type { PaymentIntent, PaymentsStore } from '../_shared/payments/store.ts';
import { RequestError } from '../_shared/request.ts';
import { TEST_JWT_SECRET, testJwt } from '../_shared/test-jwt.ts';
import { createPaymentsHandler } from './handler.ts';
import { KNOWN_CODES, message } from './messages.ts';

const USER = 'a0000000-0000-4000-8000-000000000001';
const INTENT = 'ec000000-0000-4000-8000-0000000000a1';
const BODY = { amount_xof: 1500, operator: 'orange_ci', phone: '+225 07 00 00 05 77' };

const intentOf = (patch: Partial<PaymentIntent> = {}): PaymentIntent => ({
  id: INTENT,
  purpose: 'wallet_topup',
  user_id: USER,
  amount_xof: 1500,
  operator: 'orange_ci',
  phone: '2250700000577',
  provider: 'sandbox',
  provider_ref: null,
  provider_tx_id: null,
  provider_amount_xof: null,
  status: 'pending',
  failure_reason: null,
  flag: null,
  ledger_entry_id: null,
  expires_at: new Date(Date.now() + 600_000).toISOString(),
  settled_at: null,
  created_at: new Date().toISOString(),
  updated_at: new Date().toISOString(),
  ...patch,
});

function fakes(
  options: {
    createError?: Error;
    intent?: PaymentIntent;
    replayed?: boolean;
    collect?: () => Promise<never> | Promise<{ providerRef: string; status: 'pending' }>;
    status?: () => Promise<StatusResult>;
    admin?: boolean;
  } = {},
) {
  const calls: Record<string, unknown[]> = { create: [], attach: [], settle: [], collect: [] };
  const store: PaymentsStore = {
    createIntent: (caller, intent, key, hash, ttl) => {
      calls.create!.push({ caller: caller.userId, intent, key, hash, ttl });
      if (options.createError) return Promise.reject(options.createError);
      return Promise.resolve({ payment_intent: options.intent ?? intentOf(), replayed: options.replayed ?? false });
    },
    attachProviderRef: (id, ref) => {
      calls.attach!.push([id, ref]);
      return Promise.resolve(intentOf({ provider_ref: ref }));
    },
    settle: (id, status, detail) => {
      calls.settle!.push([id, status, detail]);
      const outcome = status === 'succeeded' ? 'credited' : status === 'pending' ? 'still_pending' : status;
      return Promise.resolve({ payment_intent: intentOf({ status }), outcome });
    },
    getIntent: (_c, id) => Promise.resolve(id === INTENT ? intentOf() : null),
    listOwnIntents: () => Promise.resolve([intentOf()]),
    intentById: () => Promise.resolve(intentOf()),
    claimPending: () =>
      Promise.resolve([
        intentOf({ provider_ref: 'col_1' }),
        intentOf({ id: 'ec000000-0000-4000-8000-0000000000a2', expires_at: new Date(0).toISOString() }),
      ]),
    recordCallback: () => Promise.reject(new Error('not used')),
    setCallbackOutcome: () => Promise.resolve(),
    isAdmin: () => Promise.resolve(options.admin ?? false),
    reconciliation: () => Promise.resolve({ rows: [], ledgerViolations: 0 }),
    profileLanguage: () => Promise.resolve(null),
    end: () => Promise.resolve(),
  };
  const provider: PaymentProvider = {
    name: 'sandbox',
    operators: ['orange_ci'],
    collect: (request) => {
      calls.collect!.push(request);
      return options.collect
        ? options.collect()
        : Promise.resolve({ providerRef: 'col_new', status: 'pending' as const });
    },
    fetchStatus: () => (options.status ? options.status() : Promise.resolve({ status: 'pending' as const, raw: {} })),
    parseCallback: () => Promise.reject(new Error('not used')),
  };
  const handler = createPaymentsHandler({
    store,
    providerFor: () => 'sandbox',
    provider: () => provider,
    webhookBaseUrl: 'https://x.test/functions/v1/payment-webhooks',
    jwtSecret: TEST_JWT_SECRET,
    log: () => undefined,
  });
  return { handler, calls };
}

const userToken = () => testJwt({ sub: USER, role: 'authenticated' });
async function request(
  handler: (req: Request) => Promise<Response>,
  method: string,
  path: string,
  init: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
) {
  const token = init.token === undefined ? await userToken() : init.token;
  const res = await handler(
    new Request(`http://localhost/payments${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    }),
  );
  return { status: res.status, body: await res.json() };
}
const withKey = { 'Idempotency-Key': 'key-000000001' };

Deno.test('a top-up stores the intent, asks the provider to collect and answers the instructions', async () => {
  const { handler, calls } = fakes();
  const res = await request(handler, 'POST', '/top-ups', { body: BODY, headers: withKey });
  assert.equal(res.status, 201);
  assert.equal(res.body.payment_intent.provider_ref, 'col_new');
  assert.equal(
    res.body.instructions,
    'Confirmez le paiement de 1\u00a0500\u00a0FCFA sur votre téléphone (+225 07 00 00 05 77) avec votre code secret.',
  );
  assert.deepEqual((calls.create![0] as { intent: unknown }).intent, {
    purpose: 'wallet_topup',
    amount_xof: 1500,
    operator: 'orange_ci',
    phone: '2250700000577',
    provider: 'sandbox',
  });
  assert.equal((calls.collect![0] as { reference: string }).reference, INTENT);
  assert.equal(
    (calls.collect![0] as { callbackUrl: string }).callbackUrl,
    'https://x.test/functions/v1/payment-webhooks/sandbox',
  );
  assert.deepEqual(calls.attach, [[INTENT, 'col_new']]);
  const en = await request(handler, 'POST', '/top-ups', {
    body: BODY,
    headers: { ...withKey, 'Accept-Language': 'en' },
  });
  assert.match(en.body.instructions, /^Confirm the payment of 1\u00a0500\u00a0FCFA on your phone/);
});

Deno.test('a replayed key answers the stored intent without asking the provider again', async () => {
  const { handler, calls } = fakes({ intent: intentOf({ provider_ref: 'col_1' }), replayed: true });
  const res = await request(handler, 'POST', '/top-ups', { body: BODY, headers: withKey });
  assert.equal(res.status, 200);
  assert.equal(res.body.replayed, true);
  assert.equal(calls.collect!.length, 0);
});

Deno.test(
  'a provider refusal fails the intent at once; an unknown outcome leaves it pending for the sweep',
  async () => {
    const refused = fakes({ collect: () => Promise.reject(new PaymentError('rejected', 'sandbox', 'bad number')) });
    const r1 = await request(refused.handler, 'POST', '/top-ups', { body: BODY, headers: withKey });
    assert.deepEqual(refused.calls.settle, [[INTENT, 'failed', { failureReason: 'provider_refused' }]]);
    assert.equal(r1.body.instructions, null);
    const lost = fakes({ collect: () => Promise.reject(new PaymentError('timeout', 'sandbox', 'no answer')) });
    const r2 = await request(lost.handler, 'POST', '/top-ups', { body: BODY, headers: withKey });
    assert.equal(r2.status, 201);
    assert.equal(r2.body.payment_intent.status, 'pending');
    assert.deepEqual([lost.calls.settle!.length, lost.calls.attach!.length], [0, 0]);
  },
);

Deno.test('refuses a missing key, a bad body, no token, and passes database refusals through in French', async () => {
  const { handler } = fakes();
  assert.equal(
    (await request(handler, 'POST', '/top-ups', { body: BODY })).body.error.code,
    'idempotency_key_required',
  );
  const bad = await request(handler, 'POST', '/top-ups', {
    body: { ...BODY, amount_xof: 1.5, phone: '123' },
    headers: withKey,
  });
  assert.equal(bad.status, 400);
  assert.deepEqual(
    bad.body.error.details.map((d: { field: string }) => d.field),
    ['amount_xof', 'phone'],
  );
  assert.equal((await request(handler, 'POST', '/top-ups', { body: BODY, token: null })).status, 401);
  const refusing = fakes({
    createError: new RequestError(422, 'amount_out_of_range', { min_xof: 100, max_xof: 500000 }),
  });
  const refused = await request(refusing.handler, 'POST', '/top-ups', { body: BODY, headers: withKey });
  assert.equal(refused.status, 422);
  assert.deepEqual(refused.body.error, {
    min_xof: 100,
    max_xof: 500000,
    code: 'amount_out_of_range',
    message: 'Le montant doit être entre 100\u00a0FCFA et 500\u00a0000\u00a0FCFA.',
  });
  assert.equal(refusing.calls.collect!.length, 0);
});

Deno.test(
  'the sweep is for the service role: it settles what the provider confirmed and expires the overdue',
  async () => {
    const paid: StatusResult = { status: 'succeeded', amountXof: 1500, providerTxId: 'TX1', raw: {} };
    const { handler, calls } = fakes({ status: () => Promise.resolve(paid) });
    assert.equal((await request(handler, 'POST', '/sweep')).status, 403);
    assert.equal((await request(handler, 'POST', '/sweep', { token: null })).status, 401);
    const service = await testJwt({ role: 'service_role' });
    const res = await request(handler, 'POST', '/sweep', { token: service });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { checked: 2, outcomes: { credited: 2 } });
    assert.deepEqual(calls.settle![0], [INTENT, 'succeeded', { amountXof: 1500, providerTxId: 'TX1' }]);

    const pending = fakes();
    const swept = await request(pending.handler, 'POST', '/sweep', { token: service });
    assert.deepEqual(swept.body.outcomes, { still_pending: 1, expired: 1 });
    const down = fakes({ status: () => Promise.reject(new PaymentError('unavailable', 'sandbox', '503')) });
    assert.deepEqual((await request(down.handler, 'POST', '/sweep', { token: service })).body.outcomes, {
      status_unavailable: 2,
    });
  },
);

Deno.test('the reconciliation report is for admins, over at most 31 days', async () => {
  const { handler } = fakes();
  const denied = await request(handler, 'GET', '/reconciliation?from=2026-11-01&to=2026-11-02');
  assert.deepEqual([denied.status, denied.body.error.code], [403, 'forbidden']);
  const admin = fakes({ admin: true });
  assert.equal((await request(admin.handler, 'GET', '/reconciliation?from=2026-01-01&to=2026-03-01')).status, 400);
  const ok = await request(admin.handler, 'GET', '/reconciliation?from=2026-11-01&to=2026-11-02');
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body.report.summary, {
    intents: 0,
    flagged: 0,
    succeeded_xof: 0,
    credited_xof: 0,
    ledger_violations: 0,
  });
});

Deno.test('every refusal code of the database has a message in both languages', () => {
  for (const code of ['amount_out_of_range', 'deposit_exceeds_debt', 'not_a_courier', 'operator_not_available']) {
    assert.ok(KNOWN_CODES.includes(code), code);
  }
  assert.equal(
    message('deposit_exceeds_debt', 'en', { owed_xof: 5000, max_xof: 3000 }),
    'You can deposit at most 3\u00a0000\u00a0FCFA (you owe 5\u00a0000\u00a0FCFA).',
  );
  const e = new RequestError(422, 'amount_out_of_range', { min_xof: 100, max_xof: 500000 });
  assert.equal(message(e.code, 'fr', e.detail), 'Le montant doit être entre 100\u00a0FCFA et 500\u00a0000\u00a0FCFA.');
});
