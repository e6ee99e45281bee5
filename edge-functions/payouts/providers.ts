// Which provider pays out to which operator: the one place that decides (docs/payments.md, "Payouts").
//   PAYOUT_PROVIDER_<OPERATOR>   e.g. PAYOUT_PROVIDER_WAVE_CI=wave: this operator's payouts go there
//   PAYOUT_PROVIDER              every other operator (e.g. cinetpay, which pays out to all of them)
//   neither                      `sandbox` when SUPABASE_URL is a local stack, otherwise a config error
//   PAYOUT_PROVIDER_TIMEOUT_MS   optional deadline of each payout call (else PAYMENT_PROVIDER_TIMEOUT_MS, 8000)
// The provider itself comes from createPaymentProvider(name, env) with its own settings, built once per name.
import { createPaymentProvider, type Operator, PaymentError, type PaymentProvider } from '../_shared/payments/index.ts';

export interface PayoutProviders {
  /** The provider name for an operator's payouts; throws PaymentError('config') when none is configured. */
  nameFor(operator: Operator): string;
  /** The provider of that name (cached); throws PaymentError('config') for an unknown name or missing settings. */
  get(name: string): PaymentProvider;
}

const isLocal = (url: string | undefined) => !!url && /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(url);

export function payoutProvidersFromEnv(
  env: (name: string) => string | undefined,
  create: typeof createPaymentProvider = createPaymentProvider,
): PayoutProviders {
  const cache = new Map<string, PaymentProvider>();
  return {
    nameFor(operator) {
      const name =
        env(`PAYOUT_PROVIDER_${operator.toUpperCase()}`)?.trim() ||
        env('PAYOUT_PROVIDER')?.trim() ||
        (isLocal(env('SUPABASE_URL')) ? 'sandbox' : undefined);
      if (!name) throw new PaymentError('config', 'payouts', 'PAYOUT_PROVIDER is not set');
      return name;
    },
    get(name) {
      let provider = cache.get(name);
      if (!provider) {
        const timeout = Number(env('PAYOUT_PROVIDER_TIMEOUT_MS'));
        provider = create(name, env, Number.isInteger(timeout) && timeout > 0 ? { timeoutMs: timeout } : {});
        cache.set(name, provider);
      }
      return provider;
    },
  };
}

/** Where provider `name` posts payout notifications: the payment-webhooks function (PAYMENT_WEBHOOK_BASE_URL). */
export function payoutCallbackUrl(env: (name: string) => string | undefined): (provider: string) => string {
  const base = env('PAYMENT_WEBHOOK_BASE_URL') ?? `${env('SUPABASE_URL') ?? ''}/functions/v1`;
  return (provider) => `${base}/payment-webhooks/${provider}`;
}
