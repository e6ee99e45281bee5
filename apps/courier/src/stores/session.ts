// Who is signed in (mirrors supabase-js's stored session for the UI and the guards).
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { Session } from '@supabase/supabase-js';
import { myCourier, type CourierRecord } from '../data/onboarding.ts';
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

  /**
   * The person's courier row (null: not a courier yet, the onboarding), read once per session and again on
   * `refreshCourier` (the status screen, after applying). `undefined` while unknown (no answer: the guards let the
   * person through rather than block the app offline).
   */
  const courier = shallowRef<CourierRecord | null | undefined>(undefined);
  let courierFor: string | null = null;

  async function refreshCourier(): Promise<CourierRecord | null | undefined> {
    const id = user.value?.id;
    if (!id) return (courier.value = undefined);
    try {
      courier.value = await myCourier(supabase, id);
      courierFor = id;
    } catch {
      // Offline: keep what we knew.
    }
    return courier.value;
  }

  async function loadCourier(): Promise<CourierRecord | null | undefined> {
    if (courier.value !== undefined && courierFor === user.value?.id) return courier.value;
    return refreshCourier();
  }

  async function signOut(): Promise<void> {
    await supabase.auth.signOut({ scope: 'local' });
    session.value = null;
    courier.value = undefined;
    courierFor = null;
  }

  return { session, user, signedIn, courier, init, signOut, loadCourier, refreshCourier };
});
