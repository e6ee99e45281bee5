// Who is signed in. The session itself lives in supabase-js (localStorage); this store mirrors it for the UI
// and the guards. Server data (the profile) is not copied here: see useProfile.
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { Session } from '@supabase/supabase-js';
import { supabase } from '../lib/supabase.ts';

export const useSessionStore = defineStore('session', () => {
  const session = shallowRef<Session | null>(null);
  let ready: Promise<void> | undefined;

  /** Resolves once the stored session has been read; safe to call many times. */
  function init(): Promise<void> {
    ready ??= supabase.auth.getSession().then(({ data }) => {
      session.value = data.session;
      supabase.auth.onAuthStateChange((_event, next) => {
        session.value = next;
      });
    });
    return ready;
  }

  const user = computed(() => session.value?.user ?? null);
  const signedIn = computed(() => session.value !== null);

  async function signOut(): Promise<void> {
    // Local sign-out works offline; the server revokes the refresh token when it can.
    await supabase.auth.signOut({ scope: 'local' });
    session.value = null;
  }

  return { session, user, signedIn, init, signOut };
});
