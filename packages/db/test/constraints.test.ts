// Bad input is refused by the database itself, through the Data API, with a message a person can act on, and
// changes nothing.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PEOPLE, clientFor, ensurePeople, superuser } from './actors.ts';
import { ID, TIASSALE, resetFixtures } from './fixtures.ts';

let db: pg.Pool;
beforeAll(async () => {
  db = superuser();
  await ensurePeople();
});
beforeEach(() => resetFixtures(db));
afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});

const address = (patch: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  user_id: PEOPLE.customer_a.id,
  label: 'Travail',
  lat: 5.9,
  lng: -4.823,
  landmark: 'Derrière le marché, troisième porte',
  phone: '+2250700000301',
  ...patch,
});
const product = (patch: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  store_id: ID.storeX,
  name: 'Attiéké poisson',
  price_xof: 2000,
  ...patch,
});

async function count(table: string): Promise<number> {
  return (await db.query<{ n: number }>(`select count(*)::int as n from public.${table}`)).rows[0]!.n;
}

/** Inserts as `actor`, expects the refusal, and checks the table did not change. */
async function refused(
  actor: 'customer_a' | 'merchant_x',
  table:
    | 'addresses'
    | 'products'
    | 'stores'
    | 'store_hours'
    | 'store_hour_exceptions'
    | 'product_options'
    | 'product_option_groups',
  row: Record<string, unknown>,
  code: string,
  message: string,
) {
  const before = await count(table);
  const r = await clientFor(actor)
    .from(table)
    .insert(row as never);
  expect(r.error?.code).toBe(code);
  expect(r.error?.message).toBe(message);
  expect(await count(table)).toBe(before);
}

describe('phone numbers', () => {
  const message = (got: string) =>
    `phone must be an E.164 number from Côte d'Ivoire (+225 and 10 digits) or Togo (+228 and 8 digits), got ${got}`;

  it('refuses a local number without the country code', () =>
    refused('customer_a', 'addresses', address({ phone: '0701020304' }), '23514', message('0701020304')));

  it('refuses a country we do not serve yet', () =>
    refused('customer_a', 'addresses', address({ phone: '+33612345678' }), '23514', message('+33612345678')));

  it('refuses an old 8-digit Ivorian number and a store phone with spaces', async () => {
    await refused('customer_a', 'addresses', address({ phone: '+22507010203' }), '23514', message('+22507010203'));
    await refused(
      'merchant_x',
      'stores',
      {
        kind: 'shop',
        slug: 'test-phone',
        name: 'Boutique',
        phone: '+225 07 01 02 03 04',
        lat: 5.9,
        lng: -4.82,
        landmark: 'Au marché',
      },
      '23514',
      message('+225 07 01 02 03 04'),
    );
  });

  it('accepts Ivorian mobile and Togolese numbers', async () => {
    for (const phone of ['+2250701020304', '+2250501020304', '+2250101020304', '+22890123456']) {
      const r = await clientFor('customer_a')
        .from('addresses')
        .insert(address({ phone }) as never);
      expect(r.error).toBeNull();
    }
  });
});

describe('prices', () => {
  it('refuses a negative price', () =>
    refused(
      'merchant_x',
      'products',
      product({ price_xof: -500 }),
      '23514',
      'price_xof must be a whole number of FCFA of at least 1, got -500',
    ));

  it('refuses a free product', () =>
    refused(
      'merchant_x',
      'products',
      product({ price_xof: 0 }),
      '23514',
      'price_xof must be a whole number of FCFA of at least 1, got 0',
    ));

  it('refuses a fractional price (XOF has no minor unit)', () =>
    refused(
      'merchant_x',
      'products',
      product({ price_xof: 1500.5 }),
      '22P02',
      'invalid input syntax for type integer: "1500.5"',
    ));

  it('refuses a negative option delta and accepts a free option', async () => {
    const option = { group_id: ID.groupX, name: 'Sans piment' };
    await refused(
      'merchant_x',
      'product_options',
      { ...option, price_delta_xof: -100 },
      '23514',
      'price_delta_xof must be a whole number of FCFA of at least 0, got -100',
    );
    const r = await clientFor('merchant_x')
      .from('product_options')
      .insert({ ...option, price_delta_xof: 0 } as never);
    expect(r.error).toBeNull();
  });

  it('refuses an option group asking for more choices than it allows', () =>
    refused(
      'merchant_x',
      'product_option_groups',
      { product_id: ID.productX, name: 'Sauces', min_selections: 3, max_selections: 2 },
      '23514',
      'new row for relation "product_option_groups" violates check constraint "product_option_groups_selections_range"',
    ));
});

