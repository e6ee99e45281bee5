// A page's data: app-kit's { data, state, error, refresh } with the error in words for the screen.
import { useAsyncData } from '@ecom/app-kit/async-data';
import { computed } from 'vue';
import { describeError } from '../lib/errors.ts';

export function useLoad<T>(loader: () => Promise<T>) {
  const load = useAsyncData(loader);
  const message = computed(() => (load.error.value ? describeError(load.error.value) : null));
  return { ...load, message };
}
