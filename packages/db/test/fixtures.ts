// Fixed data for the database tests, beside the seed (the seed's Tiassalé stores are never touched): store X
// (approved, merchant_x owns it, staff_x is staff), store Y (approved, merchant_y), store P (pending, merchant_x),
// each with hours, an exception, a category, products (X also one withdrawn), option groups and options; customer
// A's and B's addresses; an inactive test zone with a fare. resetFixtures() puts all of it back as it was and removes
// whatever a test created (test stores have slugs starting with "test-", test zones names starting with "Zone test").
import type pg from 'pg';
import { PEOPLE, PERSON_IDS, resetRoles } from './actors.ts';

export const TIASSALE = '5a1e0000-0000-4000-8000-000000000001';
export const TIASSALE_CENTRE = { lat: 5.8983, lng: -4.8228 } as const;

export const ID = {
  zoneTest: 'd8000000-0000-4000-8000-000000000001',
  storeX: 'd0000000-0000-4000-8000-000000000001',
  storeY: 'd0000000-0000-4000-8000-000000000002',
  storeP: 'd0000000-0000-4000-8000-000000000003',
  categoryX: 'd1000000-0000-4000-8000-000000000001',
  categoryY: 'd1000000-0000-4000-8000-000000000002',
  categoryP: 'd1000000-0000-4000-8000-000000000003',
  productX: 'd2000000-0000-4000-8000-000000000001',
  productXHidden: 'd2000000-0000-4000-8000-000000000002',
  productY: 'd2000000-0000-4000-8000-000000000003',
  productP: 'd2000000-0000-4000-8000-000000000004',
  groupX: 'd3000000-0000-4000-8000-000000000001',
  groupXHidden: 'd3000000-0000-4000-8000-000000000002',
  groupY: 'd3000000-0000-4000-8000-000000000003',
  optionX: 'd4000000-0000-4000-8000-000000000001',
  optionXOff: 'd4000000-0000-4000-8000-000000000002',
  optionY: 'd4000000-0000-4000-8000-000000000003',
  hoursX: 'd5000000-0000-4000-8000-000000000001',
  hoursY: 'd5000000-0000-4000-8000-000000000002',
  hoursP: 'd5000000-0000-4000-8000-000000000003',
  exceptionX: 'd6000000-0000-4000-8000-000000000001',
  exceptionY: 'd6000000-0000-4000-8000-000000000002',
  exceptionP: 'd6000000-0000-4000-8000-000000000003',
  addressA: 'd7000000-0000-4000-8000-000000000001',
  addressB: 'd7000000-0000-4000-8000-000000000002',
} as const;

const { customer_a, customer_b, merchant_x, merchant_y, staff_x } = PEOPLE;

