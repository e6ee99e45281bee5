import assert from 'node:assert/strict';
import { failsWith, fakeFetch, hang, json, plain, referenceHmacHex, refuse, type Responder } from './fake-fetch.ts';
import type { CollectRequest, PayoutRequest } from './provider.ts';
import { createWaveProvider, type WaveOptions } from './wave.ts';

const WEBHOOK_SECRET = 'wave_ci_WHS_xz4m3lwp6wvhcxgmdkk2e9srhd8pfk0bfk4mgrtgb7gdqj1pny2g';
const OPTIONS: WaveOptions = {
  apiKey: 'wave_ci_prod_AbCd',
  webhookSecret: WEBHOOK_SECRET,
  baseUrl: 'https://wave.test',
};

const COLLECT: CollectRequest = {
  reference: 'pi_w01',
  amountXof: 1500,
  operator: 'wave_ci',
  phone: '2250700000101',
  description: 'Recharge Ecom',
  callbackUrl: 'https://api.ecom.test/functions/v1/payments/callback/wave',
  returnUrl: 'https://app.ecom.test/wallet',
};

function provider(...responders: Responder[]) {
  const fake = fakeFetch(...responders);
  return { fake, wave: createWaveProvider({ ...OPTIONS, fetch: fake.fetch, timeoutMs: 100 }) };
}

const sessionBody = (fields: Record<string, unknown> = {}) => ({
  id: 'cos-18qq25rgr100a',
  amount: '1500',
  checkout_status: 'open',
  client_reference: 'pi_w01',
  currency: 'XOF',
  error_url: 'https://app.ecom.test/wallet',
  success_url: 'https://app.ecom.test/wallet',
  last_payment_error: null,
  business_name: 'Ecom',
  payment_status: 'processing',
  wave_launch_url: 'https://pay.wave.com/c/cos-18qq25rgr100a?a=1500&c=XOF&m=Ecom',
  when_created: '2026-11-21T15:00:00Z',
  when_expires: '2026-11-21T15:30:00Z',
  ...fields,
});
const session = (fields: Record<string, unknown> = {}) => json(sessionBody(fields));

// ------------------------------------------------------------------------------------------------------ collect

Deno.test('wave collect opens a checkout session with the amount as a string and an Idempotency-Key', async () => {
  const { fake, wave } = provider(session());
  assert.deepEqual(await wave.collect(COLLECT), {
    providerRef: 'cos-18qq25rgr100a',
    paymentUrl: 'https://pay.wave.com/c/cos-18qq25rgr100a?a=1500&c=XOF&m=Ecom',
    status: 'pending',
  });
  const [req] = fake.requests;
  assert.equal(req?.method, 'POST');
  assert.equal(req?.url.href, 'https://wave.test/v1/checkout/sessions');
  assert.equal(req?.headers.get('authorization'), 'Bearer wave_ci_prod_AbCd');
  assert.equal(req?.headers.get('idempotency-key'), 'pi_w01');
  assert.equal(req?.headers.get('content-type'), 'application/json');
  assert.deepEqual(JSON.parse(req!.body), {
    amount: '1500',
    currency: 'XOF',
    success_url: 'https://app.ecom.test/wallet',
    error_url: 'https://app.ecom.test/wallet',
    client_reference: 'pi_w01',
    restrict_payer_mobile: '+2250700000101',
  });
});

Deno.test('wave collect serves Wave only, whole XOF only; refusals and failures keep their kinds', async () => {
  const { fake, wave } = provider(session());
  await failsWith(wave.collect({ ...COLLECT, operator: 'orange_ci' }), 'rejected');
  await failsWith(wave.collect({ ...COLLECT, amountXof: 1500.5 }), 'rejected');
  await failsWith(wave.collect({ ...COLLECT, phone: '22890000101' }), 'rejected');
  assert.equal(fake.requests.length, 0);
  const invalid = json({ code: 'request-validation-error', message: 'amount is invalid' }, 400);
  assert.match(
    (await failsWith(provider(invalid).wave.collect(COLLECT), 'rejected')).message,
    /request-validation-error/,
  );
  await failsWith(
    provider(json({ code: 'api-key-revoked', message: 'revoked' }, 401)).wave.collect(COLLECT),
    'rejected',
  );
  await failsWith(provider(json({ id: 'cos-1' })).wave.collect(COLLECT), 'protocol');
  await failsWith(provider(plain('upstream', 502)).wave.collect(COLLECT), 'unavailable');
  await failsWith(provider(refuse).wave.collect(COLLECT), 'unavailable');
  await failsWith(provider(hang).wave.collect(COLLECT), 'timeout');
});

