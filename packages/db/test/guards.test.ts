// Columns a client must not set: approval and commission (admins only), rows moving to another store or person,
// server-managed columns (grants), role management by admins, store membership and the single default address.
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PEOPLE, clientFor, ensurePeople, superuser } from './actors.ts';
import { ID, resetFixtures } from './fixtures.ts';

let db: pg.Pool;
beforeAll(async () => {
  db = superuser();
  await ensurePeople();
});
beforeEach(() => resetFixtures(db));
afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});

const newStore = (patch: Record<string, unknown> = {}) => ({
  kind: 'maquis' as const,
  slug: `test-${Math.random().toString(36).slice(2, 10)}`,
  name: 'Maquis du Fleuve',
  phone: '+2250700000501',
  lat: 5.9,
  lng: -4.82,
  landmark: 'Bord du fleuve',
  ...patch,
});

describe('store approval and commission', () => {
  it('refuses a member approving their own store', async () => {
    const r = await clientFor('merchant_x').from('stores').update({ approval_status: 'approved' }).eq('id', ID.storeP);
    expect(r.error?.code).toBe('42501');
    expect(r.error?.message).toBe('only an admin can change approval_status');
    const row = await db.query('select approval_status from public.stores where id = $1', [ID.storeP]);
    expect(row.rows[0].approval_status).toBe('pending');
  });

  it('refuses a member changing the commission', async () => {
    const r = await clientFor('merchant_x').from('stores').update({ commission_bps: 0 }).eq('id', ID.storeX);
    expect(r.error?.code).toBe('42501');
    expect(r.error?.message).toBe('only an admin can change commission_bps');
  });

  it('refuses a merchant creating an approved store or one with a commission', async () => {
    const approved = await clientFor('merchant_y')
      .from('stores')
      .insert(newStore({ approval_status: 'approved' }) as never);
    expect(approved.error?.message).toBe('only an admin can set approval_status: a new store starts pending');
    const commission = await clientFor('merchant_y')
      .from('stores')
      .insert(newStore({ commission_bps: 100 }) as never);
    expect(commission.error?.message).toBe('only an admin can set commission_bps');
  });

  it('makes a merchant’s new store pending, owned by them, visible to them only', async () => {
    const store = newStore();
    const created = await clientFor('merchant_y')
      .from('stores')
      .insert(store as never)
      .select('slug, approval_status')
      .single();
    expect(created.error).toBeNull();
    expect(created.data).toEqual({ slug: store.slug, approval_status: 'pending' });
    const members = await db.query(
      'select m.user_id, m.role from public.store_members m join public.stores s on s.id = m.store_id where s.slug = $1',
      [store.slug],
    );
    expect(members.rows).toEqual([{ user_id: PEOPLE.merchant_y.id, role: 'owner' }]);
    const seen = await clientFor('customer_a').from('stores').select('id').eq('slug', store.slug);
    expect(seen.data).toEqual([]);
  });

  it('lets an admin approve a store and set its commission, which makes it public', async () => {
    const r = await clientFor('admin')
      .from('stores')
      .update({ approval_status: 'approved', commission_bps: 750 })
      .eq('id', ID.storeP)
      .select('approval_status, commission_bps');
    expect(r.error).toBeNull();
    expect(r.data).toEqual([{ approval_status: 'approved', commission_bps: 750 }]);
    const anon = await clientFor('anon').from('stores').select('id').eq('id', ID.storeP);
    expect(anon.data).toEqual([{ id: ID.storeP }]);
  });

  it('refuses anyone setting server-managed columns (grants)', async () => {
    for (const actor of ['merchant_x', 'admin'] as const) {
      const r = await clientFor(actor)
        .from('stores')
        .update({ created_at: '2020-01-01T00:00:00Z' } as never)
        .eq('id', ID.storeX);
      expect(r.error?.code).toBe('42501');
      expect(r.error?.message).toBe('permission denied for table stores');
    }
    const createdBy = await clientFor('merchant_x')
      .from('stores')
      .insert(newStore({ created_by: PEOPLE.merchant_y.id }) as never);
    expect(createdBy.error?.message).toBe('permission denied for table stores');
  });
});

