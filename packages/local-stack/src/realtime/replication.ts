// The database side of Realtime: one logical replication stream (pgoutput) over the publications
// `supabase_realtime` (Postgres Changes, B.5) and `supabase_realtime_messages_publication` (Broadcast from the
// database, B.6). The slot is ours alone, named `realtime_local_*`, dropped on close; slots of that name left by
// a killed process are dropped at the next start, so WAL never piles up behind a stopped stack.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';
import type { JwtClaims } from '../keys.ts';
import { matches, type Condition } from './filters.ts';
import { toJsonValue } from './values.ts';

const { escapeIdentifier: ident, escapeLiteral: lit } = pg;

export const MESSAGES_PUBLICATION = 'supabase_realtime_messages_publication';
const SLOT_PREFIX = 'realtime_local_';
/** Postgres change payload limit (B.10): beyond it, values over 64 bytes are dropped and error 413 is set. */
const MAX_RECORD_BYTES = 1024 * 1024;

export type ChangeEvent = '*' | 'INSERT' | 'UPDATE' | 'DELETE';

export interface ChangeBinding {
  id: number;
  event: ChangeEvent;
  schema: string;
  /** undefined = every table of the schema */
  table: string | undefined;
  conditions: Condition[];
}

/** A channel's postgres_changes subscriptions, seen by the stream. */
export interface ChangeListener {
  bindings: ChangeBinding[];
  claims(): JwtClaims & { role: string };
  deliver(ids: number[], data: Record<string, unknown>): void;
}

/** A row inserted into realtime.messages (Broadcast from the database). */
export interface MessageRow {
  id: string;
  topic: string;
  event: string;
  private: boolean;
  extension: string;
  payload: unknown;
  binary: Buffer | undefined;
}

interface TableMeta {
  rls: boolean;
  pk: string[];
  columns: Array<{ name: string; type: string }>;
  types: Map<string, string>;
  at: number;
}

type Row = Record<string, string | null>;
interface Change {
  type: 'INSERT' | 'UPDATE' | 'DELETE';
  relation: Pgoutput.MessageRelation;
  record: Row | undefined;
  old: Row | undefined;
}

const CACHE_MS = 2000;

/** Text values of a pgoutput tuple; unchanged TOAST values (undefined) are left out. */
function textRow(tuple: Record<string, unknown> | null | undefined): Row | undefined {
  if (!tuple) return undefined;
  const row: Row = {};
  for (const [k, v] of Object.entries(tuple)) {
    if (v === undefined) continue;
    row[k] = v === null ? null : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
  }
  return row;
}

export class ChangeStream {
  readonly listeners = new Set<ChangeListener>();
  private readonly pool: pg.Pool;
  private readonly dbUrl: string;
  private readonly log: (line: string) => void;
  private readonly onMessage: (m: MessageRow) => void;
  private readonly slot = `${SLOT_PREFIX}${randomBytes(6).toString('hex')}`;
  private service: LogicalReplicationService | undefined;
  private closing = false;
  private queue: Promise<void> = Promise.resolve();
  private txn: { changes: Change[] } | undefined;
  private readonly meta = new Map<number, TableMeta>();
  private readonly privileges = new Map<string, { cols: Set<string>; at: number }>();
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(opts: { pool: pg.Pool; dbUrl: string; log: (l: string) => void; onMessage: (m: MessageRow) => void }) {
    this.pool = opts.pool;
    this.dbUrl = opts.dbUrl;
    this.log = opts.log;
    this.onMessage = opts.onMessage;
  }

  async start(): Promise<void> {
    await this.pool.query(
      `select pg_drop_replication_slot(slot_name) from pg_replication_slots
        where slot_name like 'realtime\\_local\\_%' and not active`,
    );
    await this.pool.query(`select pg_create_logical_replication_slot($1, 'pgoutput')`, [this.slot]);
    await this.stream();
  }

