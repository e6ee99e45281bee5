// The `orders` edge function through the real stack (gateway → Deno → Postgres; reads as the caller under RLS):
// placement (prices from the catalogue, refusals with their French messages, idempotency), every legal move per
// role, every illegal one (409 with the current status), wrong roles (403), other people's orders (404), a
// transaction killed half-way, and the order clock (private.run_order_timeouts, the local scheduler).
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startScheduler } from '../../local-stack/src/scheduler.ts';
import { stack } from '../../local-stack/test/stack.ts';
import { clientFor, ensurePeople, PEOPLE, type Person, superuser, tokenFor } from './actors.ts';
import { ID, resetFixtures } from './fixtures.ts';

type Who = Person | 'anon';
interface Answer {
  status: number;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

let db: pg.Pool;
let keySeq = 0;
const newKey = () => `test-key-${process.pid}-${Date.now()}-${(keySeq += 1)}`;

async function call(
  who: Who,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const s = stack();
  const res = await fetch(`${s.apiUrl}/functions/v1/orders${path}`, {
    method,
    headers: {
      authorization: `Bearer ${who === 'anon' ? s.anonKey : tokenFor(who)}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

const place = (who: Who, body: unknown, key = newKey(), headers: Record<string, string> = {}) =>
  call(who, 'POST', '', body, { 'idempotency-key': key, ...headers });
const move = (who: Who, id: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  call(who, 'POST', `/${id}/transition`, body, headers);

/** Customer A's cash delivery at store X: 2 Garba with a boiled egg (600 each). */
const delivery = (extra: Record<string, unknown> = {}) => ({
  store_id: ID.storeX,
  items: [{ product_id: ID.productX, quantity: 2, option_ids: [ID.optionX] }],
  fulfilment: 'delivery',
  address_id: ID.addressA,
  payment_method: 'cash',
  cash_tendered_xof: 5000,
  ...extra,
});
const pickup = (extra: Record<string, unknown> = {}) => ({
  store_id: ID.storeX,
  items: [{ product_id: ID.productX, quantity: 2 }],
  fulfilment: 'pickup',
  payment_method: 'cash',
  ...extra,
});

/** The delivery fee the zone grid gives for store X → address A: 300 + 100 / km, rounded up to 25 FCFA. */
async function expectedFee(): Promise<number> {
  const { rows } = await db.query<{ m: number }>(
    `select extensions.earth_distance(extensions.ll_to_earth(s.lat, s.lng), extensions.ll_to_earth(a.lat, a.lng)) as m
       from public.stores s, public.addresses a where s.id = $1 and a.id = $2`,
    [ID.storeX, ID.addressA],
  );
  return Math.ceil((300 + (100 * rows[0]!.m) / 1000) / 25) * 25;
}

async function placed(body: Record<string, unknown> = delivery(), who: Who = 'customer_a'): Promise<string> {
  const r = await place(who, body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.order.id as string;
}

/** Moves an order as SQL would (service role), to build a state quickly. */
async function sqlMove(id: string, to: string, actor: Person, role: string, reason: string | null = null) {
  const code = to === 'delivered' ? await codeOf(id) : null;
  await db.query('select private.transition_order($1, $2, $3, $4, $5, $6)', [
    id,
    to,
    PEOPLE[actor].id,
    role,
    reason,
    code,
  ]);
}
const assign = (id: string, courier: Person = 'courier_on_job') =>
  db.query('update public.orders set courier_id = $2 where id = $1', [id, PEOPLE[courier].id]);
const codeOf = async (id: string) =>
  (await db.query<{ code: string }>('select code from public.order_delivery_codes where order_id = $1', [id])).rows[0]!
    .code;
const statusOf = async (id: string) =>
  (await db.query<{ status: string }>('select status from public.orders where id = $1', [id])).rows[0]!.status;

/** Builds a delivery order of customer A at store X, assigned to courier_on_job, in the given status. */
async function orderIn(status: string, fulfilment: 'delivery' | 'pickup' = 'delivery'): Promise<string> {
  const id = await placed(fulfilment === 'delivery' ? delivery() : pickup());
  if (fulfilment === 'delivery') await assign(id);
  const path: Record<string, Array<[string, Person, string, string | null]>> = {
    pending: [],
    accepted: [['accepted', 'merchant_x', 'merchant', null]],
    rejected: [['rejected', 'merchant_x', 'merchant', 'Rupture']],
    cancelled: [['cancelled', 'customer_a', 'customer', 'Erreur']],
    preparing: [
      ['accepted', 'merchant_x', 'merchant', null],
      ['preparing', 'merchant_x', 'merchant', null],
    ],
    ready: [
      ['accepted', 'merchant_x', 'merchant', null],
      ['preparing', 'merchant_x', 'merchant', null],
      ['ready', 'merchant_x', 'merchant', null],
    ],
    picked_up: [
      ['accepted', 'merchant_x', 'merchant', null],
      ['preparing', 'merchant_x', 'merchant', null],
      ['ready', 'merchant_x', 'merchant', null],
      ['picked_up', 'courier_on_job', 'courier', null],
    ],
    delivered: [
      ['accepted', 'merchant_x', 'merchant', null],
      ['preparing', 'merchant_x', 'merchant', null],
      ['ready', 'merchant_x', 'merchant', null],
      ['picked_up', 'courier_on_job', 'courier', null],
      ['delivered', 'courier_on_job', 'courier', null],
    ],
  };
  for (const [to, actor, role, reason] of path[status]!) await sqlMove(id, to, actor, role, reason);
  return id;
}

/** Store X open around the clock, every day (the fixtures give it Monday hours and the default closed status). */
async function openStoreX(): Promise<void> {
  await db.query(`update public.stores set status = 'open', busy_until = null where id = $1`, [ID.storeX]);
  await db.query('delete from public.store_hours where store_id = $1', [ID.storeX]);
  await db.query(
    `insert into public.store_hours (store_id, weekday, opens, closes, closes_next_day)
     select $1, d, '00:00', '00:00', true from generate_series(1, 7) d`,
    [ID.storeX],
  );
  await db.query('delete from public.store_hour_exceptions where store_id = $1', [ID.storeX]);
}

beforeAll(async () => {
  db = superuser();
  await ensurePeople();
});
/** Test rows the fixtures do not know: an address in the test zone (it would block the zone's reset). */
const FAR_ADDRESS = 'd7000000-0000-4000-8000-0000000000aa';
const cleanUp = () => db.query('delete from public.addresses where id = $1', [FAR_ADDRESS]);

afterAll(async () => {
  await cleanUp();
  await resetFixtures(db);
  await db.end();
});
beforeEach(async () => {
  await cleanUp();
  await resetFixtures(db);
  await openStoreX();
});

describe('placing an order', () => {
  it('computes prices, fee, total and change on the server and writes every row in one go', async () => {
    const key = newKey();
    const r = await place('customer_a', delivery(), key);
    expect(r.status).toBe(201);
    const fee = await expectedFee();
    const o = r.body.order;
    expect(o).toMatchObject({
      status: 'pending',
      store_id: ID.storeX,
      store_name: 'Store X',
      fulfilment: 'delivery',
      subtotal_xof: 1200,
      delivery_fee_xof: fee,
      discount_xof: 0,
      total_xof: 1200 + fee,
      payment_method: 'cash',
      cash_tendered_xof: 5000,
      change_due_xof: 5000 - 1200 - fee,
      promo_code: null,
    });
    expect(o.items).toEqual([
      {
        product_id: ID.productX,
        name: 'Garba',
        unit_price_xof: 500,
        options: [{ group: 'Extras', name: 'Œuf dur', price_delta_xof: 100 }],
        options_price_xof: 100,
        quantity: 2,
        line_total_xof: 1200,
      },
    ]);
    expect(o.delivery_code).toMatch(/^\d{4}$/);
    const { rows } = await db.query(
      `select o.customer_first_name, o.idempotency_key, c.customer_phone, c.address ->> 'landmark' as landmark,
              (select count(*)::int from public.order_events e where e.order_id = o.id) as events,
              (select array_agg(n.user_id order by n.user_id) from public.notifications n
                where n.data ->> 'order_id' = o.id::text) as notified
         from public.orders o join public.order_contacts c on c.order_id = o.id where o.id = $1`,
      [o.id],
    );
    expect(rows[0]).toEqual({
      customer_first_name: 'Awa',
      idempotency_key: key,
      customer_phone: PEOPLE.customer_a.phone,
      landmark: 'Derrière la mosquée, portail bleu',
      events: 1,
      notified: [PEOPLE.merchant_x.id, PEOPLE.staff_x.id].sort(),
    });
  });

  it('ignores prices and totals sent by the client', async () => {
    const r = await place('customer_a', {
      ...delivery(),
      items: [{ product_id: ID.productX, quantity: 2, option_ids: [ID.optionX], unit_price_xof: 1, price_xof: 1 }],
      subtotal_xof: 1,
      delivery_fee_xof: 0,
      total_xof: 1,
      discount_xof: 5000,
    });
    expect(r.status).toBe(201);
    expect(r.body.order).toMatchObject({
      subtotal_xof: 1200,
      total_xof: 1200 + (await expectedFee()),
      discount_xof: 0,
    });
  });

  it.each([
    [0, 'too_small'],
    [51, 'too_big'],
    [1.5, 'invalid_type'],
    ['2', 'invalid_type'],
    [-3, 'too_small'],
  ])('refuses a quantity of %j with 400 and the field', async (quantity, code) => {
    const r = await place('customer_a', { ...delivery(), items: [{ product_id: ID.productX, quantity }] });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({
      code: 'validation_failed',
      message: 'Certaines informations de la demande sont invalides.',
    });
    expect(r.body.error.details).toContainEqual(expect.objectContaining({ field: 'items.0.quantity', code }));
    expect(
      (await db.query('select 1 from public.orders where store_id = $1 and status = $2', [ID.storeX, 'pending']))
        .rowCount,
    ).toBe(0);
  });

  it('validates the body, the key and the token', async () => {
    const noAddress = await place('customer_a', delivery({ address_id: undefined }));
    expect(noAddress.status).toBe(400);
    expect(noAddress.body.error.details).toContainEqual(expect.objectContaining({ field: 'address_id' }));
    const notJson = await place('customer_a', '{oops');
    expect(notJson.body.error).toEqual({
      code: 'invalid_json',
      message: 'Le corps de la requête doit être un objet JSON.',
    });
    const noKey = await call('customer_a', 'POST', '', delivery());
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.code).toBe('idempotency_key_required');
    const anon = await place('anon', delivery());
    expect(anon).toEqual({
      status: 401,
      body: { error: { code: 'unauthorized', message: 'Connectez-vous pour continuer.' } },
    });
    const res = await fetch(`${stack().apiUrl}/functions/v1/orders`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401); // verify_jwt: refused before the function runs
    const en = await place('anon', delivery(), newKey(), { 'accept-language': 'en-GB,en;q=0.9' });
    expect(en.body.error.message).toBe('Sign in to continue.');
  });

  it('works through supabase-js functions.invoke', async () => {
    const { data, error } = await clientFor('customer_a').functions.invoke('orders', {
      body: pickup(),
      headers: { 'Idempotency-Key': newKey() },
    });
    expect(error).toBeNull();
    expect(data.order).toMatchObject({
      fulfilment: 'pickup',
      subtotal_xof: 1000,
      delivery_fee_xof: 0,
      total_xof: 1000,
    });
  });

  describe('refusals, in the caller’s language', () => {
    it('a closed store', async () => {
      await db.query(`update public.stores set status = 'closed' where id = $1`, [ID.storeX]);
      const r = await place('customer_a', delivery());
      expect(r).toEqual({
        status: 422,
        body: { error: { code: 'store_closed', message: 'Cette boutique est fermée pour le moment.' } },
      });
      const en = await place('customer_a', delivery(), newKey(), { 'accept-language': 'en' });
      expect(en.body.error.message).toBe('This store is closed at the moment.');
    });

    it('a store outside its hours', async () => {
      await db.query('delete from public.store_hours where store_id = $1', [ID.storeX]);
      const r = await place('customer_a', delivery());
      expect(r.body.error.code).toBe('store_closed');
    });

    it('a busy store, with busy_until', async () => {
      await db.query(`update public.stores set status = 'busy', busy_until = '2099-01-01T12:30:00Z' where id = $1`, [
        ID.storeX,
      ]);
      const r = await place('customer_a', delivery());
      expect(r.status).toBe(422);
      expect(r.body.error).toEqual({
        code: 'store_busy',
        busy_until: '2099-01-01T12:30:00+00:00',
        message: 'Cette boutique est débordée : elle reprend les commandes à 12:30.',
      });
    });

    it('a sold-out item, a withdrawn one, another store’s, an unavailable option', async () => {
      await db.query(`update public.products set sold_out_until = now() + interval '1 hour' where id = $1`, [
        ID.productX,
      ]);
      const soldOut = await place('customer_a', delivery());
      expect(soldOut.status).toBe(422);
      expect(soldOut.body.error).toMatchObject({
        code: 'item_sold_out',
        message: '« Garba » est épuisé pour le moment.',
      });
      await db.query('update public.products set sold_out_until = null where id = $1', [ID.productX]);
      const hidden = await place('customer_a', {
        ...delivery(),
        items: [{ product_id: ID.productXHidden, quantity: 3 }],
      });
      expect(hidden.body.error).toMatchObject({
        code: 'item_unavailable',
        message: "« Plat retiré » n'est pas disponible dans cette boutique.",
      });
      const other = await place('customer_a', { ...delivery(), items: [{ product_id: ID.productY, quantity: 3 }] });
      expect(other.body.error).toMatchObject({
        code: 'item_unavailable',
        message: "Cet article n'est pas disponible dans cette boutique.",
      });
      const option = await place('customer_a', {
        ...delivery(),
        items: [{ product_id: ID.productX, quantity: 2, option_ids: [ID.optionXOff] }],
      });
      expect(option.body.error).toMatchObject({
        code: 'option_unavailable',
        message: "Une option choisie pour « Garba » n'est pas disponible.",
      });
    });

    it('an address outside the store’s zone, and someone else’s address', async () => {
      await db.query(
        `insert into public.addresses (id, user_id, label, lat, lng, landmark, phone, zone_id)
         values ($3, $1, 'Abidjan', 5.35, -4.0, 'Plateau, tour A', '+2250100000201', $2)`,
        [PEOPLE.customer_a.id, ID.zoneTest, FAR_ADDRESS],
      );
      const far = await place('customer_a', delivery({ address_id: FAR_ADDRESS }));
      expect(far).toEqual({
        status: 422,
        body: {
          error: {
            code: 'address_outside_zone',
            zone: 'Tiassalé',
            message: 'Cette adresse est en dehors de la zone de livraison de la boutique.',
          },
        },
      });
      const theirs = await place('customer_a', delivery({ address_id: ID.addressB }));
      expect(theirs).toEqual({
        status: 404,
        body: { error: { code: 'address_not_found', message: 'Adresse de livraison introuvable.' } },
      });
    });

    it('cash below the total, below the minimum order, a payment method not open yet, a pending store', async () => {
      const fee = await expectedFee();
      const cash = await place('customer_a', delivery({ cash_tendered_xof: 1000 }));
      expect(cash.status).toBe(422);
      expect(cash.body.error).toMatchObject({
        code: 'cash_below_total',
        total_xof: 1200 + fee,
        message: `Le montant en espèces doit couvrir le total de 1 ${String(200 + fee).padStart(3, '0')} FCFA.`,
      });
      const small = await place('customer_a', { ...pickup(), items: [{ product_id: ID.productX, quantity: 1 }] });
      expect(small.body.error).toMatchObject({
        code: 'below_minimum',
        message: 'Le minimum de commande est de 1 000 FCFA.',
      });
      // Wallet and mobile money pay from the wallet (a mobile-money top-up lands there first): 50 Garba are more than
      // customer A holds, so nothing is placed.
      for (const method of ['wallet', 'mobile_money']) {
        const r = await place(
          'customer_a',
          pickup({ payment_method: method, items: [{ product_id: ID.productX, quantity: 50 }] }),
        );
        expect(r.status).toBe(402);
        expect(r.body.error).toMatchObject({
          code: 'insufficient_funds',
          needed_xof: 25000,
          account_kind: 'customer_wallet',
        });
        expect(r.body.error.message).toMatch(
          /^Solde insuffisant : votre portefeuille contient .*, il faut 25 000 FCFA\.$/,
        );
      }
      const pending = await place('customer_a', {
        ...pickup(),
        store_id: ID.storeP,
        items: [{ product_id: ID.productP, quantity: 5 }],
      });
      expect(pending.body.error).toEqual({ code: 'store_not_found', message: 'Boutique introuvable.' });
      expect(
        (
          await db.query('select 1 from public.orders where customer_id = $1 and status = $2', [
            PEOPLE.customer_a.id,
            'pending',
          ])
        ).rowCount,
      ).toBe(0);
    });

    it('uses the profile language when the request names none', async () => {
      await db.query(`update public.profiles set language = 'en' where id = $1`, [PEOPLE.customer_b.id]);
      await db.query(`update public.stores set status = 'closed' where id = $1`, [ID.storeX]);
      const r = await place('customer_b', { ...pickup() });
      expect(r.body.error.message).toBe('This store is closed at the moment.');
    });
  });

  describe('promotions', () => {
    it('applies a store code, a platform percentage, and counts uses per customer', async () => {
      const fixed = await place('customer_a', pickup({ promo_code: ' garba100 ' }));
      expect(fixed.body.order).toMatchObject({
        subtotal_xof: 1000,
        discount_xof: 100,
        total_xof: 900,
        promo_code: 'GARBA100',
      });
      const again = await place('customer_a', pickup({ promo_code: 'GARBA100' }));
      expect(again.body.error).toMatchObject({
        code: 'promo_exhausted',
        message: 'Le code promo GARBA100 a déjà été utilisé autant de fois que permis.',
      });
      const percent = await place('customer_a', delivery({ promo_code: 'BIENVENUE' }));
      expect(percent.body.order).toMatchObject({ discount_xof: 120, total_xof: 1200 + (await expectedFee()) - 120 });
    });

    it('refuses unknown, other stores’, inactive and expired codes, and too small orders', async () => {
      await db.query(
        `insert into public.promotions (code, store_id, kind, value, min_order_xof, starts_at, ends_at)
         values ('TESTOLD', null, 'fixed', 100, 0, now() - interval '2 days', now() - interval '1 day'),
                ('TESTBIG', null, 'fixed', 100, 50000, now() - interval '1 day', now() + interval '1 day')`,
      );
      const cases: Array<[string, string, string]> = [
        ['NOPE', 'promo_invalid', "Le code promo NOPE n'est pas valable pour cette commande."],
        ['SANTE', 'promo_invalid', "Le code promo SANTE n'est pas valable pour cette commande."],
        ['GARBAOFF', 'promo_invalid', "Le code promo GARBAOFF n'est pas valable pour cette commande."],
        ['TESTOLD', 'promo_expired', 'Le code promo TESTOLD a expiré.'],
        ['TESTBIG', 'promo_min_order', "Le code promo TESTBIG demande au moins 50 000 FCFA d'achats."],
      ];
      for (const [code, error, text] of cases) {
        const r = await place('customer_a', pickup({ promo_code: code }));
        expect(r.status, code).toBe(422);
        expect(r.body.error).toMatchObject({ code: error, message: text });
      }
    });
  });

  describe('idempotency', () => {
    it('answers a replay with the same order and refuses the key for another request', async () => {
      const key = newKey();
      const first = await place('customer_a', delivery(), key);
      const replay = await place('customer_a', delivery(), key);
      expect(replay).toEqual(first);
      const { rows } = await db.query('select count(*)::int as n from public.orders where idempotency_key = $1', [key]);
      expect(rows[0].n).toBe(1);
      const changed = await place('customer_a', delivery({ cash_tendered_xof: 10000 }), key);
      expect(changed).toEqual({
        status: 422,
        body: {
          error: {
            code: 'idempotency_key_reused',
            message: 'Cette clé Idempotency-Key a déjà servi pour une autre commande.',
          },
        },
      });
      // Another customer's key space is their own.
      const b = await place('customer_b', { ...pickup() }, key);
      expect(b.status).toBe(201);
      expect(b.body.order.id).not.toBe(first.body.order.id);
    });

    it('50 concurrent placements with one key make exactly one order', async () => {
      const key = newKey();
      const answers = await Promise.all(Array.from({ length: 50 }, () => place('customer_a', delivery(), key)));
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(201));
      expect(new Set(answers.map((a) => a.body.order.id)).size).toBe(1);
      const { rows } = await db.query(
        `select (select count(*)::int from public.orders where idempotency_key = $1) as orders,
                (select count(*)::int from public.order_items i join public.orders o on o.id = i.order_id
                  where o.idempotency_key = $1) as items`,
        [key],
      );
      expect(rows[0]).toEqual({ orders: 1, items: 1 });
    });
  });

  describe('scheduled orders', () => {
    it('takes a time within the store’s hours and refuses one too soon or when it is closed', async () => {
      const hour = new Date().getUTCHours();
      const opens = (hour + 2) % 24;
      const closes = (hour + 4) % 24;
      await db.query('delete from public.store_hours where store_id = $1', [ID.storeX]);
      await db.query(
        `insert into public.store_hours (store_id, weekday, opens, closes, closes_next_day)
         select $1, d, make_time($2, 0, 0), make_time($3, 0, 0), $3 <= $2 from generate_series(1, 7) d`,
        [ID.storeX, opens, closes],
      );
      const at = (hoursAhead: number) => {
        const d = new Date();
        d.setUTCHours(d.getUTCHours() + hoursAhead, 30, 0, 0);
        return d.toISOString();
      };
      expect((await place('customer_a', delivery())).body.error.code).toBe('store_closed');
      const ok = await place('customer_a', delivery({ scheduled_for: at(2) }));
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      expect(ok.body.order.scheduled_for).toBe(at(2).replace('.000Z', '+00:00'));
      const closed = await place('customer_a', delivery({ scheduled_for: at(5) }));
      expect(closed.body.error).toEqual({
        code: 'scheduled_outside_hours',
        message: "La boutique sera fermée à l'heure choisie.",
      });
      const soon = await place('customer_a', delivery({ scheduled_for: new Date(Date.now() + 600_000).toISOString() }));
      expect(soon.body.error.message).toBe('Choisissez une heure entre 30 minutes et 7 jours à partir de maintenant.');
      const late = await place(
        'customer_a',
        delivery({ scheduled_for: new Date(Date.now() + 8 * 86_400_000).toISOString() }),
      );
      expect(late.body.error.code).toBe('scheduled_out_of_range');
    });
  });
});

describe('moving an order', () => {
  it('a delivery, all the way, by each role, with events and notifications', async () => {
    const id = await placed();
    const steps: Array<[Person, Record<string, unknown>, string]> = [
      ['merchant_x', { to: 'accepted', prep_minutes: 25 }, 'accepted'],
      ['staff_x', { to: 'preparing' }, 'preparing'],
      ['merchant_x', { to: 'ready' }, 'ready'],
    ];
    for (const [who, body, status] of steps) {
      const r = await move(who, id, body);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.order.status).toBe(status);
    }
    // Dispatch (next slice) assigns the courier.
    const noCourier = await move('courier_on_job', id, { to: 'picked_up' });
    expect(noCourier.status).toBe(404);
    await assign(id);
    expect((await move('courier_on_job', id, { to: 'picked_up' })).body.order.status).toBe('picked_up');
    const wrong = await move('courier_on_job', id, {
      to: 'delivered',
      code: '0000' === (await codeOf(id)) ? '1111' : '0000',
    });
    expect(wrong).toEqual({
      status: 422,
      body: {
        error: {
          code: 'wrong_delivery_code',
          attempts_left: 4,
          message: 'Code de livraison incorrect. Encore 4 essais avant le blocage.',
        },
      },
    });
    // The customer reads the code in the app and gives it.
    const mine = await call('customer_a', 'GET', `/${id}`);
    const delivered = await move('courier_on_job', id, { to: 'delivered', code: mine.body.order.delivery_code });
    expect(delivered.body).toMatchObject({ order: { status: 'delivered' }, previous_status: 'picked_up' });
    const cash = await move('courier_on_job', id, { to: 'cash_collected' });
    expect(cash.status).toBe(200);
    expect(cash.body.order.cash_collected_at).not.toBeNull();
    expect((await move('courier_on_job', id, { to: 'cash_collected' })).status).toBe(409);

    const { rows: events } = await db.query(
      'select to_status, actor_role, actor_id, kind from public.order_events where order_id = $1 order by id',
      [id],
    );
    // The wrong code is an event too (evidence), between pick-up and delivery.
    expect(events.map((e) => [e.to_status, e.actor_role, e.kind])).toEqual([
      ['pending', 'customer', 'status'],
      ['accepted', 'merchant', 'status'],
      ['preparing', 'merchant', 'status'],
      ['ready', 'merchant', 'status'],
      ['picked_up', 'courier', 'status'],
      ['picked_up', 'courier', 'wrong_code'],
      ['delivered', 'courier', 'status'],
    ]);
    expect(events[2].actor_id).toBe(PEOPLE.staff_x.id);
    const { rows } = await db.query(
      `select title, body from public.notifications where user_id = $1 and data ->> 'order_id' = $2 order by created_at`,
      [PEOPLE.customer_a.id, id],
    );
    const ref = id.slice(0, 8).toUpperCase();
    expect(rows).toEqual([
      { title: 'Commande acceptée', body: `Store X a accepté la commande ${ref} (prête dans environ 25 min).` },
      { title: 'Commande en préparation', body: `Store X prépare la commande ${ref}.` },
      { title: 'Commande prête', body: `La commande ${ref} est prête chez Store X.` },
      { title: 'Commande en route', body: `Le coursier a récupéré la commande ${ref}.` },
      { title: 'Commande livrée', body: `La commande ${ref} a été remise. Bon appétit !` },
    ]);
    const courierNotes = await db.query(
      `select count(*)::int as n from public.notifications where user_id = $1 and data ->> 'order_id' = $2`,
      [PEOPLE.courier_on_job.id, id],
    );
    expect(courierNotes.rows[0].n).toBe(0); // they made both moves since their assignment
  });

  it('a pickup collected at the store, with the code; notifications in the customer’s language', async () => {
    await db.query(`update public.profiles set language = 'en' where id = $1`, [PEOPLE.customer_a.id]);
    const id = await placed(pickup());
    for (const to of ['accepted', 'preparing', 'ready'])
      expect((await move('merchant_x', id, { to })).status).toBe(200);
    const r = await move('merchant_x', id, { to: 'delivered', code: await codeOf(id) });
    expect(r.body.order.status).toBe('delivered');
    const { rows } = await db.query(
      `select language, title from public.notifications where user_id = $1 and data ->> 'order_id' = $2 order by created_at`,
      [PEOPLE.customer_a.id, id],
    );
    expect(rows.map((n) => n.title)).toEqual([
      'Order accepted',
      'Order being prepared',
      'Order ready',
      'Order delivered',
    ]);
  });

  it('the merchant rejects with a reason; the customer cancels while pending; admins cancel before delivery', async () => {
    const rejected = await placed();
    expect((await move('merchant_x', rejected, { to: 'rejected' })).body.error.details).toContainEqual(
      expect.objectContaining({ field: 'reason' }),
    );
    const r = await move('merchant_x', rejected, { to: 'rejected', reason: 'Plus de garba' });
    expect(r.body.order).toMatchObject({ status: 'rejected', rejection_reason: 'Plus de garba' });
    const note = await db.query(
      `select body from public.notifications where user_id = $1 and data ->> 'order_id' = $2`,
      [PEOPLE.customer_a.id, rejected],
    );
    expect(note.rows[0].body).toBe(
      `Store X a refusé la commande ${rejected.slice(0, 8).toUpperCase()} : Plus de garba`,
    );

    const cancelled = await placed();
    const c = await move('customer_a', cancelled, { to: 'cancelled', reason: 'Je me suis trompé' });
    expect(c.body.order).toMatchObject({ status: 'cancelled', cancelled_by: 'customer' });
    const storeNotes = await db.query(
      `select count(*)::int as n from public.notifications where user_id = $1 and data ->> 'order_id' = $2`,
      [PEOPLE.merchant_x.id, cancelled],
    );
    expect(storeNotes.rows[0].n).toBe(2); // new order, cancelled

    for (const status of ['pending', 'accepted', 'preparing', 'ready', 'picked_up']) {
      const id = await orderIn(status);
      const a = await move('admin', id, { to: 'cancelled', reason: 'Client injoignable' });
      expect(a.status, status).toBe(200);
      expect(a.body.order).toMatchObject({ status: 'cancelled', cancelled_by: 'admin' });
    }
  });

  it('refuses every move that does not exist from the current status with 409 and that status', async () => {
    const { rows: legal } = await db.query<{ from_status: string; to_status: string }>(
      `select distinct from_status::text, to_status::text from public.order_transitions
        where fulfilment is null or fulfilment = 'delivery'`,
    );
    const statuses = ['pending', 'accepted', 'rejected', 'cancelled', 'preparing', 'ready', 'picked_up', 'delivered'];
    let checked = 0;
    for (const from of statuses) {
      const id = await orderIn(from);
      for (const to of statuses) {
        if (legal.some((l) => l.from_status === from && l.to_status === to)) continue;
        const body = { to, reason: 'x', code: '1234' };
        const r = await move(
          'admin',
          id,
          to === 'delivered' ? body : { to, reason: to === 'rejected' || to === 'cancelled' ? 'x' : undefined },
        );
        expect(r.status, `${from} → ${to}`).toBe(409);
        expect(r.body.error).toMatchObject({ code: 'illegal_transition', status: from, to });
        checked += 1;
      }
      expect(await statusOf(id)).toBe(from);
    }
    expect(checked).toBe(64 - legal.length);
    const r = await move('merchant_x', await orderIn('pending'), { to: 'ready' });
    expect(r.body.error.message).toBe('Impossible : la commande est en attente, elle ne peut pas passer à « prête ».');
  });

  it('refuses a legal move made in the wrong role with 403 and the status', async () => {
    const { rows } = await db.query<{ from_status: string; to_status: string; roles: string[] }>(
      `select from_status::text, to_status::text, array_agg(actor_role::text) as roles from public.order_transitions
        where fulfilment is null or fulfilment = 'delivery' group by 1, 2`,
    );
    const parties: Array<[Person, string]> = [
      ['customer_a', 'customer'],
      ['merchant_x', 'merchant'],
      ['courier_on_job', 'courier'],
    ];
    let checked = 0;
    for (const { from_status: from, to_status: to, roles } of rows) {
      const id = await orderIn(from);
      for (const [who, role] of parties) {
        if (roles.includes(role)) continue;
        const r = await move(who, id, { to, reason: 'x', ...(to === 'delivered' ? { code: await codeOf(id) } : {}) });
        expect(r.status, `${who} ${from} → ${to}`).toBe(403);
        expect(r.body.error).toMatchObject({ code: 'wrong_role', status: from, to });
        checked += 1;
      }
      expect(await statusOf(id)).toBe(from);
    }
    expect(checked).toBeGreaterThan(15);
    const r = await move('customer_a', await orderIn('accepted'), { to: 'cancelled', reason: 'Trop long' });
    expect(r.body.error.message).toBe('Vous ne pouvez pas faire passer cette commande à « annulée ».');
  });

  it('answers 404 for other people’s orders, unknown ones and bad ids, without saying which', async () => {
    const id = await orderIn('ready');
    const notFound = { status: 404, body: { error: { code: 'order_not_found', message: 'Commande introuvable.' } } };
    for (const who of ['customer_b', 'merchant_y', 'courier_not_on_job'] as const) {
      expect(await call(who, 'GET', `/${id}`), who).toEqual(notFound);
      expect(await move(who, id, { to: 'picked_up' }), who).toEqual(notFound);
    }
    expect(await move('customer_a', 'e3000000-0000-4000-8000-0000000000ff', { to: 'cancelled', reason: 'x' })).toEqual(
      notFound,
    );
    expect(await call('customer_a', 'GET', '/not-a-uuid')).toEqual(notFound);
    expect(await statusOf(id)).toBe('ready');
  });

  it('shows each party what RLS lets them read', async () => {
    const id = await orderIn('picked_up');
    const customer = (await call('customer_a', 'GET', `/${id}`)).body.order;
    const merchant = (await call('merchant_x', 'GET', `/${id}`)).body.order;
    const courier = (await call('courier_on_job', 'GET', `/${id}`)).body.order;
    expect(customer.delivery_code).toMatch(/^\d{4}$/);
    expect(customer.contact.address.landmark).toBe('Derrière la mosquée, portail bleu');
    expect(customer.events.map((e: { to_status: string }) => e.to_status)).toEqual([
      'pending',
      'accepted',
      'preparing',
      'ready',
      'picked_up',
    ]);
    expect(merchant).toMatchObject({ delivery_code: null, contact: null, status: 'picked_up' });
    expect(merchant.items).toHaveLength(1);
    expect(courier.delivery_code).toBeNull();
    expect(courier.contact.customer_phone).toBe(PEOPLE.customer_a.phone);
  });
});

describe('a transaction killed half-way', () => {
  async function killWhenBlocked(lockSql: string, params: unknown[], request: () => Promise<Answer>) {
    const holder = await db.connect();
    try {
      await holder.query('begin');
      await holder.query(lockSql, params);
      const pending = request();
      let pid: number | undefined;
      for (let i = 0; i < 100 && !pid; i += 1) {
        await new Promise((r) => setTimeout(r, 50));
        const { rows } = await db.query<{ pid: number }>(
          `select pid from pg_stat_activity where application_name = 'ecom-orders' and wait_event_type = 'Lock'`,
        );
        pid = rows[0]?.pid;
      }
      expect(pid).toBeDefined();
      await db.query('select pg_terminate_backend($1)', [pid]);
      await holder.query('rollback');
      return await pending;
    } finally {
      holder.release();
    }
  }

  it('leaves a transition unwritten: no status, no event, no notification', async () => {
    const id = await placed();
    // The move updates the order and writes its event, then blocks on the customer's notification (its foreign key
    // needs a share lock on the customer's auth.users row, which we hold): the function's backend is killed there.
    const r = await killWhenBlocked('select 1 from auth.users where id = $1 for update', [PEOPLE.customer_a.id], () =>
      move('merchant_x', id, { to: 'accepted' }),
    );
    expect(r).toEqual({
      status: 500,
      body: { error: { code: 'internal_error', message: 'Une erreur est survenue. Réessayez dans un instant.' } },
    });
    const { rows } = await db.query(
      `select o.status, o.prep_minutes, (select count(*)::int from public.order_events e where e.order_id = o.id) as events,
              (select count(*)::int from public.notifications n where n.data ->> 'order_id' = o.id::text
                 and n.data ->> 'event' = 'accepted') as notes
         from public.orders o where o.id = $1`,
      [id],
    );
    expect(rows[0]).toEqual({ status: 'pending', prep_minutes: null, events: 1, notes: 0 });
    expect((await move('merchant_x', id, { to: 'accepted' })).status).toBe(200);
  });

  it('leaves a placement unwritten, and its key free for the retry', async () => {
    const key = newKey();
    // The order row is written, then its items wait for a share lock on the product row we hold.
    const r = await killWhenBlocked('select 1 from public.products where id = $1 for update', [ID.productX], () =>
      place('customer_a', delivery(), key),
    );
    expect(r.status).toBe(500);
    const count = async () =>
      (await db.query('select count(*)::int as n from public.orders where idempotency_key = $1', [key])).rows[0].n;
    expect(await count()).toBe(0);
    expect(
      (
        await db.query(
          'select count(*)::int as n from public.order_contacts c where not exists (select 1 from public.order_items i where i.order_id = c.order_id)',
        )
      ).rows[0].n,
    ).toBe(0);
    expect((await place('customer_a', delivery(), key)).status).toBe(201);
    expect(await count()).toBe(1);
  });
});

describe('the order clock', () => {
  const backdate = async (sql: string, params: unknown[]) => {
    const c = await db.connect();
    try {
      await c.query('begin');
      await c.query('set local session_replication_role = replica'); // the guard keeps created_at fixed otherwise
      await c.query(sql, params);
      await c.query('commit');
    } finally {
      c.release();
    }
  };
  const runTimeouts = async () =>
    (await db.query('select private.run_order_timeouts() as r')).rows[0].r as { released: number; cancelled: number };

  it('cancels an order the merchant left unanswered for 10 minutes, as the system', async () => {
    const fresh = await placed();
    const old = await placed();
    await backdate(`update public.orders set created_at = now() - interval '11 minutes' where id = $1`, [old]);
    const result = await runTimeouts();
    expect(result.cancelled).toBeGreaterThanOrEqual(1);
    expect(await statusOf(fresh)).toBe('pending');
    const { rows } = await db.query(
      `select o.status, o.cancelled_by, e.actor_role, e.actor_id from public.orders o
         join public.order_events e on e.order_id = o.id and e.to_status = 'cancelled' where o.id = $1`,
      [old],
    );
    expect(rows[0]).toEqual({ status: 'cancelled', cancelled_by: 'system', actor_role: 'system', actor_id: null });
    const note = await db.query(
      `select body from public.notifications where user_id = $1 and data ->> 'order_id' = $2 and data ->> 'event' = 'timed_out'`,
      [PEOPLE.customer_a.id, old],
    );
    expect(note.rows[0].body).toBe(
      `Store X n'a pas répondu à temps : la commande ${old.slice(0, 8).toUpperCase()} est annulée.`,
    );
    expect((await move('merchant_x', old, { to: 'accepted' })).body.error).toMatchObject({ status: 'cancelled' });
  });

  it('releases a due scheduled order to the store, then times it out if nobody answers', async () => {
    const at = new Date(Date.now() + 3 * 3600_000).toISOString();
    const id = await placed(delivery({ scheduled_for: at }));
    await backdate(`update public.orders set created_at = now() - interval '1 hour' where id = $1`, [id]);
    await runTimeouts();
    expect(await statusOf(id)).toBe('pending'); // not due, and its clock has not started
    await db.query(`update public.orders set scheduled_for = now() + interval '30 minutes' where id = $1`, [id]);
    await runTimeouts();
    const { rows } = await db.query(
      `select o.released_at is not null as released, n.title from public.orders o
         join public.notifications n on n.data ->> 'order_id' = o.id::text and n.data ->> 'event' = 'due'
        where o.id = $1 and n.user_id = $2`,
      [id, PEOPLE.merchant_x.id],
    );
    expect(rows[0]).toEqual({ released: true, title: 'Commande programmée' });
    expect(await statusOf(id)).toBe('pending');
    await db.query(`update public.orders set released_at = now() - interval '11 minutes' where id = $1`, [id]);
    await runTimeouts();
    expect(await statusOf(id)).toBe('cancelled');
  });

  it('is scheduled every 30 seconds with cron.schedule, and the local pg_cron worker runs it', async () => {
    const job = await db.query(`select schedule, command from cron.job where jobname = 'ecom-order-timeouts'`);
    expect(job.rows).toEqual([{ schedule: '30 seconds', command: 'select private.run_order_timeouts()' }]);
    const id = await placed();
    await backdate(`update public.orders set created_at = now() - interval '11 minutes' where id = $1`, [id]);
    const lines: string[] = [];
    const scheduler = startScheduler({ pool: db, log: (l) => lines.push(l), tickMs: 60_000 });
    try {
      await scheduler.runOnce();
    } finally {
      await scheduler.stop();
    }
    expect(await statusOf(id)).toBe('cancelled');
    const last = await db.query(
      `select d.status from cron.job_run_details d join cron.job j using (jobid)
        where j.jobname = 'ecom-order-timeouts' order by d.runid desc limit 1`,
    );
    expect(last.rows).toEqual([{ status: 'succeeded' }]);
    expect(lines).toEqual([]);
    const denied = await db.connect();
    try {
      await denied.query('begin');
      await denied.query('set local role authenticated');
      await expect(denied.query('select private.run_order_timeouts()')).rejects.toThrow(/permission denied/);
    } finally {
      await denied.query('rollback');
      denied.release();
    }
  });
});
