// The live order queue of the current store: read through the data layer, refreshed on every broadcast of
// `store:<id>` (a new order, a status change) and when Realtime rejoins after a drop, and every minute as a safety
// net (Realtime itself is fetched after the first list). While an order waits for an answer the alarm rings (lib/alarm.ts).
import { needsAnswer } from '@ecom/domain/merchant';
import { onBeforeUnmount, watch, type Ref } from 'vue';
import { listQueue, type QueueOrder } from '../data/orders.ts';
import { setAlarm } from '../lib/alarm.ts';
import { supabase } from '../lib/supabase.ts';
import { useCurrentStore } from '../stores/current-store.ts';
import { useAsyncData } from '@ecom/app-kit/async-data';

const startOfToday = (): Date => {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0); // Africa/Abidjan is UTC+0
  return d;
};

export function useOrderQueue(storeId: Ref<string | null>) {
  const queue = useAsyncData<QueueOrder[]>(() =>
    storeId.value ? listQueue(supabase, storeId.value, startOfToday()) : Promise.resolve([]),
  );
  const current = useCurrentStore();
  let leave: (() => void) | undefined;
  let pending: ReturnType<typeof setTimeout> | undefined;
  const soon = () => {
    clearTimeout(pending);
    pending = setTimeout(() => {
      void queue.refresh();
      // An order that went unanswered may have paused the store (20261121200310): show its status as it is now.
      void current.load();
    }, 150);
  };

  watch(
    storeId,
    async (id) => {
      leave?.();
      leave = undefined;
      setAlarm(false);
      queue.data.value = null;
      if (!id) return;
      void queue.refresh();
      // Realtime loads after the list is on screen: it stays off the first screen's budget.
      const { topics } = await import('../lib/realtime.ts');
      if (id !== storeId.value) return;
      leave = await topics.join(`store:${id}`, {
        onMessage: (event) => event === 'order' && soon(),
        onJoined: (again) => again && soon(),
      });
    },
    { immediate: true },
  );

  watch(queue.data, (orders) => setAlarm(needsAnswer(orders ?? [])));

  const safetyNet = setInterval(() => void queue.refresh(), 60_000);
  onBeforeUnmount(() => {
    clearInterval(safetyNet);
    clearTimeout(pending);
    leave?.();
    setAlarm(false);
  });

  return queue;
}
