// The shape every data composable exposes: { data, state, error, refresh }. A failed refresh keeps what is shown
// (stale beats empty on a weak network) and reports the error beside it; a new refresh clears the error it starts.
import { shallowRef, type Ref, type ShallowRef } from 'vue';

export type LoadState = 'idle' | 'loading' | 'ready' | 'error';

export interface AsyncData<T> {
  data: ShallowRef<T | null>;
  state: Ref<LoadState>;
  error: ShallowRef<Error | null>;
  refresh: () => Promise<void>;
}

export function useAsyncData<T>(loader: () => Promise<T>): AsyncData<T> {
  const data = shallowRef<T | null>(null);
  const state = shallowRef<LoadState>('idle');
  const error = shallowRef<Error | null>(null);
  let latest = 0;
  async function refresh(): Promise<void> {
    const mine = ++latest;
    state.value = 'loading';
    error.value = null;
    try {
      const value = await loader();
      if (mine !== latest) return;
      data.value = value;
      state.value = 'ready';
    } catch (e) {
      if (mine !== latest) return;
      error.value = e instanceof Error ? e : new Error(String(e));
      state.value = 'error';
    }
  }
  return { data, state, error, refresh };
}

/** PostgREST answers { data, error }; turns an error (or no data) into a throw for useAsyncData. */
export function must<T>(result: { data: T | null; error: { message: string } | null }): T {
  if (result.error) throw new Error(result.error.message);
  if (result.data === null) throw new Error('no data');
  return result.data;
}
