// The notify drain runs on its own in `npm run stack`, as on Supabase: pg_cron calls the `notify` function through
// pg_net (here: the cron stand-in and the pg_net stand-in, bootstrap/40_cron.sql + 50_net.sql, src/scheduler.ts +
// src/net.ts). First the pg_net surface against a local HTTP server, then a stack started with notifyDrain sending a
// queued SMS within seconds, nobody calling anything.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stack, startExtraStack } from './stack.ts';

async function until<T>(what: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('net.http_post (the pg_net stand-in)', () => {
  let db: pg.Pool;
  let server: Server;
  const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];
  let port = 0;

  beforeAll(async () => {
    db = new pg.Pool({ connectionString: stack().dbUrl, max: 2 });
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end('{"drained":true}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await db.end();
  });

  it('queues the request, sends it after commit, and records the answer', async () => {
    const { rows } = await db.query<{ id: string }>(
      `select net.http_post(url := $1, body := '{"a": 1}'::jsonb, params := '{"b": "2"}'::jsonb,
                            headers := '{"Content-Type": "application/json", "X-Test": "yes"}'::jsonb) as id`,
      [`http://127.0.0.1:${port}/hook?x=1`],
    );
    const id = rows[0]!.id;
    const answer = await until(async () => {
      const r = await db.query(
        'select status_code, content, timed_out, error_msg from net._http_response where id = $1',
        [id],
      );
      return r.rows[0];
    });
    expect(answer).toEqual({ status_code: 202, content: '{"drained":true}', timed_out: false, error_msg: null });
    expect(seen).toEqual([
      { method: 'POST', url: '/hook?x=1&b=2', headers: expect.objectContaining({ 'x-test': 'yes' }), body: '{"a": 1}' },
    ]);
    expect(
      (await db.query('select count(*)::int as n from net.http_request_queue where id = $1', [id])).rows[0].n,
    ).toBe(0);
  });

  it('sends nothing for a rolled back transaction, records a failure, refuses a bad url', async () => {
    const c = await db.connect();
    await c.query('begin');
    await c.query(`select net.http_post(url := $1)`, [`http://127.0.0.1:${port}/never`]);
    await c.query('rollback');
    c.release();
    const { rows } = await db.query<{ id: string }>(`select net.http_post(url := 'http://127.0.0.1:9/closed') as id`);
    const failed = await until(async () => {
      const r = await db.query('select status_code, error_msg from net._http_response where id = $1', [rows[0]!.id]);
      return r.rows[0];
    });
    expect(failed.status_code).toBeNull();
    expect(failed.error_msg).toBeTruthy();
    expect(seen.some((s) => s.url === '/never')).toBe(false);
    await expect(db.query(`select net.http_post(url := 'ftp://example.test')`)).rejects.toThrow(
      /url must start with http/,
    );
  });

  it('does not schedule the drain in a stack started without it (the test stack)', async () => {
    const r = await db.query(`select 1 from cron.job where jobname = 'ecom-notify'`);
    expect(r.rowCount).toBe(0);
  });
});

describe('a stack with notifyDrain', () => {
  it('sends a queued SMS within seconds, through pg_cron, pg_net and the notify function', async () => {
    const s = await startExtraStack({ notifyDrain: true });
    const db = new pg.Pool({ connectionString: s.dbUrl, max: 2 });
    try {
      const job = await db.query(`select schedule, command from cron.job where jobname = 'ecom-notify'`);
      expect(job.rows[0].schedule).toBe('5 seconds');
      expect(job.rows[0].command).toContain(`'${s.apiUrl}/functions/v1/notify'`);
      const user = 'c9300000-0000-4000-8000-000000000451';
      await db.query(
        `insert into auth.users (instance_id, id, aud, role, phone, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
         values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', '2250700000451', '{}', '{}', now(), now())`,
        [user],
      );
      const { rows } = await db.query<{ id: string }>(
        `insert into public.notifications (user_id, kind, title, body) values ($1, 'order_update', 'Votre coursier arrive',
           'Votre coursier est à moins de 300 m.') returning id`,
        [user],
      );
      const sent = await until(async () => {
        const r = await db.query(
          `select channel::text, status::text, attempts from public.notification_deliveries where notification_id = $1`,
          [rows[0]!.id],
        );
        return r.rows[0]?.status === 'sent' ? r.rows[0] : undefined;
      }, 20_000);
      expect(sent).toEqual({ channel: 'sms', status: 'sent', attempts: 1 });
      const outbox = await (await fetch(`${s.apiUrl}/_dev/sms`, { headers: { accept: 'application/json' } })).text();
      expect(outbox).toContain('Votre coursier arrive');
    } finally {
      await db.end();
      await s.stop();
    }
  }, 60_000);
});
