// Courier function (verify_jwt = true): presence and answers to offers. docs/API.md.
import { createPostgresCourierDb } from './db.ts';
import { createCourierHandler } from './handler.ts';

const env = (name: string) => Deno.env.get(name);
const dbUrl = env('SUPABASE_DB_URL');

Deno.serve(
  createCourierHandler({
    db: dbUrl ? createPostgresCourierDb(dbUrl, { max: Number(env('COURIER_DB_POOL_SIZE') ?? 10) }) : undefined,
    jwtSecret: env('SUPABASE_JWT_SECRET') || undefined,
  }),
);
