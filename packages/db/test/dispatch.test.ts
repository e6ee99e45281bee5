// Dispatch and courier presence through the real stack: private.dispatch_order / run_dispatch (the dispatch clock)
// and the `courier` edge function (gateway → Deno → Postgres). The fixture couriers are busy (courier_on_job holds
// O1 and R1, courier_not_on_job has the open offer F3), so these tests add their own approved couriers near store X
// (K1 200 m, K2 500 m, K3 1 km), 50 more for the races, and one pending courier. The pg_cron stand-in runs
// run_dispatch every 5 s in the background: every step here is idempotent, so whichever runs first, the outcome is
// the same.
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signJwt } from '../../local-stack/src/keys.ts';
import { stack } from '../../local-stack/test/stack.ts';
import { ensurePeople, PEOPLE, superuser, tokenFor } from './actors.ts';
import { ID, resetFixtures, TIASSALE } from './fixtures.ts';

const STORE_X = { lat: 5.899, lng: -4.822 } as const;
const courierId = (n: number) => `c9000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const K1 = courierId(1);
const K2 = courierId(2);
const K3 = courierId(3);
const PENDING = courierId(9);
const RACERS = Array.from({ length: 50 }, (_, i) => courierId(100 + i));
const EXTRA = [K1, K2, K3, PENDING, ...RACERS];

let db: pg.Pool;
let seq = 0;
/**
 * The demo couriers of seed/ are online around Tiassalé and some demo orders wait for a courier: both sit out these
 * tests (couriers offline, orders parked as scheduled for later) and come back as they were afterwards.
 */
let seeded: Array<{ courier_id: string; online: boolean }> = [];
let parked: Array<{ id: string; scheduled_for: string | null; released_at: string | null }> = [];

const tokenOf = (id: string) =>
  signJwt(
    {
      sub: id,
      role: 'authenticated',
      aud: 'authenticated',
      exp: Math.floor(Date.now() / 1000) + 3600,
      user_roles: ['courier', 'customer'],
    },
    stack().jwtSecret,
  );

async function call(token: string, path: string, body?: unknown, fn = 'courier') {
  const s = stack();
  const res = await fetch(`${s.apiUrl}/functions/v1/${fn}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
const presence = (id: string, body: Record<string, unknown>) => call(tokenOf(id), '/presence', body);
const answer = (id: string, offer: string, verb: 'accept' | 'decline') => call(tokenOf(id), `/offers/${offer}/${verb}`);

/** Puts a courier online `metres` north of store X (superuser: no throttle, updated_at = now). */
async function online(id: string, metres: number): Promise<void> {
  await db.query(
    `insert into public.courier_presence (courier_id, online, lat, lng) values ($1, true, $2, $3)
     on conflict (courier_id) do update set online = true, lat = excluded.lat, lng = excluded.lng`,
    [id, STORE_X.lat + metres / 111_320, STORE_X.lng],
  );
}

/** Runs SQL with the presence clock stopped (updated_at is server time otherwise). */
async function withoutTouch(sql: string, params: unknown[]): Promise<void> {
  const c = await db.connect();
  try {
    await c.query('begin');
    await c.query('alter table public.courier_presence disable trigger courier_presence_touch_updated_at');
    await c.query(sql, params);
    await c.query('alter table public.courier_presence enable trigger courier_presence_touch_updated_at');
    await c.query('commit');
  } catch (e) {
    await c.query('rollback');
    throw e;
  } finally {
    c.release();
  }
}

