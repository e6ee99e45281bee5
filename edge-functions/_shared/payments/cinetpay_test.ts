import assert from 'node:assert/strict';
import { createCinetPayProvider, readCinetPayTransferNotification, type CinetPayOptions } from './cinetpay.ts';
import { failsWith, fakeFetch, hang, json, plain, referenceHmacHex, refuse, type Responder } from './fake-fetch.ts';
import type { CollectRequest, PayoutRequest } from './provider.ts';

const SECRET = 'cp-secret-key-0123456789';
const OPTIONS: CinetPayOptions = {
  apiKey: 'cp-api-key',
  siteId: '445160',
  secretKey: SECRET,
  transferPassword: 'cp-transfer-password',
  baseUrl: 'https://checkout.test',
  transferBaseUrl: 'https://transfer.test',
};

const COLLECT: CollectRequest = {
  reference: 'pi_7f3c',
  amountXof: 1500,
  operator: 'orange_ci',
  phone: '2250700000101',
  description: 'Recharge #12 & co',
  callbackUrl: 'https://api.ecom.test/functions/v1/payments/callback/cinetpay',
  returnUrl: 'https://app.ecom.test/wallet',
};

function provider(...responders: Responder[]) {
  const fake = fakeFetch(...responders);
  return { fake, cinetpay: createCinetPayProvider({ ...OPTIONS, fetch: fake.fetch, timeoutMs: 100 }) };
}

const created = json({
  code: '201',
  message: 'CREATED',
  description: 'Transaction created with success',
  data: { payment_token: 'tok_abc', payment_url: 'https://checkout.cinetpay.com/payment/tok_abc' },
});

// ------------------------------------------------------------------------------------------------------ collect

Deno.test('cinetpay collect posts the documented checkout init and returns the hosted page', async () => {
  const { fake, cinetpay } = provider(created);
  const result = await cinetpay.collect(COLLECT);
  assert.deepEqual(result, {
    providerRef: 'tok_abc',
    paymentUrl: 'https://checkout.cinetpay.com/payment/tok_abc',
    status: 'pending',
  });
  const [req] = fake.requests;
  assert.equal(req?.method, 'POST');
  assert.equal(req?.url.href, 'https://checkout.test/v2/payment');
  assert.equal(req?.headers.get('content-type'), 'application/json');
  assert.deepEqual(JSON.parse(req!.body), {
    apikey: 'cp-api-key',
    site_id: '445160',
    transaction_id: 'pi_7f3c',
    amount: 1500,
    currency: 'XOF',
    description: 'Recharge 12 co',
    notify_url: COLLECT.callbackUrl,
    return_url: COLLECT.returnUrl,
    channels: 'MOBILE_MONEY',
    lang: 'fr',
    metadata: 'pi_7f3c',
    lock_phone_number: true,
    customer_phone_number: '+2250700000101',
  });
});

Deno.test('cinetpay collect refuses amounts CinetPay would refuse, before any request', async () => {
  const { fake, cinetpay } = provider(created);
  for (const amountXof of [99, 95, 1502, 0, -100, 150.5]) {
    const error = await failsWith(cinetpay.collect({ ...COLLECT, amountXof }), 'rejected');
    assert.match(error.message, /multiple of 5|whole/);
  }
  await failsWith(cinetpay.collect({ ...COLLECT, phone: '2280700000101' }), 'rejected');
  assert.equal(fake.requests.length, 0);
  assert.equal((await cinetpay.collect({ ...COLLECT, amountXof: 100 })).status, 'pending');
});

Deno.test('cinetpay collect reports a refused init (HTTP 400, code 608) as rejected', async () => {
  const { cinetpay } = provider(
    json({ code: '608', message: 'MINIMUM_REQUIRED_FIELDS', description: 'notify_url missing', data: [] }, 400),
  );
  const error = await failsWith(cinetpay.collect(COLLECT), 'rejected');
  assert.match(error.message, /608 MINIMUM_REQUIRED_FIELDS/);
});

Deno.test('cinetpay collect reports a CREATED answer without a payment page as a protocol error', async () => {
  const { cinetpay } = provider(json({ code: '201', message: 'CREATED', data: {} }));
  await failsWith(cinetpay.collect(COLLECT), 'protocol');
});

