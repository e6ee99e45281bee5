import assert from 'node:assert/strict';
import { createFedaPayProvider, FEDAPAY_LIVE_URL, FEDAPAY_SANDBOX_URL, type FedaPayOptions } from './fedapay.ts';
import { failsWith, fakeFetch, hang, json, plain, referenceHmacHex, refuse, type Responder } from './fake-fetch.ts';
import type { CollectRequest, PayoutRequest } from './provider.ts';

const WEBHOOK_SECRET = 'wh_sandbox_9f8e7d6c5b4a';
const OPTIONS: FedaPayOptions = {
  secretKey: 'sk_sandbox_abc123',
  webhookSecret: WEBHOOK_SECRET,
  baseUrl: 'https://fedapay.test/v1',
};

const COLLECT: CollectRequest = {
  reference: 'pi_tg01',
  amountXof: 2000,
  operator: 'mixx_tg',
  phone: '22890000101',
  description: 'Recharge Ecom',
  callbackUrl: 'https://api.ecom.test/functions/v1/payments/callback/fedapay',
  returnUrl: 'https://app.ecom.test/wallet',
};

function provider(...responders: Responder[]) {
  const fake = fakeFetch(...responders);
  return { fake, fedapay: createFedaPayProvider({ ...OPTIONS, fetch: fake.fetch, timeoutMs: 100 }) };
}

const transaction = (fields: Record<string, unknown>) =>
  json({
    'v1/transaction': {
      id: 1042,
      reference: 'trx_Ab3_1790000000',
      amount: 2000,
      status: 'pending',
      currency: { iso: 'XOF' },
      custom_metadata: { reference: 'pi_tg01' },
      ...fields,
    },
  });
const token = json({ token: 'eyJ.tok', url: 'https://process.fedapay.com/eyJ.tok' });
const pushed = json({ reference: 'pi_xdc_1', status: 'pending' });

// ------------------------------------------------------------------------------------------------------ collect

Deno.test('fedapay picks the sandbox or live API from the key unless told', async () => {
  for (const [secretKey, environment, url] of [
    ['sk_sandbox_x', undefined, FEDAPAY_SANDBOX_URL],
    ['sk_live_x', undefined, FEDAPAY_LIVE_URL],
    ['sk_live_x', 'sandbox', FEDAPAY_SANDBOX_URL],
    ['sk_sandbox_x', 'live', FEDAPAY_LIVE_URL],
  ] as const) {
    const fake = fakeFetch(transaction({}));
    const fedapay = createFedaPayProvider({ secretKey, ...(environment ? { environment } : {}), fetch: fake.fetch });
    await fedapay.fetchStatus('pi_tg01', '1042');
    assert.equal(fake.requests[0]?.url.href, `${url}/transactions/1042`);
  }
});

Deno.test('fedapay collect creates the transaction, its token, then pushes to the phone (Mixx = togocel)', async () => {
  const { fake, fedapay } = provider(transaction({}), token, pushed);
  assert.deepEqual(await fedapay.collect(COLLECT), { providerRef: '1042', status: 'pending' });
  const [create, tok, push] = fake.requests;
  for (const req of fake.requests) assert.equal(req.headers.get('authorization'), 'Bearer sk_sandbox_abc123');
  assert.equal(create?.method, 'POST');
  assert.equal(create?.url.href, 'https://fedapay.test/v1/transactions');
  assert.equal(create?.headers.get('content-type'), 'application/json');
  assert.deepEqual(JSON.parse(create!.body), {
    description: 'Recharge Ecom',
    amount: 2000,
    currency: { iso: 'XOF' },
    callback_url: 'https://app.ecom.test/wallet',
    custom_metadata: { reference: 'pi_tg01' },
    customer: { phone_number: { number: '+22890000101', country: 'tg' } },
  });
  assert.equal(tok?.method, 'POST');
  assert.equal(tok?.url.href, 'https://fedapay.test/v1/transactions/1042/token');
  assert.equal(push?.url.href, 'https://fedapay.test/v1/transactions/togocel');
  assert.deepEqual(JSON.parse(push!.body), {
    token: 'eyJ.tok',
    phone_number: { number: '+22890000101', country: 'tg' },
  });
});

Deno.test('fedapay collect uses the documented redirect-free modes and the hosted page elsewhere', async () => {
  for (const [operator, phone, mode] of [
    ['moov_tg', '22899000101', 'moov_tg'],
    ['mtn_ci', '2250500000101', 'mtn_ci'],
  ] as const) {
    const { fake, fedapay } = provider(transaction({}), token, pushed);
    assert.equal((await fedapay.collect({ ...COLLECT, operator, phone })).paymentUrl, undefined);
    assert.equal(fake.requests[2]?.url.pathname, `/v1/transactions/${mode}`);
  }
  for (const operator of ['orange_ci', 'moov_ci', 'wave_ci'] as const) {
    const { fake, fedapay } = provider(transaction({}), token);
    const result = await fedapay.collect({ ...COLLECT, operator, phone: '2250700000101' });
    assert.equal(result.paymentUrl, 'https://process.fedapay.com/eyJ.tok');
    assert.equal(fake.requests.length, 2, `${operator}: no push without a documented mode`);
  }
});

