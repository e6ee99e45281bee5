// Users for the operations team (docs/admin-ops.md "Users"): search by phone or name, roles, suspension. Reads are
// for admins and support (rpc admin_users); the writes are admins' (rpc admin_set_role, admin_set_suspension): the
// database refuses anybody else with `admin_only`.
import type { DataClient } from '@ecom/app-kit/supabase';
import type { Database } from '@ecom/db';
import { unwrap } from './errors.ts';

export type AppRole = Database['public']['Enums']['app_role'];
export const APP_ROLES: readonly AppRole[] = ['customer', 'merchant', 'courier', 'support', 'admin'];

export type OpsUser = Database['public']['Functions']['admin_users']['Returns'][number];

export interface UserSearch {
  query?: string;
  role?: AppRole | null;
  limit?: number;
  offset?: number;
}

export async function searchUsers(
  db: DataClient,
  search: UserSearch = {},
): Promise<{ rows: OpsUser[]; total: number }> {
  const rows = unwrap(
    await db.rpc('admin_users', {
      p_query: search.query?.trim() || undefined,
      p_role: search.role ?? undefined,
      p_limit: search.limit ?? 50,
      p_offset: search.offset ?? 0,
    }),
  );
  return { rows, total: rows.length > 0 ? Number(rows[0]!.total_count) : 0 };
}

/** Grants or revokes one role; the person's roles afterwards. */
export async function setRole(db: DataClient, userId: string, role: AppRole, grant: boolean): Promise<AppRole[]> {
  return unwrap(await db.rpc('admin_set_role', { p_user_id: userId, p_role: role, p_grant: grant }));
}

export interface SuspensionResult {
  user_id: string;
  suspended: boolean;
  reason?: string | null;
  changed: boolean;
}

/** Suspends (reason 3–300 characters) or reinstates a person. */
export async function setSuspension(
  db: DataClient,
  userId: string,
  suspended: boolean,
  reason?: string,
): Promise<SuspensionResult> {
  const data = unwrap(
    await db.rpc('admin_set_suspension', { p_user_id: userId, p_suspended: suspended, p_reason: reason?.trim() }),
  );
  return data as unknown as SuspensionResult;
}
