// One reactive "are we online?" per app (navigator.onLine and its events), shared by every component.
import { readonly, ref } from 'vue';

const online = ref(typeof navigator === 'undefined' ? true : navigator.onLine);
if (typeof window !== 'undefined') {
  window.addEventListener('online', () => (online.value = true));
  window.addEventListener('offline', () => (online.value = false));
}

export function useOnline() {
  return { online: readonly(online) };
}
