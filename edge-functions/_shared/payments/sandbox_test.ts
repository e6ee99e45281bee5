import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandboxPay, SANDBOX_PAY_PIN } from '../../../packages/local-stack/src/sandbox-pay.ts';
import { failsWith, fakeFetch, json, referenceHmacHex } from './fake-fetch.ts';
import { createPaymentProvider } from './index.ts';
import type { PaymentProvider } from './provider.ts';
import { createSandboxProvider } from './sandbox.ts';

const SECRET = 'sbx_whsec_test';
const KEY = 'sbx_key_test';

/** The real sandbox service (the one the local stack mounts), on a free port, with its faults switched by `control`. */
async function withSandbox(
  fn: (provider: PaymentProvider, ctl: (body: unknown) => Promise<void>, base: string) => Promise<void>,
) {
  const sandbox = createSandboxPay({ apiKey: KEY, webhookSecret: SECRET });
  const server: Server = createServer((req, res) => void sandbox.handle(req, res, req.url ?? '/'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = createSandboxProvider({ baseUrl: base, apiKey: KEY, webhookSecret: SECRET, timeoutMs: 500 });
  const ctl = async (body: unknown) => {
    const res = await fetch(`${base}/_control`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await res.body?.cancel();
  };
  try {
    await ctl({ settle_delay_ms: 10, callbacks_off: true });
    await fn(provider, ctl, base);
  } finally {
    sandbox.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const request = (reference: string, phone: string, amountXof = 1500) => ({
  reference,
  amountXof,
  operator: 'orange_ci' as const,
  phone,
  description: 'Recharge',
  callbackUrl: 'http://127.0.0.1:9/payment-webhooks/sandbox',
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test('sandbox: a collection is pending until the magic number settles it, then reads as paid', async () => {
  await withSandbox(async (provider) => {
    const collected = await provider.collect(request('pi_ok_000001', '2250700000501'));
    assert.equal(collected.status, 'pending');
    assert.match(collected.providerRef, /^col_/);
    assert.equal((await provider.fetchStatus('pi_ok_000001')).status, 'pending');
    await sleep(60);
    const paid = await provider.fetchStatus('pi_ok_000001', collected.providerRef);
    assert.equal(paid.status, 'succeeded');
    assert.equal(paid.amountXof, 1500);
    assert.match(paid.providerTxId ?? '', /^SBX\./);
  });
});

Deno.test('sandbox: declined, insufficient funds, never answers, and 1 FCFA short', async () => {
  await withSandbox(async (provider, ctl) => {
    await ctl({ collection_ttl_seconds: 0.2 });
    await provider.collect(request('pi_declined_1', '2250700000502'));
    await provider.collect(request('pi_nofunds_1', '2250700000503'));
    await provider.collect(request('pi_silent_01', '2250700000504'));
    await provider.collect(request('pi_short_001', '2250700000505'));
    await sleep(300);
    assert.deepEqual(
      [await provider.fetchStatus('pi_declined_1'), await provider.fetchStatus('pi_nofunds_1')].map((s) => [
        s.status,
        s.failureReason,
      ]),
      [
        ['failed', 'declined'],
        ['failed', 'insufficient_funds'],
      ],
    );
    const silent = await provider.fetchStatus('pi_silent_01');
    assert.deepEqual([silent.status, silent.failureReason], ['expired', 'timeout']);
    assert.equal((await provider.fetchStatus('pi_short_001')).amountXof, 1499);
  });
});

Deno.test('sandbox: the payer confirms on the phone with the PIN; a wrong PIN is refused', async () => {
  await withSandbox(async (provider, _ctl, base) => {
    const { providerRef } = await provider.collect(request('pi_phone_001', '2250700000577'));
    const listed = await (await fetch(`${base}/phones/2250700000577/requests`)).json();
    assert.equal(listed.data[0].id, providerRef);
    const confirm = (pin: string) =>
      fetch(`${base}/phones/2250700000577/requests/${providerRef}/confirm`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pin }),
      });
    const wrong = await confirm('0000');
    assert.equal(wrong.status, 403);
    await wrong.body?.cancel();
    const right = await confirm(SANDBOX_PAY_PIN);
    assert.equal(right.status, 202);
    await right.body?.cancel();
    await sleep(60);
    assert.equal((await provider.fetchStatus('pi_phone_001')).status, 'succeeded');
  });
});

Deno.test(
  'sandbox: the same reference with the same body is the same collection, another body is refused',
  async () => {
    await withSandbox(async (provider) => {
      const first = await provider.collect(request('pi_same_0001', '2250700000577'));
      const again = await provider.collect(request('pi_same_0001', '2250700000577'));
      assert.equal(again.providerRef, first.providerRef);
      await failsWith(provider.collect(request('pi_same_0001', '2250700000577', 2000)), 'rejected');
    });
  },
);

Deno.test('sandbox: injected 503 and hangs surface as unavailable and timeout', async () => {
  await withSandbox(async (provider, ctl) => {
    await provider.collect(request('pi_fault_001', '2250700000577'));
    await ctl({ fail_next: 1, fail_with: 503, fail_on: 'status' });
    await failsWith(provider.fetchStatus('pi_fault_001'), 'unavailable');
    await ctl({ fail_next: 1, fail_with: 'timeout', hang_ms: 2000 });
    await failsWith(provider.fetchStatus('pi_fault_001'), 'timeout');
    assert.equal((await provider.fetchStatus('pi_fault_001')).status, 'pending');
  });
});

Deno.test('sandbox: payouts succeed, fail or stay pending by number, and are idempotent on the reference', async () => {
  await withSandbox(async (provider) => {
    const sent = await provider.payout!({ ...request('po_ok_000001', '2250700000577', 5000), name: 'Awa' });
    assert.equal(sent.status, 'pending');
    const again = await provider.payout!(request('po_ok_000001', '2250700000577', 5000));
    assert.equal(again.providerRef, sent.providerRef);
    await provider.payout!(request('po_bad_00001', '2250700000502', 5000));
    await provider.payout!(request('po_slow_0001', '2250700000504', 5000));
    await sleep(60);
    assert.equal((await provider.fetchPayoutStatus!('po_ok_000001', sent.providerRef)).status, 'succeeded');
    const bad = await provider.fetchPayoutStatus!('po_bad_00001');
    assert.deepEqual([bad.status, bad.failureReason], ['failed', 'declined']);
    assert.equal((await provider.fetchPayoutStatus!('po_slow_0001')).status, 'pending');
  });
});

async function signed(body: string, secret = SECRET, t = Math.floor(Date.now() / 1000)) {
  return new Headers({ 'sandbox-signature': `t=${t},v1=${await referenceHmacHex(secret, `${t}.${body}`)}` });
}

Deno.test(
  'sandbox callbacks: authentic ones name the payment; forged, stale and wrong-secret ones are refused',
  async () => {
    const provider = createSandboxProvider({ baseUrl: 'http://sandbox.test', apiKey: KEY, webhookSecret: SECRET });
    const body = JSON.stringify({
      id: 'evt_1',
      type: 'collection.succeeded',
      data: { id: 'col_1', reference: 'pi_1' },
    });
    assert.deepEqual(await provider.parseCallback(body, await signed(body)), {
      reference: 'pi_1',
      claimedStatus: 'succeeded',
      kind: 'payment',
      eventId: 'evt_1',
      providerRef: 'col_1',
    });
    const payout = JSON.stringify({ id: 'evt_2', type: 'payout.failed', data: { id: 'po_1', reference: 'po_ref' } });
    assert.equal((await provider.parseCallback(payout, await signed(payout))).kind, 'payout');
    await failsWith(provider.parseCallback(body, new Headers()), 'forged');
    await failsWith(provider.parseCallback(body, await signed(body, 'other-secret')), 'forged');
    await failsWith(provider.parseCallback(body.replace('pi_1', 'pi_2'), await signed(body)), 'forged');
    await failsWith(
      provider.parseCallback(body, await signed(body, SECRET, Math.floor(Date.now() / 1000) - 301)),
      'forged',
    );
    const other = JSON.stringify({ id: 'evt_3', type: 'collection.pending', data: { reference: 'pi_1' } });
    await failsWith(provider.parseCallback(other, await signed(other)), 'rejected');
  },
);

Deno.test('sandbox: a success in another currency or with a fractional amount is never read as paid', async () => {
  const answer = (extra: Record<string, unknown>) =>
    json({ id: 'col_1', reference: 'pi_1', status: 'succeeded', currency: 'XOF', amount: 1500, ...extra });
  for (const extra of [{ currency: 'EUR' }, { amount: '1500.5' }, { amount: undefined }]) {
    const fake = fakeFetch(answer(extra));
    const provider = createSandboxProvider({ baseUrl: 'http://sandbox.test', apiKey: KEY, fetch: fake.fetch });
    await failsWith(provider.fetchStatus('pi_1', 'col_1'), 'protocol');
    assert.equal(fake.requests[0]?.headers.get('authorization'), `Bearer ${KEY}`);
  }
});

Deno.test('createPaymentProvider builds the sandbox from SANDBOX_PAY_* and refuses it without them', () => {
  const env = { SANDBOX_PAY_BASE_URL: 'http://x.test/sandbox-pay/v1', SANDBOX_PAY_API_KEY: 'k' };
  assert.equal(createPaymentProvider('sandbox', (n) => env[n as keyof typeof env]).name, 'sandbox');
  assert.throws(() => createPaymentProvider('sandbox', () => undefined), /SANDBOX_PAY_BASE_URL/);
});