Deno.test('cinetpay turns 5xx, refused connections, hangs and non-JSON answers into the right kinds', async () => {
  await failsWith(provider(plain('Bad Gateway', 502)).cinetpay.collect(COLLECT), 'unavailable');
  await failsWith(provider(plain('slow down', 429)).cinetpay.fetchStatus('pi_7f3c'), 'unavailable');
  await failsWith(provider(refuse).cinetpay.collect(COLLECT), 'unavailable');
  await failsWith(provider(plain('<html>maintenance</html>', 200)).cinetpay.fetchStatus('pi_7f3c'), 'protocol');
  const started = Date.now();
  await failsWith(provider(hang).cinetpay.fetchStatus('pi_7f3c'), 'timeout');
  assert.ok(Date.now() - started < 1000, 'the deadline is honoured');
});

// ------------------------------------------------------------------------------------------------------- status

const check = (code: string, message: string, data: unknown, http = 200) => json({ code, message, data }, http);

Deno.test('cinetpay fetchStatus asks /v2/payment/check with our transaction id', async () => {
  const { fake, cinetpay } = provider(
    check('00', 'SUCCES', { amount: '1500', currency: 'XOF', status: 'ACCEPTED', operator_id: 'MP2311.1234' }),
  );
  const status = await cinetpay.fetchStatus('pi_7f3c');
  assert.equal(status.status, 'succeeded');
  assert.equal(status.amountXof, 1500);
  assert.equal(status.providerTxId, 'MP2311.1234');
  const [req] = fake.requests;
  assert.equal(req?.url.href, 'https://checkout.test/v2/payment/check');
  assert.equal(req?.method, 'POST');
  assert.deepEqual(JSON.parse(req!.body), { apikey: 'cp-api-key', site_id: '445160', transaction_id: 'pi_7f3c' });
});

Deno.test('cinetpay fetchStatus maps every documented answer', async () => {
  const cases: [Responder, string, string | undefined][] = [
    [check('00', 'SUCCES', { amount: 200, currency: 'XOF', status: 'ACCEPTED' }), 'succeeded', undefined],
    [check('662', 'WAITING_CUSTOMER_PAYMENT', { status: 'WAITING_FOR_CUSTOMER' }), 'pending', undefined],
    [check('623', 'WAITING_CUSTOMER_TO_VALIDATE', { status: 'PENDING' }), 'pending', undefined],
    [check('663', 'WAITING_CUSTOMER_OTP_CODE', null), 'pending', undefined],
    [check('201', 'CREATED', null), 'pending', undefined],
    [check('602', 'INSUFFICIENT_BALANCE', { status: 'REFUSED' }), 'failed', 'insufficient_funds'],
    [check('600', 'PAYMENT_FAILED', { status: 'REFUSED' }, 400), 'failed', 'declined'],
    [check('604', 'OTP_CODE_ERROR', null), 'failed', 'declined'],
    [check('606', 'INCORRECT_SETTINGS', null), 'failed', 'declined'],
    [check('627', 'TRANSACTION_CANCEL', { status: 'REFUSED' }, 400), 'failed', 'cancelled'],
    [check('00', 'SUCCES', { status: 'CANCELED' }), 'failed', 'cancelled'],
    [check('00', 'SUCCES', { status: 'REFUSED' }), 'failed', 'unknown'],
  ];
  for (const [answer, status, reason] of cases) {
    const result = await provider(answer).cinetpay.fetchStatus('pi_7f3c');
    assert.equal(result.status, status, JSON.stringify(result.raw));
    assert.equal(result.failureReason, reason, JSON.stringify(result.raw));
  }
});

Deno.test('cinetpay fetchStatus never reads success from a code alone or from a doubtful amount', async () => {
  await failsWith(provider(check('00', 'SUCCES', { amount: '1500' })).cinetpay.fetchStatus('x'), 'rejected');
  await failsWith(provider(check('00', 'SUCCES', { status: 'MAYBE' })).cinetpay.fetchStatus('x'), 'protocol');
  const xaf = check('00', 'SUCCES', { amount: '1500', currency: 'XAF', status: 'ACCEPTED' });
  await failsWith(provider(xaf).cinetpay.fetchStatus('x'), 'protocol');
  const fraction = check('00', 'SUCCES', { amount: '1500.50', currency: 'XOF', status: 'ACCEPTED' });
  await failsWith(provider(fraction).cinetpay.fetchStatus('x'), 'protocol');
  const noAmount = check('00', 'SUCCES', { currency: 'XOF', status: 'ACCEPTED' });
  await failsWith(provider(noAmount).cinetpay.fetchStatus('x'), 'protocol');
  const badKey = check('609', 'AUTH_NOT_FOUND', null, 403);
  await failsWith(provider(badKey).cinetpay.fetchStatus('x'), 'rejected');
});

