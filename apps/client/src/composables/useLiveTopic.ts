// Following a job live on its private Realtime topic (`order:<id>`, `ride:<id>`): the courier's "position"
// broadcasts move a pin at once; any event the job names (a status or driver change) re-reads the job; joining
// again after a drop, or the phone coming back online, re-reads what may have been missed. Realtime is loaded on
// first join, never on the first screen. Shared by order tracking and ride tracking.
import { useOnline } from '@ecom/app-kit/online';
import { onBeforeUnmount, shallowRef, watch } from 'vue';

export interface CourierPosition {
  lat: number;
  lng: number;
  heading: number | null;
  at: string;
}

export function useLiveTopic(opts: {
  topic: () => string;
  /** Events that mean "the job changed: read it again". */
  changes: readonly string[];
  refetch: () => unknown;
}) {
  const courier = shallowRef<CourierPosition | null>(null);
  const live = shallowRef<'joining' | 'live' | 'off'>('joining');
  const { online } = useOnline();
  let leave: (() => void) | undefined;
  let pending: ReturnType<typeof setTimeout> | undefined;

  /** Several broadcasts in a row (event + summary) give one re-read. */
  function refetchSoon(): void {
    clearTimeout(pending);
    pending = setTimeout(() => void opts.refetch(), 150);
  }

  async function join(): Promise<void> {
    if (leave) return;
    try {
      const { joinTopic } = await import('../lib/realtime.ts');
      leave = await joinTopic(opts.topic(), {
        onMessage(event, payload) {
          if (event === 'position' && typeof payload.lat === 'number' && typeof payload.lng === 'number') {
            courier.value = {
              lat: payload.lat,
              lng: payload.lng,
              heading: typeof payload.heading === 'number' ? payload.heading : null,
              at: String(payload.at ?? new Date().toISOString()),
            };
          } else if (opts.changes.includes(event)) refetchSoon();
        },
        onJoined(again) {
          live.value = 'live';
          if (again) refetchSoon();
        },
        onTrouble() {
          live.value = 'off';
        },
      });
    } catch {
      live.value = 'off';
    }
  }

  watch(online, (now) => {
    if (now) refetchSoon();
  });

  onBeforeUnmount(() => {
    clearTimeout(pending);
    leave?.();
    leave = undefined;
  });

  return { courier, live, join, refetchSoon };
}
