// The `notify` function through the real stack (gateway → Deno → Postgres → fake push service): it drains
// notification_deliveries as the service role only, sends one request per delivery (FCM for android / ios, Web
// Push with VAPID for web, SMS through the dev outbox), marks rows sent / failed / pending-with-backoff, removes
// devices whose token is dead, and never sends a row twice, even when two drains run at once.
// Pending rows other test files left behind sit out (marked failed) so the counts here are exact.
import { createPublicKey, verify } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { stack } from '../../local-stack/test/stack.ts';
import { ensurePeople, PEOPLE, type Person, superuser, tokenFor } from './actors.ts';
import { drainNotify, type FakePush, startFakePush, webSubscription } from './push-fake.ts';

let db: pg.Pool;
let fake: FakePush;
let seq = 0;
const PUSH_PEOPLE: Person[] = ['customer_a', 'customer_b', 'merchant_y'];

const drain = (token = stack().serviceRoleKey) => drainNotify(stack().apiUrl, token);

async function device(who: Person, platform: 'android' | 'ios' | 'web', token?: string): Promise<string> {
  seq += 1;
  const push =
    token ?? (platform === 'web' ? webSubscription(`${who}-${seq}`) : `fcm-token-${who}-${process.pid}-${seq}`);
  const { rows } = await db.query<{ id: string }>(
    'insert into public.devices (user_id, platform, push_token) values ($1, $2, $3) returning id',
    [PEOPLE[who].id, platform, push],
  );
  return rows[0]!.id;
}

