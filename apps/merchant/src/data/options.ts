// A product's option groups ("Accompagnement": choose 1 of attiéké, alloco…) and their options with what each adds
// to the price, as the merchant edits them through PostgREST (members write their store's; RLS refuses others).
// A group is written with its options; if the options are refused the group is removed again.
import type { DataClient, Tables } from '@ecom/app-kit/supabase';
import type { ValidOptionGroup } from '@ecom/domain/merchant';

export type OptionGroup = Pick<
  Tables<'product_option_groups'>,
  'id' | 'name' | 'min_selections' | 'max_selections' | 'required' | 'position'
> & {
  product_options: Pick<Tables<'product_options'>, 'id' | 'name' | 'price_delta_xof' | 'available' | 'position'>[];
};

const GROUP_COLUMNS =
  'id, name, min_selections, max_selections, required, position, product_options(id, name, price_delta_xof, available, position)';

export async function listOptionGroups(db: DataClient, storeId: string, productId: string): Promise<OptionGroup[]> {
  const { data, error } = await db
    .from('product_option_groups')
    .select(GROUP_COLUMNS)
    .eq('store_id', storeId)
    .eq('product_id', productId)
    .order('position')
    .order('position', { referencedTable: 'product_options' });
  if (error) throw new Error(error.message);
  return data;
}

export async function addOptionGroup(
  db: DataClient,
  storeId: string,
  productId: string,
  group: ValidOptionGroup,
  position: number,
): Promise<void> {
  const { data, error } = await db
    .from('product_option_groups')
    .insert({
      store_id: storeId,
      product_id: productId,
      name: group.name,
      min_selections: group.min_selections,
      max_selections: group.max_selections,
      position,
    })
    .select('id')
    .single();
  if (error) throw new Error(error.message);
  const options = await db.from('product_options').insert(
    group.options.map((o, i) => ({
      store_id: storeId,
      group_id: data.id,
      name: o.name,
      price_delta_xof: o.price_delta_xof,
      position: i,
    })),
  );
  if (options.error) {
    await removeOptionGroup(db, storeId, data.id);
    throw new Error(options.error.message);
  }
}

/** Removes a group and its options; false when it is not one of this store's. */
export async function removeOptionGroup(db: DataClient, storeId: string, id: string): Promise<boolean> {
  const { data, error } = await db
    .from('product_option_groups')
    .delete()
    .eq('store_id', storeId)
    .eq('id', id)
    .select('id');
  if (error) throw new Error(error.message);
  return data.length === 1;
}

/** An option runs out (customers no longer see it) or comes back; false when it is not one of this store's. */
export async function setOptionAvailable(
  db: DataClient,
  storeId: string,
  optionId: string,
  available: boolean,
): Promise<boolean> {
  const { data, error } = await db
    .from('product_options')
    .update({ available })
    .eq('store_id', storeId)
    .eq('id', optionId)
    .select('id');
  if (error) throw new Error(error.message);
  return data.length === 1;
}