// ------------------------------------------------------------------------------------------------------- status

Deno.test('wave fetchStatus reads the session by id and maps every state', async () => {
  const cases: [Record<string, unknown>, string, string | undefined][] = [
    [{}, 'pending', undefined],
    [{ last_payment_error: { code: 'insufficient-funds', message: 'x' } }, 'pending', undefined],
    [
      { checkout_status: 'complete', payment_status: 'succeeded', transaction_id: 'TCN4Y4ZC3FM' },
      'succeeded',
      undefined,
    ],
    [{ checkout_status: 'expired', payment_status: 'cancelled' }, 'expired', undefined],
    [{ checkout_status: 'complete', payment_status: 'cancelled' }, 'failed', 'cancelled'],
    [
      { checkout_status: 'complete', payment_status: 'cancelled', last_payment_error: { code: 'insufficient-funds' } },
      'failed',
      'insufficient_funds',
    ],
    [
      { checkout_status: 'complete', payment_status: 'cancelled', last_payment_error: { code: 'blocked-account' } },
      'failed',
      'declined',
    ],
  ];
  for (const [fields, status, reason] of cases) {
    const { fake, wave } = provider(session(fields));
    const result = await wave.fetchStatus('pi_w01', 'cos-18qq25rgr100a');
    assert.equal(result.status, status, JSON.stringify(fields));
    assert.equal(result.failureReason, reason, JSON.stringify(fields));
    assert.equal(fake.requests[0]?.method, 'GET');
    assert.equal(fake.requests[0]?.url.href, 'https://wave.test/v1/checkout/sessions/cos-18qq25rgr100a');
    assert.equal(fake.requests[0]?.headers.get('authorization'), 'Bearer wave_ci_prod_AbCd');
  }
  const paid = await provider(session({ payment_status: 'succeeded', transaction_id: 'TCN4Y4ZC3FM' })).wave.fetchStatus(
    'pi_w01',
    'cos-18qq25rgr100a',
  );
  assert.equal(paid.amountXof, 1500);
  assert.equal(paid.providerTxId, 'TCN4Y4ZC3FM');
});

Deno.test('wave fetchStatus without the session id searches by client_reference, a success first', async () => {
  const result = json({
    result: [
      sessionBody({
        id: 'cos-old',
        when_created: '2026-11-21T14:00:00Z',
        checkout_status: 'expired',
        payment_status: 'cancelled',
      }),
      sessionBody({ id: 'cos-paid', when_created: '2026-11-21T14:30:00Z', payment_status: 'succeeded' }),
      sessionBody({ id: 'cos-new', when_created: '2026-11-21T15:00:00Z' }),
    ],
  });
  const { fake, wave } = provider(result);
  const status = await wave.fetchStatus('pi_w01');
  assert.equal(status.status, 'succeeded');
  assert.equal(fake.requests[0]?.url.pathname, '/v1/checkout/sessions/search');
  assert.equal(fake.requests[0]?.url.searchParams.get('client_reference'), 'pi_w01');
  const newest = json({
    result: [
      sessionBody({ id: 'cos-old', when_created: '2026-11-21T14:00:00Z', checkout_status: 'expired' }),
      sessionBody({ id: 'cos-new', when_created: '2026-11-21T15:00:00Z' }),
    ],
  });
  assert.equal((await provider(newest).wave.fetchStatus('pi_w01')).status, 'pending');
  await failsWith(provider(json({ result: [] })).wave.fetchStatus('pi_w01'), 'rejected');
  await failsWith(provider(json({ sessions: [] })).wave.fetchStatus('pi_w01'), 'protocol');
});

Deno.test('wave fetchStatus refuses a session of another reference or a doubtful amount', async () => {
  await failsWith(provider(session({ client_reference: 'pi_other' })).wave.fetchStatus('pi_w01', 'cos-1'), 'protocol');
  const fraction = session({ payment_status: 'succeeded', amount: '1500.5' });
  await failsWith(provider(fraction).wave.fetchStatus('pi_w01', 'cos-1'), 'protocol');
  const eur = session({ payment_status: 'succeeded', currency: 'EUR' });
  await failsWith(provider(eur).wave.fetchStatus('pi_w01', 'cos-1'), 'protocol');
  await failsWith(
    provider(session({ checkout_status: 'weird', payment_status: 'odd' })).wave.fetchStatus('pi_w01', 'c'),
    'protocol',
  );
  await failsWith(provider(json({ code: 'not-found' }, 404)).wave.fetchStatus('pi_w01', 'cos-1'), 'rejected');
});

