// Orders function (verify_jwt = true): place, move and read orders. docs/API.md.
import { createPostgresOrdersDb } from './db.ts';
import { createOrdersHandler } from './handler.ts';

const env = (name: string) => Deno.env.get(name);
const dbUrl = env('SUPABASE_DB_URL');

Deno.serve(
  createOrdersHandler({
    db: dbUrl ? createPostgresOrdersDb(dbUrl, { max: Number(env('ORDERS_DB_POOL_SIZE') ?? 10) }) : undefined,
    jwtSecret: env('SUPABASE_JWT_SECRET') || undefined,
  }),
);
