// Payment webhooks (verify_jwt = false): POST /payment-webhooks/<provider>, authenticated by the provider's
// signature. docs/payments.md.
import { createPaymentProvider } from '../_shared/payments/index.ts';
import { createPostgresPaymentsStore, providerCache } from '../_shared/payments/store.ts';
import { createPaymentWebhooksHandler } from './handler.ts';

const env = (name: string) => Deno.env.get(name);
const dbUrl = env('SUPABASE_DB_URL');

Deno.serve(
  createPaymentWebhooksHandler({
    store: dbUrl
      ? createPostgresPaymentsStore(dbUrl, {
          max: Number(env('PAYMENTS_DB_POOL_SIZE') ?? 10),
          name: 'ecom-payment-webhooks',
        })
      : undefined,
    provider: providerCache((name) => createPaymentProvider(name, env)),
  }),
);
