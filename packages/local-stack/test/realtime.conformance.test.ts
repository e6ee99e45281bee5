// Realtime through unmodified supabase-js (and a bare Phoenix socket for what supabase-js never sends): connection
// rules, Broadcast, Presence, Postgres Changes under RLS, Realtime Authorization on realtime.messages, token
// updates and limits — each with the allowed and the refused path (supabase-protocols.md §B).
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import WebSocket from 'ws';
import { signJwt } from '../src/index.ts';
import { newClient, stack, uniquePhone } from './stack.ts';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(get: () => T | undefined | false, ms = 5000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** A user created through the Auth admin API, and an access token for it. */
export async function makeUser(): Promise<{ id: string; token: string }> {
  const { data, error } = await newClient('service').auth.admin.createUser({
    phone: uniquePhone(),
    phone_confirm: true,
  });
  if (error) throw error;
  return { id: data.user.id, token: userToken(data.user.id) };
}

export const userToken = (sub: string, expIn = 3600, extra: Record<string, unknown> = {}) =>
  signJwt(
    { sub, role: 'authenticated', aud: 'authenticated', exp: Math.floor(Date.now() / 1000) + expIn, ...extra },
    stack().jwtSecret,
  );

/** A client as an app holds it: the anon key, and (when given) the user's access token for Realtime. */
export async function realtimeClient(token?: string): Promise<SupabaseClient> {
  const s = stack();
  const client = createClient(s.apiUrl, s.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    ...(token ? { accessToken: async () => token } : {}),
  });
  // As Supabase's guide says for private channels: resolve the token before joining.
  if (token) await client.realtime.setAuth();
  return client;
}

/** Resolves on SUBSCRIBED, rejects with the channel error. */
export function subscribed(channel: RealtimeChannel): Promise<RealtimeChannel> {
  return new Promise((resolve, reject) => {
    channel.subscribe((status, err) => {
      if (status === 'SUBSCRIBED') resolve(channel);
      else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') reject(err ?? new Error(status));
    });
  });
}

export async function superuser(): Promise<pg.Client> {
  const db = new pg.Client({ connectionString: stack().dbUrl });
  await db.connect();
  // Commit-to-WAL-flush without the fast stack's asynchronous commit delay.
  await db.query('set synchronous_commit = on');
  return db;
}

export const wsUrl = (query: string) => `${stack().apiUrl.replace(/^http/, 'ws')}/realtime/v1/websocket?${query}`;

/** A bare Phoenix v2 socket: frames in and out as arrays, for what supabase-js would never send. */
export class RawSocket {
  readonly ws: WebSocket;
  readonly frames: unknown[][] = [];
  private ref = 0;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        const parsed = JSON.parse(data.toString());
        this.frames.push(Array.isArray(parsed) ? parsed : [parsed]);
      }
    });
  }

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  push(topic: string, event: string, payload: unknown, joinRef: string | null = null): string {
    const ref = String(++this.ref);
    this.ws.send(JSON.stringify([joinRef, ref, topic, event, payload]));
    return ref;
  }

  reply(ref: string, ms = 5000) {
    return waitFor(() => this.frames.find((f) => f[1] === ref && f[3] === 'phx_reply'), ms, `reply ${ref}`) as Promise<
      [string, string, string, string, { status: string; response: Record<string, unknown> }]
    >;
  }

  async join(topic: string, config: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
    const ref = String(++this.ref);
    this.ws.send(JSON.stringify([ref, ref, topic, 'phx_join', { config, ...extra }]));
    return { joinRef: ref, reply: await this.reply(ref) };
  }

  close(): void {
    this.ws.close();
  }
}

let db: pg.Client;
const clients: SupabaseClient[] = [];
const track = (c: SupabaseClient) => (clients.push(c), c);