// ----------------------------------------------------------------------------------------------------- callback

const NOTIFICATION: Record<string, string> = {
  cpm_site_id: '445160',
  cpm_trans_id: 'pi_7f3c',
  cpm_trans_date: '2026-11-21 15:04:05',
  cpm_amount: '1500',
  cpm_currency: 'XOF',
  signature: 'e6e5b7b0c1',
  payment_method: 'OM',
  cel_phone_num: '0700000101',
  cpm_phone_prefixe: '225',
  cpm_language: 'fr',
  cpm_version: 'V4',
  cpm_payment_config: 'SINGLE',
  cpm_page_action: 'PAYMENT',
  cpm_custom: 'pi_7f3c',
  cpm_designation: 'Recharge Ecom',
  cpm_error_message: 'SUCCES',
};

/** The notification as CinetPay posts it, and its x-token computed here from the documented field order. */
async function notification(fields = NOTIFICATION, secret = SECRET) {
  const order = [
    'cpm_site_id',
    'cpm_trans_id',
    'cpm_trans_date',
    'cpm_amount',
    'cpm_currency',
    'signature',
    'payment_method',
    'cel_phone_num',
    'cpm_phone_prefixe',
    'cpm_language',
    'cpm_version',
    'cpm_payment_config',
    'cpm_page_action',
    'cpm_custom',
    'cpm_designation',
    'cpm_error_message',
  ];
  const token = await referenceHmacHex(secret, order.map((k) => fields[k] ?? '').join(''));
  // Shuffled on purpose: the body's order must not matter, only the documented one.
  const body = new URLSearchParams(Object.entries(fields).reverse()).toString();
  return { body, token };
}

Deno.test('cinetpay accepts a notification whose x-token matches, in any hex case', async () => {
  const { cinetpay } = provider(created);
  const { body, token } = await notification();
  const hint = await cinetpay.parseCallback(body, new Headers({ 'x-token': token }));
  assert.deepEqual(hint, { reference: 'pi_7f3c', claimedStatus: 'succeeded', kind: 'payment' });
  const upper = await cinetpay.parseCallback(body, new Headers({ 'X-Token': token.toUpperCase() }));
  assert.equal(upper.reference, 'pi_7f3c');
});

Deno.test('cinetpay reads only a claim from a notification: failure and waiting messages', async () => {
  const { cinetpay } = provider(created);
  for (const [message, claimed] of [
    ['PAYMENT_FAILED', 'failed'],
    ['TRANSACTION_CANCEL', 'failed'],
    ['', 'pending'],
    ['WAITING_CUSTOMER_PAYMENT', 'pending'],
  ]) {
    const { body, token } = await notification({ ...NOTIFICATION, cpm_error_message: message! });
    const hint = await cinetpay.parseCallback(body, new Headers({ 'x-token': token }));
    assert.equal(hint.claimedStatus, claimed);
  }
});

Deno.test('cinetpay refuses missing, forged, wrong-secret and foreign-site notifications', async () => {
  const { cinetpay } = provider(created);
  const { body, token } = await notification();
  await failsWith(cinetpay.parseCallback(body, new Headers()), 'forged');
  await failsWith(cinetpay.parseCallback(body, new Headers({ 'x-token': '' })), 'forged');
  await failsWith(cinetpay.parseCallback(body, new Headers({ 'x-token': 'zz' + token.slice(2) })), 'forged');
  await failsWith(cinetpay.parseCallback(body, new Headers({ 'x-token': token.slice(0, -2) })), 'forged');
  const tampered = body.replace('cpm_amount=1500', 'cpm_amount=150000');
  assert.notEqual(tampered, body);
  await failsWith(cinetpay.parseCallback(tampered, new Headers({ 'x-token': token })), 'forged');
  const other = await notification(NOTIFICATION, 'another-merchant-secret');
  await failsWith(cinetpay.parseCallback(other.body, new Headers({ 'x-token': other.token })), 'forged');
  const foreign = await notification({ ...NOTIFICATION, cpm_site_id: '999999' });
  await failsWith(cinetpay.parseCallback(foreign.body, new Headers({ 'x-token': foreign.token })), 'forged');
});