  private async stream(): Promise<void> {
    const service = new LogicalReplicationService(
      { connectionString: this.dbUrl, application_name: 'realtime_local_replication' },
      { acknowledge: { auto: true, timeoutSeconds: 10 } },
    );
    this.service = service;
    const plugin = new PgoutputPlugin({
      protoVersion: 1,
      publicationNames: ['supabase_realtime', MESSAGES_PUBLICATION],
    });
    // Keep Postgres' text output: values are converted the way realtime.cast does, per column type.
    const parse = plugin.parse.bind(plugin);
    plugin.parse = (buf: Buffer) => {
      const msg = parse(buf) as Pgoutput.Message;
      if (msg.tag === 'relation') {
        for (const c of msg.columns) c.parser = (raw: unknown) => raw;
        this.meta.delete(msg.relationOid);
        for (const k of this.privileges.keys()) if (k.endsWith(`:${msg.relationOid}`)) this.privileges.delete(k);
      }
      return msg;
    };
    service.on('data', (_lsn: string, msg: Pgoutput.Message) => this.onData(msg));
    service.on('error', (e: Error) => {
      if (this.closing) return;
      this.log(`[realtime] replication: ${e.message}`);
      this.scheduleRestart();
    });
    const started = new Promise<void>((resolve) => service.once('start', () => resolve()));
    service.subscribe(plugin, this.slot).then(
      () => this.scheduleRestart(),
      (e: Error) => {
        if (this.closing) return;
        this.log(`[realtime] replication stopped: ${e.message}`);
        this.scheduleRestart();
      },
    );
    await Promise.race([started, new Promise((r) => setTimeout(r, 5000).unref())]);
  }

