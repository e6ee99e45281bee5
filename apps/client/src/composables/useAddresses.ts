// The person's saved places (RLS: their own only): a pin, the landmark ("repère") couriers look for, a phone.
import { must, useAsyncData } from '@ecom/app-kit/async-data';
import { supabase, type Tables } from '../lib/supabase.ts';
import { useSessionStore } from '../stores/session.ts';

export type Address = Pick<Tables<'addresses'>, 'id' | 'label' | 'lat' | 'lng' | 'landmark' | 'phone' | 'is_default'>;
/** `zone_id`: the store's zone; the database checks the pin is in it. `photo_path`: `address-photos/<user id>/…`. */
export type NewAddress = Omit<Address, 'id' | 'is_default'> & { zone_id: string; photo_path?: string | null };

const COLUMNS = 'id, label, lat, lng, landmark, phone, is_default';

export function useAddresses() {
  const session = useSessionStore();
  const list = useAsyncData<Address[]>(async () =>
    must(
      await supabase
        .from('addresses')
        .select(COLUMNS)
        .order('is_default', { ascending: false })
        .order('created_at', { ascending: false }),
    ),
  );

  /** Saves a new place as the default one; the database checks the pin is in a zone we serve. */
  async function add(address: NewAddress): Promise<Address> {
    const user_id = session.user?.id;
    if (!user_id) throw new Error('not signed in');
    const row: Address = must(
      await supabase
        .from('addresses')
        .insert({ ...address, user_id, is_default: true })
        .select(COLUMNS)
        .single(),
    );
    list.data.value = [row, ...(list.data.value ?? []).map((a) => ({ ...a, is_default: false }))];
    return row;
  }

  return { ...list, add };
}
