// Builds a mobile-money provider from the environment, and says which providers can serve an operator.
// Variables (docs/payments.md):
//   cinetpay  CINETPAY_API_KEY, CINETPAY_SITE_ID, CINETPAY_SECRET_KEY, [CINETPAY_TRANSFER_PASSWORD],
//             [CINETPAY_TRANSFER_CONTACT_EMAIL], [CINETPAY_BASE_URL], [CINETPAY_TRANSFER_BASE_URL]
//   fedapay   FEDAPAY_SECRET_KEY, FEDAPAY_WEBHOOK_SECRET, [FEDAPAY_ENVIRONMENT = sandbox | live], [FEDAPAY_BASE_URL]
//   wave      WAVE_API_KEY, WAVE_WEBHOOK_SECRET, [WAVE_BASE_URL]
//   sandbox   SANDBOX_PAY_BASE_URL, SANDBOX_PAY_API_KEY, SANDBOX_PAY_WEBHOOK_SECRET (set by the local stack)
//   all       [PAYMENT_PROVIDER_TIMEOUT_MS] per call (default 8000)
import { CINETPAY_OPERATORS, createCinetPayProvider } from './cinetpay.ts';
import { createFedaPayProvider, FEDAPAY_OPERATORS } from './fedapay.ts';
import { type FetchLike, type Operator, PaymentError, type PaymentProvider } from './provider.ts';
import { createSandboxProvider } from './sandbox.ts';
import { createWaveProvider, WAVE_OPERATORS } from './wave.ts';

export * from './provider.ts';
export { createCinetPayProvider, readCinetPayTransferNotification } from './cinetpay.ts';
export { createFedaPayProvider } from './fedapay.ts';
export { createWaveProvider } from './wave.ts';
export { createSandboxProvider } from './sandbox.ts';

export type ProviderName = 'cinetpay' | 'fedapay' | 'wave';

/** The operators each real provider can collect from (payouts: see each adapter). */
export const PROVIDER_OPERATORS: Readonly<Record<ProviderName, readonly Operator[]>> = {
  cinetpay: CINETPAY_OPERATORS,
  fedapay: FEDAPAY_OPERATORS,
  wave: WAVE_OPERATORS,
};

const PREFERENCE = ['wave', 'fedapay', 'cinetpay'] as const;
const servedBy = (operator: Operator): readonly ProviderName[] =>
  PREFERENCE.filter((p) => PROVIDER_OPERATORS[p].includes(operator));

/** Operator → the providers that can serve it, in our order of preference (direct first, then aggregators). */
export const OPERATOR_PROVIDERS: Readonly<Record<Operator, readonly ProviderName[]>> = {
  orange_ci: servedBy('orange_ci'),
  mtn_ci: servedBy('mtn_ci'),
  moov_ci: servedBy('moov_ci'),
  wave_ci: servedBy('wave_ci'),
  moov_tg: servedBy('moov_tg'),
  mixx_tg: servedBy('mixx_tg'),
};

export function providersFor(operator: Operator): readonly ProviderName[] {
  return OPERATOR_PROVIDERS[operator] ?? [];
}

export interface ProviderFactoryOptions {
  fetch?: FetchLike;
  timeoutMs?: number;
}

/** Throws PaymentError('config') for an unknown name or missing settings. Secrets come from `env` only. */
export function createPaymentProvider(
  name: string,
  env: (variable: string) => string | undefined,
  options: ProviderFactoryOptions = {},
): PaymentProvider {
  const get = (variable: string) => env(variable)?.trim() || undefined;
  const timeout = get('PAYMENT_PROVIDER_TIMEOUT_MS');
  const timeoutMs = options.timeoutMs ?? (timeout ? Number(timeout) : undefined);
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
    throw new PaymentError('config', name, 'PAYMENT_PROVIDER_TIMEOUT_MS must be a positive whole number of ms');
  }
  const common = { ...(options.fetch ? { fetch: options.fetch } : {}), ...(timeoutMs ? { timeoutMs } : {}) };
  const optional = (key: string, variable: string) => (get(variable) ? { [key]: get(variable) } : {});
  switch (name) {
    case 'cinetpay':
      return createCinetPayProvider({
        apiKey: get('CINETPAY_API_KEY') ?? '',
        siteId: get('CINETPAY_SITE_ID') ?? '',
        secretKey: get('CINETPAY_SECRET_KEY') ?? '',
        ...optional('transferPassword', 'CINETPAY_TRANSFER_PASSWORD'),
        ...optional('transferContactEmail', 'CINETPAY_TRANSFER_CONTACT_EMAIL'),
        ...optional('baseUrl', 'CINETPAY_BASE_URL'),
        ...optional('transferBaseUrl', 'CINETPAY_TRANSFER_BASE_URL'),
        ...common,
      });
    case 'fedapay': {
      const declared = get('FEDAPAY_ENVIRONMENT');
      const environment = declared === 'sandbox' || declared === 'live' ? declared : undefined;
      if (declared && !environment) {
        throw new PaymentError('config', name, 'FEDAPAY_ENVIRONMENT must be sandbox or live');
      }
      return createFedaPayProvider({
        secretKey: get('FEDAPAY_SECRET_KEY') ?? '',
        ...optional('webhookSecret', 'FEDAPAY_WEBHOOK_SECRET'),
        ...(environment ? { environment } : {}),
        ...optional('baseUrl', 'FEDAPAY_BASE_URL'),
        ...common,
      });
    }
    case 'wave':
      return createWaveProvider({
        apiKey: get('WAVE_API_KEY') ?? '',
        ...optional('webhookSecret', 'WAVE_WEBHOOK_SECRET'),
        ...optional('baseUrl', 'WAVE_BASE_URL'),
        ...common,
      });
    case 'sandbox':
      return createSandboxProvider({
        baseUrl: get('SANDBOX_PAY_BASE_URL') ?? '',
        apiKey: get('SANDBOX_PAY_API_KEY') ?? '',
        ...optional('webhookSecret', 'SANDBOX_PAY_WEBHOOK_SECRET'),
        ...common,
      });
    default:
      throw new PaymentError(
        'config',
        name,
        `unknown payment provider "${name}" (cinetpay | fedapay | wave | sandbox)`,
      );
  }
}
