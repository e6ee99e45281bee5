// People's phones and names for the admin (rpc admin_people, migration 20261121203010): phones live in auth.users,
// which the Data API never shows; admins get them by id or by number, everyone else not_admin.
import type { DataClient } from '@ecom/app-kit/supabase';
import { unwrap } from './errors.ts';

export interface Person {
  id: string;
  phone: string;
  full_name: string | null;
  language: string | null;
  roles: string[];
}

/** The people with these ids (200 at most), by id. */
export async function peopleById(
  db: DataClient,
  ids: readonly (string | null | undefined)[],
): Promise<Map<string, Person>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (!wanted.length) return new Map();
  const rows = unwrap(await db.rpc('admin_people', { p_ids: wanted.slice(0, 200) })) as Person[];
  return new Map(rows.map((p) => [p.id, p]));
}

/** The people whose phone is this number (E.164). */
export async function peopleByPhone(db: DataClient, e164: string): Promise<Person[]> {
  return unwrap(await db.rpc('admin_people', { p_phone: e164 })) as Person[];
}
