// The Realtime stand-in: Supabase Realtime's protocol as realtime-js 2.119 speaks it (supabase-protocols.md §B) —
// Phoenix channels over WebSocket with Broadcast, Presence, Postgres Changes (logical replication, RLS per
// subscriber) and Realtime Authorization on realtime.messages, plus the REST broadcast API. Facts and limits:
// docs/local-stack.md.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type pg from 'pg';
import { WebSocketServer } from 'ws';
import type { StackConfig } from '../config.ts';
import { Hub, topicKey } from './broadcast.ts';
import { Connection, type Channel, type RealtimeContext } from './connection.ts';
import { Presence } from './presence.ts';
import type { Vsn } from './protocol.ts';
import { ChangeStream, type ChangeBinding } from './replication.ts';
import { handleRest } from './rest.ts';
import { checkToken } from './tokens.ts';

export interface RealtimeServiceOptions {
  /** Superuser pool on the stack database. */
  pool: pg.Pool;
  /** Superuser URL (replication connections). */
  dbUrl: string;
  config: StackConfig;
  jwtSecret: string;
  anonKey: string;
  serviceRoleKey: string;
  stateDir: string;
  log: (line: string) => void;
}

export interface RealtimeStats {
  connections: number;
  channels: number;
  topics: number;
  presenceTopics: number;
  changeListeners: number;
}

export interface RealtimeService {
  /** WebSocket upgrade for /realtime/v1/websocket (the query string carries apikey and vsn). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** HTTP under /realtime/v1 (path = what follows it, e.g. '/api/broadcast?apikey=…'). */
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
  /** What the server holds right now (tests and the benchmark check that it goes back to zero). */
  stats(): RealtimeStats;
  close(): Promise<void>;
}

/** Beyond this much silence (no heartbeat, nothing) a socket is considered gone (Phoenix' transport timeout). */
const IDLE_TIMEOUT_MS = 60_000;
/** A WebSocket frame larger than this closes the connection (1009); the 256 KB broadcast limit answers below it. */
const MAX_FRAME_BYTES = 4 * 1024 * 1024;

function refuse(socket: Duplex, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Bad Request'}\r\n` +
      `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\n` +
      `connection: close\r\n\r\n${text}`,
  );
}

export async function startRealtimeService(opts: RealtimeServiceOptions): Promise<RealtimeService> {
  const { pool, jwtSecret, log } = opts;
  const hub = new Hub();
  const presence = new Presence<Channel>();
  const connections = new Set<Connection>();

  // Old Broadcast-from-database rows are dropped after a while on the platform (daily partitions); same here.
  await pool
    .query(`delete from realtime.messages where inserted_at < now() - interval '3 days'`)
    .catch((e: Error) => log(`[realtime] cleaning realtime.messages: ${e.message}`));

  const changes = new ChangeStream({
    pool,
    dbUrl: opts.dbUrl,
    log,
    onMessage: (m) =>
      hub.publish(
        topicKey(m.private, m.topic),
        m.topic,
        m.binary
          ? { event: m.event, payload: undefined, binary: m.binary, meta: { id: m.id } }
          : { event: m.event, payload: m.payload, meta: { id: m.id } },
      ),
  });
  await changes.start();

  const validateBinding = async (b: ChangeBinding, role: string): Promise<string | undefined> => {
    try {
      const roleOk = await pool.query('select 1 from pg_roles where rolname = $1', [role]);
      if (roleOk.rowCount === 0) return `role ${role} does not exist`;
      if (b.table === undefined) return undefined;
      const cols = await pool.query<{ name: string; type: string; selectable: boolean }>(
        `select a.attname::text as name, format_type(a.atttypid, a.atttypmod) as type,
                has_column_privilege($3, c.oid, a.attname::text, 'SELECT') as selectable
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
           join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
          where n.nspname = $1 and c.relname = $2 and c.relkind in ('r', 'p')`,
        [b.schema, b.table, role],
      );
      if (cols.rowCount === 0) return `table ${b.schema}.${b.table} does not exist`;
      for (const cond of b.conditions) {
        const col = cols.rows.find((c) => c.name === cond.column && c.selectable);
        if (!col) return `invalid column for filter ${cond.column}`;
        for (const v of cond.values ?? (cond.op === 'is' ? [] : [cond.value])) {
          if (v === null || ['like', 'ilike', 'match', 'imatch'].includes(cond.op)) continue;
          await pool.query(`select $1::${col.type}`, [v]);
        }
      }
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  };

  const ctx: RealtimeContext = { pool, jwtSecret, hub, presence, changes, log, validateBinding };
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });

  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const c of connections) if (now - c.lastSeen > IDLE_TIMEOUT_MS) c.ws.terminate();
  }, 15_000);
  sweeper.unref();

  return {
    handleUpgrade(req, socket, head) {
      try {
        const url = new URL(req.url ?? '/', 'http://realtime');
        const header = req.headers['x-api-key'] ?? req.headers.apikey;
        const apikey = url.searchParams.get('apikey') ?? (Array.isArray(header) ? header[0] : header);
        const checked = checkToken(apikey ?? undefined, jwtSecret);
        if (!checked.ok) return refuse(socket, 401, { error: checked.message });
        const vsn: Vsn = url.searchParams.get('vsn') === '2.0.0' ? '2.0.0' : '1.0.0';
        const headers: Record<string, string> = {};
        for (const k of ['user-agent', 'x-forwarded-for', 'origin']) {
          const v = req.headers[k];
          if (typeof v === 'string') headers[k] = v;
        }
        socket.on('error', () => socket.destroy());
        wss.handleUpgrade(req, socket, head, (ws) => {
          const conn = new Connection(ctx, ws, vsn, apikey!, headers);
          connections.add(conn);
          ws.once('close', () => connections.delete(conn));
        });
      } catch (e) {
        log(`[realtime] upgrade: ${(e as Error).message}`);
        socket.destroy();
      }
    },
    handle: (req, res, path) => handleRest({ pool, hub, jwtSecret }, req, res, path),
    stats: () => ({
      connections: connections.size,
      channels: [...connections].reduce((n, c) => n + c.channels.size, 0),
      topics: hub.size,
      presenceTopics: presence.size,
      changeListeners: changes.listeners.size,
    }),
    async close() {
      clearInterval(sweeper);
      for (const c of connections) c.ws.terminate();
      connections.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await changes.close();
    },
  };
}
