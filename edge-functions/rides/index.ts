// Rides function (verify_jwt = true): quote, request, move and read rides. docs/API.md.
import { createPostgresRidesDb } from './db.ts';
import { createRidesHandler } from './handler.ts';

const env = (name: string) => Deno.env.get(name);
const dbUrl = env('SUPABASE_DB_URL');

Deno.serve(
  createRidesHandler({
    db: dbUrl ? createPostgresRidesDb(dbUrl, { max: Number(env('RIDES_DB_POOL_SIZE') ?? 10) }) : undefined,
    jwtSecret: env('SUPABASE_JWT_SECRET') || undefined,
  }),
);