describe('coordinates and zones', () => {
  it('refuses a latitude out of range', () =>
    refused(
      'customer_a',
      'addresses',
      address({ lat: 95 }),
      '23514',
      'latitude must be between -90 and 90 degrees, got 95',
    ));

  it('refuses a longitude out of range', () =>
    refused(
      'customer_a',
      'addresses',
      address({ lng: -200 }),
      '23514',
      'longitude must be between -180 and 180 degrees, got -200',
    ));

  it('refuses a store in an unknown zone', () =>
    refused(
      'merchant_x',
      'stores',
      {
        kind: 'shop',
        slug: 'test-zone',
        name: 'Boutique',
        phone: '+2250701020304',
        lat: 5.9,
        lng: -4.82,
        landmark: 'Au marché',
        zone_id: 'ffffffff-0000-4000-8000-000000000000',
      },
      '23503',
      'unknown zone ffffffff-0000-4000-8000-000000000000',
    ));

  it('treats an inactive zone as unknown for non-admins', () =>
    refused('customer_a', 'addresses', address({ zone_id: ID.zoneTest }), '23503', `unknown zone ${ID.zoneTest}`));

  it('refuses a place outside every zone we serve (Abidjan)', () =>
    refused(
      'customer_a',
      'addresses',
      address({ lat: 5.3364, lng: -4.0267 }),
      '23514',
      'this place (5.3364, -4.0267) is outside every zone we serve',
    ));

  it('refuses a place outside the zone it names', () =>
    refused(
      'customer_a',
      'addresses',
      address({ lat: 5.3364, lng: -4.0267, zone_id: TIASSALE }),
      '23514',
      'this place is 108.1 km from the centre of Tiassalé, outside its 8.0 km radius',
    ));

  it('fills the zone from the pin', async () => {
    const row = address();
    expect(
      (
        await clientFor('customer_a')
          .from('addresses')
          .insert(row as never)
      ).error,
    ).toBeNull();
    const r = await db.query('select zone_id from public.addresses where id = $1', [row.id]);
    expect(r.rows).toEqual([{ zone_id: TIASSALE }]);
  });
});

describe('text', () => {
  it('refuses an address without a landmark (repère)', () =>
    refused(
      'customer_a',
      'addresses',
      address({ landmark: '  ' }),
      '23514',
      'landmark (repère) must have 3 to 280 characters, got 0',
    ));

  it('refuses an address with no landmark at all', () =>
    refused(
      'customer_a',
      'addresses',
      address({ landmark: null }),
      '23502',
      'null value in column "landmark" of relation "addresses" violates not-null constraint',
    ));
});

describe('opening hours', () => {
  it('refuses closing before opening', () =>
    refused(
      'merchant_x',
      'store_hours',
      { store_id: ID.storeX, weekday: 2, opens: '18:00', closes: '08:00' },
      '23514',
      'closing time 08:00 must be after opening time 18:00 (for a slot that ends after midnight, set closes_next_day)',
    ));

  it('accepts a maquis open past midnight with closes_next_day', async () => {
    const r = await clientFor('merchant_x')
      .from('store_hours')
      .insert({ store_id: ID.storeX, weekday: 5, opens: '18:00', closes: '02:00', closes_next_day: true });
    expect(r.error).toBeNull();
  });

  it('refuses a weekday outside 1..7', () =>
    refused(
      'merchant_x',
      'store_hours',
      { store_id: ID.storeX, weekday: 8, opens: '08:00', closes: '12:00' },
      '23514',
      'new row for relation "store_hours" violates check constraint "store_hours_weekday_iso"',
    ));

  it('refuses special hours without times, and closing days with times', async () => {
    await refused(
      'merchant_x',
      'store_hour_exceptions',
      { store_id: ID.storeX, on_date: '2027-03-01', closed: false },
      '23514',
      'an opening slot needs both an opening and a closing time',
    );
    await refused(
      'merchant_x',
      'store_hour_exceptions',
      { store_id: ID.storeX, on_date: '2027-03-01', closed: true, opens: '08:00', closes: '12:00' },
      '23514',
      'new row for relation "store_hour_exceptions" violates check constraint "store_hour_exceptions_closed_or_hours"',
    );
  });
});

describe('store status', () => {
  it('refuses busy without busy_until', async () => {
    const r = await clientFor('merchant_x').from('stores').update({ status: 'busy' }).eq('id', ID.storeX).select();
    expect(r.error?.code).toBe('23514');
    expect(r.error?.message).toBe(
      'new row for relation "stores" violates check constraint "stores_busy_until_only_when_busy"',
    );
  });

  it('lets a member mark the store busy for 30 minutes', async () => {
    const busyUntil = new Date(Date.now() + 30 * 60_000).toISOString();
    const r = await clientFor('merchant_x')
      .from('stores')
      .update({ status: 'busy', busy_until: busyUntil })
      .eq('id', ID.storeX)
      .select('status');
    expect(r.error).toBeNull();
    expect(r.data).toEqual([{ status: 'busy' }]);
  });
});

describe('catalogue consistency', () => {
  it('refuses a product in another store’s category', () =>
    refused(
      'merchant_x',
      'products',
      product({ category_id: ID.categoryY }),
      '23503',
      'insert or update on table "products" violates foreign key constraint "products_category_in_same_store"',
    ));
});