describe('rows stay where they belong', () => {
  it('refuses moving a product to another store, even for its member', async () => {
    const r = await clientFor('merchant_x').from('products').update({ store_id: ID.storeP }).eq('id', ID.productX);
    expect(r.error?.code).toBe('42501');
    expect(r.error?.message).toBe('store_id of a row in products cannot be changed');
  });

  it('refuses moving an option to another group', async () => {
    const r = await clientFor('admin')
      .from('product_options')
      .update({ group_id: ID.groupXHidden })
      .eq('id', ID.optionX);
    expect(r.error?.message).toBe('group_id of a row in product_options cannot be changed');
  });

  it('refuses giving one’s address to somebody else', async () => {
    const r = await clientFor('customer_a')
      .from('addresses')
      .update({ user_id: PEOPLE.customer_b.id })
      .eq('id', ID.addressA);
    expect(r.error?.code).toBe('42501');
    expect(r.error?.message).toBe('user_id of a row in addresses cannot be changed');
  });

  it('fills an option group’s store from its product', async () => {
    const r = await clientFor('merchant_x')
      .from('product_option_groups')
      .insert({ product_id: ID.productX, name: 'Boisson', max_selections: 1 } as never)
      .select('store_id, required')
      .single();
    expect(r.error).toBeNull();
    expect(r.data).toEqual({ store_id: ID.storeX, required: false });
  });
});

describe('roles and store membership', () => {
  it('lets an admin grant a role, recorded as granted by them, and revoke it', async () => {
    const granted = await clientFor('admin')
      .from('user_roles')
      .insert({ user_id: PEOPLE.customer_b.id, role: 'merchant' })
      .select('role, granted_by')
      .single();
    expect(granted.error).toBeNull();
    expect(granted.data).toEqual({ role: 'merchant', granted_by: PEOPLE.admin.id });
    const revoked = await clientFor('admin')
      .from('user_roles')
      .delete()
      .match({ user_id: PEOPLE.customer_b.id, role: 'merchant' })
      .select();
    expect(revoked.data).toHaveLength(1);
  });

  it('refuses a customer granting themselves admin', async () => {
    const r = await clientFor('customer_a').from('user_roles').insert({ user_id: PEOPLE.customer_a.id, role: 'admin' });
    expect(r.error?.message).toBe('new row violates row-level security policy for table "user_roles"');
  });

  it('refuses a store member who is not a merchant', async () => {
    const r = await clientFor('merchant_x')
      .from('store_members')
      .insert({ store_id: ID.storeX, user_id: PEOPLE.customer_a.id, role: 'staff' });
    expect(r.error?.code).toBe('23514');
    expect(r.error?.message).toBe('a store member must hold the merchant role (an admin grants it first)');
  });

  it('refuses an owner adding another owner', async () => {
    const r = await clientFor('merchant_x')
      .from('store_members')
      .insert({ store_id: ID.storeX, user_id: PEOPLE.merchant_y.id, role: 'owner' });
    expect(r.error?.message).toBe('new row violates row-level security policy for table "store_members"');
  });

  it('cuts a member off their store as soon as the merchant role is revoked', async () => {
    await db.query("delete from public.user_roles where user_id = $1 and role = 'merchant'", [PEOPLE.merchant_x.id]);
    const pending = await clientFor('merchant_x').from('stores').select('id').eq('id', ID.storeX);
    expect(pending.data).toEqual([{ id: ID.storeX }]); // still public: approved
    const hidden = await clientFor('merchant_x').from('products').select('id').eq('id', ID.productXHidden);
    expect(hidden.data).toEqual([]);
    const edit = await clientFor('merchant_x').from('products').update({ price_xof: 1 }).eq('id', ID.productX).select();
    expect(edit.data).toEqual([]);
  });
});

describe('default address', () => {
  it('keeps one default address per person', async () => {
    const r = await clientFor('customer_a')
      .from('addresses')
      .insert({
        label: 'Bureau',
        lat: 5.8975,
        lng: -4.8222,
        landmark: 'Mairie, deuxième étage',
        phone: '+2250100000201',
        is_default: true,
      } as never)
      .select('id')
      .single();
    expect(r.error).toBeNull();
    const defaults = await clientFor('customer_a').from('addresses').select('id').eq('is_default', true);
    expect(defaults.data).toEqual([{ id: r.data!.id }]);
  });
});
