// Payment webhooks (verify_jwt = false): POST /payment-webhooks/<provider>, authenticated by the provider's
// signature. docs/payments.md.
import { createPaymentProvider } from '../_shared/payments/index.ts';
import { createPostgresPaymentsStore, providerCache } from '../_shared/payments/store.ts';
import { createPostgresPayoutsDb } from '../payouts/db.ts';
import { payoutCallbackUrl, payoutProvidersFromEnv } from '../payouts/providers.ts';
import { createPayoutSender } from '../payouts/send.ts';
import { createPaymentWebhooksHandler } from './handler.ts';

const env = (name: string) => Deno.env.get(name);
const dbUrl = env('SUPABASE_DB_URL');
const log = (event: string, fields?: Record<string, unknown>) => console.error(event, fields ?? {});
// Payout callbacks confirm the payout by a status call to the provider that sent it (payouts/send.ts, confirm).
const payouts = dbUrl
  ? createPayoutSender({
      db: createPostgresPayoutsDb(dbUrl, { max: 2 }),
      providers: payoutProvidersFromEnv(env),
      callbackUrl: payoutCallbackUrl(env),
      log,
    })
  : undefined;

Deno.serve(
  createPaymentWebhooksHandler({
    store: dbUrl
      ? createPostgresPaymentsStore(dbUrl, {
          max: Number(env('PAYMENTS_DB_POOL_SIZE') ?? 10),
          name: 'ecom-payment-webhooks',
        })
      : undefined,
    provider: providerCache((name) => createPaymentProvider(name, env)),
    ...(payouts ? { onPayout: (hint, provider) => payouts.confirm(hint.reference, provider) } : {}),
  }),
);
