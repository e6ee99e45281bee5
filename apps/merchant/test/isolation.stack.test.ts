// "A merchant never sees another store's orders, customers or money", through the app's own data layer
// (src/data/*.ts) against a real local stack: merchant_x (owner of store X) asks for store Y's queue, orders,
// customers, wallet, statement, payouts and team, by Y's ids, and tries to change Y's status, products, categories,
// option groups, photos and staff.
// Each refusal sits beside the same call on X, which must answer: a test that returns nothing for everyone would fail.
import { createFunctionCaller, FunctionError } from '@ecom/app-kit/functions';
import { createSupabase, StorageError } from '@ecom/app-kit/supabase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePeople, PEOPLE, superuser, tokenFor } from '../../../packages/db/test/actors.ts';
import { ID, resetFixtures } from '../../../packages/db/test/fixtures.ts';
import { stack } from '../../../packages/local-stack/test/stack.ts';
import {
  addCategory,
  listCatalogue,
  removeCategory,
  setProductPhoto,
  updateCategory,
  updateProduct,
} from '../src/data/catalogue.ts';
import { setStorePhoto } from '../src/data/onboarding.ts';
import { addOptionGroup, listOptionGroups, removeOptionGroup, setOptionAvailable } from '../src/data/options.ts';
import { listMyStores, setStoreStatus } from '../src/data/stores.ts';
import { getOrder, listCustomers, listOrdersBetween, listQueue, moveOrder } from '../src/data/orders.ts';
import { listPayouts, storeStatement, walletBalance } from '../src/data/money.ts';
import { listPromotions, setPromotionActive } from '../src/data/promotions.ts';
import { addStaff, listTeam, StaffError } from '../src/data/staff.ts';

const db = superuser();
const longAgo = new Date('2020-01-01T00:00:00Z');
const farAhead = new Date('2100-01-01T00:00:00Z');

/** The app's client and function caller, holding merchant_x's access token (the claims Auth and our hook issue). */
function appAs(person: 'merchant_x' | 'merchant_y') {
  const s = stack();
  const token = tokenFor(person);
  const client = createSupabase({ url: s.apiUrl, anonKey: s.anonKey, accessToken: async () => token });
  const call = createFunctionCaller({
    url: s.apiUrl,
    anonKey: s.anonKey,
    accessToken: async () => token,
    locale: () => 'fr',
  });
  return { client, call };
}

let x: ReturnType<typeof appAs>;

beforeAll(async () => {
  await ensurePeople();
  await resetFixtures(db);
  x = appAs('merchant_x');
});

afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});

