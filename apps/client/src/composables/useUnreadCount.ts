// The number of unread notifications, shared by the bell on home and the inbox (which lowers it when marking read).
// A head-only count request: no rows travel, and this module is small enough for the first screen.
import { readonly, ref } from 'vue';
import { supabase } from '../lib/supabase.ts';

const count = ref(0);

export function useUnreadCount() {
  async function refresh(userId: string): Promise<void> {
    const { count: n, error } = await supabase
      .from('notifications')
      .select('id', { count: 'exact', head: true })
      .eq('user_id', userId)
      .is('read_at', null);
    if (!error) count.value = n ?? 0; // a failed count keeps the last one shown
  }
  const set = (n: number) => (count.value = Math.max(0, n));
  return { count: readonly(count), refresh, set };
}
