// Notifications and devices: the broadcast on the person's private topic, the push / SMS fan-out queue, the
// profile language, what a person may change (read_at only), device registration moving a token between people,
// and bad input.
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newClient } from '../../local-stack/test/stack.ts';
import { PEOPLE, clientFor, ensurePeople, superuser, type Db } from './actors.ts';
import { ID, resetFixtures } from './fixtures.ts';

let db: pg.Pool;
let service: Db;
beforeAll(async () => {
  db = superuser();
  service = newClient('service') as Db;
  await ensurePeople();
});
beforeEach(() => resetFixtures(db));
afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});

const notify = (patch: Record<string, unknown> = {}) =>
  service
    .from('notifications')
    .insert({
      user_id: PEOPLE.customer_a.id,
      kind: 'order_update',
      title: 'Commande en route',
      body: 'Votre livreur arrive dans 5 minutes.',
      data: { order_id: '00000000-0000-4000-8000-0000000000b1' },
      ...patch,
    } as never)
    .select()
    .single();

describe('notifications', () => {
  it('broadcasts a new notification on the private topic user:<id> as event "notification"', async () => {
    const { data, error } = await notify();
    expect(error).toBeNull();
    const row = data as unknown as { id: string; created_at: string };
    const m = await db.query(
      `select topic, event, private, extension, payload from realtime.messages
        where topic = $1 and payload ->> 'id' = $2`,
      [`user:${PEOPLE.customer_a.id}`, row.id],
    );
    expect(m.rows).toHaveLength(1);
    expect(m.rows[0]).toEqual({
      topic: `user:${PEOPLE.customer_a.id}`,
      event: 'notification',
      private: true,
      extension: 'broadcast',
      payload: {
        id: row.id,
        kind: 'order_update',
        title: 'Commande en route',
        body: 'Votre livreur arrive dans 5 minutes.',
        data: { order_id: '00000000-0000-4000-8000-0000000000b1' },
        created_at: expect.any(String) as unknown,
      },
    });
    expect(new Date((m.rows[0] as { payload: { created_at: string } }).payload.created_at).getTime()).toBe(
      new Date(row.created_at).getTime(),
    );
  });

  it('broadcasts nothing when the insert rolls back', async () => {
    const c = await db.connect();
    try {
      await c.query('begin');
      await c.query(
        `insert into public.notifications (id, user_id, kind, title, body)
         values ('dc000000-0000-4000-8000-000000000001', $1, 'system', 'Test', 'Annulé')`,
        [PEOPLE.customer_a.id],
      );
      await c.query('rollback');
    } finally {
      c.release();
    }
    const m = await db.query(
      `select 1 from realtime.messages where payload ->> 'id' = 'dc000000-0000-4000-8000-000000000001'`,
    );
    expect(m.rows).toHaveLength(0);
  });

  it('queues one push per device of the person, and no SMS when they have the app', async () => {
    await db.query(
      `insert into public.devices (user_id, platform, push_token, app) values ($1, 'ios', 'test-second-device-of-a', 'client')`,
      [PEOPLE.customer_a.id],
    );
    const { data } = await notify();
    const q = await db.query(
      `select channel, status, attempts, (device_id is not null) as has_device from public.notification_deliveries
        where notification_id = $1 order by channel`,
      [(data as unknown as { id: string }).id],
    );
    expect(q.rows).toEqual([
      { channel: 'push', status: 'pending', attempts: 0, has_device: true },
      { channel: 'push', status: 'pending', attempts: 0, has_device: true },
    ]);
  });

  it('queues an SMS for order, ride and payment news to a person without a device, nothing for a promotion', async () => {
    await db.query('delete from public.devices where user_id = $1', [PEOPLE.customer_b.id]);
    const payment = await notify({
      user_id: PEOPLE.customer_b.id,
      kind: 'payment',
      title: 'Paiement reçu',
      body: '2 000 FCFA',
    });
    const promo = await notify({ user_id: PEOPLE.customer_b.id, kind: 'promotion', title: 'Promo', body: '-10 %' });
    const q = await db.query(
      `select notification_id, channel, device_id from public.notification_deliveries
        where notification_id = any($1::uuid[])`,
      [[(payment.data as unknown as { id: string }).id, (promo.data as unknown as { id: string }).id]],
    );
    expect(q.rows).toEqual([
      { notification_id: (payment.data as unknown as { id: string }).id, channel: 'sms', device_id: null },
    ]);
  });

  it('writes the notification in the profile language when the writer gives none', async () => {
    await db.query(`update public.profiles set language = 'en' where id = $1`, [PEOPLE.customer_b.id]);
    const en = await notify({ user_id: PEOPLE.customer_b.id, title: 'Order on its way', body: 'Five minutes.' });
    const fr = await notify();
    const given = await notify({ user_id: PEOPLE.customer_b.id, language: 'fr' });
    expect((en.data as unknown as { language: string }).language).toBe('en');
    expect((fr.data as unknown as { language: string }).language).toBe('fr');
    expect((given.data as unknown as { language: string }).language).toBe('fr');
  });

  it('lets a person mark their own notifications read, and nothing else', async () => {
    const a = clientFor('customer_a');
    const read = await a
      .from('notifications')
      .update({ read_at: new Date().toISOString() })
      .eq('id', ID.notificationA)
      .select();
    expect(read.error).toBeNull();
    expect(read.data).toHaveLength(1);

    const title = await a
      .from('notifications')
      .update({ title: 'Remboursement de 50 000 FCFA' } as never)
      .eq('id', ID.notificationA);
    expect(title.error?.code).toBe('42501');
    expect(title.error?.message).toBe('permission denied for table notifications');
    const owner = await a
      .from('notifications')
      .update({ user_id: PEOPLE.customer_b.id } as never)
      .eq('id', ID.notificationA);
    expect(owner.error?.message).toBe('permission denied for table notifications');
    const row = await db.query('select title, user_id from public.notifications where id = $1', [ID.notificationA]);
    expect(row.rows[0]).toEqual({ title: 'Commande acceptée', user_id: PEOPLE.customer_a.id });
  });

  it('refuses a person writing a notification, for themselves or anyone', async () => {
    const r = await clientFor('customer_a')
      .from('notifications')
      .insert({ user_id: PEOPLE.customer_a.id, kind: 'system', title: 'x', body: 'y' } as never);
    expect(r.error?.code).toBe('42501');
    expect(r.error?.message).toBe('permission denied for table notifications');
  });

  it('never shows a person another person’s notifications', async () => {
    const r = await clientFor('customer_b').from('notifications').select('id').eq('id', ID.notificationA);
    expect(r.error).toBeNull();
    expect(r.data).toEqual([]);
    const marked = await clientFor('customer_b')
      .from('notifications')
      .update({ read_at: new Date().toISOString() })
      .eq('id', ID.notificationA)
      .select();
    expect(marked.data).toEqual([]);
    const row = await db.query('select read_at from public.notifications where id = $1', [ID.notificationA]);
    expect(row.rows[0].read_at).toBeNull();
  });

  it('marks all of the caller’s unread notifications read with rpc mark_notifications_read', async () => {
    await notify();
    const r = await clientFor('customer_a').rpc('mark_notifications_read');
    expect(r.error).toBeNull();
    expect(r.data).toBe(2);
    const again = await clientFor('customer_a').rpc('mark_notifications_read');
    expect(again.data).toBe(0);
    const b = await db.query('select read_at from public.notifications where id = $1', [ID.notificationB]);
    expect(b.rows[0].read_at).toBeNull();
  });

  it('shows the delivery queue to admins only', async () => {
    const customer = await clientFor('customer_a').from('notification_deliveries').select('id');
    expect(customer.data).toEqual([]);
    const admin = await clientFor('admin')
      .from('notification_deliveries')
      .select('id')
      .eq('notification_id', ID.notificationA);
    expect(admin.data).toHaveLength(1);
  });

  it('refuses bad input with the exact message', async () => {
    const empty = await notify({ title: '  ' });
    expect(empty.error?.code).toBe('23514');
    expect(empty.error?.message).toBe('title must have 1 to 120 characters, got 0');
    const data = await notify({ data: ['not', 'an', 'object'] });
    expect(data.error?.code).toBe('23514');
    expect(data.error?.message).toBe(
      'new row for relation "notifications" violates check constraint "notifications_data_object"',
    );
    const kind = await notify({ kind: 'sms_blast' });
    expect(kind.error?.code).toBe('22P02');
    expect(kind.error?.message).toBe('invalid input value for enum notification_kind: "sms_blast"');
  });
});