async function notify(who: Person, title = 'Commande acceptée'): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into public.notifications (user_id, kind, title, body, data)
     values ($1, 'order_update', $2, 'Le restaurant prépare votre commande', '{"order_id": "o-test"}') returning id`,
    [PEOPLE[who].id, title],
  );
  return rows[0]!.id;
}

async function deliveries(notificationId: string) {
  const { rows } = await db.query<{ channel: string; status: string; attempts: number; last_error: string | null }>(
    'select channel, status, attempts, last_error from public.notification_deliveries where notification_id = $1',
    [notificationId],
  );
  return rows;
}

beforeAll(async () => {
  db = superuser();
  await ensurePeople();
  fake = await startFakePush();
});

beforeEach(async () => {
  await db.query(
    `update public.notification_deliveries set status = 'failed', last_error = 'out of play (notify test)'
      where status = 'pending'`,
  );
  await db.query('delete from public.devices where user_id = any($1)', [PUSH_PEOPLE.map((p) => PEOPLE[p].id)]);
  fake.reset();
});

afterAll(async () => {
  await db.query('delete from public.devices where user_id = any($1)', [PUSH_PEOPLE.map((p) => PEOPLE[p].id)]);
  await fake.close();
  await db.end();
});

describe('notify', () => {
  it('sends one FCM and one Web Push per device and marks the rows sent; a second drain sends nothing', async () => {
    await device('customer_a', 'android');
    await device('customer_b', 'web');
    const na = await notify('customer_a');
    const nb = await notify('customer_b');

    const r = await drain();
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ claimed: 2, sent: 2, failed: 0, retrying: 0 });

    const [fcm] = fake.fcm();
    expect(fake.fcm()).toHaveLength(1);
    expect(fcm!.path).toBe('/v1/projects/ecom-test/messages:send');
    expect(fcm!.headers.authorization).toBe(`Bearer ${inject('push').fcmAccessToken}`);
    expect(fcm!.json!.message).toMatchObject({
      token: expect.stringMatching(/^fcm-token-customer_a-/),
      notification: { title: 'Commande acceptée', body: 'Le restaurant prépare votre commande' },
      data: { notification_id: na, order_id: 'o-test' },
    });

    const [wp] = fake.webpush();
    expect(fake.webpush()).toHaveLength(1);
    expect(wp!.path).toMatch(/^\/wp\/customer_b-/);
    expect(wp!.headers['content-encoding']).toBe('aes128gcm');
    expect(wp!.headers.ttl).toBe('86400');
    expect(wp!.headers.urgency).toBe('high');
    expect(wp!.body.length).toBeGreaterThan(86 + 16); // header + ciphertext + tag
    const m = /^vapid t=([^.]+)\.([^.]+)\.([^,]+), k=(.+)$/.exec(String(wp!.headers.authorization));
    expect(m?.[4]).toBe(inject('push').vapidPublicKey);
    const pub = Buffer.from(inject('push').vapidPublicKey, 'base64url');
    const key = createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: pub.subarray(1, 33).toString('base64url'),
        y: pub.subarray(33).toString('base64url'),
      },
      format: 'jwk',
    });
    const ok = verify(
      'sha256',
      Buffer.from(`${m![1]}.${m![2]}`),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(m![3]!, 'base64url'),
    );
    expect(ok, 'the VAPID JWT verifies with the VAPID public key').toBe(true);
    expect(JSON.parse(Buffer.from(m![2]!, 'base64url').toString())).toMatchObject({
      aud: `http://127.0.0.1:${fake.port}`,
      sub: 'mailto:tech@ecom.test',
    });

    expect(await deliveries(na)).toEqual([{ channel: 'push', status: 'sent', attempts: 1, last_error: null }]);
    expect(await deliveries(nb)).toEqual([{ channel: 'push', status: 'sent', attempts: 1, last_error: null }]);

    const again = await drain();
    expect(again.body).toMatchObject({ claimed: 0, sent: 0 });
    expect(fake.requests).toHaveLength(2);
  });

  it('two drains at once still send each row exactly once', async () => {
    await device('customer_a', 'android');
    await device('customer_a', 'ios');
    const ids = [];
    for (let i = 0; i < 15; i++) ids.push(await notify('customer_a', `Mise à jour ${i}`));
    fake.answer = (req) => ({
      status: 200,
      body: { name: `projects/ecom-test/messages/${req.path.length}` },
      delayMs: 40,
    });

    const [r1, r2] = await Promise.all([drain(), drain()]);
    expect(r1.status).toBe(200);
    expect(r2.status).toBe(200);
    expect(r1.body.sent + r2.body.sent).toBe(30);
    expect(fake.fcm()).toHaveLength(30);
    const pairs = fake.fcm().map((r) => `${r.json!.message.data.notification_id}|${r.json!.message.token}`);
    expect(new Set(pairs).size).toBe(30);
    const { rows } = await db.query(
      `select status, attempts, count(*)::int as n from public.notification_deliveries
        where notification_id = any($1) group by 1, 2`,
      [ids],
    );
    expect(rows).toEqual([{ status: 'sent', attempts: 1, n: 30 }]);
  });

  it('a dead token fails and removes the device; a 5xx stays pending, waits its backoff, then goes out', async () => {
    const dead = await device('customer_a', 'android', `fcm-dead-token-${process.pid}-${(seq += 1)}`);
    await device('customer_b', 'android', `fcm-flaky-token-${process.pid}-${(seq += 1)}`);
    const na = await notify('customer_a');
    const nb = await notify('customer_b');
    fake.answer = (req) =>
      String(req.json?.message?.token).startsWith('fcm-dead-token')
        ? { status: 404, body: { error: { code: 404, status: 'NOT_FOUND', details: [{ errorCode: 'UNREGISTERED' }] } } }
        : { status: 503, body: { error: { code: 503, status: 'UNAVAILABLE' } } };

    const r = await drain();
    expect(r.body).toMatchObject({ claimed: 2, sent: 0, failed: 1, retrying: 1 });
    expect(await deliveries(na)).toEqual([
      {
        channel: 'push',
        status: 'failed',
        attempts: 1,
        last_error: expect.stringMatching(/fcm invalid_token: FCM answered HTTP 404/),
      },
    ]);
    expect((await db.query('select 1 from public.devices where id = $1', [dead])).rowCount).toBe(0);
    expect(await deliveries(nb)).toEqual([
      {
        channel: 'push',
        status: 'pending',
        attempts: 1,
        last_error: expect.stringMatching(/fcm http: FCM answered HTTP 503 UNAVAILABLE/),
      },
    ]);

    fake.reset();
    expect((await drain()).body).toMatchObject({ claimed: 0 }); // still inside its backoff (2 s in tests)
    await new Promise((r) => setTimeout(r, 2100));
    expect((await drain()).body).toMatchObject({ claimed: 1, sent: 1 });
    expect(fake.fcm()).toHaveLength(1);
    expect(await deliveries(nb)).toEqual([{ channel: 'push', status: 'sent', attempts: 2, last_error: null }]);
  });

  it('a timeout counts as a failed attempt and is retried', async () => {
    await device('customer_a', 'android');
    const n = await notify('customer_a');
    fake.answer = () => ({ status: 200, body: { name: 'late' }, delayMs: 6000 });
    const r = await drain();
    expect(r.body).toMatchObject({ claimed: 1, retrying: 1 });
    expect(await deliveries(n)).toEqual([
      { channel: 'push', status: 'pending', attempts: 1, last_error: expect.stringMatching(/fcm timeout/) },
    ]);
  }, 20_000);

  it('a person without a device gets the order news by SMS (dev outbox on the local stack)', async () => {
    const n = await notify('merchant_y', `Commande test ${process.pid}-${(seq += 1)}`);
    expect(await deliveries(n)).toMatchObject([{ channel: 'sms', status: 'pending' }]);
    expect((await drain()).body).toMatchObject({ claimed: 1, sent: 1 });
    expect(await deliveries(n)).toMatchObject([{ channel: 'sms', status: 'sent', attempts: 1 }]);
    const phone = PEOPLE.merchant_y.phone;
    const outbox = (await (await fetch(`${stack().apiUrl}/_dev/sms?phone=${encodeURIComponent(phone)}`)).json()) as {
      messages: Array<{ body?: string; text?: string }>;
    };
    const texts = outbox.messages.map((m) => m.body ?? m.text ?? '');
    expect(texts.some((t) => t.startsWith(`Commande test ${process.pid}-${seq} : Le restaurant`))).toBe(true);
  });

  it('refuses every caller but the service role (403), and drains nothing for them', async () => {
    await device('customer_a', 'android');
    const n = await notify('customer_a');
    for (const token of [tokenFor('customer_a'), tokenFor('admin'), stack().anonKey]) {
      const r = await drain(token);
      expect(r.status).toBe(403);
      expect(r.body).toEqual({
        error: { code: 'forbidden', message: 'Only the service role may drain notifications' },
      });
    }
    const noToken = await fetch(`${stack().apiUrl}/functions/v1/notify`, { method: 'POST' });
    expect(noToken.status).toBe(401);
    expect(await deliveries(n)).toMatchObject([{ status: 'pending', attempts: 0 }]);
    expect(fake.requests).toHaveLength(0);
  });
});
