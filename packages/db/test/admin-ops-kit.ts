// Shared by the admin-ops-*.test.ts files (issue 10, operations): the read-only support person, a client acting as
// them, the functions called with any token, and putting suspensions back after a test (the fixtures reset names
// and languages of the fixture people, not their suspension).
import { createClient } from '@supabase/supabase-js';
import type pg from 'pg';
import { signJwt } from '../../local-stack/src/keys.ts';
import { newClient, stack } from '../../local-stack/test/stack.ts';
import type { Database } from '../src/database.types.ts';
import { PERSON_IDS, tokenFor, type Db, type Person } from './actors.ts';

/** The support person: customer + support, no admin. Not in PEOPLE, so resetRoles leaves their roles alone. */
export const SUPPORT = { id: 'a0000000-0000-4000-8000-000000001021', phone: '+2250100001021' } as const;

export async function ensureSupport(db: pg.Pool): Promise<void> {
  const service = newClient('service');
  const existing = await service.auth.admin.getUserById(SUPPORT.id);
  if (!existing.data.user) {
    const { error } = await service.auth.admin.createUser({
      id: SUPPORT.id,
      phone: SUPPORT.phone,
      phone_confirm: true,
    });
    if (error) throw error;
  }
  await db.query(`insert into public.user_roles (user_id, role) values ($1, 'support') on conflict do nothing`, [
    SUPPORT.id,
  ]);
  await db.query(`update public.profiles set full_name = 'Mariam Support' where id = $1`, [SUPPORT.id]);
}

export function supportToken(): string {
  return signJwt(
    {
      sub: SUPPORT.id,
      role: 'authenticated',
      aud: 'authenticated',
      exp: Math.floor(Date.now() / 1000) + 3600,
      phone: SUPPORT.phone.slice(1),
      user_roles: ['customer', 'support'],
    },
    stack().jwtSecret,
  );
}

export function supportClient(): Db {
  const s = stack();
  return createClient<Database>(s.apiUrl, s.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { headers: { Authorization: `Bearer ${supportToken()}` } },
  });
}

export interface Answer {
  status: number;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Calls an edge function as a fixture person or support, in French unless told. */
export async function callFunction(
  who: Person | 'support',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const s = stack();
  const res = await fetch(`${s.apiUrl}/functions/v1/${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${who === 'support' ? supportToken() : tokenFor(who)}`,
      'content-type': 'application/json',
      'accept-language': 'fr',
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

/** Nobody of the fixtures stays suspended or banned after a test. */
export async function liftSuspensions(db: pg.Pool): Promise<void> {
  await db.query(
    `update public.profiles set suspended_at = null, suspension_reason = null, suspended_by = null
      where id = any($1::uuid[]) and suspended_at is not null`,
    [PERSON_IDS],
  );
  await db.query('update auth.users set banned_until = null where id = any($1::uuid[])', [PERSON_IDS]);
}

let seq = 0;
export const newKey = (prefix = 'ops') => `${prefix}-${process.pid}-${Date.now()}-${(seq += 1)}`;
