// Realtime for order tracking only: loaded with the tracking page, never on the first screen (≈ 10 KiB gzip).
// Private topics (`order:<id>`) are authorised by the policies on realtime.messages with the person's token.
import { RealtimeClient, type RealtimeChannel } from '@supabase/supabase-js';
import { accessToken, ANON_KEY, SUPABASE_URL } from './supabase.ts';

let client: RealtimeClient | undefined;

function realtime(): RealtimeClient {
  client ??= new RealtimeClient(`${SUPABASE_URL.replace(/^http/, 'ws')}/realtime/v1`, {
    params: { apikey: ANON_KEY },
    accessToken,
  });
  return client;
}

export interface TopicHandlers {
  /** Any broadcast on the topic: its event name and payload. */
  onMessage: (event: string, payload: Record<string, unknown>) => void;
  /** Joined, or joined again after the connection came back (the caller re-reads what it may have missed). */
  onJoined: (again: boolean) => void;
  onTrouble?: (status: string) => void;
}

/** Joins a private topic; the returned function leaves it. supabase-js rejoins by itself after a drop. */
export async function joinTopic(topic: string, handlers: TopicHandlers): Promise<() => void> {
  const rt = realtime();
  await rt.setAuth();
  let joined = false;
  const channel: RealtimeChannel = rt
    .channel(topic, { config: { private: true } })
    .on('broadcast', { event: '*' }, (m) => handlers.onMessage(m.event, (m.payload ?? {}) as Record<string, unknown>))
    .subscribe((status) => {
      if (status === 'SUBSCRIBED') {
        handlers.onJoined(joined);
        joined = true;
      } else handlers.onTrouble?.(status);
    });
  return () => void rt.removeChannel(channel);
}