Deno.test('fedapay collect falls back to the page when the push answer is lost, and never pushes twice', async () => {
  const { fake, fedapay } = provider(transaction({}), token, hang);
  const result = await fedapay.collect(COLLECT);
  assert.deepEqual(result, {
    providerRef: '1042',
    paymentUrl: 'https://process.fedapay.com/eyJ.tok',
    status: 'pending',
  });
  assert.equal(fake.requests.length, 3);
});

Deno.test('fedapay collect refusals and transport failures', async () => {
  await failsWith(provider(transaction({})).fedapay.collect({ ...COLLECT, amountXof: 10.5 }), 'rejected');
  await failsWith(provider(transaction({})).fedapay.collect({ ...COLLECT, phone: '2250700000101' }), 'rejected');
  const invalid = json({ message: 'Le montant est invalide', errors: { amount: ['invalid'] } }, 422);
  const error = await failsWith(provider(invalid).fedapay.collect(COLLECT), 'rejected');
  assert.match(error.message, /422: Le montant est invalide/);
  await failsWith(
    provider(transaction({}), token, json({ message: 'Numéro invalide' }, 400)).fedapay.collect(COLLECT),
    'rejected',
  );
  await failsWith(provider(json({ 'v1/transaction': {} })).fedapay.collect(COLLECT), 'protocol');
  await failsWith(provider(transaction({}), json({})).fedapay.collect(COLLECT), 'protocol');
  await failsWith(provider(plain('oops', 500)).fedapay.collect(COLLECT), 'unavailable');
  await failsWith(provider(refuse).fedapay.collect(COLLECT), 'unavailable');
  await failsWith(provider(hang).fedapay.collect(COLLECT), 'timeout');
  await failsWith(provider(plain('<html/>', 200)).fedapay.collect(COLLECT), 'protocol');
});

// ------------------------------------------------------------------------------------------------------- status

Deno.test('fedapay fetchStatus maps every transaction status', async () => {
  const cases: [Record<string, unknown>, string, string | undefined][] = [
    [{ status: 'pending' }, 'pending', undefined],
    [{ status: 'approved' }, 'succeeded', undefined],
    [{ status: 'transferred' }, 'succeeded', undefined],
    [{ status: 'approved_partially_refunded' }, 'succeeded', undefined],
    [{ status: 'declined' }, 'failed', 'declined'],
    [{ status: 'declined', last_error_code: 'INSUFFICIENT_FUNDS' }, 'failed', 'insufficient_funds'],
    [{ status: 'declined', last_error_message: 'Timeout waiting for the customer' }, 'failed', 'timeout'],
    [{ status: 'canceled' }, 'failed', 'cancelled'],
    [{ status: 'expired' }, 'expired', undefined],
  ];
  for (const [fields, status, reason] of cases) {
    const { fake, fedapay } = provider(transaction(fields));
    const result = await fedapay.fetchStatus('pi_tg01', '1042');
    assert.equal(result.status, status, JSON.stringify(fields));
    assert.equal(result.failureReason, reason, JSON.stringify(fields));
    assert.equal(fake.requests[0]?.method, 'GET');
    assert.equal(fake.requests[0]?.url.href, 'https://fedapay.test/v1/transactions/1042');
  }
  const paid = await provider(transaction({ status: 'approved', transaction_key: 'MTN-77' })).fedapay.fetchStatus(
    'pi_tg01',
    '1042',
  );
  assert.equal(paid.amountXof, 2000);
  assert.equal(paid.providerTxId, 'MTN-77');
});

Deno.test('fedapay fetchStatus refuses answers it cannot trust', async () => {
  const { fedapay } = provider(transaction({ status: 'approved' }));
  await failsWith(fedapay.fetchStatus('pi_tg01'), 'rejected');
  await failsWith(provider(transaction({ status: 'approved' })).fedapay.fetchStatus('pi_other', '1042'), 'protocol');
  await failsWith(
    provider(transaction({ status: 'approved', amount: '20.5' })).fedapay.fetchStatus('pi_tg01', '1042'),
    'protocol',
  );
  await failsWith(
    provider(transaction({ status: 'approved', currency: { iso: 'GNF' } })).fedapay.fetchStatus('pi_tg01', '1042'),
    'protocol',
  );
  await failsWith(provider(transaction({ status: 'weird' })).fedapay.fetchStatus('pi_tg01', '1042'), 'protocol');
  await failsWith(
    provider(json({ message: 'Transaction introuvable' }, 404)).fedapay.fetchStatus('pi_tg01', '9'),
    'rejected',
  );
  await failsWith(provider(plain('', 503)).fedapay.fetchStatus('pi_tg01', '1042'), 'unavailable');
});