beforeAll(async () => {
  db = await superuser();
  // Orders as the product will model them: a customer sees their own; `order:<id>` topics are theirs alone.
  await db.query(`
    create table public.rt_probe_orders (
      id bigint primary key generated always as identity,
      customer_id uuid not null,
      status text not null default 'new',
      total int not null default 0,
      secret_note text
    );
    alter table public.rt_probe_orders replica identity full;
    -- The public schema's default privileges grant every column; take them back so secret_note is really hidden.
    revoke all on public.rt_probe_orders from anon, authenticated;
    grant select (id, customer_id, status, total) on public.rt_probe_orders to anon, authenticated;
    grant insert, update, delete on public.rt_probe_orders to authenticated;
    alter table public.rt_probe_orders enable row level security;
    create policy "Customers can view their own orders" on public.rt_probe_orders
      for select to authenticated using (customer_id = (select auth.uid()));
    alter publication supabase_realtime add table public.rt_probe_orders;

    create table public.rt_probe_open (id int primary key, n int not null, label text);
    grant select on public.rt_probe_open to anon, authenticated;
    alter publication supabase_realtime add table public.rt_probe_open;

    create policy "Customers can read their order topics" on realtime.messages
      for select to authenticated using (
        realtime.topic() like 'order:%'
        and exists (select 1 from public.rt_probe_orders o
                     where 'order:' || o.id = realtime.topic() and o.customer_id = (select auth.uid())));
    create policy "Customers can write to their order topics" on realtime.messages
      for insert to authenticated with check (
        realtime.topic() like 'order:%'
        and exists (select 1 from public.rt_probe_orders o
                     where 'order:' || o.id = realtime.topic() and o.customer_id = (select auth.uid())));
  `);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.removeAllChannels()));
  await db.query(`
    drop policy "Customers can read their order topics" on realtime.messages;
    drop policy "Customers can write to their order topics" on realtime.messages;
    drop table public.rt_probe_orders; drop table public.rt_probe_open;`);
  await db.end();
});

describe('connection', () => {
  it('refuses an upgrade without a valid JWT apikey with 401 and the reason', async () => {
    const cases: Array<[string, string]> = [
      ['vsn=2.0.0', 'API key missing'],
      ['apikey=not-a-jwt&vsn=2.0.0', 'Token is not a valid JWT'],
      [
        `apikey=${signJwt({ role: 'anon' }, stack().jwtSecret)}&vsn=2.0.0`,
        'Fields `role` and `exp` are required in JWT',
      ],
      [`apikey=${userToken(crypto.randomUUID(), -10)}&vsn=2.0.0`, 'Token has expired'],
      [`apikey=${signJwt({ role: 'anon', exp: 2e9 }, 'another-secret-of-at-least-32-characters')}`, 'Signature error'],
    ];
    for (const [query, reason] of cases) {
      const status = await new Promise<{ code: number; body: string }>((resolve) => {
        const ws = new WebSocket(wsUrl(query));
        ws.on('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d));
          res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
        });
        ws.on('error', () => undefined);
      });
      expect(status.code).toBe(401);
      expect(JSON.parse(status.body).error).toContain(reason);
    }
  });

  it('accepts the publishable sb_ key (the gateway swaps it) and answers heartbeats', async () => {
    const raw = new RawSocket(wsUrl(`apikey=${stack().publishableKey}&vsn=2.0.0`));
    await raw.open();
    const ref = raw.push('phoenix', 'heartbeat', {});
    const [, , , , payload] = await raw.reply(ref);
    expect(payload).toEqual({ status: 'ok', response: {} });
    raw.close();
  });

  it('speaks vsn 1.0.0 JSON objects too', async () => {
    const ws = new WebSocket(wsUrl(`apikey=${stack().anonKey}&vsn=1.0.0`));
    await new Promise((r) => ws.once('open', r));
    const got = new Promise<Record<string, unknown>>((r) => ws.once('message', (d) => r(JSON.parse(d.toString()))));
    ws.send(
      JSON.stringify({
        topic: 'realtime:v1-room',
        event: 'phx_join',
        payload: { config: {} },
        ref: '1',
        join_ref: '1',
      }),
    );
    expect(await got).toMatchObject({
      topic: 'realtime:v1-room',
      event: 'phx_reply',
      ref: '1',
      payload: { status: 'ok', response: { postgres_changes: [] } },
    });
    ws.close();
  });

  it('survives malformed frames and still serves the socket', async () => {
    const raw = new RawSocket(wsUrl(`apikey=${stack().anonKey}&vsn=2.0.0`));
    await raw.open();
    raw.ws.send('not json');
    raw.ws.send('[1,2]');
    raw.ws.send('{"topic":1}');
    raw.ws.send(Buffer.from([3, 200, 200, 200, 0, 0, 1])); // lengths past the end
    raw.ws.send(Buffer.from([9, 1, 2]));
    raw.ws.send(JSON.stringify([null, '9', 'realtime:x', 'phx_join', 'not-a-map']));
    const unjoined = raw.push('realtime:never-joined', 'broadcast', { type: 'broadcast', event: 'e', payload: {} });
    expect((await raw.reply(unjoined))[4]).toEqual({ status: 'error', response: { reason: 'unmatched topic' } });
    const empty = await raw.join('realtime:');
    expect(empty.reply[4].response.reason).toMatch(/^TopicNameRequired/);
    const ref = raw.push('phoenix', 'heartbeat', {});
    expect((await raw.reply(ref))[4].status).toBe('ok');
    raw.close();
  });

  it('refuses a join whose access_token is expired or lacks role/exp', async () => {
    const raw = new RawSocket(wsUrl(`apikey=${stack().anonKey}&vsn=2.0.0`));
    await raw.open();
    const expired = await raw.join('realtime:exp-room', {}, { access_token: userToken(crypto.randomUUID(), -5) });
    expect(expired.reply[4]).toMatchObject({ status: 'error' });
    expect(String(expired.reply[4].response.reason)).toMatch(/^InvalidJWTToken: Token has expired \d+ seconds ago$/);
    const noRole = await raw.join('realtime:exp-room', {}, { access_token: signJwt({ exp: 2e9 }, stack().jwtSecret) });
    expect(noRole.reply[4].response.reason).toBe('InvalidJWTToken: Fields `role` and `exp` are required in JWT');
    // An sb_ token and unknown keys are ignored: the apikey's claims are used.
    const ok = await raw.join('realtime:exp-room', {}, { access_token: 'sb_publishable_x', version: 'realtime-js/x' });
    expect(ok.reply[4]).toEqual({ status: 'ok', response: { postgres_changes: [] } });
    raw.close();
  });
});