  private scheduleRestart(): void {
    if (this.closing || this.restartTimer) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.closing) return;
      void this.service
        ?.destroy()
        .catch(() => undefined)
        .then(() => (this.closing ? undefined : this.stream()))
        .catch((e: Error) => {
          this.log(`[realtime] replication restart: ${e.message}`);
          this.scheduleRestart();
        });
    }, 1000);
  }

  private onData(msg: Pgoutput.Message): void {
    switch (msg.tag) {
      case 'begin':
        this.txn = { changes: [] };
        return;
      case 'insert':
        this.txn?.changes.push({ type: 'INSERT', relation: msg.relation, record: textRow(msg.new), old: undefined });
        return;
      case 'update':
        this.txn?.changes.push({
          type: 'UPDATE',
          relation: msg.relation,
          record: textRow(msg.new),
          old: textRow(msg.old ?? msg.key),
        });
        return;
      case 'delete':
        this.txn?.changes.push({
          type: 'DELETE',
          relation: msg.relation,
          record: undefined,
          old: textRow(msg.old ?? msg.key),
        });
        return;
      case 'commit': {
        const changes = this.txn?.changes ?? [];
        this.txn = undefined;
        if (changes.length === 0) return;
        const ts = new Date(Number((msg.commitTime as unknown as bigint) / 1000n)).toISOString();
        // One transaction after another, each change in order (Realtime processes changes on one thread too).
        this.queue = this.queue.then(async () => {
          for (const c of changes) {
            try {
              await this.process(c, ts);
            } catch (e) {
              this.log(`[realtime] change on ${c.relation.schema}.${c.relation.name}: ${(e as Error).message}`);
            }
          }
        });
        return;
      }
    }
  }

  private async process(c: Change, commitTimestamp: string): Promise<void> {
    const rel = c.relation;
    if (rel.schema === 'realtime' && rel.name === 'messages') {
      if (c.type === 'INSERT' && c.record) this.message(c.record);
      return;
    }
    const candidates: Array<{ l: ChangeListener; ids: number[] }> = [];
    let meta: TableMeta | undefined;
    for (const l of this.listeners) {
      const hit = l.bindings.filter(
        (b) =>
          (b.event === '*' || b.event === c.type) &&
          (b.schema === '*' || b.schema === rel.schema) &&
          (b.table === undefined || b.table === rel.name),
      );
      if (hit.length === 0) continue;
      meta ??= await this.tableMeta(rel.relationOid);
      if (!meta) return;
      const types = meta.types;
      const ids = hit
        .filter(
          (b) =>
            b.conditions.length === 0 ||
            (c.record !== undefined && matches(b.conditions, c.record, types)) ||
            (c.type === 'DELETE' && c.old !== undefined && matches(b.conditions, c.old, types)),
        )
        .map((b) => b.id);
      if (ids.length) candidates.push({ l, ids });
    }
    if (!meta || candidates.length === 0) return;

    const byRole = new Map<string, Array<{ l: ChangeListener; ids: number[] }>>();
    for (const cand of candidates) {
      const role = cand.l.claims().role;
      const list = byRole.get(role) ?? [];
      list.push(cand);
      byRole.set(role, list);
    }
    for (const [role, list] of byRole) {
      const selectable = await this.selectable(role, rel.relationOid);
      const base = { schema: rel.schema, table: rel.name, commit_timestamp: commitTimestamp, type: c.type };
      if (c.type !== 'DELETE' && meta.pk.length === 0) {
        for (const { l, ids } of list)
          l.deliver(ids, { ...base, columns: [], record: {}, errors: ['Error 400: Bad Request, no primary key'] });
        continue;
      }
      if (c.type !== 'DELETE' && !meta.pk.every((k) => selectable.has(k))) {
        for (const { l, ids } of list)
          l.deliver(ids, { ...base, columns: [], record: {}, errors: ['Error 401: Unauthorized'] });
        continue;
      }
      const data = this.payload(c, meta, selectable, base);
      let visible: boolean[] = list.map(() => true);
      if (meta.rls && c.type !== 'DELETE' && c.record) {
        visible = await this.visible(
          rel,
          meta.pk,
          c.record,
          list.map(({ l }) => l.claims()),
        );
      }
      list.forEach(({ l, ids }, i) => {
        if (visible[i]) l.deliver(ids, data);
      });
    }
  }

  private payload(c: Change, meta: TableMeta, selectable: Set<string>, base: Record<string, unknown>) {
    const columns = meta.columns.filter((col) => selectable.has(col.name));
    const json = (row: Row | undefined, keep: (name: string) => boolean) => {
      const out: Record<string, unknown> = {};
      for (const col of columns) {
        if (!row || !(col.name in row) || !keep(col.name)) continue;
        out[col.name] = toJsonValue(row[col.name], col.type);
      }
      return out;
    };
    const data: Record<string, unknown> = { ...base, columns };
    // UPDATE: values missing from the new tuple (unchanged TOAST) come from the old one when we have it.
    const merged = c.record ? { ...(c.old ?? {}), ...c.record } : undefined;
    if (c.type !== 'DELETE') data.record = json(merged, () => true);
    if (c.type === 'UPDATE') {
      // Without REPLICA IDENTITY FULL the old tuple is the key (or nothing when the key did not change).
      const old = c.old ?? Object.fromEntries(meta.pk.map((k) => [k, c.record?.[k] ?? null]));
      data.old_record = json(old, () => true);
    }
    if (c.type === 'DELETE') {
      const pk = new Set(meta.pk);
      data.old_record = json(c.old, (name) => !meta.rls || pk.has(name));
    }
    let errors: string[] | null = null;
    if (Buffer.byteLength(JSON.stringify(data)) > MAX_RECORD_BYTES) {
      errors = ['Error 413: Payload Too Large'];
      for (const key of ['record', 'old_record']) {
        const rec = data[key] as Record<string, unknown> | undefined;
        if (!rec) continue;
        for (const [k, v] of Object.entries(rec)) if (Buffer.byteLength(JSON.stringify(v)) > 64) delete rec[k];
      }
    }
    data.errors = errors;
    return data;
  }

  /** One round trip: for each subscriber, its role and claims, then `exists(select 1 … where pk = …)`. */
  private async visible(rel: Pgoutput.MessageRelation, pk: string[], row: Row, claims: JwtClaims[]) {
    const table = `${ident(rel.schema)}.${ident(rel.name)}`;
    const where = pk
      .map((k) => (row[k] === null || row[k] === undefined ? `${ident(k)} is null` : `${ident(k)} = ${lit(row[k]!)}`))
      .join(' and ');
    const check = (c: JwtClaims) =>
      [
        `set local role ${ident(String(c.role))}`,
        `select set_config('request.jwt.claims', ${lit(JSON.stringify(c))}, true),
          set_config('request.jwt.claim.sub', ${lit(typeof c.sub === 'string' ? c.sub : '')}, true),
          set_config('request.jwt.claim.role', ${lit(String(c.role))}, true)`,
        `select exists(select 1 from ${table} where ${where}) as v`,
        'reset role',
      ].join(';\n');
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      try {
        const results = (await client.query(
          `begin;\n${claims.map(check).join(';\n')};\nrollback`,
        )) as unknown as pg.QueryResult[];
        return claims.map((_, i) => results[1 + i * 4 + 2]?.rows[0]?.v === true);
      } catch {
        // One subscriber's policy failed: check them one by one so the others still get the change.
        await client.query('rollback');
        const out: boolean[] = [];
        for (const c of claims) {
          try {
            const r = (await client.query(`begin;\n${check(c)};\nrollback`)) as unknown as pg.QueryResult[];
            out.push(r[3]?.rows[0]?.v === true);
          } catch {
            await client.query('rollback');
            out.push(false);
          }
        }
        return out;
      }
    } catch (e) {
      broken = e as Error;
      return claims.map(() => false);
    } finally {
      client.release(broken);
    }
  }

  private async tableMeta(oid: number): Promise<TableMeta | undefined> {
    const hit = this.meta.get(oid);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit;
    const r = await this.pool.query<{ rls: boolean; pk: string[]; columns: Array<{ name: string; type: string }> }>(
      `select c.relrowsecurity as rls,
         coalesce((select array_agg(a.attname::text order by a.attnum) from pg_index i
                     join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
                    where i.indrelid = c.oid and i.indisprimary), '{}') as pk,
         coalesce((select json_agg(json_build_object('name', a.attname, 'type', t.typname) order by a.attnum)
                     from pg_attribute a join pg_type t on t.oid = a.atttypid
                    where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '[]') as columns
       from pg_class c where c.oid = $1`,
      [oid],
    );
    const row = r.rows[0];
    if (!row) return undefined;
    const meta = { ...row, types: new Map(row.columns.map((c) => [c.name, c.type])), at: Date.now() };
    this.meta.set(oid, meta);
    return meta;
  }

  private async selectable(role: string, oid: number): Promise<Set<string>> {
    const key = `${role}:${oid}`;
    const hit = this.privileges.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.cols;
    let cols = new Set<string>();
    try {
      const r = await this.pool.query<{ name: string }>(
        `select a.attname::text as name from pg_attribute a
          where a.attrelid = $2 and a.attnum > 0 and not a.attisdropped
            and has_column_privilege($1, $2::oid, a.attname::text, 'SELECT')`,
        [role, oid],
      );
      cols = new Set(r.rows.map((x) => x.name));
    } catch {
      // unknown role: nothing is selectable
    }
    this.privileges.set(key, { cols, at: Date.now() });
    return cols;
  }

  private message(row: Row): void {
    if (row.extension !== 'broadcast' || !row.topic || !row.event || !row.id) return;
    let payload: unknown = null;
    let binary: Buffer | undefined;
    if (row.binary_payload) binary = Buffer.from(row.binary_payload.replace(/^\\x/, ''), 'hex');
    else if (row.payload) {
      try {
        payload = JSON.parse(row.payload);
      } catch {
        return;
      }
    } else return;
    this.onMessage({
      id: row.id,
      topic: row.topic,
      event: row.event,
      private: row.private === 't',
      extension: row.extension,
      payload,
      binary,
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.restartTimer);
    await this.service?.destroy().catch(() => undefined);
    await this.queue.catch(() => undefined);
    // The walsender lets go of the slot a moment after the connection ends.
    for (let i = 0; i < 50; i += 1) {
      try {
        await this.pool.query(
          `select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1`,
          [this.slot],
        );
        return;
      } catch (e) {
        if (!/is active/.test((e as Error).message)) {
          this.log(`[realtime] dropping slot ${this.slot}: ${(e as Error).message}`);
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}
