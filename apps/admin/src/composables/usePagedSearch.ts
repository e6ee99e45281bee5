// A searchable list, PAGE_SIZE rows a page: a new search starts at the first page, previous / next move by one.
import { ref } from 'vue';
import { useLoad } from './useLoad.ts';

export function usePagedSearch<T>(loader: (page: number) => Promise<{ rows: T[]; total: number }>) {
  const page = ref(0);
  const load = useLoad(() => loader(page.value));
  function search(): void {
    page.value = 0;
    void load.refresh();
  }
  function go(delta: number): void {
    page.value += delta;
    void load.refresh();
  }
  return { ...load, page, search, go };
}