/** A delivery order of customer A at store X, in `status` (default accepted), with no courier. */
async function order(status: 'pending' | 'accepted' = 'accepted'): Promise<string> {
  const c = await db.connect();
  try {
    await c.query('begin');
    const { rows } = await c.query<{ id: string }>(
      `insert into public.orders (customer_id, customer_first_name, store_id, fulfilment, subtotal_xof,
                                  delivery_fee_xof, total_xof, payment_method, cash_tendered_xof, idempotency_key)
       values ($1, 'Awa', $2, 'delivery', 500, 300, 800, 'cash', 1000, $3) returning id`,
      [PEOPLE.customer_a.id, ID.storeX, `dispatch-test-${process.pid}-${(seq += 1)}`],
    );
    const id = rows[0]!.id;
    await c.query(
      `insert into public.order_contacts (order_id, customer_phone, address)
       values ($1, '+2250100000201', '{"label": "Maison", "lat": 5.8995, "lng": -4.8231, "landmark": "Portail bleu"}')`,
      [id],
    );
    await c.query(
      `insert into public.order_items (order_id, product_id, name, unit_price_xof, options, options_price_xof, quantity)
       values ($1, $2, 'Garba', 500, '[]', 0, 1)`,
      [id, ID.productX],
    );
    await c.query(`insert into public.order_delivery_codes (order_id, code) values ($1, '4321')`, [id]);
    if (status === 'accepted') {
      await c.query(`select private.transition_order($1, 'accepted', $2, 'merchant')`, [id, PEOPLE.merchant_x.id]);
    }
    await c.query('commit');
    return id;
  } catch (e) {
    await c.query('rollback');
    throw e;
  } finally {
    c.release();
  }
}

const dispatch = (id: string) => db.query('select private.dispatch_order($1)', [id]);
const runDispatch = async () =>
  (await db.query<{ r: Record<string, number> }>('select private.run_dispatch() as r')).rows[0]!.r;
const offersOf = async (id: string) =>
  (
    await db.query<{ id: string; courier_id: string; status: string; distance_m: number }>(
      'select id, courier_id, status::text, distance_m from public.offers where order_id = $1 order by created_at, id',
      [id],
    )
  ).rows;
const openOffer = async (id: string) => (await offersOf(id)).find((f) => f.status === 'offered');
const courierOf = async (id: string) =>
  (await db.query<{ courier_id: string | null }>('select courier_id from public.orders where id = $1', [id])).rows[0]!
    .courier_id;
/** Makes an open offer overdue (expires_at must stay after created_at). */
const expire = (offer: string) =>
  db.query(`update public.offers set expires_at = created_at + interval '1 millisecond' where id = $1`, [offer]);

beforeAll(async () => {
  db = superuser();
  await ensurePeople();
  seeded = (
    await db.query<{ courier_id: string; online: boolean }>(
      'select courier_id, online from public.courier_presence where courier_id <> all($1::uuid[])',
      [EXTRA],
    )
  ).rows;
  await db.query('update public.courier_presence set online = false where courier_id <> all($1::uuid[])', [EXTRA]);
  parked = (
    await db.query(
      `update public.orders o set scheduled_for = now() + interval '7 days', released_at = null
         from public.orders old
        where old.id = o.id and o.fulfilment = 'delivery' and o.courier_id is null
          and o.status in ('accepted', 'preparing', 'ready') and o.customer_id <> all($1::uuid[])
       returning o.id, old.scheduled_for, old.released_at`,
      [Object.values(PEOPLE).map((p) => p.id)],
    )
  ).rows;
  const c = await db.connect();
  try {
    await c.query('begin');
    await c.query('delete from auth.users where id = any($1::uuid[])', [EXTRA]);
    await c.query(
      `insert into auth.users (instance_id, id, aud, role, phone, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
       select '00000000-0000-0000-0000-000000000000', id, 'authenticated', 'authenticated',
              '2250788' || lpad(n::text, 6, '0'), '{}', '{}', now(), now()
         from unnest($1::uuid[]) with ordinality as u (id, n)`,
      [EXTRA],
    );
    await c.query(
      `insert into public.user_roles (user_id, role) select id, 'courier' from unnest($1::uuid[]) id
       on conflict do nothing`,
      [EXTRA],
    );
    await c.query('alter table public.couriers disable trigger couriers_guard');
    await c.query(
      `insert into public.couriers (user_id, vehicle_type, zone_id, approval_status)
       select id, 'moto', $2, case when id = $3 then 'pending' else 'approved' end::public.courier_approval
         from unnest($1::uuid[]) id`,
      [EXTRA, TIASSALE, PENDING],
    );
    await c.query('alter table public.couriers enable trigger couriers_guard');
    await c.query('commit');
  } catch (e) {
    await c.query('rollback');
    throw e;
  } finally {
    c.release();
  }
});

