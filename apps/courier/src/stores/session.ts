// Who is signed in (mirrors supabase-js's stored session for the UI and the guards).
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { Session } from '@supabase/supabase-js';
import { supabase } from '../lib/supabase.ts';

export const useSessionStore = defineStore('session', () => {
  const session = shallowRef<Session | null>(null);
  let ready: Promise<void> | undefined;

  function init(): Promise<void> {
    ready ??= supabase.auth.getSession().then(({ data }) => {
      session.value = data.session;
      supabase.auth.onAuthStateChange((_event, next) => (session.value = next));
    });
    return ready;
  }

  const user = computed(() => session.value?.user ?? null);
  const signedIn = computed(() => session.value !== null);

  async function signOut(): Promise<void> {
    await supabase.auth.signOut({ scope: 'local' });
    session.value = null;
  }

  return { session, user, signedIn, init, signOut };
});
