// One reactive "are we online?" per app (navigator.onLine and its events), shared by every component.
import { readonly, ref, watch } from 'vue';

const online = ref(typeof navigator === 'undefined' ? true : navigator.onLine);
if (typeof window !== 'undefined') {
  window.addEventListener('online', () => (online.value = true));
  window.addEventListener('offline', () => (online.value = false));
}

export function useOnline() {
  return { online: readonly(online) };
}

/**
 * Calls fn each time the connection comes back, while the calling component lives: pages re-read what they show
 * (stale data was kept while offline; what changed meanwhile is fetched again).
 */
export function onReconnect(fn: () => void): void {
  watch(online, (now) => {
    if (now) fn();
  });
}