afterAll(async () => {
  await resetFixtures(db);
  await db.query('delete from public.courier_presence where courier_id = any($1::uuid[])', [EXTRA]);
  await db.query('delete from auth.users where id = any($1::uuid[])', [EXTRA]);
  for (const o of parked) {
    await db.query('update public.orders set scheduled_for = $2, released_at = $3 where id = $1', [
      o.id,
      o.scheduled_for,
      o.released_at,
    ]);
  }
  for (const { courier_id, online } of seeded) {
    await db.query('update public.courier_presence set online = $2 where courier_id = $1', [courier_id, online]);
  }
  await db.end();
});

beforeEach(async () => {
  await db.query('delete from public.courier_presence where courier_id = any($1::uuid[])', [EXTRA]);
  await resetFixtures(db);
  await online(K1, 200);
  await online(K2, 500);
  await online(K3, 1000);
});

describe('dispatch', () => {
  it('is scheduled every 5 seconds with cron.schedule', async () => {
    const job = await db.query(`select schedule, command from cron.job where jobname = 'ecom-dispatch'`);
    expect(job.rows).toEqual([{ schedule: '5 seconds', command: 'select private.run_dispatch()' }]);
  });

  it('offers an order accepted through the orders function to the nearest courier at once, for 20 seconds', async () => {
    const id = await order('pending');
    expect(await offersOf(id)).toEqual([]); // a pending order is not dispatched
    const r = await call(tokenFor('merchant_x'), `/${id}/transition`, { to: 'accepted' }, 'orders');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const offers = await offersOf(id);
    expect(offers).toEqual([{ id: expect.any(String), courier_id: K1, status: 'offered', distance_m: 200 }]);
    const { rows } = await db.query(
      `select round(extract(epoch from expires_at - created_at))::int as s from public.offers where id = $1`,
      [offers[0]!.id],
    );
    expect(rows[0].s).toBe(20);
    // Dispatching again changes nothing while the offer is open.
    await dispatch(id);
    expect(await offersOf(id)).toHaveLength(1);
  });

  it('moves to the next courier when the offer expires', async () => {
    const id = await order();
    await dispatch(id);
    const first = (await openOffer(id))!;
    expect(first.courier_id).toBe(K1);
    await expire(first.id);
    await runDispatch();
    expect((await offersOf(id)).map((f) => [f.courier_id, f.status])).toEqual([
      [K1, 'expired'],
      [K2, 'offered'],
    ]);
    // The late answer is refused.
    expect(await answer(K1, first.id, 'accept')).toEqual({
      status: 409,
      body: {
        error: { code: 'offer_closed', message: 'Cette proposition a déjà reçu une réponse.', status: 'expired' },
      },
    });
  });

  it('moves to the next courier on decline, and only the offer’s courier may answer it', async () => {
    const id = await order();
    await dispatch(id);
    const first = (await openOffer(id))!;
    expect(await answer(K2, first.id, 'decline')).toEqual({
      status: 404,
      body: { error: { code: 'offer_not_found', message: 'Proposition introuvable.' } },
    });
    expect((await call(tokenFor('customer_a'), `/offers/${first.id}/accept`)).status).toBe(404);
    const r = await answer(K1, first.id, 'decline');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.offer).toMatchObject({ id: first.id, status: 'declined' });
    expect((await offersOf(id)).map((f) => [f.courier_id, f.status])).toEqual([
      [K1, 'declined'],
      [K2, 'offered'],
    ]);
  });

  it('assigns the courier who accepts, in the same transaction', async () => {
    const id = await order();
    await dispatch(id);
    const f = (await openOffer(id))!;
    const r = await answer(K1, f.id, 'accept');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.offer).toMatchObject({ status: 'accepted', courier_id: K1 });
    expect(await courierOf(id)).toBe(K1);
    expect((await answer(K1, f.id, 'accept')).status).toBe(409);
  });

  it('lets exactly one of 50 concurrent accepts of one offer through', async () => {
    const id = await order();
    await dispatch(id);
    const f = (await openOffer(id))!;
    const answers = await Promise.all(Array.from({ length: 50 }, () => answer(K1, f.id, 'accept')));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    const refused = answers.filter((a) => a.status !== 200);
    expect(refused).toHaveLength(49);
    expect(new Set(refused.map((a) => `${a.status} ${a.body.error.code}`))).toEqual(new Set(['409 offer_closed']));
    expect(await courierOf(id)).toBe(K1);
  });

  it('lets exactly one of 50 couriers accepting offers for the same order win', async () => {
    const id = await order('pending');
    const { rows } = await db.query<{ id: string; courier_id: string }>(
      `insert into public.offers (job_kind, order_id, courier_id, distance_m)
       select 'order', $1, c, 300 from unnest($2::uuid[]) c returning id, courier_id`,
      [id, RACERS],
    );
    await db.query(`select private.transition_order($1, 'accepted', $2, 'merchant')`, [id, PEOPLE.merchant_x.id]);
    const answers = await Promise.all(rows.map((f) => answer(f.courier_id, f.id, 'accept')));
    const winners = answers.flatMap((a, i) => (a.status === 200 ? [rows[i]!.courier_id] : []));
    expect(winners).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409 && a.body.error.code === 'offer_taken')).toHaveLength(49);
    expect(await courierOf(id)).toBe(winners[0]);
    expect((await offersOf(id)).filter((f) => f.status === 'accepted').map((f) => f.courier_id)).toEqual(winners);
  });

  it('offers nothing more to a courier on a job, and refuses them a second job', async () => {
    const a = await order();
    await dispatch(a);
    expect((await answer(K1, (await openOffer(a))!.id, 'accept')).status).toBe(200);
    const b = await order();
    await dispatch(b);
    expect((await openOffer(b))!.courier_id).toBe(K2); // K1 is nearer but busy
    // An offer made to K1 anyway (by hand) cannot be accepted while they hold A.
    const { rows } = await db.query<{ id: string }>(
      `insert into public.offers (job_kind, order_id, courier_id) values ('order', $1, $2) returning id`,
      [b, K1],
    );
    expect(await answer(K1, rows[0]!.id, 'accept')).toEqual({
      status: 409,
      body: {
        error: { code: 'courier_busy', message: 'Terminez votre course en cours avant d’en accepter une autre.' },
      },
    });
  });

  it('skips offline couriers and those whose position is stale', async () => {
    await db.query('update public.courier_presence set online = false where courier_id = $1', [K1]);
    await withoutTouch(
      `update public.courier_presence set updated_at = now() - interval '1 minute' where courier_id = $1`,
      [K2],
    );
    const id = await order();
    await dispatch(id);
    expect((await openOffer(id))!.courier_id).toBe(K3);
  });

  it('re-dispatches an order whose courier went offline for 2 minutes before pickup, not before', async () => {
    const id = await order();
    await dispatch(id);
    const f = (await openOffer(id))!;
    expect((await answer(K1, f.id, 'accept')).status).toBe(200);
    expect((await presence(K1, { online: false })).status).toBe(200);
    await runDispatch();
    expect(await courierOf(id)).toBe(K1); // a short break keeps the job
    await withoutTouch(
      `update public.courier_presence set updated_at = now() - interval '3 minutes' where courier_id = $1`,
      [K1],
    );
    await db.query(`update public.offers set responded_at = now() - interval '3 minutes' where id = $1`, [f.id]);
    await runDispatch();
    expect(await courierOf(id)).toBeNull();
    expect((await offersOf(id)).map((o) => [o.courier_id, o.status])).toEqual([
      [K1, 'released'],
      [K2, 'offered'],
    ]);
    // The job can be accepted again by someone else.
    expect((await answer(K2, (await openOffer(id))!.id, 'accept')).status).toBe(200);
    expect(await courierOf(id)).toBe(K2);
  });

  it('keeps an order waiting when nobody is available and tells its customer and store once', async () => {
    await db.query('update public.courier_presence set online = false where courier_id = any($1::uuid[])', [EXTRA]);
    const id = await order();
    await runDispatch();
    const notes = () =>
      db.query<{ user_id: string; title: string; body: string }>(
        `select user_id, title, body from public.notifications
          where data ->> 'order_id' = $1 and data ->> 'event' = 'no_courier' order by user_id`,
        [id],
      );
    expect((await notes()).rows).toEqual([]); // not in the first minute
    await db.query(`update public.orders set accepted_at = now() - interval '2 minutes' where id = $1`, [id]);
    await runDispatch();
    await runDispatch();
    const ref = id.slice(0, 8).toUpperCase();
    const { rows } = await notes();
    expect(rows.map((n) => n.user_id)).toEqual([PEOPLE.customer_a.id, PEOPLE.merchant_x.id, PEOPLE.staff_x.id].sort());
    expect(rows.find((n) => n.user_id === PEOPLE.customer_a.id)).toMatchObject({
      title: "Recherche d'un coursier",
      body: `Aucun coursier n'est disponible pour le moment pour la commande ${ref} chez Store X. Elle est en attente : nous continuons à chercher.`,
    });
    expect((await db.query('select status from public.orders where id = $1', [id])).rows[0].status).toBe('accepted');
    expect(await offersOf(id)).toEqual([]);
    // A courier coming online gets it.
    await online(K1, 200);
    await runDispatch();
    expect((await openOffer(id))!.courier_id).toBe(K1);
  });
});

