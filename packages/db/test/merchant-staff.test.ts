// Store staff through the Data API (rpc add_store_staff, rpc store_team), as the merchant app calls them: the owner
// adds a person by number and sees the team; staff, other merchants and unknown numbers are refused with the exact
// code, and a refusal changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, ensurePeople, PEOPLE, superuser } from './actors.ts';
import { ID, resetFixtures } from './fixtures.ts';

const db = superuser();

beforeAll(async () => {
  await ensurePeople();
  await resetFixtures(db);
});

afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});

const members = async (store: string) =>
  (await db.query('select user_id, role from public.store_members where store_id = $1 order by user_id', [store])).rows;

describe('add_store_staff', () => {
  it('lets the owner add a customer by number: staff of that store, with the merchant role', async () => {
    const { data, error } = await clientFor('merchant_x').rpc('add_store_staff', {
      store_id: ID.storeX,
      phone: PEOPLE.customer_b.phone,
    });
    expect(error).toBeNull();
    expect(data).toMatchObject({ user_id: PEOPLE.customer_b.id, role: 'staff', phone: PEOPLE.customer_b.phone });
    expect(await members(ID.storeX)).toContainEqual({ user_id: PEOPLE.customer_b.id, role: 'staff' });
    const roles = await db.query('select role, granted_by from public.user_roles where user_id = $1', [
      PEOPLE.customer_b.id,
    ]);
    expect(roles.rows).toContainEqual({ role: 'merchant', granted_by: PEOPLE.merchant_x.id });
    // Staff of X only.
    expect((await members(ID.storeY)).map((m) => m.user_id)).not.toContain(PEOPLE.customer_b.id);
  });

  it('refuses the same person twice', async () => {
    const { error } = await clientFor('merchant_x').rpc('add_store_staff', {
      store_id: ID.storeX,
      phone: PEOPLE.customer_b.phone,
    });
    expect(error?.message).toBe('already_member');
  });

  it('refuses staff (not the owner), other merchants, unknown and malformed numbers, and writes nothing', async () => {
    const before = await members(ID.storeX);
    const asStaff = await clientFor('staff_x').rpc('add_store_staff', {
      store_id: ID.storeX,
      phone: PEOPLE.customer_a.phone,
    });
    expect(asStaff.error?.message).toBe('not_store_owner');
    const asOther = await clientFor('merchant_y').rpc('add_store_staff', {
      store_id: ID.storeX,
      phone: PEOPLE.customer_a.phone,
    });
    expect(asOther.error?.message).toBe('store_not_found');
    const unknown = await clientFor('merchant_x').rpc('add_store_staff', {
      store_id: ID.storeX,
      phone: '+2250799999999',
    });
    expect(unknown.error?.message).toBe('person_not_found');
    const malformed = await clientFor('merchant_x').rpc('add_store_staff', {
      store_id: ID.storeX,
      phone: '0700000000',
    });
    expect(malformed.error?.message).toBe('phone_invalid');
    const anon = await clientFor('anon').rpc('add_store_staff', {
      store_id: ID.storeX,
      phone: PEOPLE.customer_a.phone,
    });
    expect(anon.error).not.toBeNull();
    expect(await members(ID.storeX)).toEqual(before);
    const roles = await db.query("select 1 from public.user_roles where user_id = $1 and role = 'merchant'", [
      PEOPLE.customer_a.id,
    ]);
    expect(roles.rowCount).toBe(0);
  });
});

describe('store_team', () => {
  it('shows the owner who runs the store, with names and numbers', async () => {
    const { data, error } = await clientFor('merchant_x').rpc('store_team', { store_id: ID.storeX });
    expect(error).toBeNull();
    const team = data as { user_id: string; role: string; phone: string | null }[];
    expect(team[0]).toMatchObject({ user_id: PEOPLE.merchant_x.id, role: 'owner', phone: PEOPLE.merchant_x.phone });
    expect(team.map((m) => m.user_id)).toEqual(expect.arrayContaining([PEOPLE.staff_x.id, PEOPLE.customer_b.id]));
  });

  it('is refused to staff and to other merchants', async () => {
    expect((await clientFor('staff_x').rpc('store_team', { store_id: ID.storeX })).error?.message).toBe(
      'not_store_owner',
    );
    expect((await clientFor('merchant_y').rpc('store_team', { store_id: ID.storeX })).error?.message).toBe(
      'store_not_found',
    );
  });
});
