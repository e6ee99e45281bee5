// The signed-in person's profile row (name, language). Saved with RLS: people update their own row only.
import { supabase, type Tables } from '../lib/supabase.ts';
import { useSessionStore } from '../stores/session.ts';
import { must, useAsyncData } from './useAsyncData.ts';

export type Profile = Pick<Tables<'profiles'>, 'id' | 'full_name' | 'language'>;

export function useProfile() {
  const session = useSessionStore();
  const profile = useAsyncData<Profile>(async () => {
    const id = session.user?.id;
    if (!id) throw new Error('not signed in');
    return must(await supabase.from('profiles').select('id, full_name, language').eq('id', id).single());
  });

  async function save(changes: Partial<Pick<Profile, 'full_name' | 'language'>>): Promise<void> {
    const id = session.user?.id;
    if (!id) throw new Error('not signed in');
    profile.data.value = must(
      await supabase.from('profiles').update(changes).eq('id', id).select('id, full_name, language').single(),
    );
  }

  return { ...profile, save };
}
