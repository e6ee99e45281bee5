// Named actors for the database tests (STYLE.md rule 10): people created through the Auth admin API with fixed ids,
// roles inserted as superuser, and access tokens minted with the stack's JWT secret carrying the same claims
// Supabase Auth and our Custom Access Token Hook issue. Each actor talks to the Data API through supabase-js.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { signJwt } from '../../local-stack/src/keys.ts';
import { newClient, stack } from '../../local-stack/test/stack.ts';
import type { Database } from '../src/database.types.ts';

export type AppRole = Database['public']['Enums']['app_role'];
export type Db = SupabaseClient<Database>;

export const ACTORS = [
  'anon',
  'customer_a',
  'customer_b',
  'merchant_x',
  'merchant_y',
  'courier_on_job',
  'courier_not_on_job',
  'admin',
] as const;
export type Actor = (typeof ACTORS)[number];
export type Person = Exclude<Actor, 'anon'> | 'staff_x';

/**
 * Fixed people. courier_on_job delivers order O1 and drives rides R1 and R3 of the fixtures; courier_not_on_job is
 * approved too but assigned nothing (it only has offers). staff_x is no actor of the matrix: the staff member of
 * store X that owners may remove.
 */
export const PEOPLE: Record<Person, { id: string; phone: string; roles: AppRole[] }> = {
  customer_a: { id: 'a0000000-0000-4000-8000-000000000001', phone: '+2250100000201', roles: ['customer'] },
  customer_b: { id: 'a0000000-0000-4000-8000-000000000002', phone: '+2250100000202', roles: ['customer'] },
  merchant_x: { id: 'a0000000-0000-4000-8000-000000000003', phone: '+2250100000203', roles: ['customer', 'merchant'] },
  merchant_y: { id: 'a0000000-0000-4000-8000-000000000004', phone: '+2250100000204', roles: ['customer', 'merchant'] },
  courier_on_job: {
    id: 'a0000000-0000-4000-8000-000000000005',
    phone: '+2250100000205',
    roles: ['customer', 'courier'],
  },
  courier_not_on_job: {
    id: 'a0000000-0000-4000-8000-000000000008',
    phone: '+2250100000208',
    roles: ['customer', 'courier'],
  },
  admin: { id: 'a0000000-0000-4000-8000-000000000006', phone: '+2250100000206', roles: ['customer', 'admin'] },
  staff_x: { id: 'a0000000-0000-4000-8000-000000000007', phone: '+2250100000207', roles: ['customer', 'merchant'] },
};
export const PERSON_IDS = Object.values(PEOPLE).map((p) => p.id);

/** A superuser connection, like the SQL editor: for fixtures and for checking what really changed. */
export function superuser(): pg.Pool {
  return new pg.Pool({ connectionString: stack().dbUrl, max: 2 });
}

/** Creates the people (idempotent: the test files share one stack) and gives them their roles. */
export async function ensurePeople(): Promise<void> {
  const admin = newClient('service');
  for (const person of Object.values(PEOPLE)) {
    const existing = await admin.auth.admin.getUserById(person.id);
    if (!existing.data.user) {
      const { error } = await admin.auth.admin.createUser({ id: person.id, phone: person.phone, phone_confirm: true });
      if (error) throw error;
    }
  }
}

/** The roles of PEOPLE, exactly (removes any granted by a test, restores any revoked). */
export async function resetRoles(db: pg.Pool): Promise<void> {
  await db.query('delete from public.user_roles where user_id = any($1::uuid[])', [PERSON_IDS]);
  for (const person of Object.values(PEOPLE)) {
    for (const role of person.roles) {
      await db.query('insert into public.user_roles (user_id, role) values ($1, $2)', [person.id, role]);
    }
  }
}

export function tokenFor(person: Person): string {
  const p = PEOPLE[person];
  return signJwt(
    {
      sub: p.id,
      role: 'authenticated',
      aud: 'authenticated',
      exp: Math.floor(Date.now() / 1000) + 3600,
      phone: p.phone.slice(1),
      user_roles: [...p.roles].sort(),
    },
    stack().jwtSecret,
  );
}

/** A supabase-js client acting as the actor (anon: the anon key alone). */
export function clientFor(actor: Actor | 'staff_x'): Db {
  if (actor === 'anon') return newClient() as Db;
  const s = stack();
  return createClient<Database>(s.apiUrl, s.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { headers: { Authorization: `Bearer ${tokenFor(actor)}` } },
  });
}