Deno.test(
  'cinetpay notifications carry no timestamp: a replay parses to the same claim, the status call decides',
  async () => {
    const { fake, cinetpay } = provider(check('627', 'TRANSACTION_CANCEL', { status: 'REFUSED' }, 400));
    const { body, token } = await notification();
    const first = await cinetpay.parseCallback(body, new Headers({ 'x-token': token }), new Date('2026-01-01'));
    const replay = await cinetpay.parseCallback(body, new Headers({ 'x-token': token }), new Date('2027-01-01'));
    assert.deepEqual(replay, first);
    assert.equal(first.eventId, undefined, 'no event id to dedupe on: the reference and status call are');
    assert.equal((await cinetpay.fetchStatus(first.reference)).status, 'failed');
    assert.equal(fake.requests.length, 1);
  },
);

// ------------------------------------------------------------------------------------------------------ payouts

const PAYOUT: PayoutRequest = {
  reference: 'po_91ab',
  amountXof: 5000,
  operator: 'mtn_ci',
  phone: '2250500000202',
  name: 'Awa Traoré',
  callbackUrl: 'https://api.ecom.test/functions/v1/payments/payout-callback/cinetpay',
};

const loggedIn = json({ code: 0, message: 'OPERATION_SUCCES', data: { token: 'jwt-transfer' } });
const contactAdded = json({
  code: 0,
  message: 'OPERATION_SUCCES',
  data: [[{ prefix: '225', phone: '0500000202', code: 726, status: 'ERROR_PHONE_ALREADY_MY_CONTACT' }]],
});
const sent = (treatment: string) =>
  json({
    code: 0,
    message: 'OPERATION_SUCCES',
    data: [
      [
        {
          code: 0,
          status: 'success',
          treatment_status: treatment,
          transaction_id: 'TR-1',
          client_transaction_id: 'po_91ab',
          lot: 'L1',
        },
      ],
    ],
  });
const checked = (treatment: string) =>
  json({
    code: 0,
    message: 'OPERATION_SUCCES',
    data: [{ treatment_status: treatment, transaction_id: 'TR-1', client_transaction_id: 'po_91ab' }],
  });

Deno.test('cinetpay payout logs in, adds the contact, then sends with our client_transaction_id', async () => {
  const { fake, cinetpay } = provider(loggedIn, contactAdded, sent('NEW'));
  const result = await cinetpay.payout!(PAYOUT);
  assert.equal(result.status, 'pending');
  assert.equal(result.providerRef, 'TR-1');
  const [login, contact, send] = fake.requests;
  assert.equal(login?.url.href, 'https://transfer.test/v1/auth/login?lang=fr');
  assert.equal(login?.headers.get('content-type'), 'application/x-www-form-urlencoded');
  assert.deepEqual(Object.fromEntries(new URLSearchParams(login!.body)), {
    apikey: 'cp-api-key',
    password: 'cp-transfer-password',
  });
  assert.equal(contact?.url.pathname, '/v1/transfer/contact');
  assert.equal(contact?.url.searchParams.get('token'), 'jwt-transfer');
  assert.deepEqual(JSON.parse(new URLSearchParams(contact!.body).get('data')!), [
    { prefix: '225', phone: '0500000202', name: 'Awa Traoré', surname: 'Awa Traoré' },
  ]);
  assert.equal(send?.method, 'POST');
  assert.equal(send?.url.pathname, '/v1/transfer/money/send/contact');
  assert.equal(send?.url.searchParams.get('token'), 'jwt-transfer');
  assert.deepEqual(JSON.parse(new URLSearchParams(send!.body).get('data')!), [
    {
      prefix: '225',
      phone: '0500000202',
      amount: 5000,
      client_transaction_id: 'po_91ab',
      notify_url: PAYOUT.callbackUrl,
    },
  ]);
});

Deno.test('cinetpay payout to Wave names the WAVECI method; Togo numbers take the 228 prefix', async () => {
  const { fake, cinetpay } = provider(loggedIn, contactAdded, sent('NEW'), contactAdded, sent('NEW'));
  await cinetpay.payout!({ ...PAYOUT, operator: 'wave_ci' });
  assert.equal(JSON.parse(new URLSearchParams(fake.requests[2]!.body).get('data')!)[0].payment_method, 'WAVECI');
  await cinetpay.payout!({ ...PAYOUT, operator: 'mixx_tg', phone: '22890000303' });
  const togo = JSON.parse(new URLSearchParams(fake.requests[4]!.body).get('data')!)[0];
  assert.equal(togo.prefix, '228');
  assert.equal(togo.phone, '90000303');
  assert.equal(togo.payment_method, undefined);
  assert.equal(fake.requests.filter((r) => r.url.pathname.endsWith('/auth/login')).length, 1, 'the token is reused');
});

