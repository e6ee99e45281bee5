// Users for the operations team (migration 20261121203120): the search (phone or name, role filter, what each row
// says), granting and revoking roles, and suspension: refused without a reason, for oneself or a courier on a job;
// a suspended customer cannot order or request a ride (the functions say so in French), a suspended courier cannot
// go online or take an offer, a suspended person cannot sign in again; reinstating gives it all back. Every change is
// audited and told to the person.
import { createClient } from '@supabase/supabase-js';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newClient, stack } from '../../local-stack/test/stack.ts';
import { clientFor, ensurePeople, PEOPLE, superuser } from './actors.ts';
import { callFunction, ensureSupport, liftSuspensions, newKey, supportClient } from './admin-ops-kit.ts';
import { ID, resetFixtures } from './fixtures.ts';

let db: pg.Pool;
const A = PEOPLE.customer_a.id;
const C2 = PEOPLE.courier_not_on_job.id;
const SUSPENDED_FR = 'Votre compte est suspendu : appelez le support pour en savoir plus.';

beforeAll(async () => {
  db = superuser();
  await ensurePeople();
  await ensureSupport(db);
});
beforeEach(async () => {
  await resetFixtures(db);
  await db.query(`update public.profiles set full_name = 'Awa Koné' where id = $1`, [A]);
  // Store X open around the clock (the fixtures give it Monday hours and the closed status).
  await db.query(`update public.stores set status = 'open', busy_until = null where id = $1`, [ID.storeX]);
  await db.query('delete from public.store_hours where store_id = $1', [ID.storeX]);
  await db.query(
    `insert into public.store_hours (store_id, weekday, opens, closes, closes_next_day)
     select $1, d, '00:00', '00:00', true from generate_series(1, 7) d`,
    [ID.storeX],
  );
  await db.query('delete from public.store_hour_exceptions where store_id = $1', [ID.storeX]);
});
afterEach(async () => {
  await liftSuspensions(db);
});
afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});

const admin = () => clientFor('admin');
const suspend = (user: string, reason: string | null = 'Fraude au paiement en espèces') =>
  admin().rpc('admin_set_suspension', { p_user_id: user, p_suspended: true, p_reason: reason as string });
const reinstate = (user: string) => admin().rpc('admin_set_suspension', { p_user_id: user, p_suspended: false });
const order = () =>
  callFunction(
    'customer_a',
    'orders',
    {
      store_id: ID.storeX,
      items: [{ product_id: ID.productX, quantity: 2 }],
      fulfilment: 'pickup',
      payment_method: 'cash',
    },
    { 'idempotency-key': newKey('order') },
  );
const ride = () =>
  callFunction(
    'customer_a',
    'rides',
    {
      pickup: { lat: 5.8983, lng: -4.8228, landmark: 'Devant la pharmacie du marché' },
      dropoff: { lat: 5.9083, lng: -4.8228, landmark: 'Gare routière, sous le manguier' },
      vehicle_type: 'moto',
    },
    { 'idempotency-key': newKey('ride') },
  );
const countOf = async (sql: string, params: unknown[]) => (await db.query<{ n: number }>(sql, params)).rows[0]!.n;

describe('admin_users', () => {
  it('finds a person by any part of the phone number or of the name, with roles, activity and wallet', async () => {
    const byPhone = await admin().rpc('admin_users', { p_query: '01 00 00 02 01' });
    expect(byPhone.error).toBeNull();
    expect(byPhone.data).toHaveLength(1);
    const row = byPhone.data![0]!;
    const balance = await db.query<{ balance: string }>(
      `select balance from public.ledger_accounts where kind = 'customer_wallet' and owner_id = $1`,
      [A],
    );
    expect(row).toMatchObject({
      id: A,
      phone: '+2250100000201',
      full_name: 'Awa Koné',
      roles: ['customer'],
      suspended: false,
      wallet_balance_xof: Number(balance.rows[0]!.balance),
      total_count: 1,
    });
    expect(row.last_order_at).not.toBeNull();
    expect(row.last_ride_at).not.toBeNull();

    const byName = await supportClient().rpc('admin_users', { p_query: 'awa ko' });
    expect(byName.data!.map((u) => u.id)).toEqual([A]);
    const couriers = await admin().rpc('admin_users', { p_query: '+225 0100', p_role: 'courier' });
    expect(couriers.data!.map((u) => u.id).sort()).toEqual([PEOPLE.courier_on_job.id, C2].sort());
    const page = await admin().rpc('admin_users', { p_limit: 2, p_offset: 0 });
    expect(page.data).toHaveLength(2);
    expect(Number(page.data![0]!.total_count)).toBeGreaterThan(2);
  });

  it('refuses a page size out of 1–100 and a negative offset', async () => {
    for (const args of [{ p_limit: 0 }, { p_limit: 101 }, { p_offset: -1 }]) {
      const r = await admin().rpc('admin_users', args);
      expect(r.error).toMatchObject({ code: 'EO400', message: 'validation_failed' });
    }
  });
});

