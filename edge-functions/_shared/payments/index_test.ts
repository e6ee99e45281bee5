import assert from 'node:assert/strict';
import { failsWith, fakeFetch, hang, json } from './fake-fetch.ts';
import {
  createPaymentProvider,
  OPERATOR_PROVIDERS,
  OPERATORS,
  PaymentError,
  PROVIDER_OPERATORS,
  providersFor,
} from './index.ts';

const envOf = (vars: Record<string, string>) => (name: string) => vars[name];
const isConfig = (e: unknown) => e instanceof PaymentError && e.kind === 'config';

const ENV = {
  CINETPAY_API_KEY: 'cp-key',
  CINETPAY_SITE_ID: '445160',
  CINETPAY_SECRET_KEY: 'cp-secret',
  CINETPAY_BASE_URL: 'https://cinetpay.test',
  FEDAPAY_SECRET_KEY: 'sk_live_x',
  FEDAPAY_WEBHOOK_SECRET: 'wh_live_x',
  FEDAPAY_ENVIRONMENT: 'sandbox',
  WAVE_API_KEY: 'wave-key',
  WAVE_WEBHOOK_SECRET: 'wave-whs',
  WAVE_BASE_URL: 'https://wave.test',
};

Deno.test('builds each provider from its variables and hands it the injected fetch', async () => {
  const calls = [
    [
      'cinetpay',
      'https://cinetpay.test/v2/payment/check',
      json({ code: '00', data: { status: 'WAITING_FOR_CUSTOMER' } }),
    ],
    [
      'fedapay',
      'https://sandbox-api.fedapay.com/v1/transactions/7',
      json({ 'v1/transaction': { id: 7, status: 'pending' } }),
    ],
    [
      'wave',
      'https://wave.test/v1/checkout/sessions/cos-1',
      json({ id: 'cos-1', client_reference: 'pi_1', checkout_status: 'open' }),
    ],
  ] as const;
  for (const [name, url, answer] of calls) {
    const fake = fakeFetch(answer);
    const provider = createPaymentProvider(name, envOf(ENV), { fetch: fake.fetch });
    assert.equal(provider.name, name);
    assert.deepEqual(provider.operators, PROVIDER_OPERATORS[name]);
    assert.equal((await provider.fetchStatus('pi_1', name === 'fedapay' ? '7' : 'cos-1')).status, 'pending');
    assert.equal(fake.requests[0]?.url.href, url);
  }
});

Deno.test('refuses unknown providers, missing secrets and bad settings as configuration errors', () => {
  assert.throws(() => createPaymentProvider('paypal', envOf(ENV)), isConfig);
  assert.throws(() => createPaymentProvider('cinetpay', envOf({ ...ENV, CINETPAY_SECRET_KEY: ' ' })), isConfig);
  assert.throws(() => createPaymentProvider('fedapay', envOf({ ...ENV, FEDAPAY_SECRET_KEY: '' })), isConfig);
  assert.throws(() => createPaymentProvider('fedapay', envOf({ ...ENV, FEDAPAY_ENVIRONMENT: 'prod' })), isConfig);
  assert.throws(() => createPaymentProvider('wave', envOf({})), isConfig);
  assert.throws(() => createPaymentProvider('wave', envOf({ ...ENV, PAYMENT_PROVIDER_TIMEOUT_MS: 'soon' })), isConfig);
});

Deno.test('PAYMENT_PROVIDER_TIMEOUT_MS bounds every call', async () => {
  const fake = fakeFetch(hang);
  const wave = createPaymentProvider('wave', envOf({ ...ENV, PAYMENT_PROVIDER_TIMEOUT_MS: '50' }), {
    fetch: fake.fetch,
  });
  const started = Date.now();
  await failsWith(wave.fetchStatus('pi_1', 'cos-1'), 'timeout');
  assert.ok(Date.now() - started < 1000);
});

Deno.test('maps each operator to the providers that serve it, Wave first for Wave', () => {
  assert.deepEqual(providersFor('wave_ci'), ['wave', 'fedapay', 'cinetpay']);
  assert.deepEqual(providersFor('orange_ci'), ['fedapay', 'cinetpay']);
  assert.deepEqual(providersFor('mtn_ci'), ['fedapay', 'cinetpay']);
  assert.deepEqual(providersFor('moov_tg'), ['fedapay', 'cinetpay']);
  assert.deepEqual(providersFor('mixx_tg'), ['fedapay', 'cinetpay']);
  for (const operator of OPERATORS) {
    assert.ok(OPERATOR_PROVIDERS[operator].length > 0, `${operator} has a provider`);
    for (const name of OPERATOR_PROVIDERS[operator]) assert.ok(PROVIDER_OPERATORS[name].includes(operator));
  }
});
