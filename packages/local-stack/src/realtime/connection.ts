// One WebSocket and its channels: join (B.3), token updates (B.4), broadcast (B.6), presence (B.7), system
// messages (B.8) and private-channel authorization (B.9). Every handler is guarded: a bad frame gets an error
// reply or is ignored, never an exception out of here.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { RawData, WebSocket } from 'ws';
import { canWrite, readPolicies, type AuthContext, type Extension } from './authorization.ts';
import { topicKey, type Hub, type Subscriber } from './broadcast.ts';
import { parseFilter } from './filters.ts';
import type { Diff, Presence } from './presence.ts';
import { decodeBinary, decodeText, encodeText, reply, type Frame, type Vsn } from './protocol.ts';
import type { ChangeBinding, ChangeEvent, ChangeListener, ChangeStream } from './replication.ts';
import { checkToken, usableToken } from './tokens.ts';

/** Free-plan broadcast / presence payload limit (B.10: 256 KB). */
export const MAX_PAYLOAD_BYTES = 256 * 1000;
/** Channels per connection (B.10). */
export const MAX_CHANNELS = 100;
/** A client that buffers this much unsent data is too slow to keep. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

type Claims = AuthContext['claims'] & { exp: number };

export interface RealtimeContext {
  pool: pg.Pool;
  jwtSecret: string;
  hub: Hub;
  presence: Presence<Channel>;
  changes: ChangeStream;
  log: (line: string) => void;
  /** Validates postgres_changes bindings against the database for a role; returns an error message or undefined. */
  validateBinding(b: ChangeBinding, role: string): Promise<string | undefined>;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A stable id for a postgres_changes binding (Realtime uses :erlang.phash2 of the params). */
function bindingId(params: unknown): number {
  let h = 0x811c9dc5;
  const s = JSON.stringify(params);
  for (let i = 0; i < s.length; i += 1) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 2 ** 27;
}

export class Channel implements Subscriber, ChangeListener {
  readonly conn: Connection;
  readonly topic: string;
  readonly name: string;
  readonly joinRef: string;
  readonly isPrivate: boolean;
  readonly key: string;
  readonly self: boolean;
  readonly ack: boolean;
  readonly presenceEnabled: boolean;
  readonly presenceKey: string;
  token: string;
  currentClaims: Claims;
  bindings: ChangeBinding[] = [];
  private writes = new Map<Extension, Promise<boolean>>();
  tracked = false;
  expiry: NodeJS.Timeout | undefined;
  closed = false;

  constructor(init: {
    conn: Connection;
    topic: string;
    joinRef: string;
    isPrivate: boolean;
    self: boolean;
    ack: boolean;
    presenceEnabled: boolean;
    presenceKey: string;
    token: string;
    claims: Claims;
  }) {
    this.conn = init.conn;
    this.topic = init.topic;
    this.name = init.topic.slice('realtime:'.length);
    this.joinRef = init.joinRef;
    this.isPrivate = init.isPrivate;
    this.key = topicKey(init.isPrivate, this.name);
    this.self = init.self;
    this.ack = init.ack;
    this.presenceEnabled = init.presenceEnabled;
    this.presenceKey = init.presenceKey;
    this.token = init.token;
    this.currentClaims = init.claims;
  }

  get vsn(): Vsn {
    return this.conn.vsn;
  }

  send(data: string | Buffer): void {
    this.conn.sendRaw(data);
  }

  claims(): Claims {
    return this.currentClaims;
  }

  deliver(ids: number[], data: Record<string, unknown>): void {
    if (this.closed) return;
    this.conn.push({ joinRef: null, ref: null, topic: this.topic, event: 'postgres_changes', payload: { ids, data } });
  }

  authContext(): AuthContext {
    return { topic: this.name, claims: this.currentClaims, headers: this.conn.headers };
  }

  /** Write permission, asked once per channel and token (B.9: policies cached per channel). */
  mayWrite(ext: Extension, pool: pg.Pool): Promise<boolean> {
    if (!this.isPrivate) return Promise.resolve(true);
    let p = this.writes.get(ext);
    if (!p) this.writes.set(ext, (p = canWrite(pool, this.authContext(), ext)));
    return p;
  }

  resetPolicies(): void {
    this.writes.clear();
  }
}

export class Connection {
  readonly ctx: RealtimeContext;
  readonly ws: WebSocket;
  readonly vsn: Vsn;
  readonly headers: Record<string, string>;
  /** The connect-time apikey (a JWT), used when a join carries no usable access_token. */
  readonly apikey: string;
  readonly channels = new Map<string, Channel>();
  /** Joins under way (topic → join ref), so a leave or a newer join wins over a slow one. */
  private readonly joining = new Map<string, string>();
  lastSeen = Date.now();
  closed = false;