// ----------------------------------------------------------------------------------------------------- webhooks

const NOW = new Date('2026-11-21T15:10:00Z');
const T = Math.floor(NOW.getTime() / 1000);

const envelope = (type: string, data: Record<string, unknown> = sessionBody({ payment_status: 'succeeded' })) =>
  JSON.stringify({ id: 'AE_ijzo7oq2amcz3ck6xeiby7zkbpbp', type, data });

/** `t=…,v1=…` computed here: HMAC-SHA256(secret, t + raw body), no separator. */
async function signature(body: string, t = T, secret = WEBHOOK_SECRET): Promise<string> {
  return `t=${t},v1=${await referenceHmacHex(secret, `${t}${body}`)}`;
}
const headers = (value: string) => new Headers({ 'Wave-Signature': value });

Deno.test('wave accepts a webhook signed over t + rawBody and dedupes on the envelope id', async () => {
  const { wave } = provider();
  const body = envelope('checkout.session.completed');
  assert.deepEqual(await wave.parseCallback(body, headers(await signature(body)), NOW), {
    reference: 'pi_w01',
    claimedStatus: 'succeeded',
    kind: 'payment',
    eventId: 'AE_ijzo7oq2amcz3ck6xeiby7zkbpbp',
    providerRef: 'cos-18qq25rgr100a',
  });
  const failed = envelope(
    'checkout.session.payment_failed',
    sessionBody({ last_payment_error: { code: 'insufficient-funds' } }),
  );
  assert.equal((await wave.parseCallback(failed, headers(await signature(failed)), NOW)).claimedStatus, 'failed');
});

Deno.test('wave accepts any of several v1 signatures (secret rotation)', async () => {
  const { wave } = provider();
  const body = envelope('checkout.session.completed');
  const good = (await signature(body)).split('v1=')[1];
  const old = await referenceHmacHex('wave_ci_WHS_old_secret', `${T}${body}`);
  const hint = await wave.parseCallback(body, headers(`t=${T},v1=${old},v1=${good}`), NOW);
  assert.equal(hint.reference, 'pi_w01');
});

Deno.test('wave refuses missing, forged, separator-signed and wrong-secret signatures', async () => {
  const { wave } = provider();
  const body = envelope('checkout.session.completed');
  const good = await signature(body);
  await failsWith(wave.parseCallback(body, new Headers(), NOW), 'forged');
  await failsWith(wave.parseCallback(body, headers(`v1=${good.split('v1=')[1]}`), NOW), 'forged');
  await failsWith(wave.parseCallback(body, headers(`t=${T}`), NOW), 'forged');
  await failsWith(wave.parseCallback(body, headers(`t=${T},v1=not-hex`), NOW), 'forged');
  await failsWith(wave.parseCallback(body.replace('1500', '150000'), headers(good), NOW), 'forged');
  await failsWith(wave.parseCallback(body, headers(await signature(body, T, 'wave_ci_WHS_other')), NOW), 'forged');
  const dotted = `t=${T},v1=${await referenceHmacHex(WEBHOOK_SECRET, `${T}.${body}`)}`;
  await failsWith(wave.parseCallback(body, headers(dotted), NOW), 'forged');
  // The timestamp is part of what is signed: moving it breaks the signature.
  await failsWith(wave.parseCallback(body, headers(good.replace(`t=${T}`, `t=${T + 1}`)), NOW), 'forged');
});

Deno.test('wave refuses webhooks more than 5 minutes away, accepts up to exactly 5', async () => {
  const { wave } = provider();
  const body = envelope('checkout.session.completed');
  for (const offset of [-300, -1, 0, 300]) {
    assert.equal((await wave.parseCallback(body, headers(await signature(body, T + offset)), NOW)).reference, 'pi_w01');
  }
  for (const offset of [-301, 301, -3600]) {
    await failsWith(wave.parseCallback(body, headers(await signature(body, T + offset)), NOW), 'forged');
  }
});

Deno.test('wave ignores authentic events it does not handle; needs its secret', async () => {
  const { wave } = provider();
  for (const type of ['merchant.payment_received', 'test.test_event', 'b2b.payment_received']) {
    const body = envelope(type);
    await failsWith(wave.parseCallback(body, headers(await signature(body)), NOW), 'rejected');
  }
  const noRef = envelope('checkout.session.completed', { id: 'cos-x', payment_status: 'succeeded' });
  await failsWith(wave.parseCallback(noRef, headers(await signature(noRef)), NOW), 'protocol');
  const noSecret = createWaveProvider({ apiKey: 'k' });
  const body = envelope('checkout.session.completed');
  await failsWith(noSecret.parseCallback(body, headers(await signature(body)), NOW), 'config');
});