const FIXTURES_SQL = `
delete from public.stores where id in ('${ID.storeX}', '${ID.storeY}', '${ID.storeP}') or slug like 'test-%';
delete from public.zones where id = '${ID.zoneTest}' or name like 'Zone test%';
delete from public.addresses where user_id = any($1::uuid[]);
update public.profiles set full_name = '' where id = any($1::uuid[]);

insert into public.zones (id, name, country_code, center_lat, center_lng, radius_m, active, delivery_base_fee_xof,
                          delivery_fee_per_km_xof, min_order_xof)
values ('${ID.zoneTest}', 'Zone test inactive', 'CI', 5.35, -4.0, 5000, false, 500, 100, 0);
insert into public.ride_fares (zone_id, vehicle_type, base_fare_xof, per_km_xof, per_minute_xof, minimum_fare_xof)
values ('${ID.zoneTest}', 'moto', 200, 100, 10, 300);

insert into public.stores (id, kind, slug, name, phone, lat, lng, landmark, approval_status)
values ('${ID.storeX}', 'maquis', 'fixture-store-x', 'Store X', '+2250700000101', 5.8990, -4.8220, 'Fixture X', 'approved'),
       ('${ID.storeY}', 'pharmacy', 'fixture-store-y', 'Store Y', '+2250700000102', 5.8970, -4.8240, 'Fixture Y', 'approved'),
       ('${ID.storeP}', 'shop', 'fixture-store-p', 'Store P', '+2250700000103', 5.8960, -4.8200, 'Fixture P', 'pending');
insert into public.store_members (store_id, user_id, role)
values ('${ID.storeX}', '${merchant_x.id}', 'owner'), ('${ID.storeX}', '${staff_x.id}', 'staff'),
       ('${ID.storeY}', '${merchant_y.id}', 'owner'), ('${ID.storeP}', '${merchant_x.id}', 'owner');
insert into public.store_hours (id, store_id, weekday, opens, closes)
values ('${ID.hoursX}', '${ID.storeX}', 1, '08:00', '22:00'), ('${ID.hoursY}', '${ID.storeY}', 1, '08:00', '20:00'),
       ('${ID.hoursP}', '${ID.storeP}', 1, '09:00', '18:00');
insert into public.store_hour_exceptions (id, store_id, on_date, closed, note)
values ('${ID.exceptionX}', '${ID.storeX}', '2027-01-01', true, 'Nouvel an'),
       ('${ID.exceptionY}', '${ID.storeY}', '2027-01-01', true, 'Nouvel an'),
       ('${ID.exceptionP}', '${ID.storeP}', '2027-01-01', true, 'Nouvel an');
insert into public.categories (id, store_id, name)
values ('${ID.categoryX}', '${ID.storeX}', 'Plats'), ('${ID.categoryY}', '${ID.storeY}', 'Douleur'),
       ('${ID.categoryP}', '${ID.storeP}', 'Boissons');
insert into public.products (id, store_id, category_id, name, price_xof, available)
values ('${ID.productX}', '${ID.storeX}', '${ID.categoryX}', 'Garba', 500, true),
       ('${ID.productXHidden}', '${ID.storeX}', '${ID.categoryX}', 'Plat retiré', 1500, false),
       ('${ID.productY}', '${ID.storeY}', '${ID.categoryY}', 'Paracétamol', 500, true),
       ('${ID.productP}', '${ID.storeP}', '${ID.categoryP}', 'Bissap', 300, true);
insert into public.product_option_groups (id, product_id, name, min_selections, max_selections)
values ('${ID.groupX}', '${ID.productX}', 'Extras', 0, 2),
       ('${ID.groupXHidden}', '${ID.productXHidden}', 'Extras', 0, 2),
       ('${ID.groupY}', '${ID.productY}', 'Format', 1, 1);
insert into public.product_options (id, group_id, name, price_delta_xof, available)
values ('${ID.optionX}', '${ID.groupX}', 'Œuf dur', 100, true),
       ('${ID.optionXOff}', '${ID.groupX}', 'Alloco', 200, false),
       ('${ID.optionY}', '${ID.groupY}', 'Boîte de 16', 0, true);
insert into public.addresses (id, user_id, label, lat, lng, landmark, phone, is_default)
values ('${ID.addressA}', '${customer_a.id}', 'Maison', 5.8995, -4.8231, 'Derrière la mosquée, portail bleu', '+2250100000201', true),
       ('${ID.addressB}', '${customer_b.id}', 'Bureau', 5.8975, -4.8215, 'En face de la mairie', '+2250100000202', true);
`;

/** Puts every fixture (and the people's roles) back as it was; removes rows the tests created. Runs as superuser. */
export async function resetFixtures(db: pg.Pool): Promise<void> {
  await resetRoles(db);
  const c = await db.connect();
  try {
    await c.query('begin');
    // Prepared statements take one command: run the script statement by statement with the same parameter.
    for (const statement of FIXTURES_SQL.split(/;\s*\n/).map((s) => s.trim())) {
      if (statement) await c.query(statement, statement.includes('$1') ? [PERSON_IDS] : []);
    }
    await c.query('commit');
  } catch (e) {
    await c.query('rollback');
    throw e;
  } finally {
    c.release();
  }
}