  constructor(ctx: RealtimeContext, ws: WebSocket, vsn: Vsn, apikey: string, headers: Record<string, string>) {
    this.ctx = ctx;
    this.ws = ws;
    this.vsn = vsn;
    this.apikey = apikey;
    this.headers = headers;
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', () => this.cleanup());
    ws.on('error', () => this.cleanup());
  }

  sendRaw(data: string | Buffer): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.ctx.log('[realtime] dropping a client that does not read its messages');
      this.ws.terminate();
      return;
    }
    this.ws.send(data);
  }

  push(frame: Frame): void {
    this.sendRaw(encodeText(frame, this.vsn));
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    this.lastSeen = Date.now();
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    let frame: Frame | undefined;
    let size: number | undefined;
    if (isBinary) {
      const b = this.vsn === '2.0.0' ? decodeBinary(buf) : undefined;
      frame = b;
      size = b?.size;
    } else frame = decodeText(buf.toString('utf8'), this.vsn);
    if (!frame) return; // malformed: nothing to answer to (no ref), so ignored
    this.handle(frame, size).catch((e: unknown) => {
      this.ctx.log(`[realtime] ${frame.topic} ${frame.event}: ${(e as Error).message}`);
      if (frame.ref) this.push(reply(frame, 'error', { reason: 'Internal error' }));
    });
  }

  private async handle(frame: Frame, binarySize: number | undefined): Promise<void> {
    if (frame.topic === 'phoenix') {
      if (frame.event === 'heartbeat') this.push(reply(frame, 'ok', {}));
      return;
    }
    if (frame.event === 'phx_join') return this.join(frame);
    const channel = this.channels.get(frame.topic);
    if (!channel) {
      if (frame.event === 'phx_leave' && this.joining.has(frame.topic)) {
        this.joining.delete(frame.topic);
        this.push(reply(frame, 'ok', {}));
        return;
      }
      if (frame.ref) this.push(reply(frame, 'error', { reason: 'unmatched topic' }));
      return;
    }
    switch (frame.event) {
      case 'phx_leave':
        this.push(reply(frame, 'ok', {}));
        this.close(channel);
        return;
      case 'access_token':
        return this.accessToken(channel, frame);
      case 'broadcast':
        return this.broadcast(channel, frame, binarySize);
      case 'presence':
        return this.presence(channel, frame);
      default:
        return; // unknown events are ignored, as the server does
    }
  }

  private async join(frame: Frame): Promise<void> {
    const error = (reason: string) => this.push(reply(frame, 'error', { reason }));
    if (!frame.topic.startsWith('realtime:')) return error('unmatched topic');
    const name = frame.topic.slice('realtime:'.length);
    if (!name) return error('TopicNameRequired: You must provide a topic name');
    const joinRef = frame.joinRef ?? frame.ref ?? '';
    const payload = isMap(frame.payload) ? frame.payload : {};
    const config = isMap(payload.config) ? payload.config : {};
    const broadcast = isMap(config.broadcast) ? config.broadcast : {};
    const presence = isMap(config.presence) ? config.presence : {};
    const isPrivate = config.private === true;
    if (!this.channels.has(frame.topic) && this.channels.size + this.joining.size >= MAX_CHANNELS) {
      return error('ChannelRateLimitReached: Too many channels');
    }
    const token = usableToken(payload.access_token) ? payload.access_token : this.apikey;
    const checked = checkToken(token, this.ctx.jwtSecret);
    if (!checked.ok) return error(`InvalidJWTToken: ${checked.message}`);

    const rawBindings = Array.isArray(config.postgres_changes) ? config.postgres_changes : [];
    const bindings: ChangeBinding[] = [];
    const echoed: Array<Record<string, unknown>> = [];
    const bindingErrors: string[] = [];
    for (const raw of rawBindings) {
      const params = isMap(raw) ? raw : {};
      const id = bindingId(params);
      echoed.push({ ...params, id });
      const event = String(params.event ?? '*').toUpperCase() as ChangeEvent;
      const schema = typeof params.schema === 'string' ? params.schema : 'public';
      const table = typeof params.table === 'string' && params.table !== '*' ? params.table : undefined;
      const describe = `[event: ${String(params.event ?? '*')}, schema: ${schema}, table: ${table ?? '*'}, filters: [${
        typeof params.filter === 'string' ? params.filter : ''
      }]]`;
      try {
        if (!['*', 'INSERT', 'UPDATE', 'DELETE'].includes(event)) throw new Error(`invalid event ${event}`);
        const conditions = typeof params.filter === 'string' && params.filter ? parseFilter(params.filter) : [];
        bindings.push({ id, event, schema, table, conditions });
      } catch {
        bindingErrors.push(describe);
      }
    }

    const presenceEnabled = presence.enabled === true;
    this.joining.set(frame.topic, joinRef);
    const probe: AuthContext = { topic: name, claims: checked.claims, headers: this.headers };
    if (isPrivate) {
      const read = await readPolicies(
        this.ctx.pool,
        probe,
        presenceEnabled ? ['broadcast', 'presence'] : ['broadcast'],
      );
      if (this.joining.get(frame.topic) !== joinRef || this.closed) return;
      if (!read.broadcast && !read.presence) {
        this.joining.delete(frame.topic);
        return error(`Unauthorized: You do not have permissions to read from this Channel topic: ${name}`);
      }
    }
    this.joining.delete(frame.topic);
    if (this.closed) return;
    const previous = this.channels.get(frame.topic);
    if (previous) this.close(previous, true);

    const channel = new Channel({
      conn: this,
      topic: frame.topic,
      joinRef,
      isPrivate,
      self: broadcast.self === true,
      ack: broadcast.ack === true,
      presenceEnabled,
      presenceKey: typeof presence.key === 'string' && presence.key ? presence.key : randomUUID(),
      token,
      claims: checked.claims,
    });
    this.channels.set(frame.topic, channel);
    this.ctx.hub.add(channel.key, channel);
    this.armExpiry(channel);
    this.push(reply(frame, 'ok', { postgres_changes: echoed }));
    if (presenceEnabled) {
      this.push({
        joinRef,
        ref: null,
        topic: frame.topic,
        event: 'presence_state',
        payload: this.ctx.presence.state(channel.key),
      });
    }
    if (rawBindings.length) await this.subscribeChanges(channel, bindings, bindingErrors);
  }

  private async subscribeChanges(channel: Channel, bindings: ChangeBinding[], errors: string[]): Promise<void> {
    const describe = (b: ChangeBinding) =>
      `[event: ${b.event}, schema: ${b.schema}, table: ${b.table ?? '*'}, filters: [${b.conditions
        .map((c) => `${c.column}=${c.op}`)
        .join(', ')}]]`;
    for (const b of bindings) {
      if (errors.length) break;
      const problem = await this.ctx.validateBinding(b, channel.currentClaims.role);
      if (problem) errors.push(describe(b));
    }
    if (channel.closed) return;
    const system = (status: 'ok' | 'error', message: string) =>
      this.push({
        joinRef: channel.joinRef,
        ref: null,
        topic: channel.topic,
        event: 'system',
        payload: { extension: 'postgres_changes', status, message, channel: channel.name },
      });
    if (errors.length) {
      system(
        'error',
        `Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given connect parameters: ${errors.join(', ')}`,
      );
      return;
    }
    channel.bindings = bindings;
    this.ctx.changes.listeners.add(channel);
    system('ok', 'Subscribed to PostgreSQL');
  }

  /** Closes the channel when its token expires (B.3: re-checked on a timer). */
  private armExpiry(channel: Channel): void {
    clearTimeout(channel.expiry);
    const ms = channel.currentClaims.exp * 1000 - Date.now();
    channel.expiry = setTimeout(
      () => {
        if (channel.closed) return;
        const check = checkToken(channel.token, this.ctx.jwtSecret);
        if (check.ok) this.armExpiry(channel);
        else this.systemClose(channel, check.message);
      },
      Math.max(0, Math.min(ms, 5 * 60 * 1000)),
    );
    channel.expiry.unref();
  }

  private systemClose(channel: Channel, message: string): void {
    this.push({
      joinRef: channel.joinRef,
      ref: null,
      topic: channel.topic,
      event: 'system',
      payload: { extension: 'system', status: 'error', message, channel: channel.name },
    });
    this.close(channel, true);
  }

  private async accessToken(channel: Channel, frame: Frame): Promise<void> {
    const token = isMap(frame.payload) ? frame.payload.access_token : undefined;
    if (!usableToken(token) || token === channel.token) return;
    const checked = checkToken(token, this.ctx.jwtSecret);
    if (!checked.ok) return this.systemClose(channel, checked.message);
    channel.token = token;
    channel.currentClaims = checked.claims;
    channel.resetPolicies();
    this.armExpiry(channel);
    if (channel.isPrivate) {
      const exts: Extension[] = channel.presenceEnabled ? ['broadcast', 'presence'] : ['broadcast'];
      const read = await readPolicies(this.ctx.pool, channel.authContext(), exts);
      if (channel.closed) return;
      if (!read.broadcast && !read.presence) {
        this.systemClose(channel, `You no longer have permission to read from this Channel topic: ${channel.name}`);
      }
    }
  }

  private async broadcast(channel: Channel, frame: Frame, binarySize: number | undefined): Promise<void> {
    const p = isMap(frame.payload) ? frame.payload : undefined;
    if (!p || typeof p.event !== 'string') {
      if (frame.ref && channel.ack) this.push(reply(frame, 'error', { reason: 'invalid broadcast' }));
      return;
    }
    const binary = Buffer.isBuffer(p.payload) ? p.payload : undefined;
    const size = binarySize ?? Buffer.byteLength(JSON.stringify(p.payload ?? {}));
    if (size > MAX_PAYLOAD_BYTES) {
      if (channel.ack && frame.ref) this.push(reply(frame, 'error', { error: 'payload_size_exceeded' }));
      return;
    }
    // Denied writes on a private channel are dropped without a reply (B.9).
    if (!(await channel.mayWrite('broadcast', this.ctx.pool))) return;
    if (channel.closed) return;
    this.ctx.hub.publish(
      channel.key,
      channel.name,
      { event: p.event, payload: binary ? undefined : (p.payload ?? {}), ...(binary ? { binary } : {}) },
      channel.self ? undefined : channel,
    );
    if (channel.ack && frame.ref) this.push(reply(frame, 'ok', {}));
  }

  private async presence(channel: Channel, frame: Frame): Promise<void> {
    const p = isMap(frame.payload) ? frame.payload : {};
    if (p.event === 'track') {
      if (!isMap(p.payload)) {
        this.push(reply(frame, 'error', { reason: 'Presence track payload must be a map' }));
        return;
      }
      if (Buffer.byteLength(JSON.stringify(p.payload)) > MAX_PAYLOAD_BYTES) {
        this.push(reply(frame, 'error', { reason: 'Track message size exceeded' }));
        this.systemClose(channel, 'Track message size exceeded');
        return;
      }
      if (!(await channel.mayWrite('presence', this.ctx.pool))) {
        this.push(reply(frame, 'error', { reason: 'Unauthorized: You do not have permissions to track presence' }));
        return;
      }
      if (channel.closed) return;
      const diff = this.ctx.presence.track(channel.key, channel, channel.presenceKey, p.payload);
      channel.tracked = true;
      this.push(reply(frame, 'ok', {}));
      if (diff) this.presenceDiff(channel, diff);
      return;
    }
    if (p.event === 'untrack') {
      const diff = this.ctx.presence.untrack(channel.key, channel, channel.presenceKey);
      channel.tracked = false;
      this.push(reply(frame, 'ok', {}));
      if (diff) this.presenceDiff(channel, diff);
      return;
    }
    this.push(reply(frame, 'error', { reason: 'unknown presence event' }));
  }

  private presenceDiff(from: Channel, diff: Diff): void {
    const text: Partial<Record<Vsn, string>> = {};
    for (const s of this.ctx.hub.subscribers(from.key)) {
      if (!s.presenceEnabled) continue;
      s.send(
        (text[s.vsn] ??= encodeText(
          { joinRef: null, ref: null, topic: from.topic, event: 'presence_diff', payload: diff },
          s.vsn,
        )),
      );
    }
  }

  /** Removes a channel: presence leave to the others, no more broadcasts or changes. */
  close(channel: Channel, notify = false): void {
    if (channel.closed) return;
    channel.closed = true;
    clearTimeout(channel.expiry);
    if (this.channels.get(channel.topic) === channel) this.channels.delete(channel.topic);
    this.ctx.hub.remove(channel.key, channel);
    this.ctx.changes.listeners.delete(channel);
    if (channel.tracked) {
      const diff = this.ctx.presence.untrack(channel.key, channel, channel.presenceKey);
      if (diff) this.presenceDiff(channel, diff);
    }
    if (notify) {
      this.push({
        joinRef: channel.joinRef,
        ref: channel.joinRef,
        topic: channel.topic,
        event: 'phx_close',
        payload: {},
      });
    }
  }

  cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    this.joining.clear();
    for (const ch of [...this.channels.values()]) this.close(ch);
    this.ws.removeAllListeners('message');
  }
}
