// The store's catalogue as its merchant edits it: categories and every product (withdrawn and sold-out ones too:
// RLS shows members all of theirs), prices, "épuisé jusqu'à …", photos. Writes go through PostgREST as the
// merchant; each is scoped by store id as well as row id, so a foreign id changes nothing.
import type { AppSupabase, DataClient, Tables } from '@ecom/app-kit/supabase';
import type { ValidProduct } from '@ecom/domain/merchant';

export type Category = Pick<Tables<'categories'>, 'id' | 'name' | 'position'>;
export type Product = Pick<
  Tables<'products'>,
  | 'id'
  | 'store_id'
  | 'category_id'
  | 'name'
  | 'description'
  | 'price_xof'
  | 'photo_path'
  | 'available'
  | 'sold_out_until'
  | 'position'
>;

const PRODUCT_COLUMNS =
  'id, store_id, category_id, name, description, price_xof, photo_path, available, sold_out_until, position';

export async function listCatalogue(
  db: DataClient,
  storeId: string,
): Promise<{ categories: Category[]; products: Product[] }> {
  const [categories, products] = await Promise.all([
    db.from('categories').select('id, name, position').eq('store_id', storeId).order('position').order('name'),
    db.from('products').select(PRODUCT_COLUMNS).eq('store_id', storeId).order('position').order('name'),
  ]);
  if (categories.error) throw new Error(categories.error.message);
  if (products.error) throw new Error(products.error.message);
  return { categories: categories.data, products: products.data };
}

export async function getProduct(db: DataClient, storeId: string, id: string): Promise<Product | null> {
  const { data, error } = await db
    .from('products')
    .select(PRODUCT_COLUMNS)
    .eq('store_id', storeId)
    .eq('id', id)
    .maybeSingle();
  if (error) throw new Error(error.message);
  return data;
}

type ProductPatch = Partial<
  Pick<
    Product,
    'name' | 'description' | 'price_xof' | 'available' | 'sold_out_until' | 'photo_path' | 'category_id' | 'position'
  >
>;

/** Saves a change; null when the product is not one of this store's (nothing written). */
export async function updateProduct(
  db: DataClient,
  storeId: string,
  id: string,
  patch: ProductPatch,
): Promise<Product | null> {
  const { data, error } = await db
    .from('products')
    .update(patch)
    .eq('store_id', storeId)
    .eq('id', id)
    .select(PRODUCT_COLUMNS)
    .maybeSingle();
  if (error) throw new Error(error.message);
  return data;
}

/** The quick "add a dish": name, price, category; last in its category. */
export async function addProduct(
  db: DataClient,
  storeId: string,
  product: Pick<ValidProduct, 'name' | 'price_xof'> & { category_id: string | null },
): Promise<Product> {
  const { data, error } = await db
    .from('products')
    .insert({
      store_id: storeId,
      name: product.name,
      price_xof: product.price_xof,
      category_id: product.category_id,
      position: 1000,
    })
    .select(PRODUCT_COLUMNS)
    .single();
  if (error) throw new Error(error.message);
  return data;
}

/** End of the store's day (Africa/Abidjan is UTC+0): "épuisé jusqu'à ce soir" in one tap. */
export function endOfDay(now: Date = new Date()): string {
  const d = new Date(now);
  d.setUTCHours(23, 59, 0, 0);
  return d.toISOString();
}

export const isSoldOut = (p: Pick<Product, 'sold_out_until'>, now = new Date()): boolean =>
  p.sold_out_until !== null && new Date(p.sold_out_until) > now;

/** Swaps two products' places in the list (reorder by one step). */
export async function swapPositions(db: DataClient, storeId: string, a: Product, b: Product): Promise<void> {
  const [pa, pb] = a.position === b.position ? [b.position + 1, a.position] : [b.position, a.position];
  const first = await updateProduct(db, storeId, a.id, { position: pa });
  const second = await updateProduct(db, storeId, b.id, { position: pb });
  if (!first || !second) throw new Error('reorder refused');
}

/** Uploads an already compressed JPEG under `<store id>/` and points the product at it. */
export async function setProductPhoto(
  client: Pick<AppSupabase, 'storage'> & DataClient,
  storeId: string,
  productId: string,
  jpeg: Blob,
): Promise<Product | null> {
  const path = await client.storage.upload(
    'product-photos',
    `${storeId}/${productId}-${Date.now().toString(36)}.jpg`,
    jpeg,
    'image/jpeg',
  );
  return updateProduct(client, storeId, productId, { photo_path: path });
}

/** A new category at the end of the menu; null when the store is not the person's (RLS refuses). */
export async function addCategory(db: DataClient, storeId: string, name: string, position: number): Promise<Category> {
  const { data, error } = await db
    .from('categories')
    .insert({ store_id: storeId, name, position })
    .select('id, name, position')
    .single();
  if (error) throw new Error(error.message);
  return data;
}

/** Renames or moves a category; null when it is not one of this store's (nothing written). */
export async function updateCategory(
  db: DataClient,
  storeId: string,
  id: string,
  patch: Partial<Pick<Category, 'name' | 'position'>>,
): Promise<Category | null> {
  const { data, error } = await db
    .from('categories')
    .update(patch)
    .eq('store_id', storeId)
    .eq('id', id)
    .select('id, name, position')
    .maybeSingle();
  if (error) throw new Error(error.message);
  return data;
}

/** Deletes a category: its products stay, without a category (products_category_in_same_store sets it null). */
export async function removeCategory(db: DataClient, storeId: string, id: string): Promise<boolean> {
  const { data, error } = await db.from('categories').delete().eq('store_id', storeId).eq('id', id).select('id');
  if (error) throw new Error(error.message);
  return data.length === 1;
}

/** Swaps two categories' places (move up or down by one). */
export async function swapCategories(db: DataClient, storeId: string, a: Category, b: Category): Promise<void> {
  const [pa, pb] = a.position === b.position ? [b.position + 1, a.position] : [b.position, a.position];
  const first = await updateCategory(db, storeId, a.id, { position: pa });
  const second = await updateCategory(db, storeId, b.id, { position: pb });
  if (!first || !second) throw new Error('reorder refused');
}
