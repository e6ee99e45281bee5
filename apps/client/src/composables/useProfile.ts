// The signed-in person's profile row (name, photo, language). Saved with RLS: people update their own row only.
import { must, useAsyncData } from '@ecom/app-kit/async-data';
import { supabase, type Tables } from '../lib/supabase.ts';
import { useSessionStore } from '../stores/session.ts';

export type Profile = Pick<Tables<'profiles'>, 'id' | 'full_name' | 'language' | 'avatar_path'>;
const COLUMNS = 'id, full_name, language, avatar_path';

export function useProfile() {
  const session = useSessionStore();
  const profile = useAsyncData<Profile>(async () => {
    const id = session.user?.id;
    if (!id) throw new Error('not signed in');
    return must(await supabase.from('profiles').select(COLUMNS).eq('id', id).single());
  });

  async function save(changes: Partial<Pick<Profile, 'full_name' | 'language' | 'avatar_path'>>): Promise<void> {
    const id = session.user?.id;
    if (!id) throw new Error('not signed in');
    profile.data.value = must(await supabase.from('profiles').update(changes).eq('id', id).select(COLUMNS).single());
  }

  return { ...profile, save };
}
