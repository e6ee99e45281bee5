// Who runs a store: the owner lists the team (names and numbers) and adds staff by phone number (rpc store_team,
// rpc add_store_staff, migration 20261121200300), and removes staff (store_members, "Owners can remove staff").
import type { DataClient } from '@ecom/app-kit/supabase';

export interface TeamMember {
  user_id: string;
  role: 'owner' | 'staff';
  full_name: string;
  phone: string | null;
  added_at: string;
}

/** Refusals the app explains in words; anything else is "could not save". */
export type StaffProblem =
  'not_store_owner' | 'store_not_found' | 'person_not_found' | 'already_member' | 'phone_invalid';
const KNOWN: readonly string[] = [
  'not_store_owner',
  'store_not_found',
  'person_not_found',
  'already_member',
  'phone_invalid',
];

export class StaffError extends Error {
  readonly code: StaffProblem | 'unknown';
  constructor(message: string) {
    super(message);
    this.name = 'StaffError';
    this.code = KNOWN.includes(message) ? (message as StaffProblem) : 'unknown';
  }
}

/** The team of a store, owners first; null when the person is not its owner. */
export async function listTeam(db: DataClient, storeId: string): Promise<TeamMember[] | null> {
  const { data, error } = await db.rpc('store_team', { store_id: storeId });
  if (error) {
    if (error.message === 'not_store_owner' || error.message === 'store_not_found') return null;
    throw new StaffError(error.message);
  }
  return data as unknown as TeamMember[];
}

/** Adds the account with this number (E.164) as staff; refusals throw StaffError with their code. */
export async function addStaff(db: DataClient, storeId: string, phone: string): Promise<TeamMember> {
  const { data, error } = await db.rpc('add_store_staff', { store_id: storeId, phone });
  if (error) throw new StaffError(error.message);
  return data as unknown as TeamMember;
}

/** Removes a staff member (owners only; RLS deletes nothing otherwise). True when removed. */
export async function removeStaff(db: DataClient, storeId: string, userId: string): Promise<boolean> {
  const { data, error } = await db
    .from('store_members')
    .delete()
    .eq('store_id', storeId)
    .eq('user_id', userId)
    .eq('role', 'staff')
    .select('user_id');
  if (error) throw new StaffError(error.message);
  return data.length === 1;
}