// ----------------------------------------------------------------------------------------------------- webhooks

const NOW = new Date('2026-11-21T15:00:00Z');
const T = Math.floor(NOW.getTime() / 1000);

const event = (name: string, entity: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: 555,
    name,
    object: name.split('.')[0],
    entity: { id: 1042, status: 'approved', custom_metadata: { reference: 'pi_tg01' }, ...entity },
  });

/** `t=…,s=…` computed here: HMAC-SHA256(secret, "<t>.<raw body>"). */
async function signature(body: string, t = T, secret = WEBHOOK_SECRET): Promise<string> {
  return `t=${t},s=${await referenceHmacHex(secret, `${t}.${body}`)}`;
}

const headers = (value: string) => new Headers({ 'X-FEDAPAY-SIGNATURE': value });

Deno.test('fedapay accepts a webhook signed over "t.rawBody" and says what it claims', async () => {
  const { fedapay } = provider();
  const body = event('transaction.approved');
  const hint = await fedapay.parseCallback(body, headers(await signature(body)), NOW);
  assert.deepEqual(hint, {
    reference: 'pi_tg01',
    claimedStatus: 'succeeded',
    kind: 'payment',
    eventId: '555',
    providerRef: '1042',
  });
  for (const [name, claimed, kind] of [
    ['transaction.declined', 'failed', 'payment'],
    ['transaction.canceled', 'failed', 'payment'],
    ['transaction.created', 'pending', 'payment'],
    ['payout.sent', 'succeeded', 'payout'],
    ['payout.failed', 'failed', 'payout'],
  ]) {
    const b = event(name!);
    const h = await fedapay.parseCallback(b, headers(await signature(b)), NOW);
    assert.equal(h.claimedStatus, claimed, name);
    assert.equal(h.kind, kind, name);
  }
});

Deno.test('fedapay refuses missing, malformed, forged and wrong-secret signatures', async () => {
  const { fedapay } = provider();
  const body = event('transaction.approved');
  const good = await signature(body);
  await failsWith(fedapay.parseCallback(body, new Headers(), NOW), 'forged');
  await failsWith(fedapay.parseCallback(body, headers(''), NOW), 'forged');
  await failsWith(fedapay.parseCallback(body, headers(good.replace(/^t=\d+,/, '')), NOW), 'forged');
  await failsWith(fedapay.parseCallback(body, headers(`t=${T}`), NOW), 'forged');
  await failsWith(fedapay.parseCallback(body, headers(good.replace('s=', 'v1=')), NOW), 'forged');
  await failsWith(fedapay.parseCallback(body.replace('pi_tg01', 'pi_tg02'), headers(good), NOW), 'forged');
  await failsWith(fedapay.parseCallback(event('transaction.approved', { id: 1043 }), headers(good), NOW), 'forged');
  await failsWith(fedapay.parseCallback(body, headers(await signature(body, T, 'wh_sandbox_other')), NOW), 'forged');
  // The HMAC without the "." separator is not FedaPay's.
  const noDot = `t=${T},s=${await referenceHmacHex(WEBHOOK_SECRET, `${T}${body}`)}`;
  await failsWith(fedapay.parseCallback(body, headers(noDot), NOW), 'forged');
  // A bad entry next to a good one is fine (several s= during a rotation).
  const both = `t=${T},s=${'0'.repeat(64)},s=${good.split('s=')[1]}`;
  assert.equal((await fedapay.parseCallback(body, headers(both), NOW)).reference, 'pi_tg01');
});

Deno.test('fedapay replay tolerance is 300 s either way, inclusive', async () => {
  const { fedapay } = provider();
  const body = event('transaction.approved');
  for (const offset of [-300, 0, 300]) {
    const hint = await fedapay.parseCallback(body, headers(await signature(body, T + offset)), NOW);
    assert.equal(hint.reference, 'pi_tg01');
  }
  for (const offset of [-301, 301, -86400]) {
    const error = await failsWith(
      fedapay.parseCallback(body, headers(await signature(body, T + offset)), NOW),
      'forged',
    );
    assert.match(error.message, /stale|replayed/);
  }
});

