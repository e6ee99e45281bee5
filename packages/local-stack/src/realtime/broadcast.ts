// Topics and fan-out. A topic is the channel name plus its privacy: a private and a public channel with the same
// name are different topics, as in Supabase Realtime (`tenant_topic(tenant, name, public?)`). Each message is
// serialised once per protocol version, whatever the number of subscribers.
import { encodeBinaryBroadcast, encodeText, type Vsn } from './protocol.ts';

export interface Subscriber {
  /** The channel's Phoenix topic, `realtime:<name>`. */
  readonly topic: string;
  readonly vsn: Vsn;
  readonly presenceEnabled: boolean;
  send(data: string | Buffer): void;
}

export interface BroadcastMessage {
  event: string;
  /** JSON payload, or raw bytes (sent as a binary kind-4 frame). */
  payload: unknown;
  binary?: Buffer;
  meta?: Record<string, unknown>;
}

export const topicKey = (isPrivate: boolean, name: string): string => `${isPrivate ? 'private' : 'public'}:${name}`;

export class Hub {
  private readonly topics = new Map<string, Set<Subscriber>>();

  add(key: string, s: Subscriber): void {
    let set = this.topics.get(key);
    if (!set) this.topics.set(key, (set = new Set()));
    set.add(s);
  }

  remove(key: string, s: Subscriber): void {
    const set = this.topics.get(key);
    if (!set) return;
    set.delete(s);
    if (set.size === 0) this.topics.delete(key);
  }

  subscribers(key: string): ReadonlySet<Subscriber> {
    return this.topics.get(key) ?? new Set();
  }

  get size(): number {
    return this.topics.size;
  }

  /** Delivers to every subscriber of the topic but `except` (the sender when `self` is off). */
  publish(key: string, name: string, msg: BroadcastMessage, except?: Subscriber): number {
    const set = this.topics.get(key);
    if (!set) return 0;
    const topic = `realtime:${name}`;
    const cache: Partial<Record<Vsn, string | Buffer>> = {};
    const encode = (vsn: Vsn): string | Buffer => {
      if (msg.binary) return encodeBinaryBroadcast(topic, msg.event, msg.meta, msg.binary);
      const payload = {
        type: 'broadcast',
        event: msg.event,
        payload: msg.payload,
        ...(msg.meta ? { meta: msg.meta } : {}),
      };
      return encodeText({ joinRef: null, ref: null, topic, event: 'broadcast', payload }, vsn);
    };
    let n = 0;
    for (const s of set) {
      if (s === except) continue;
      // Raw bytes only travel in v2 binary frames.
      if (msg.binary && s.vsn !== '2.0.0') continue;
      const data = (cache[s.vsn] ??= encode(s.vsn));
      s.send(data);
      n += 1;
    }
    return n;
  }
}
