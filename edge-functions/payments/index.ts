// Payments function (verify_jwt = true): mobile-money top-ups, couriers' cash deposits, reconciliation, the sweep.
// docs/API.md, docs/payments.md.
import { createPaymentProvider, providersFor } from '../_shared/payments/index.ts';
import type { Operator } from '../_shared/payments/provider.ts';
import { createPostgresPaymentsStore, providerCache } from '../_shared/payments/store.ts';
import { createPaymentsHandler } from './handler.ts';

const env = (name: string) => Deno.env.get(name);
const dbUrl = env('SUPABASE_DB_URL');
const provider = providerCache((name) => createPaymentProvider(name, env));
const configured = (env('PAYMENT_PROVIDER') ?? '').trim();

Deno.serve(
  createPaymentsHandler({
    store: dbUrl ? createPostgresPaymentsStore(dbUrl, { max: Number(env('PAYMENTS_DB_POOL_SIZE') ?? 10) }) : undefined,
    // PAYMENT_PROVIDER names one provider for every operator, or `auto`: the first of OPERATOR_PROVIDERS.
    providerFor: (operator) => {
      const name = configured === 'auto' ? providersFor(operator as Operator)[0] : configured;
      if (!name) throw new Error(`no payment provider for ${operator} (set PAYMENT_PROVIDER)`);
      provider(name);
      return name;
    },
    provider,
    webhookBaseUrl: `${env('PAYMENT_WEBHOOK_BASE_URL') ?? `${env('SUPABASE_URL')}/functions/v1`}/payment-webhooks`,
    intentTtlSeconds: Number(env('PAYMENT_INTENT_TTL_SECONDS') ?? 600),
    jwtSecret: env('SUPABASE_JWT_SECRET') || undefined,
  }),
);