Deno.test('cinetpay payout renews an expired token once', async () => {
  const expired = json({ code: '706', message: 'INVALID_TOKEN', data: [] });
  const { fake, cinetpay } = provider(loggedIn, expired, loggedIn, contactAdded, sent('REC'));
  assert.equal((await cinetpay.payout!(PAYOUT)).status, 'pending');
  assert.deepEqual(
    fake.requests.map((r) => r.url.pathname),
    [
      '/v1/auth/login',
      '/v1/transfer/contact',
      '/v1/auth/login',
      '/v1/transfer/contact',
      '/v1/transfer/money/send/contact',
    ],
  );
});

Deno.test(
  'cinetpay payout retried with the same reference reads the status instead of sending twice (805)',
  async () => {
    const duplicate = json({ code: 805, message: 'CLIENT_TRANSACTION_ID_EXIST', data: [] });
    const { fake, cinetpay } = provider(loggedIn, contactAdded, duplicate, checked('VAL'));
    const result = await cinetpay.payout!(PAYOUT);
    assert.equal(result.status, 'succeeded');
    const last = fake.requests.at(-1)!;
    assert.equal(last.method, 'GET');
    assert.equal(last.url.pathname, '/v1/transfer/check/money');
    assert.equal(last.url.searchParams.get('client_transaction_id'), 'po_91ab');
    assert.equal(fake.requests.filter((r) => r.url.pathname.endsWith('/send/contact')).length, 1);
  },
);

Deno.test('cinetpay fetchPayoutStatus maps every treatment_status', async () => {
  const cases = [
    ['NEW', 'pending'],
    ['REC', 'pending'],
    ['NOS', 'pending'],
    ['VAL', 'succeeded'],
    ['REJ', 'failed'],
  ];
  for (const [treatment, status] of cases) {
    const result = await provider(loggedIn, checked(treatment!)).cinetpay.fetchPayoutStatus!('po_91ab');
    assert.equal(result.status, status);
    assert.equal(result.failureReason, status === 'failed' ? 'declined' : undefined);
  }
  await failsWith(provider(loggedIn, checked('WHAT')).cinetpay.fetchPayoutStatus!('po_91ab'), 'protocol');
  const missing = json({ code: 723, message: 'NOT_FOUND', data: [] });
  await failsWith(provider(loggedIn, missing).cinetpay.fetchPayoutStatus!('po_91ab'), 'rejected');
});

Deno.test('cinetpay payout refusals: no password, bad credentials, low transfer balance', async () => {
  const fake = fakeFetch(loggedIn);
  const noPassword = createCinetPayProvider({ ...OPTIONS, transferPassword: undefined, fetch: fake.fetch });
  await failsWith(noPassword.payout!(PAYOUT), 'config');
  assert.equal(fake.requests.length, 0);
  const badLogin = json({ code: '701', message: 'INVALID_CREDENTIALS', data: [] });
  await failsWith(provider(badLogin).cinetpay.payout!(PAYOUT), 'config');
  const poor = json({ code: 602, message: 'INSUFFICIENT_BALANCE', data: [] });
  const error = await failsWith(provider(loggedIn, contactAdded, poor).cinetpay.payout!(PAYOUT), 'rejected');
  assert.match(error.message, /602 INSUFFICIENT_BALANCE/);
  await failsWith(provider(loggedIn, plain('oops', 503)).cinetpay.payout!(PAYOUT), 'unavailable');
});

Deno.test('cinetpay transfer notifications are unsigned hints naming the payout', () => {
  const hint = readCinetPayTransferNotification(
    'transaction_id=TR-1&client_transaction_id=po_91ab&lot=L1&amount=5000&receiver=0500000202&treatment_status=VAL',
  );
  assert.deepEqual(hint, { reference: 'po_91ab', claimedStatus: 'succeeded', kind: 'payout', providerRef: 'TR-1' });
  assert.throws(() => readCinetPayTransferNotification('amount=5000'), /client_transaction_id/);
});

Deno.test('cinetpay refuses to start without its keys', () => {
  assert.throws(() => createCinetPayProvider({ ...OPTIONS, secretKey: '' }), /CINETPAY_SECRET_KEY/);
});
