// Presence (supabase-protocols.md B.7) as Phoenix.Presence shows it to realtime-js: per topic, per key, a list of
// metas (one per tracking channel) each with its own `phx_ref`; an update sends the new meta (with
// `phx_ref_prev`) as a join and the old one as a leave.
import { randomBytes } from 'node:crypto';

export type Meta = Record<string, unknown> & { phx_ref: string };
export type PresenceMap = Record<string, { metas: Meta[] }>;
export interface Diff {
  joins: PresenceMap;
  leaves: PresenceMap;
}

const newRef = (): string => randomBytes(8).toString('base64url');

export class Presence<Owner> {
  private readonly topics = new Map<string, Map<string, Map<Owner, { meta: Meta; json: string }>>>();

  /** Tracks `payload` for `owner` under `key`; undefined when nothing changed (same payload again). */
  track(topic: string, owner: Owner, key: string, payload: Record<string, unknown>): Diff | undefined {
    let keys = this.topics.get(topic);
    if (!keys) this.topics.set(topic, (keys = new Map()));
    let metas = keys.get(key);
    if (!metas) keys.set(key, (metas = new Map()));
    const json = JSON.stringify(payload);
    const prev = metas.get(owner);
    if (prev && prev.json === json) return undefined;
    const meta: Meta = { ...payload, phx_ref: newRef() };
    if (prev) meta.phx_ref_prev = prev.meta.phx_ref;
    metas.set(owner, { meta, json });
    return {
      joins: { [key]: { metas: [meta] } },
      leaves: prev ? { [key]: { metas: [prev.meta] } } : {},
    };
  }

  untrack(topic: string, owner: Owner, key: string): Diff | undefined {
    const keys = this.topics.get(topic);
    const metas = keys?.get(key);
    const prev = metas?.get(owner);
    if (!keys || !metas || !prev) return undefined;
    metas.delete(owner);
    if (metas.size === 0) keys.delete(key);
    if (keys.size === 0) this.topics.delete(topic);
    return { joins: {}, leaves: { [key]: { metas: [prev.meta] } } };
  }

  state(topic: string): PresenceMap {
    const out: PresenceMap = {};
    for (const [key, metas] of this.topics.get(topic) ?? [])
      out[key] = { metas: [...metas.values()].map((m) => m.meta) };
    return out;
  }

  /** Number of topics with anyone tracked (for leak checks). */
  get size(): number {
    return this.topics.size;
  }
}