describe('devices', () => {
  it('refuses an unknown platform and a bad locale', async () => {
    const a = clientFor('customer_a');
    const platform = await a
      .from('devices')
      .insert({ platform: 'blackberry', push_token: 'test-token-blackberry-01' } as never);
    expect(platform.error?.code).toBe('22P02');
    expect(platform.error?.message).toBe('invalid input value for enum device_platform: "blackberry"');
    const locale = await a
      .from('devices')
      .insert({ platform: 'android', push_token: 'test-token-locale-000001', locale: 'français' } as never);
    expect(locale.error?.code).toBe('23514');
    expect(locale.error?.message).toBe(
      'new row for relation "devices" violates check constraint "devices_locale_format"',
    );
    const token = await a.from('devices').insert({ platform: 'android', push_token: 'short' } as never);
    expect(token.error?.message).toBe('push_token must have 16 to 4096 characters, got 5');
  });

  it('moves a push token to the person who signs in on that phone (rpc register_device)', async () => {
    const token = 'test-shared-phone-token-0001';
    const first = await clientFor('customer_a').rpc('register_device', { platform: 'android', push_token: token });
    expect(first.error).toBeNull();
    expect(first.data).toMatchObject({
      user_id: PEOPLE.customer_a.id,
      platform: 'android',
      app: 'client',
      locale: 'fr-CI',
    });
    // A plain insert by B would collide with A's row, which B can neither see nor remove.
    const plain = await clientFor('customer_b')
      .from('devices')
      .insert({ platform: 'android', push_token: token } as never);
    expect(plain.error?.code).toBe('23505');
    const second = await clientFor('customer_b').rpc('register_device', {
      platform: 'android',
      push_token: token,
      app: 'courier',
      locale: 'en',
    });
    expect(second.error).toBeNull();
    const rows = await db.query('select user_id, app, locale from public.devices where push_token = $1', [token]);
    expect(rows.rows).toEqual([{ user_id: PEOPLE.customer_b.id, app: 'courier', locale: 'en' }]);
  });

  it('refuses register_device to visitors', async () => {
    const r = await clientFor('anon').rpc('register_device', { platform: 'web', push_token: 'test-anon-token-000001' });
    expect(r.error?.code).toBe('42501');
    expect(r.error?.message).toBe('permission denied for function register_device');
  });

  it('refuses moving a device to another person', async () => {
    const r = await clientFor('customer_a')
      .from('devices')
      .update({ user_id: PEOPLE.customer_b.id } as never)
      .eq('id', ID.deviceA);
    expect(r.error?.message).toBe('permission denied for table devices');
  });
});
