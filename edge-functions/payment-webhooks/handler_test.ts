import assert from 'node:assert/strict';
import { referenceHmacHex } from '../_shared/payments/fake-fetch.ts';
import { PaymentError, type PaymentProvider, type StatusResult } from '../_shared/payments/provider.ts';
import { createSandboxProvider } from '../_shared/payments/sandbox.ts';
import type { PaymentIntent, PaymentsStore, RecordedCallback } from '../_shared/payments/store.ts';
import { createPaymentWebhooksHandler } from './handler.ts';

const SECRET = 'sbx_whsec_test';
const INTENT = 'ec000000-0000-4000-8000-0000000000b1';

const intent = (status: PaymentIntent['status'] = 'pending') =>
  ({
    id: INTENT,
    provider: 'sandbox',
    provider_ref: 'col_1',
    status,
    expires_at: new Date(Date.now() + 60_000).toISOString(),
  }) as PaymentIntent;

function setup(options: { recorded?: Partial<RecordedCallback>; status?: () => Promise<StatusResult> } = {}) {
  const recorded: Array<Record<string, unknown>> = [];
  const settled: unknown[] = [];
  const outcomes: unknown[] = [];
  const store = {
    recordCallback: (c: Record<string, unknown>) => {
      recorded.push(c);
      return Promise.resolve({
        callback_id: 7,
        duplicate: false,
        payment_intent_id: INTENT,
        status: 'pending',
        provider_ref: 'col_1',
        ...options.recorded,
      });
    },
    setCallbackOutcome: (_id: number, outcome: string) => {
      outcomes.push(outcome);
      return Promise.resolve();
    },
    intentById: () => Promise.resolve(intent()),
    settle: (id: string, status: string, detail: unknown) => {
      settled.push([id, status, detail]);
      return Promise.resolve({ payment_intent: intent(), outcome: status === 'succeeded' ? 'credited' : status });
    },
  } as unknown as PaymentsStore;
  const real = createSandboxProvider({ baseUrl: 'http://sandbox.test', apiKey: 'k', webhookSecret: SECRET });
  const provider: PaymentProvider = {
    ...real,
    parseCallback: real.parseCallback,
    fetchStatus: () =>
      options.status ? options.status() : Promise.resolve({ status: 'succeeded', amountXof: 1500, raw: {} }),
  };
  const handler = createPaymentWebhooksHandler({
    store,
    provider: (name) => {
      if (name !== 'sandbox') throw new PaymentError('config', name, 'unknown');
      return provider;
    },
    log: () => undefined,
  });
  return { handler, recorded, settled, outcomes, store, provider };
}