describe('broadcast', () => {
  it('delivers to the others, to the sender only with self, and acks when asked', async () => {
    const a = track(await realtimeClient());
    const b = track(await realtimeClient());
    const seenA: unknown[] = [];
    const seenB: unknown[] = [];
    const chA = a.channel('bc-room', { config: { broadcast: { self: true, ack: true } } });
    chA.on('broadcast', { event: 'move' }, (m) => seenA.push(m));
    const chB = b.channel('bc-room').on('broadcast', { event: '*' }, (m) => seenB.push(m));
    await subscribed(chA);
    await subscribed(chB);
    expect(await chA.send({ type: 'broadcast', event: 'move', payload: { x: 1 } })).toBe('ok');
    await waitFor(() => seenA.length === 1 && seenB.length === 1, 3000, 'both receive');
    expect(seenB[0]).toEqual({ type: 'broadcast', event: 'move', payload: { x: 1 } });
    expect(await chB.send({ type: 'broadcast', event: 'move', payload: { x: 2 } })).toBe('ok');
    await waitFor(() => seenA.length === 2, 3000, 'a receives b');
    await sleep(200);
    expect(seenB).toHaveLength(1); // self: false — b never hears itself
  });

  it('decodes binary kind-3 frames (JSON and raw bytes) and answers with kind-4 for bytes', async () => {
    const raw = new RawSocket(wsUrl(`apikey=${stack().anonKey}&vsn=2.0.0`));
    await raw.open();
    const binary: Buffer[] = [];
    raw.ws.on('message', (d, isBinary) => isBinary && binary.push(d as Buffer));
    const { joinRef } = await raw.join('realtime:bin-room', { broadcast: { self: true, ack: true } });
    const frame = (ref: string, event: string, encoding: number, body: Buffer) => {
      const [j, r, t, e] = [joinRef, ref, 'realtime:bin-room', event].map((s) => Buffer.from(s));
      return Buffer.concat([
        Buffer.from([3, j!.length, r!.length, t!.length, e!.length, 0, encoding]),
        j!,
        r!,
        t!,
        e!,
        body,
      ]);
    };
    raw.ws.send(frame('50', 'json-ev', 1, Buffer.from('{"a":1}')));
    expect((await raw.reply('50'))[4]).toEqual({ status: 'ok', response: {} });
    const echoed = await waitFor(() => raw.frames.find((f) => f[3] === 'broadcast'), 3000, 'json echo');
    expect(echoed).toEqual([
      null,
      null,
      'realtime:bin-room',
      'broadcast',
      { type: 'broadcast', event: 'json-ev', payload: { a: 1 } },
    ]);
    raw.ws.send(frame('51', 'bytes-ev', 0, Buffer.from([1, 2, 3])));
    await raw.reply('51');
    const kind4 = await waitFor(() => binary[0], 3000, 'kind 4');
    expect(kind4[0]).toBe(4);
    expect([...kind4.subarray(-3)]).toEqual([1, 2, 3]);
    raw.close();
  });

  it('refuses a payload over 256 KB with payload_size_exceeded (ack) and 413 over REST', async () => {
    const a = track(await realtimeClient());
    const b = track(await realtimeClient());
    const seen: unknown[] = [];
    const ch = await subscribed(a.channel('big-room', { config: { broadcast: { ack: true } } }));
    await subscribed(b.channel('big-room').on('broadcast', { event: '*' }, (m) => seen.push(m)));
    const big = { blob: 'x'.repeat(260_000) };
    expect(await ch.send({ type: 'broadcast', event: 'big', payload: big })).toBe('error');
    const rest = await fetch(`${stack().apiUrl}/realtime/v1/api/broadcast`, {
      method: 'POST',
      headers: { apikey: stack().anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ topic: 'big-room', event: 'big', payload: big }] }),
    });
    expect(rest.status).toBe(413);
    expect(await rest.json()).toMatchObject({ error: 'payload_size_exceeded' });
    expect(await ch.send({ type: 'broadcast', event: 'small', payload: { ok: true } })).toBe('ok');
    await waitFor(() => seen.length === 1, 3000, 'small one');
    expect(seen).toEqual([{ type: 'broadcast', event: 'small', payload: { ok: true } }]);
  });

  it('takes REST broadcasts: the batch endpoint (202) and httpSend', async () => {
    const listener = track(await realtimeClient());
    const seen: Array<{ event: string; payload: unknown }> = [];
    await subscribed(listener.channel('rest-room').on('broadcast', { event: '*' }, (m) => seen.push(m as never)));
    const url = `${stack().apiUrl}/realtime/v1/api/broadcast?apikey=${stack().anonKey}&vsn=2.0.0`;
    const batch = await fetch(url, {
      method: 'POST',
      headers: {
        apikey: stack().anonKey,
        authorization: `Bearer ${stack().anonKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ messages: [{ topic: 'rest-room', event: 'one', payload: { n: 1 }, private: false }] }),
    });
    expect(batch.status).toBe(202);
    expect(await batch.text()).toBe('');
    const sender = track(await realtimeClient());
    expect(await sender.channel('rest-room').httpSend('two', { n: 2 })).toEqual({ success: true });
    // send() on a channel that is not joined falls back to the batch endpoint.
    expect(await sender.channel('rest-room').send({ type: 'broadcast', event: 'three', payload: { n: 3 } })).toBe('ok');
    await waitFor(() => seen.length === 3, 3000, 'three REST messages');
    expect(seen.map((m) => m.event).sort()).toEqual(['one', 'three', 'two']);
    const bad = await fetch(url, {
      method: 'POST',
      headers: { apikey: stack().anonKey, authorization: 'Bearer nope' },
      body: '{}',
    });
    expect(bad.status).toBe(401);
  });

  it('delivers realtime.send and broadcast_changes from the database, public and private kept apart', async () => {
    const listener = track(await realtimeClient());
    const seen: Array<{ event: string; payload: Record<string, unknown>; meta?: { id: string } }> = [];
    await subscribed(listener.channel('db-room').on('broadcast', { event: '*' }, (m) => seen.push(m as never)));
    await db.query(`select realtime.send('{"hello":"world"}', 'greet', 'db-room', false)`);
    await db.query(`select realtime.send('{"hidden":true}', 'greet', 'db-room')`); // private by default
    const got = await waitFor(() => seen[0], 5000, 'db broadcast');
    expect(got.event).toBe('greet');
    expect(got.payload.hello).toBe('world');
    expect(got.meta?.id).toBe(got.payload.id);
    await db.query(`
      create function public.rt_probe_open_broadcast() returns trigger language plpgsql as $$
      begin
        perform realtime.broadcast_changes('open-changes', tg_op, tg_op, tg_table_name, tg_table_schema, new, old);
        return null;
      end $$;
      create trigger rt_probe_open_broadcast after insert on public.rt_probe_open
        for each row execute function public.rt_probe_open_broadcast();`);
    await sleep(300);
    expect(seen).toHaveLength(1);
    // broadcast_changes sends privately: only a private subscriber allowed by a policy hears it.
    await db.query(`create policy "Authenticated can read open-changes" on realtime.messages for select to authenticated
                    using (realtime.topic() = 'open-changes')`);
    try {
      const user = await makeUser();
      const priv = track(await realtimeClient(user.token));
      const changes: Array<{ payload: Record<string, unknown> }> = [];
      await subscribed(
        priv
          .channel('open-changes', { config: { private: true } })
          .on('broadcast', { event: 'INSERT' }, (m) => changes.push(m as never)),
      );
      await db.query(`insert into public.rt_probe_open (id, n, label) values (900, 1, 'via trigger')`);
      const change = await waitFor(() => changes[0], 5000, 'broadcast_changes');
      expect(change.payload).toMatchObject({
        operation: 'INSERT',
        table: 'rt_probe_open',
        schema: 'public',
        record: { id: 900, n: 1, label: 'via trigger' },
        old_record: null,
      });
    } finally {
      await db.query(`drop trigger rt_probe_open_broadcast on public.rt_probe_open;
                      drop function public.rt_probe_open_broadcast();
                      drop policy "Authenticated can read open-changes" on realtime.messages`);
    }
  });
});

describe('private channels (RLS on realtime.messages)', () => {
  it('lets the order’s customer join, send and track; refuses another customer with Supabase’s reason', async () => {
    const alice = await makeUser();
    const bob = await makeUser();
    const { rows } = await db.query(`insert into public.rt_probe_orders (customer_id) values ($1) returning id`, [
      alice.id,
    ]);
    const topic = `order:${rows[0].id}`;
    const a = track(await realtimeClient(alice.token));
    const a2 = track(await realtimeClient(alice.token));
    const heard: unknown[] = [];
    await subscribed(
      a.channel(topic, { config: { private: true } }).on('broadcast', { event: '*' }, (m) => heard.push(m)),
    );
    const ch2 = await subscribed(a2.channel(topic, { config: { private: true, broadcast: { ack: true } } }));
    expect(await ch2.send({ type: 'broadcast', event: 'eta', payload: { min: 5 } })).toBe('ok');
    await waitFor(() => heard.length === 1, 3000, 'alice hears alice');
    expect(await ch2.track({ at: 'door' })).toBe('ok');

    const b = track(await realtimeClient(bob.token));
    await expect(subscribed(b.channel(topic, { config: { private: true } }))).rejects.toThrow(
      `Unauthorized: You do not have permissions to read from this Channel topic: ${topic}`,
    );
    // Bob on the public channel of the same name hears nothing of the private one, and his sends do not leak in.
    // (A new client: realtime-js hands back the refused channel object for the same name on the same client.)
    const b2 = track(await realtimeClient(bob.token));
    const pub = await subscribed(b2.channel(topic).on('broadcast', { event: '*' }, (m) => heard.push(m)));
    expect(await pub.send({ type: 'broadcast', event: 'spoof', payload: {} })).toBe('ok');
    await sleep(300);
    expect(heard).toHaveLength(1);
    // Anonymous is refused too.
    const anon = track(await realtimeClient());
    await expect(subscribed(anon.channel(topic, { config: { private: true } }))).rejects.toThrow(/^Unauthorized/);
  });

  it('drops broadcasts a reader may not write, and refuses their presence track', async () => {
    const carol = await makeUser();
    const { rows } = await db.query(`insert into public.rt_probe_orders (customer_id) values ($1) returning id`, [
      carol.id,
    ]);
    const topic = `order:${rows[0].id}`;
    await db.query(`create policy "rt read-only topic" on realtime.messages for select to authenticated
                    using (realtime.topic() = 'readonly:' || $$${rows[0].id}$$)`);
    try {
      const ro = `readonly:${rows[0].id}`;
      const c1 = track(await realtimeClient(carol.token));
      const c2 = track(await realtimeClient(carol.token));
      const heard: unknown[] = [];
      await subscribed(
        c1.channel(ro, { config: { private: true } }).on('broadcast', { event: '*' }, (m) => heard.push(m)),
      );
      const sender = await subscribed(c2.channel(ro, { config: { private: true } }));
      expect(await sender.send({ type: 'broadcast', event: 'x', payload: {} })).toBe('ok'); // no ack: resolves at once
      expect(await sender.track({ here: true })).toBe('error');
      await sleep(300);
      expect(heard).toHaveLength(0);
      // Through REST too: a private message the caller may not write is skipped (still 202).
      const r = await fetch(`${stack().apiUrl}/realtime/v1/api/broadcast`, {
        method: 'POST',
        headers: {
          apikey: stack().anonKey,
          authorization: `Bearer ${carol.token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ messages: [{ topic: ro, event: 'x', payload: {}, private: true }] }),
      });
      expect(r.status).toBe(202);
      // …while one to her own order topic goes through.
      const mine: unknown[] = [];
      await subscribed(
        c1.channel(topic, { config: { private: true } }).on('broadcast', { event: '*' }, (m) => mine.push(m)),
      );
      const ok = await fetch(`${stack().apiUrl}/realtime/v1/api/broadcast`, {
        method: 'POST',
        headers: {
          apikey: stack().anonKey,
          authorization: `Bearer ${carol.token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ messages: [{ topic, event: 'y', payload: { v: 1 }, private: true }] }),
      });
      expect(ok.status).toBe(202);
      await waitFor(() => mine.length === 1, 3000, 'private REST message');
      await sleep(200);
      expect(heard).toHaveLength(0);
    } finally {
      await db.query(`drop policy "rt read-only topic" on realtime.messages`);
    }
  });

  it('closes a private channel with a system error when a new token loses read permission or expires', async () => {
    const dan = await makeUser();
    const eve = await makeUser();
    const { rows } = await db.query(`insert into public.rt_probe_orders (customer_id) values ($1) returning id`, [
      dan.id,
    ]);
    const raw = new RawSocket(wsUrl(`apikey=${stack().anonKey}&vsn=2.0.0`));
    await raw.open();
    const topic = `realtime:order:${rows[0].id}`;
    const { joinRef, reply: joined } = await raw.join(topic, { private: true }, { access_token: dan.token });
    expect(joined[4].status).toBe('ok');
    raw.push(topic, 'access_token', { access_token: eve.token }, joinRef);
    const system = await waitFor(() => raw.frames.find((f) => f[3] === 'system'), 3000, 'system');
    expect(system[4]).toEqual({
      extension: 'system',
      status: 'error',
      message: `You no longer have permission to read from this Channel topic: order:${rows[0].id}`,
      channel: `order:${rows[0].id}`,
    });
    await waitFor(() => raw.frames.find((f) => f[3] === 'phx_close'), 3000, 'phx_close');

    // An expired token pushed later closes the channel too; so does a token that expires while joined.
    const second = await raw.join(topic, { private: true }, { access_token: dan.token });
    raw.frames.length = 0;
    raw.push(topic, 'access_token', { access_token: userToken(dan.id, -1) }, second.joinRef);
    const expired = await waitFor(() => raw.frames.find((f) => f[3] === 'system'), 3000, 'expired');
    expect((expired[4] as { message: string }).message).toMatch(/^Token has expired/);
    raw.frames.length = 0;
    await raw.join(topic, { private: true }, { access_token: userToken(dan.id, 2) });
    const lapsed = await waitFor(() => raw.frames.find((f) => f[3] === 'system'), 5000, 'lapse');
    expect((lapsed[4] as { message: string }).message).toMatch(/^Token has expired/);
    await waitFor(() => raw.frames.find((f) => f[3] === 'phx_close'), 3000, 'phx_close after lapse');
    raw.close();
  });
});

describe('presence', () => {
  it('sends presence_state on join, diffs with phx_refs, several metas per key, and cleans up a vanished socket', async () => {
    const watcher = track(await realtimeClient());
    const wch = watcher.channel('lobby', { config: { presence: { key: 'watcher' } } });
    const joins: Array<{ key: string }> = [];
    const leaves: Array<{ key: string }> = [];
    wch.on('presence', { event: 'join' }, (p) => joins.push(p as never));
    wch.on('presence', { event: 'leave' }, (p) => leaves.push(p as never));
    await subscribed(wch);
    const a = track(await realtimeClient());
    const b = track(await realtimeClient());
    const cha = await subscribed(
      a
        .channel('lobby', { config: { presence: { key: 'courier-1' } } })
        .on('presence', { event: 'sync' }, () => undefined),
    );
    const chb = await subscribed(
      b
        .channel('lobby', { config: { presence: { key: 'courier-1' } } })
        .on('presence', { event: 'sync' }, () => undefined),
    );
    expect(await cha.track({ device: 'phone' })).toBe('ok');
    expect(await chb.track({ device: 'tablet' })).toBe('ok');
    await waitFor(() => (wch.presenceState()['courier-1']?.length ?? 0) === 2, 3000, 'two metas');
    const metas = wch.presenceState()['courier-1']!;
    expect(metas.map((m) => (m as unknown as { device: string }).device).sort()).toEqual(['phone', 'tablet']);
    expect(metas.every((m) => typeof m.presence_ref === 'string')).toBe(true);
    expect(await cha.track({ device: 'phone' })).toBe('ok'); // same payload: no diff
    expect(await chb.untrack()).toBe('ok');
    await waitFor(() => wch.presenceState()['courier-1']?.length === 1, 3000, 'untrack');

    // A newcomer gets the current state at join.
    const late = track(await realtimeClient());
    const lch = late.channel('lobby').on('presence', { event: 'sync' }, () => undefined);
    await subscribed(lch);
    await waitFor(() => lch.presenceState()['courier-1']?.length === 1, 3000, 'presence_state');

    // A socket that vanishes without leaving: its presence leaves.
    const raw = new RawSocket(wsUrl(`apikey=${stack().anonKey}&vsn=2.0.0`));
    await raw.open();
    const { joinRef } = await raw.join('realtime:lobby', { presence: { key: 'ghost', enabled: true } });
    const ref = raw.push(
      'realtime:lobby',
      'presence',
      { type: 'presence', event: 'track', payload: { boo: 1 } },
      joinRef,
    );
    await raw.reply(ref);
    await waitFor(() => wch.presenceState().ghost, 3000, 'ghost joins');
    const notMap = raw.push('realtime:lobby', 'presence', { type: 'presence', event: 'track', payload: [1] }, joinRef);
    expect((await raw.reply(notMap))[4].status).toBe('error');
    raw.ws.terminate();
    await waitFor(() => !wch.presenceState().ghost, 3000, 'ghost leaves');
    expect(leaves.some((l) => l.key === 'ghost')).toBe(true);
    expect(joins.some((j) => j.key === 'courier-1')).toBe(true);
  });
});

describe('postgres changes', () => {
  const changesChannel = (client: SupabaseClient, name: string, filter: Record<string, string>, sink: unknown[]) => {
    const ch = client.channel(name);
    ch.on('postgres_changes', { event: '*', schema: 'public', ...filter } as never, (p) => sink.push(p));
    return ch;
  };

  it('delivers to each subscriber only the rows its RLS shows, with old_record reduced to the key on DELETE', async () => {
    const alice = await makeUser();
    const bob = await makeUser();
    const a = track(await realtimeClient(alice.token));
    const b = track(await realtimeClient(bob.token));
    const anon = track(await realtimeClient());
    const seenA: unknown[] = [];
    const seenB: unknown[] = [];
    const seenAnon: unknown[] = [];
    const systems: unknown[] = [];
    const cha = changesChannel(a, 'orders-a', { table: 'rt_probe_orders' }, seenA).on('system', {}, (m) =>
      systems.push(m),
    );
    await subscribed(cha);
    await subscribed(changesChannel(b, 'orders-b', { table: 'rt_probe_orders' }, seenB));
    await subscribed(changesChannel(anon, 'orders-anon', { table: 'rt_probe_orders' }, seenAnon));
    await waitFor(() => systems.length, 3000, 'system message');
    expect(systems[0]).toMatchObject({
      extension: 'postgres_changes',
      status: 'ok',
      message: 'Subscribed to PostgreSQL',
      channel: 'orders-a',
    });

    const { rows } = await db.query(
      `insert into public.rt_probe_orders (customer_id, total, secret_note) values ($1, 1500, 'do not show') returning id`,
      [alice.id],
    );
    const id = rows[0].id as string;
    // One change at a time: like Supabase, the RLS check reads the row as it is when the change is processed, so an
    // INSERT followed at once by a DELETE may never be shown to anyone (the row is gone by then).
    await waitFor(() => seenA.length === 1, 5000, 'alice gets the insert');
    await db.query(`update public.rt_probe_orders set status = 'paid' where id = $1`, [id]);
    await waitFor(() => seenA.length === 2, 5000, 'alice gets the update');
    await db.query(`delete from public.rt_probe_orders where id = $1`, [id]);
    await waitFor(() => seenA.length === 3, 5000, 'alice gets the delete');
    const [ins, upd, del] = seenA as Array<Record<string, unknown>>;
    expect(ins).toMatchObject({
      schema: 'public',
      table: 'rt_probe_orders',
      eventType: 'INSERT',
      new: { id: Number(id), customer_id: alice.id, status: 'new', total: 1500 },
      errors: null,
    });
    expect(ins!.commit_timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(ins!.new).not.toHaveProperty('secret_note'); // no column privilege
    expect(upd).toMatchObject({ eventType: 'UPDATE', new: { status: 'paid' }, old: { status: 'new' } });
    expect(del).toMatchObject({ eventType: 'DELETE', old: { id: Number(id) } });
    expect(Object.keys(del!.old as object)).toEqual(['id']);
    // Bob and anon: DELETE only (not RLS-checked), nothing else.
    await waitFor(() => seenB.length === 1 && seenAnon.length === 1, 3000, 'deletes');
    await sleep(200);
    expect((seenB as Array<{ eventType: string }>).map((c) => c.eventType)).toEqual(['DELETE']);
    expect((seenAnon as Array<{ eventType: string }>).map((c) => c.eventType)).toEqual(['DELETE']);
  });

  it('re-evaluates RLS with the claims of a later access_token', async () => {
    const frank = await makeUser();
    const client = track(await realtimeClient());
    const seen: Array<{ eventType: string }> = [];
    const systems: unknown[] = [];
    await subscribed(
      changesChannel(client, 'orders-late-auth', { table: 'rt_probe_orders', event: 'INSERT' }, seen).on(
        'system',
        {},
        (m) => systems.push(m),
      ),
    );
    await waitFor(() => systems.length, 3000, 'subscribed');
    await db.query(`insert into public.rt_probe_orders (customer_id) values ($1)`, [frank.id]);
    await sleep(400);
    expect(seen).toHaveLength(0); // anon sees nothing
    await client.realtime.setAuth(frank.token);
    await sleep(200);
    await db.query(`insert into public.rt_probe_orders (customer_id) values ($1)`, [frank.id]);
    await waitFor(() => seen.length === 1, 5000, 'after setAuth');
  });

  it('applies filters eq, neq, lt, lte, gt, gte, in (and not./is)', async () => {
    const client = track(await realtimeClient());
    const filters = [
      'n=eq.5',
      'n=neq.5',
      'n=lt.5',
      'n=lte.5',
      'n=gt.5',
      'n=gte.5',
      'n=in.(1,5,9)',
      'label=not.is.null',
    ];
    const sinks = filters.map(() => [] as Array<{ new: { n: number } }>);
    const channels = filters.map((f, i) =>
      changesChannel(client, `filter-${i}`, { table: 'rt_probe_open', event: 'INSERT', filter: f }, sinks[i]!),
    );
    const systems: unknown[] = [];
    channels[0]!.on('system', {}, (m) => systems.push(m));
    await Promise.all(channels.map(subscribed));
    await waitFor(() => systems.length, 3000, 'subscribed');
    await sleep(200);
    await db.query(
      `insert into public.rt_probe_open (id, n, label) values (1, 1, null), (4, 4, 'x'), (5, 5, null), (6, 6, null), (9, 9, 'y')`,
    );
    const expected = [[5], [1, 4, 6, 9], [1, 4], [1, 4, 5], [6, 9], [5, 6, 9], [1, 5, 9], [4, 9]];
    await waitFor(() => sinks.every((s, i) => s.length === expected[i]!.length), 5000, 'filtered rows');
    await sleep(200);
    expect(sinks.map((s) => s.map((c) => c.new.n).sort((x, y) => x - y))).toEqual(expected);
    await db.query(`delete from public.rt_probe_open where id < 100`);
  });

  it('echoes bindings in order with ids and reports a bad subscription as a postgres_changes system error', async () => {
    const raw = new RawSocket(wsUrl(`apikey=${stack().anonKey}&vsn=2.0.0`));
    await raw.open();
    const bindings = [
      { event: 'INSERT', schema: 'public', table: 'rt_probe_open' },
      { event: '*', schema: 'public', table: 'rt_probe_open', filter: 'n=eq.1' },
    ];
    const { reply } = await raw.join('realtime:echo', { postgres_changes: bindings });
    const echoed = reply[4].response.postgres_changes as Array<Record<string, unknown>>;
    expect(echoed.map(({ id: _id, ...rest }) => rest)).toEqual(bindings);
    expect(echoed.every((e) => Number.isInteger(e.id))).toBe(true);
    const { reply: bad } = await raw.join('realtime:bad', {
      postgres_changes: [{ event: '*', schema: 'public', table: 'no_such_table' }],
    });
    expect(bad[4].status).toBe('ok');
    const sys = await waitFor(
      () => raw.frames.find((f) => f[2] === 'realtime:bad' && f[3] === 'system'),
      3000,
      'system',
    );
    expect(sys[4]).toMatchObject({ extension: 'postgres_changes', status: 'error', channel: 'bad' });
    expect((sys[4] as { message: string }).message).toMatch(/^Unable to subscribe to changes with given parameters/);
    raw.close();
  });
});

describe('a real sign-in', () => {
  it('joins a private order topic with the session of a phone OTP sign-in (dev outbox code)', async () => {
    const phone = uniquePhone();
    const client = track(
      createClient(stack().apiUrl, stack().anonKey, {
        auth: { persistSession: false, autoRefreshToken: false },
        global: { headers: { 'x-forwarded-for': `10.77.${process.pid % 250}.9` } },
      }),
    );
    expect((await client.auth.signInWithOtp({ phone })).error).toBeNull();
    const outbox = (await (await fetch(`${stack().apiUrl}/_dev/sms?phone=${encodeURIComponent(phone)}`)).json()) as {
      messages: Array<{ body: string }>;
    };
    const code = /\d{6}/.exec(outbox.messages.at(-1)!.body)![0];
    const { data, error } = await client.auth.verifyOtp({ phone, token: code, type: 'sms' });
    expect(error).toBeNull();
    const { rows } = await db.query(`insert into public.rt_probe_orders (customer_id) values ($1) returning id`, [
      data.user!.id,
    ]);
    await client.realtime.setAuth();
    const seen: unknown[] = [];
    await subscribed(
      client
        .channel(`order:${rows[0].id}`, { config: { private: true } })
        .on('broadcast', { event: '*' }, (m) => seen.push(m)),
    );
    await db.query(`select realtime.send('{"status":"picked_up"}', 'status', $1)`, [`order:${rows[0].id}`]);
    await waitFor(() => seen.length === 1, 5000, 'private db broadcast');
  });
});
