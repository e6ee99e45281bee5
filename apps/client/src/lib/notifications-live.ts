// One join of the person's private topic `user:<id>` for the whole app: the notifications migration broadcasts
// every new notification there as event "notification" ({id, kind, title, body, data, created_at}). The bell and
// the inbox listen through here, so the topic is joined once. Realtime itself is imported on first use, never with
// the first screen.

export interface LiveNotification {
  id: string;
  kind: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  created_at: string;
}

export interface NotificationListener {
  onNew: (n: LiveNotification) => void;
  /** Joined again after a drop: what arrived meanwhile was missed, re-read. */
  onRejoin?: () => void;
  /** The topic is joined (now, or already when listening starts): new notifications will arrive. */
  onLive?: () => void;
  onTrouble?: () => void;
}

const listeners = new Set<NotificationListener>();
let joinedFor: string | null = null;
let leave: Promise<(() => void) | null> | null = null;
let joined = false;

function isNotification(p: Record<string, unknown>): boolean {
  return typeof p.id === 'string' && typeof p.title === 'string' && typeof p.body === 'string';
}

/** Listens to the person's new notifications; the returned function stops listening (the topic stays joined). */
export function listenNotifications(userId: string, listener: NotificationListener): () => void {
  listeners.add(listener);
  if (joinedFor === userId && joined) listener.onLive?.();
  if (joinedFor !== userId) {
    const previous = leave;
    joinedFor = userId;
    joined = false;
    leave = (async () => {
      (await previous)?.();
      const { joinTopic } = await import('./realtime.ts');
      return joinTopic(`user:${userId}`, {
        onMessage(event, payload) {
          if (event !== 'notification' || !isNotification(payload)) return;
          const n = { data: {}, ...payload } as unknown as LiveNotification;
          for (const l of listeners) l.onNew(n);
        },
        onJoined(again) {
          joined = true;
          for (const l of listeners) l.onLive?.();
          if (again) for (const l of listeners) l.onRejoin?.();
        },
        onTrouble() {
          joined = false;
          for (const l of listeners) l.onTrouble?.();
        },
      });
    })().catch(() => {
      joinedFor = null;
      joined = false;
      for (const l of listeners) l.onTrouble?.();
      return null;
    });
  }
  return () => listeners.delete(listener);
}