Deno.test('fedapay ignores authentic events it does not handle and refuses ones without our reference', async () => {
  const { fedapay } = provider();
  const customer = event('customer.created');
  await failsWith(fedapay.parseCallback(customer, headers(await signature(customer)), NOW), 'rejected');
  const foreign = JSON.stringify({ id: 1, name: 'transaction.approved', entity: { id: 9, status: 'approved' } });
  await failsWith(fedapay.parseCallback(foreign, headers(await signature(foreign)), NOW), 'protocol');
  const notJson = 'name=transaction.approved';
  await failsWith(fedapay.parseCallback(notJson, headers(await signature(notJson)), NOW), 'protocol');
  const unsigned = createFedaPayProvider({ secretKey: 'sk_sandbox_x' });
  await failsWith(unsigned.parseCallback(customer, headers(await signature(customer)), NOW), 'config');
});

// ------------------------------------------------------------------------------------------------------ payouts

const PAYOUT: PayoutRequest = {
  reference: 'po_tg77',
  amountXof: 10000,
  operator: 'moov_tg',
  phone: '22899000202',
  name: 'Kossi Mensah Agbeko',
  callbackUrl: 'https://api.ecom.test/functions/v1/payments/callback/fedapay',
};

const payout = (fields: Record<string, unknown> = {}) =>
  json({
    'v1/payout': { id: 301, status: 'pending', amount: 10000, custom_metadata: { reference: 'po_tg77' }, ...fields },
  });
const startedPayout = (status: string) => json({ 'v1/payouts': [{ id: 301, status }] });

Deno.test('fedapay payout creates then starts the payout with the operator mode', async () => {
  const { fake, fedapay } = provider(payout(), startedPayout('started'));
  const result = await fedapay.payout!(PAYOUT);
  assert.equal(result.providerRef, '301');
  assert.equal(result.status, 'pending');
  const [create, start] = fake.requests;
  assert.equal(create?.method, 'POST');
  assert.equal(create?.url.href, 'https://fedapay.test/v1/payouts');
  assert.deepEqual(JSON.parse(create!.body), {
    amount: 10000,
    currency: { iso: 'XOF' },
    mode: 'moov_tg',
    custom_metadata: { reference: 'po_tg77' },
    customer: {
      firstname: 'Kossi',
      lastname: 'Mensah Agbeko',
      phone_number: { number: '+22899000202', country: 'tg' },
    },
  });
  assert.equal(start?.method, 'PUT');
  assert.equal(start?.url.href, 'https://fedapay.test/v1/payouts/start');
  assert.deepEqual(JSON.parse(start!.body), { payouts: [{ id: '301' }] });
  assert.equal(start?.headers.get('authorization'), 'Bearer sk_sandbox_abc123');
});

Deno.test('fedapay payout: a lost start answer resolves pending with the id; refusals are rejected', async () => {
  const lost = await provider(payout(), hang).fedapay.payout!(PAYOUT);
  assert.deepEqual([lost.providerRef, lost.status], ['301', 'pending']);
  await failsWith(provider(payout(), json({ message: 'Solde insuffisant' }, 400)).fedapay.payout!(PAYOUT), 'rejected');
  await failsWith(
    provider(payout()).fedapay.payout!({ ...PAYOUT, operator: 'orange_ci', phone: '2250700000101' }),
    'rejected',
  );
  await failsWith(provider(payout()).fedapay.payout!({ ...PAYOUT, amountXof: 0 }), 'rejected');
});

Deno.test('fedapay fetchPayoutStatus maps every payout status', async () => {
  const cases: [Record<string, unknown>, string, string | undefined][] = [
    [{ status: 'pending' }, 'pending', undefined],
    [{ status: 'scheduled' }, 'pending', undefined],
    [{ status: 'started' }, 'pending', undefined],
    [{ status: 'processing' }, 'pending', undefined],
    [{ status: 'sent' }, 'succeeded', undefined],
    [{ status: 'failed' }, 'failed', 'declined'],
    [{ status: 'failed', last_error_code: 'INSUFFICIENT_BALANCE' }, 'failed', 'insufficient_funds'],
  ];
  for (const [fields, status, reason] of cases) {
    const { fake, fedapay } = provider(payout(fields));
    const result = await fedapay.fetchPayoutStatus!('po_tg77', '301');
    assert.equal(result.status, status, JSON.stringify(fields));
    assert.equal(result.failureReason, reason, JSON.stringify(fields));
    assert.equal(fake.requests[0]?.url.href, 'https://fedapay.test/v1/payouts/301');
  }
  await failsWith(provider(payout({ status: 'lost' })).fedapay.fetchPayoutStatus!('po_tg77', '301'), 'protocol');
  await failsWith(provider(payout()).fedapay.fetchPayoutStatus!('po_other', '301'), 'protocol');
  await failsWith(provider(payout()).fedapay.fetchPayoutStatus!('po_tg77'), 'rejected');
});

Deno.test('fedapay refuses to start without a secret key', () => {
  assert.throws(() => createFedaPayProvider({ secretKey: '' }), /FEDAPAY_SECRET_KEY/);
});