async function deliver(
  handler: (req: Request) => Promise<Response>,
  type: string,
  options: { secret?: string; age?: number; provider?: string; reference?: string } = {},
) {
  const body = JSON.stringify({ id: 'evt_1', type, data: { id: 'col_1', reference: options.reference ?? INTENT } });
  const t = Math.floor(Date.now() / 1000) - (options.age ?? 0);
  const v1 = await referenceHmacHex(options.secret ?? SECRET, `${t}.${body}`);
  const res = await handler(
    new Request(`http://localhost/payment-webhooks/${options.provider ?? 'sandbox'}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'sandbox-signature': `t=${t},v1=${v1}`,
        authorization: 'Bearer x',
      },
      body,
    }),
  );
  return { status: res.status, body: await res.json() };
}

Deno.test('an authentic callback is kept, confirmed by a status call and settled from that answer', async () => {
  const { handler, recorded, settled, outcomes } = setup();
  const res = await deliver(handler, 'collection.succeeded');
  assert.deepEqual(res, { status: 200, body: { received: true, duplicate: false, outcome: 'credited' } });
  assert.equal(recorded[0]!.verified, true);
  assert.equal(recorded[0]!.eventId, 'evt_1');
  assert.equal((recorded[0]!.headers as Record<string, string>).authorization, undefined);
  assert.match((recorded[0]!.headers as Record<string, string>)['sandbox-signature']!, /^t=\d+,v1=/);
  assert.deepEqual(settled, [[INTENT, 'succeeded', { amountXof: 1500 }]]);
  assert.deepEqual(outcomes, ['credited']);
});

Deno.test('the status call decides, not the callback: a "succeeded" claim on a declined payment fails it', async () => {
  const { handler, settled } = setup({
    status: () => Promise.resolve({ status: 'failed', failureReason: 'declined', raw: {} }),
  });
  await deliver(handler, 'collection.succeeded');
  assert.deepEqual(settled, [[INTENT, 'failed', { failureReason: 'declined' }]]);
});

Deno.test('forged and stale callbacks get 401, are kept unverified, and move nothing', async () => {
  for (const options of [{ secret: 'wrong' }, { age: 301 }]) {
    const { handler, recorded, settled } = setup();
    const res = await deliver(handler, 'collection.succeeded', options);
    assert.equal(res.status, 401);
    assert.deepEqual([recorded[0]!.verified, recorded[0]!.outcome], [false, 'forged']);
    assert.equal(settled.length, 0);
  }
});

Deno.test(
  'a duplicate about a settled intent, or any callback about a succeeded one, needs no status call',
  async () => {
    let asked = 0;
    const status = () => {
      asked += 1;
      return Promise.resolve({ status: 'succeeded', amountXof: 1500, raw: {} } as StatusResult);
    };
    const done = setup({ recorded: { status: 'succeeded' }, status });
    assert.equal((await deliver(done.handler, 'collection.failed')).status, 200);
    const dup = setup({ recorded: { status: 'failed', duplicate: true }, status });
    assert.deepEqual((await deliver(dup.handler, 'collection.failed')).body, { received: true, duplicate: true });
    assert.equal(asked, 0);
    assert.deepEqual(done.outcomes, ['already_final']);
  },
);

Deno.test('a failing status call still answers 200 (the sweep asks again); unknown events and providers', async () => {
  const down = setup({ status: () => Promise.reject(new PaymentError('timeout', 'sandbox', 'no answer')) });
  assert.deepEqual((await deliver(down.handler, 'collection.succeeded')).body.outcome, 'status_unavailable');
  assert.equal(down.settled.length, 0);
  const ignored = setup();
  assert.deepEqual((await deliver(ignored.handler, 'collection.pending')).body, { received: true, ignored: true });
  assert.equal(ignored.recorded[0]!.outcome, 'ignored');
  assert.equal((await deliver(ignored.handler, 'collection.succeeded', { provider: 'paypal' })).status, 404);
  const unknown = setup({ recorded: { payment_intent_id: null, status: null } });
  assert.deepEqual((await deliver(unknown.handler, 'collection.succeeded')).body, { received: true, ignored: true });
  assert.equal(unknown.settled.length, 0);
});

Deno.test('payout callbacks are kept as evidence and handed to the payouts flow when it is plugged in', async () => {
  const { handler, recorded, settled } = setup();
  assert.deepEqual((await deliver(handler, 'payout.succeeded')).body, { received: true, duplicate: false });
  assert.equal(recorded[0]!.outcome, 'payout');
  assert.equal(settled.length, 0);

  const seen: unknown[] = [];
  const plugged = setup();
  const withPayouts = createPaymentWebhooksHandler({
    store: { ...plugged.store },
    provider: () => plugged.provider,
    onPayout: (hint) => {
      seen.push([hint.kind, hint.reference, hint.claimedStatus]);
      return Promise.resolve('payout_settled');
    },
    log: () => undefined,
  });
  await deliver(withPayouts, 'payout.failed');
  assert.deepEqual(seen, [['payout', INTENT, 'failed']]);
  assert.deepEqual(plugged.outcomes, ['payout_settled']);
});
