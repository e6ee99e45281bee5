// The shape every data composable exposes: { data, state, error, refresh }. A refresh that fails keeps the data
// already shown (stale beats empty on a weak network) and reports the error beside it.
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
  let run = 0;

  async function refresh(): Promise<void> {
    const mine = ++run;
    state.value = 'loading';
    error.value = null;
    try {
      const value = await loader();
      if (mine !== run) return;
      data.value = value;
      state.value = 'ready';
    } catch (e) {
      if (mine !== run) return;
      error.value = e instanceof Error ? e : new Error(String(e));
      state.value = 'error';
    }
  }

  return { data, state, error, refresh };
}

/** PostgREST answers { data, error }; turn an error into a throw for useAsyncData. */
export function must<T>(result: { data: T | null; error: { message: string } | null }): T {
  if (result.error) throw new Error(result.error.message);
  if (result.data === null) throw new Error('no data');
  return result.data;
}
