// Realtime broadcast topics (DESIGN.md §8): private topics such as `store:<id>` or `order:<id>`, authorised by the
// policies on realtime.messages with the person's token. Loaded with the pages that listen, never on a first screen.
import { RealtimeClient, type RealtimeChannel } from '@supabase/supabase-js';

export interface TopicHandlers {
  /** Any broadcast on the topic: its event name and payload. */
  onMessage: (event: string, payload: Record<string, unknown>) => void;
  /** Joined, or joined again after the connection came back (the caller re-reads what it may have missed). */
  onJoined: (again: boolean) => void;
  onTrouble?: (status: string) => void;
}

export function createTopics(config: { url: string; anonKey: string; accessToken: () => Promise<string | null> }) {
  let client: RealtimeClient | undefined;
  const realtime = (): RealtimeClient =>
    (client ??= new RealtimeClient(`${config.url.replace(/^http/, 'ws')}/realtime/v1`, {
      params: { apikey: config.anonKey },
      accessToken: config.accessToken,
    }));

  /** Joins a private topic; the returned function leaves it. supabase-js rejoins by itself after a drop. */
  async function join(topic: string, handlers: TopicHandlers): Promise<() => void> {
    const rt = realtime();
    await rt.setAuth();
    let joinedBefore = false;
    const channel: RealtimeChannel = rt
      .channel(topic, { config: { private: true } })
      .on('broadcast', { event: '*' }, (m) => handlers.onMessage(m.event, (m.payload ?? {}) as Record<string, unknown>))
      .subscribe((status) => {
        if (status !== 'SUBSCRIBED') return handlers.onTrouble?.(status);
        handlers.onJoined(joinedBefore);
        joinedBefore = true;
      });
    return () => void rt.removeChannel(channel);
  }

  return { join };
}