// ------------------------------------------------------------------------------------------------------ payouts

const PAYOUT: PayoutRequest = {
  reference: 'po_w9',
  amountXof: 5000,
  operator: 'wave_ci',
  phone: '2250700000111',
  name: 'Awa Traoré',
  callbackUrl: 'https://api.ecom.test/functions/v1/payments/callback/wave',
};

const payoutBody = (fields: Record<string, unknown> = {}) => ({
  id: 'pt-185sewgm8100t',
  currency: 'XOF',
  receive_amount: '5000',
  fee: '50',
  mobile: '+2250700000111',
  name: 'Awa Traoré',
  client_reference: 'po_w9',
  status: 'processing',
  timestamp: '2026-11-21T15:00:00Z',
  ...fields,
});

Deno.test('wave payout posts /v1/payout with the idempotency-key and receive_amount as a string', async () => {
  const { fake, wave } = provider(json(payoutBody({ status: 'succeeded' })));
  const result = await wave.payout!(PAYOUT);
  assert.equal(result.providerRef, 'pt-185sewgm8100t');
  assert.equal(result.status, 'succeeded');
  const [req] = fake.requests;
  assert.equal(req?.method, 'POST');
  assert.equal(req?.url.href, 'https://wave.test/v1/payout');
  assert.equal(req?.headers.get('idempotency-key'), 'po_w9');
  assert.equal(req?.headers.get('authorization'), 'Bearer wave_ci_prod_AbCd');
  assert.deepEqual(JSON.parse(req!.body), {
    currency: 'XOF',
    receive_amount: '5000',
    mobile: '+2250700000111',
    name: 'Awa Traoré',
    client_reference: 'po_w9',
  });
});

Deno.test('wave payout statuses and refusals', async () => {
  const cases: [Record<string, unknown>, string, string | undefined][] = [
    [{ status: 'processing' }, 'pending', undefined],
    [{ status: 'succeeded' }, 'succeeded', undefined],
    [
      { status: 'failed', payout_error: { error_code: 'insufficient-funds', error_message: 'x' } },
      'failed',
      'insufficient_funds',
    ],
    [{ status: 'failed', payout_error: { error_code: 'recipient-limit-exceeded' } }, 'failed', 'declined'],
    [{ status: 'reversed' }, 'failed', 'declined'],
  ];
  for (const [fields, status, reason] of cases) {
    const result = await provider(json(payoutBody(fields))).wave.payout!(PAYOUT);
    assert.equal(result.status, status, JSON.stringify(fields));
    assert.equal(result.failureReason, reason, JSON.stringify(fields));
  }
  await failsWith(provider(json(payoutBody({ status: 'lost' }))).wave.payout!(PAYOUT), 'protocol');
  await failsWith(
    provider(json({ code: 'insufficient-funds', message: 'balance' }, 400)).wave.payout!(PAYOUT),
    'rejected',
  );
  await failsWith(provider(hang).wave.payout!(PAYOUT), 'timeout');
  await failsWith(provider(plain('', 500)).wave.payout!(PAYOUT), 'unavailable');
  await failsWith(provider().wave.payout!({ ...PAYOUT, operator: 'mtn_ci' }), 'rejected');
});

Deno.test('wave fetchPayoutStatus reads by id or searches by client_reference', async () => {
  const byId = provider(json(payoutBody({ status: 'succeeded' })));
  assert.equal((await byId.wave.fetchPayoutStatus!('po_w9', 'pt-185sewgm8100t')).status, 'succeeded');
  assert.equal(byId.fake.requests[0]?.url.href, 'https://wave.test/v1/payout/pt-185sewgm8100t');
  const search = provider(json({ result: [payoutBody({ status: 'failed' })] }));
  assert.equal((await search.wave.fetchPayoutStatus!('po_w9')).status, 'failed');
  assert.equal(search.fake.requests[0]?.url.pathname, '/v1/payouts/search');
  assert.equal(search.fake.requests[0]?.url.searchParams.get('client_reference'), 'po_w9');
  await failsWith(provider(json(payoutBody())).wave.fetchPayoutStatus!('po_other', 'pt-1'), 'protocol');
  await failsWith(provider(json({ result: [] })).wave.fetchPayoutStatus!('po_w9'), 'rejected');
});

Deno.test('wave refuses to start without an API key', () => {
  assert.throws(() => createWaveProvider({ apiKey: '' }), /WAVE_API_KEY/);
});
