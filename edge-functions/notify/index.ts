// Notify function (verify_jwt = true, service role only): drains the push / SMS queue. docs/API.md.
import postgres from 'npm:postgres@3.4.7';
import { pushProvidersFromEnv } from '../_shared/push/index.ts';
import { type SmsProvider, smsProviderFromEnv } from '../_shared/sms/index.ts';
import { drain } from './drain.ts';
import { createNotifyHandler } from './handler.ts';

const env = (name: string) => Deno.env.get(name);
const dbUrl = env('SUPABASE_DB_URL');
const num = (name: string) => (env(name) ? Number(env(name)) : undefined);

const sql = dbUrl
  ? postgres(dbUrl, {
      max: 2,
      idle_timeout: 30,
      connection: { application_name: 'ecom-notify' },
      onnotice: () => undefined,
    })
  : undefined;
const push = pushProvidersFromEnv(env);
let sms: SmsProvider | undefined;
const senders = { push, sms: () => (sms ??= smsProviderFromEnv(env, { timeoutMs: 5000 })) };

Deno.serve(
  createNotifyHandler({
    drain: sql
      ? () =>
          drain(sql, senders, {
            batchSize: num('NOTIFY_BATCH_SIZE'),
            maxAttempts: num('NOTIFY_MAX_ATTEMPTS'),
            backoffSeconds: num('NOTIFY_BACKOFF_SECONDS'),
          })
      : undefined,
    jwtSecret: env('SUPABASE_JWT_SECRET') || undefined,
  }),
);
