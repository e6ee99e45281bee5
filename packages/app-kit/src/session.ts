// Who is signed in, as every app's Pinia store `session`: the session itself lives in supabase-js (localStorage);
// the store mirrors it for the UI and the guards. Server data (a profile, a courier row) is not copied here.
import type { AuthClient, Session } from '@supabase/supabase-js';
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';

type Auth = Pick<InstanceType<typeof AuthClient>, 'getSession' | 'onAuthStateChange' | 'signOut'>;

export function defineSessionStore(auth: Auth) {
  return defineStore('session', () => {
    const session = shallowRef<Session | null>(null);
    let ready: Promise<void> | undefined;

    /** Resolves once the stored session has been read; safe to call many times. */
    function init(): Promise<void> {
      ready ??= auth.getSession().then(({ data }) => {
        session.value = data.session;
        auth.onAuthStateChange((_event, next) => {
          session.value = next;
        });
      });
      return ready;
    }

    const user = computed(() => session.value?.user ?? null);
    const signedIn = computed(() => session.value !== null);

    async function signOut(): Promise<void> {
      // Local sign-out works offline; the server revokes the refresh token when it can.
      await auth.signOut({ scope: 'local' });
      session.value = null;
    }

    return { session, user, signedIn, init, signOut };
  });
}
