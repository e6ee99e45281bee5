// Which store the merchant is working on (a merchant may run several: the switcher), remembered on this phone.
// The list of stores is loaded once per session and after a switch or a status change.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { listMyStores, type MyStore } from '../data/stores.ts';
import { supabase } from '../lib/supabase.ts';
import { useSessionStore } from './session.ts';

const KEY = 'ecom.merchant.store';

export const useCurrentStore = defineStore('current-store', () => {
  const stores = shallowRef<MyStore[]>([]);
  const selectedId = ref<string | null>(globalThis.localStorage?.getItem(KEY) ?? null);
  const state = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');

  async function load(): Promise<void> {
    const session = useSessionStore();
    await session.init();
    if (!session.user) return;
    state.value = 'loading';
    try {
      stores.value = await listMyStores(supabase, session.user.id);
      state.value = 'ready';
    } catch {
      state.value = 'error';
    }
  }

  const store = computed(() => stores.value.find((s) => s.id === selectedId.value) ?? stores.value[0] ?? null);

  function select(id: string): void {
    selectedId.value = id;
    localStorage.setItem(KEY, id);
  }

  /** After a change saved on the server (status…): the list shows it without a reload. */
  function patch(id: string, change: Partial<MyStore>): void {
    stores.value = stores.value.map((s) => (s.id === id ? { ...s, ...change } : s));
  }

  return { stores, store, state, load, select, patch };
});
