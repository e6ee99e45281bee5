// Who is signed in and with which staff role (from the access token's `user_roles` claim). The role only shapes the
// UI (who gets in, which buttons show); the database checks again on every call.
import { canWrite, staffRole } from '@ecom/domain/admin';
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
  const role = computed(() => staffRole(session.value));
  const isStaff = computed(() => role.value !== null);
  /** Write actions (refund, reassign, approve, fees…) show only when true. */
  const mayWrite = computed(() => canWrite(role.value));

  async function signOut(): Promise<void> {
    await supabase.auth.signOut({ scope: 'local' });
    session.value = null;
  }

  return { session, user, signedIn, role, isStaff, mayWrite, init, signOut };
});
