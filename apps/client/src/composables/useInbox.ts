// The person's notifications, newest first (RLS: their own only), new ones prepended live from `user:<id>`, marked
// read one by one (on tap) or all at once (rpc mark_notifications_read). The bell's count follows.
import { must, useAsyncData } from '@ecom/app-kit/async-data';
import { onBeforeUnmount, shallowRef } from 'vue';
import { listenNotifications, type LiveNotification } from '../lib/notifications-live.ts';
import { supabase } from '../lib/supabase.ts';
import { useSessionStore } from '../stores/session.ts';
import { useUnreadCount } from './useUnreadCount.ts';

export interface InboxItem extends LiveNotification {
  read_at: string | null;
}

const PAGE = 100;

export function useInbox() {
  const session = useSessionStore();
  const unread = useUnreadCount();
  /** The person's topic: joining, live (new notifications arrive on their own) or off (trouble; re-read by hand). */
  const live = shallowRef<'joining' | 'live' | 'off'>('joining');
  const list = useAsyncData<InboxItem[]>(async () => {
    const rows = must(
      await supabase
        .from('notifications')
        .select('id, kind, title, body, data, read_at, created_at')
        .order('created_at', { ascending: false })
        .limit(PAGE),
    ) as InboxItem[];
    syncCount(rows);
    return rows;
  });
  let stop: (() => void) | undefined;

  function syncCount(rows: InboxItem[]): void {
    unread.set(rows.filter((n) => !n.read_at).length);
  }

  function start(): void {
    void list.refresh();
    const id = session.user?.id;
    if (stop || !id) return;
    stop = listenNotifications(id, {
      onNew(n) {
        const rows = list.data.value ?? [];
        if (rows.some((r) => r.id === n.id)) return;
        list.data.value = [{ ...n, read_at: null }, ...rows];
        syncCount(list.data.value);
      },
      onRejoin: () => void list.refresh(),
      onTrouble: () => (live.value = 'off'),
      onLive: () => (live.value = 'live'),
    });
  }

  async function markRead(ids: string[] | null): Promise<boolean> {
    const { error } = await supabase.rpc('mark_notifications_read', { ids: ids ?? undefined });
    if (error) return false;
    const now = new Date().toISOString();
    const rows = (list.data.value ?? []).map((n) =>
      !n.read_at && (!ids || ids.includes(n.id)) ? { ...n, read_at: now } : n,
    );
    list.data.value = rows;
    syncCount(rows);
    return true;
  }

  onBeforeUnmount(() => stop?.());

  return { ...list, live, start, markRead };
}