describe('courier presence', () => {
  it('refuses presence to a non-courier and to a courier not yet approved', async () => {
    expect(await call(tokenFor('customer_a'), '/presence', { online: false })).toEqual({
      status: 403,
      body: { error: { code: 'not_a_courier', message: "Ce compte n'est pas inscrit comme coursier." } },
    });
    expect(await presence(PENDING, { online: true, lat: 5.9, lng: -4.82 })).toEqual({
      status: 403,
      body: {
        error: {
          code: 'courier_not_approved',
          message: "Votre compte coursier n'est pas encore validé.",
          approval_status: 'pending',
        },
      },
    });
    const rows = await db.query('select 1 from public.courier_presence where courier_id = $1', [PENDING]);
    expect(rows.rowCount).toBe(0);
  });

  it('stores a position at most every 5 seconds', async () => {
    const at = async () =>
      (
        await db.query<{ lat: number; online: boolean }>(
          'select lat, online from public.courier_presence where courier_id = $1',
          [K1],
        )
      ).rows[0]!;
    const first = await presence(K1, { online: true, lat: 5.9001, lng: -4.822, heading: 10, speed: 3 });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.stored).toBe(false); // beforeEach wrote K1 just now
    await withoutTouch(
      `update public.courier_presence set updated_at = now() - interval '6 seconds' where courier_id = $1`,
      [K1],
    );
    expect((await presence(K1, { online: true, lat: 5.9002, lng: -4.822 })).body.stored).toBe(true);
    expect((await at()).lat).toBe(5.9002);
    expect((await presence(K1, { online: true, lat: 5.9003, lng: -4.822 })).body.stored).toBe(false);
    expect((await at()).lat).toBe(5.9002);
    // Going offline is never throttled.
    expect((await presence(K1, { online: false })).body.stored).toBe(true);
    expect(await at()).toEqual({ lat: 5.9002, online: false });
  });

  it('broadcasts the position on the topic of the courier’s active order, and nowhere without one', async () => {
    const idle = await presence(K2, { online: true, lat: 5.8991, lng: -4.8221 });
    expect(idle.body.order_id).toBeNull();
    const id = await order();
    await dispatch(id);
    expect((await answer(K1, (await openOffer(id))!.id, 'accept')).status).toBe(200);
    const r = await presence(K1, { online: true, lat: 5.8992, lng: -4.8222, heading: 45, speed: 5 });
    expect(r.body.order_id).toBe(id);
    const { rows } = await db.query(
      `select event, private, payload - 'at' - 'id' as payload from realtime.messages
        where topic = $1 and event = 'position'`,
      [`order:${id}`],
    );
    expect(rows).toEqual([
      {
        event: 'position',
        private: true,
        payload: { courier_id: K1, lat: 5.8992, lng: -4.8222, heading: 45, speed_mps: 5 },
      },
    ]);
  });

  it('hands back open offers when the courier goes offline', async () => {
    const id = await order();
    await dispatch(id);
    expect((await openOffer(id))!.courier_id).toBe(K1);
    expect((await presence(K1, { online: false })).status).toBe(200);
    expect((await offersOf(id)).map((f) => [f.courier_id, f.status])).toEqual([
      [K1, 'expired'],
      [K2, 'offered'],
    ]);
  });
});