describe('admin_set_role', () => {
  it('grants and revokes a role, audited with the admin as actor', async () => {
    const granted = await admin().rpc('admin_set_role', {
      p_user_id: PEOPLE.customer_b.id,
      p_role: 'courier',
      p_grant: true,
    });
    expect(granted.error).toBeNull();
    expect(granted.data).toEqual(['customer', 'courier']);
    const audit = await db.query(
      `select actor_id, action from public.audit_log where table_name = 'user_roles' and row_id = $1
        order by id desc limit 1`,
      [`${PEOPLE.customer_b.id}:courier`],
    );
    expect(audit.rows[0]).toEqual({ actor_id: PEOPLE.admin.id, action: 'insert' });
    const revoked = await admin().rpc('admin_set_role', {
      p_user_id: PEOPLE.customer_b.id,
      p_role: 'courier',
      p_grant: false,
    });
    expect(revoked.data).toEqual(['customer']);
  });

  it('refuses an admin removing his own admin role, an unknown person, and non-admins', async () => {
    const self = await admin().rpc('admin_set_role', { p_user_id: PEOPLE.admin.id, p_role: 'admin', p_grant: false });
    expect(self.error).toMatchObject({ code: 'EO409', message: 'cannot_change_own_admin' });
    const nobody = await admin().rpc('admin_set_role', { p_user_id: ID.storeX, p_role: 'merchant', p_grant: true });
    expect(nobody.error).toMatchObject({ code: 'EO404', message: 'person_not_found' });
    const merchant = await clientFor('merchant_x').rpc('admin_set_role', {
      p_user_id: PEOPLE.merchant_x.id,
      p_role: 'admin',
      p_grant: true,
    });
    expect(merchant.error).toMatchObject({ code: 'EO403', message: 'admin_only' });
    expect(
      await countOf(`select count(*)::int as n from public.user_roles where user_id = $1 and role = 'admin'`, [
        PEOPLE.merchant_x.id,
      ]),
    ).toBe(0);
    expect(
      await countOf(`select count(*)::int as n from public.user_roles where user_id = $1 and role = 'admin'`, [
        PEOPLE.admin.id,
      ]),
    ).toBe(1);
  });
});