describe('merchant_x through the merchant app data layer', () => {
  it('lists only the stores it is a member of', async () => {
    const ids = (await listMyStores(x.client, PEOPLE.merchant_x.id)).map((s) => s.id).sort();
    expect(ids).toContain(ID.storeX);
    expect(ids).not.toContain(ID.storeY);
    // Even asking for another person's memberships.
    expect(await listMyStores(x.client, PEOPLE.merchant_y.id)).toEqual([]);
  });

  it("gets its own queue and orders, and nothing of store Y's even by Y's ids", async () => {
    const mine = await listOrdersBetween(x.client, ID.storeX, longAgo, farAhead);
    expect(mine.map((o) => o.id)).toEqual(expect.arrayContaining([ID.orderO1, ID.orderO3]));
    expect(await listQueue(x.client, ID.storeY, longAgo)).toEqual([]);
    expect(await listOrdersBetween(x.client, ID.storeY, longAgo, farAhead)).toEqual([]);
    expect((await getOrder(x.call, ID.orderO1))?.id).toBe(ID.orderO1);
    expect(await getOrder(x.call, ID.orderO2)).toBeNull();
  });

  it("cannot move store Y's order: it does not exist for this merchant", async () => {
    const refused = await moveOrder(x.call, ID.orderO2, { to: 'accepted', prep_minutes: 10 }).catch((e) => e);
    expect(refused).toBeInstanceOf(FunctionError);
    expect((refused as FunctionError).status).toBe(404);
    expect((refused as FunctionError).code).toBe('order_not_found');
    const { rows } = await db.query('select status from public.orders where id = $1', [ID.orderO2]);
    expect(rows[0].status).toBe('pending');
  });

  it("sees its own customers and none of store Y's", async () => {
    expect((await listCustomers(x.client, ID.storeX)).map((c) => c.customer_id)).toContain(PEOPLE.customer_a.id);
    expect(await listCustomers(x.client, ID.storeY)).toEqual([]);
  });

  it("reads its wallet, statement and payouts, and none of store Y's money", async () => {
    expect(await walletBalance(x.client, ID.storeX)).toEqual(expect.any(Number));
    expect(await walletBalance(x.client, ID.storeY)).toBeNull();
    expect((await storeStatement(x.client, ID.storeX, 'month'))?.payee.id).toBe(ID.storeX);
    expect(await storeStatement(x.client, ID.storeY, 'month')).toBeNull();
    expect((await listPayouts(x.call, ID.storeX)).map((p) => p.id)).toContain(ID.payoutX);
    expect(await listPayouts(x.call, ID.storeY)).toEqual([]);
  });

  it('changes nothing of store Y: not its status, not its products, not its photos', async () => {
    const before = await db.query('select price_xof, photo_path from public.products where id = $1', [ID.productY]);
    expect(await setStoreStatus(x.client, ID.storeY, { status: 'busy', minutes: 30 })).toBeNull();
    expect(await updateProduct(x.client, ID.storeY, ID.productY, { price_xof: 1 })).toBeNull();
    // Y's product id under X's store id: still nothing.
    expect(await updateProduct(x.client, ID.storeX, ID.productY, { price_xof: 1 })).toBeNull();
    const upload = await setProductPhoto(
      x.client,
      ID.storeY,
      ID.productY,
      new Blob([new Uint8Array(10)], { type: 'image/jpeg' }),
    ).catch((e) => e);
    expect(upload).toBeInstanceOf(StorageError);
    const store = await db.query('select status, busy_until from public.stores where id = $1', [ID.storeY]);
    expect(store.rows[0].busy_until).toBeNull();
    const product = await db.query('select price_xof, photo_path from public.products where id = $1', [ID.productY]);
    expect(product.rows[0]).toEqual(before.rows[0]);
    // The same calls on its own store go through.
    expect((await setStoreStatus(x.client, ID.storeX, { status: 'busy', minutes: 15 }))?.status).toBe('busy');
    expect((await listCatalogue(x.client, ID.storeX)).products.map((p) => p.id)).toContain(ID.productXHidden);
  });

  it("sees its own team, not store Y's, and cannot add anyone to Y", async () => {
    expect((await listTeam(x.client, ID.storeX))?.map((m) => m.user_id)).toContain(PEOPLE.staff_x.id);
    expect(await listTeam(x.client, ID.storeY)).toBeNull();
    const refused = await addStaff(x.client, ID.storeY, PEOPLE.customer_a.phone).catch((e) => e);
    expect(refused).toBeInstanceOf(StaffError);
    expect((refused as StaffError).code).toBe('store_not_found');
    const members = await db.query('select user_id from public.store_members where store_id = $1', [ID.storeY]);
    expect(members.rows.map((r) => r.user_id)).toEqual([PEOPLE.merchant_y.id]);
  });

  it("switches off its own promotions, never store Y's", async () => {
    expect(await setPromotionActive(x.client, ID.storeY, ID.promotionY, false)).toBeNull();
    expect(await setPromotionActive(x.client, ID.storeX, ID.promotionY, false)).toBeNull();
    const y = await db.query('select active from public.promotions where id = $1', [ID.promotionY]);
    expect(y.rows[0].active).toBe(true);
    expect((await listPromotions(x.client, ID.storeX)).map((p) => p.id)).toContain(ID.promotionXOff);
    expect((await setPromotionActive(x.client, ID.storeX, ID.promotionX, false))?.active).toBe(false);
  });

  it("edits its own categories and option groups, never store Y's, nor Y's cover photo", async () => {
    expect(await updateCategory(x.client, ID.storeY, ID.categoryY, { name: 'Pris' })).toBeNull();
    expect(await updateCategory(x.client, ID.storeX, ID.categoryY, { name: 'Pris' })).toBeNull();
    expect(await removeCategory(x.client, ID.storeY, ID.categoryY)).toBe(false);
    expect(await addCategory(x.client, ID.storeY, 'Intrus', 9).catch((e) => e)).toBeInstanceOf(Error);
    // (Y's menu, option groups included, is public like any approved store's: reading it is no leak.)
    expect(await removeOptionGroup(x.client, ID.storeY, ID.groupY)).toBe(false);
    expect(await setOptionAvailable(x.client, ID.storeY, ID.optionY, false)).toBe(false);
    expect(await setOptionAvailable(x.client, ID.storeX, ID.optionY, false)).toBe(false);
    const group = {
      name: 'Intrus',
      min_selections: 0,
      max_selections: 1,
      options: [{ name: 'A', price_delta_xof: 0 }],
    };
    expect(await addOptionGroup(x.client, ID.storeY, ID.productY, group, 9).catch((e) => e)).toBeInstanceOf(Error);
    const cover = await setStorePhoto(
      x.client,
      ID.storeY,
      'cover',
      new Blob([new Uint8Array(10)], { type: 'image/jpeg' }),
    ).catch((e) => e);
    expect(cover).toBeInstanceOf(StorageError);
    const y = await db.query(
      `select (select name from public.categories where id = $1) as category,
              (select count(*)::int from public.categories where store_id = $2) as categories,
              (select count(*)::int from public.product_option_groups where store_id = $2) as groups,
              (select cover_path from public.stores where id = $2) as cover,
              (select available from public.product_options where id = $3) as option`,
      [ID.categoryY, ID.storeY, ID.optionY],
    );
    expect(y.rows[0]).toEqual({ category: 'Douleur', categories: 1, groups: 1, cover: null, option: true });
    // The same calls on its own store go through.
    const added = await addCategory(x.client, ID.storeX, 'Grillades', 9);
    expect((await updateCategory(x.client, ID.storeX, added.id, { name: 'Braisés' }))?.name).toBe('Braisés');
    await addOptionGroup(x.client, ID.storeX, ID.productX, { ...group, name: 'Sauce' }, 9);
    expect((await listOptionGroups(x.client, ID.storeX, ID.productX)).map((g) => g.name)).toContain('Sauce');
    expect(await setOptionAvailable(x.client, ID.storeX, ID.optionX, false)).toBe(true);
    expect(await removeCategory(x.client, ID.storeX, added.id)).toBe(true);
  });
});
