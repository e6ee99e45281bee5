// Payouts function (verify_jwt = true): withdrawals to mobile money, admin review, statements, and the status
// sweep (service role). docs/API.md.
import { createPostgresPayoutsDb } from './db.ts';
import { createPayoutsHandler } from './handler.ts';
import { payoutCallbackUrl, payoutProvidersFromEnv } from './providers.ts';
import { createPayoutSender } from './send.ts';

const env = (name: string) => Deno.env.get(name);
const dbUrl = env('SUPABASE_DB_URL');
const db = dbUrl ? createPostgresPayoutsDb(dbUrl, { max: Number(env('PAYOUTS_DB_POOL_SIZE') ?? 10) }) : undefined;
const log = (event: string, fields?: Record<string, unknown>) => console.error(event, fields ?? {});

Deno.serve(
  createPayoutsHandler({
    db,
    sender: db
      ? createPayoutSender({
          db,
          providers: payoutProvidersFromEnv(env),
          callbackUrl: payoutCallbackUrl(env),
          log,
        })
      : undefined,
    jwtSecret: env('SUPABASE_JWT_SECRET') || undefined,
    log,
  }),
);