describe('admin_set_suspension', () => {
  it('needs a reason, refuses oneself, a courier on a job and non-admins, and changes nothing then', async () => {
    for (const reason of [null, '  ', 'no']) {
      expect((await suspend(A, reason)).error).toMatchObject({ code: 'EO400', message: 'reason_required' });
    }
    expect((await suspend(PEOPLE.admin.id)).error).toMatchObject({ code: 'EO409', message: 'cannot_suspend_self' });
    expect((await suspend(PEOPLE.courier_on_job.id)).error).toMatchObject({ code: 'EO409', message: 'courier_on_job' });
    const merchant = await clientFor('merchant_x').rpc('admin_set_suspension', {
      p_user_id: A,
      p_suspended: true,
      p_reason: 'Fraude',
    });
    expect(merchant.error).toMatchObject({ code: 'EO403', message: 'admin_only' });
    expect(
      await countOf(
        `select count(*)::int as n from public.profiles where suspended_at is not null and id = any($1::uuid[])`,
        [[A, PEOPLE.admin.id, PEOPLE.courier_on_job.id]],
      ),
    ).toBe(0);
  });

  it('stops a customer ordering and riding, in words, until reinstated; audited and notified', async () => {
    const before = await countOf('select count(*)::int as n from public.orders where customer_id = $1', [A]);
    const done = await suspend(A);
    expect(done.error).toBeNull();
    expect(done.data).toMatchObject({
      user_id: A,
      suspended: true,
      reason: 'Fraude au paiement en espèces',
      changed: true,
    });

    const refusedOrder = await order();
    expect([refusedOrder.status, refusedOrder.body.error.code, refusedOrder.body.error.message]).toEqual([
      403,
      'account_suspended',
      SUSPENDED_FR,
    ]);
    const refusedRide = await ride();
    expect([refusedRide.status, refusedRide.body.error.code]).toEqual([403, 'account_suspended']);
    expect(await countOf('select count(*)::int as n from public.orders where customer_id = $1', [A])).toBe(before);

    const state = await db.query(
      `select p.suspension_reason, p.suspended_by, u.banned_until > now() + interval '50 years' as banned
         from public.profiles p join auth.users u on u.id = p.id where p.id = $1`,
      [A],
    );
    expect(state.rows[0]).toEqual({
      suspension_reason: 'Fraude au paiement en espèces',
      suspended_by: PEOPLE.admin.id,
      banned: true,
    });
    const audit = await db.query(
      `select actor_id, new_data ->> 'suspension_reason' as reason from public.audit_log
        where table_name = 'profiles' and row_id = $1 order by id desc limit 1`,
      [A],
    );
    expect(audit.rows[0]).toEqual({ actor_id: PEOPLE.admin.id, reason: 'Fraude au paiement en espèces' });
    const notice = await db.query(
      `select title, body, data ->> 'event' as event from public.notifications where user_id = $1 order by created_at desc limit 1`,
      [A],
    );
    expect(notice.rows[0]).toEqual({
      title: 'Compte suspendu',
      body: 'Votre compte est suspendu : Fraude au paiement en espèces. Appelez le support pour en parler.',
      event: 'account_suspended',
    });
    // Suspending again changes nothing.
    expect((await suspend(A, 'Autre motif')).data).toMatchObject({
      changed: false,
      reason: 'Fraude au paiement en espèces',
    });

    const back = await reinstate(A);
    expect(back.data).toMatchObject({ suspended: false, changed: true });
    const placed = await order();
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const lifted = await db.query(`select banned_until from auth.users where id = $1`, [A]);
    expect(lifted.rows[0]!.banned_until).toBeNull();
    const last = await db.query(
      `select title, data ->> 'event' as event from public.notifications where user_id = $1 order by created_at desc limit 1`,
      [A],
    );
    expect(last.rows[0]).toEqual({ title: 'Compte rétabli', event: 'account_reinstated' });
  });

  it('takes a courier offline and keeps him off: no going online, no offer taken', async () => {
    await db.query(
      `insert into public.courier_presence (courier_id, online, lat, lng) values ($1, true, 5.9, -4.82)
                    on conflict (courier_id) do update set online = true, lat = 5.9, lng = -4.82`,
      [C2],
    );
    expect((await suspend(C2)).error).toBeNull();
    const presence = await db.query('select online from public.courier_presence where courier_id = $1', [C2]);
    expect(presence.rows[0]).toEqual({ online: false });

    const online = await callFunction('courier_not_on_job', 'courier/presence', { online: true, lat: 5.9, lng: -4.82 });
    expect([online.status, online.body.error.code, online.body.error.message]).toEqual([
      403,
      'account_suspended',
      SUSPENDED_FR,
    ]);
    const accept = await callFunction('courier_not_on_job', `courier/offers/${ID.offerF3}/accept`);
    expect([accept.status, accept.body.error.code]).toEqual([403, 'account_suspended']);
    const offer = await db.query('select status from public.offers where id = $1', [ID.offerF3]);
    expect(offer.rows[0]).toEqual({ status: 'offered' });
    // Going offline stays possible.
    expect((await callFunction('courier_not_on_job', 'courier/presence', { online: false })).status).toBe(200);

    expect((await reinstate(C2)).error).toBeNull();
    const back = await callFunction('courier_not_on_job', 'courier/presence', { online: true, lat: 5.9, lng: -4.82 });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
  });

  it('refuses the sign-in and the token refresh of a suspended person (Auth honours banned_until)', async () => {
    const phone = '+2250700001040';
    const s = stack();
    const phoneClient = createClient(s.apiUrl, s.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    });
    const existing = await db.query<{ id: string }>('select id from auth.users where phone = $1', [phone.slice(1)]);
    if (existing.rows.length === 0) {
      const { error } = await newClient('service').auth.admin.createUser({ phone, phone_confirm: true });
      expect(error).toBeNull();
    }
    const first = await phoneClient.auth.verifyOtp({ phone, token: '123456', type: 'sms' });
    expect(first.error).toBeNull();
    const person = first.data.user!.id;
    expect((await suspend(person)).error).toBeNull();
    try {
      const refresh = await phoneClient.auth.refreshSession();
      expect(refresh.error?.message).toMatch(/banned/i);
      const again = await phoneClient.auth.verifyOtp({ phone, token: '123456', type: 'sms' });
      expect(again.error).toMatchObject({ code: 'user_banned' });
    } finally {
      expect((await reinstate(person)).error).toBeNull();
    }
    const after = await phoneClient.auth.verifyOtp({ phone, token: '123456', type: 'sms' });
    expect(after.error).toBeNull();
  });
});
