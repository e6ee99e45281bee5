// The declarative RLS matrix: for every table of the public schema, every command and every actor, what must
// happen. rls.matrix.test.ts generates one test per cell from this list and fails when a table of `public` has
// no entry. Outcomes:
//   n        select: n of the fixture rows are visible; update / delete: n rows changed (0 = filtered out by RLS)
//   'ok'     insert accepted (the row exists afterwards)
//   'denied' refused by grants: 42501 "permission denied for table <table>"
//   'rls'    refused by a policy: 42501 "new row violates row-level security policy for table "<table>""
import { randomUUID } from 'node:crypto';
import type { Actor } from './actors.ts';
import { PEOPLE, PERSON_IDS } from './actors.ts';
import { ID, TIASSALE } from './fixtures.ts';

const C1 = PEOPLE.courier_on_job.id;
const C2 = PEOPLE.courier_not_on_job.id;

export type Outcome = number | 'ok' | 'denied' | 'rls';
export type Command = 'select' | 'insert' | 'update' | 'delete';
export type Row = Record<string, unknown>;

export interface TableEntry {
  /** select: rows with `column` in `values` (the fixture rows) */
  select: { column: string; values: readonly string[] };
  /** insert: a new row (built per case: fresh ids) */
  insert: () => Row;
  /** update: the target row and a patch that keeps it valid */
  update: { match: Row; patch: Row };
  /** delete: the target row */
  delete: { match: Row };
  expect: Record<Command, Record<Actor, Outcome>>;
}

/** Same outcome for every actor but the ones listed. */
function all(outcome: Outcome, except: Partial<Record<Actor, Outcome>> = {}): Record<Actor, Outcome> {
  return {
    anon: outcome,
    customer_a: outcome,
    customer_b: outcome,
    merchant_x: outcome,
    merchant_y: outcome,
    courier_on_job: outcome,
    courier_not_on_job: outcome,
    admin: outcome,
    ...except,
  };
}
/** Anon has no grant; signed-in people get `outcome` unless listed. */
const signedIn = (outcome: Outcome, except: Partial<Record<Actor, Outcome>> = {}) =>
  all(outcome, { anon: 'denied', ...except });

/** The expectations every store-scoped table shares (store X approved, Y approved, P pending and merchant_x's). */
const storeScoped = (visible: { public: number; merchant_x: number; merchant_y: number; admin: number }) => ({
  select: all(visible.public, {
    merchant_x: visible.merchant_x,
    merchant_y: visible.merchant_y,
    admin: visible.admin,
  }),
  insert: signedIn('rls', { merchant_x: 'ok', admin: 'ok' }),
  update: signedIn(0, { merchant_x: 1, admin: 1 }),
  delete: signedIn(0, { merchant_x: 1, admin: 1 }),
});

/** Written only by the functions (service role): signed-in people read, nobody writes through the API. */
const readOnly = (select: Record<Actor, Outcome>) => ({
  select,
  insert: all('denied'),
  update: all('denied'),
  delete: all('denied'),
});
/** Orders O1 (A at X, courier_on_job), O2 (B at Y), O3 (A at X, pickup): who sees which. */
const orderParties = (n: { a: number; b: number; x: number; y: number; onJob: number; admin: number }) =>
  signedIn(0, {
    customer_a: n.a,
    customer_b: n.b,
    merchant_x: n.x,
    merchant_y: n.y,
    courier_on_job: n.onJob,
    admin: n.admin,
  });
const ORDERS = [ID.orderO1, ID.orderO2, ID.orderO3] as const;
const RIDES = [ID.rideR1, ID.rideR2, ID.rideR3] as const;
const LEDGER_ACCOUNTS = [ID.accountA, ID.accountB, ID.accountX, ID.accountY, ID.accountCourier, ID.accountClearing];
const LEDGER_ENTRIES = [ID.entryL1, ID.entryL2, ID.entryL3];
/** Ledger fixtures: each owner sees one account, one entry and one posting of theirs; admins all `admin` rows. */
const ledgerParties = (admin: number) =>
  signedIn(0, { customer_a: 1, customer_b: 1, merchant_x: 1, merchant_y: 1, courier_on_job: 1, admin });
const ORDER_STATUSES = ['pending', 'accepted', 'rejected', 'cancelled', 'preparing', 'ready', 'picked_up', 'delivered'];
const RIDE_STATUSES = ['requested', 'accepted', 'arrived', 'in_progress', 'completed', 'cancelled', 'expired'];
/** Admins read and write, nobody else; one fixture row. */
const adminOnly = {
  select: signedIn(0, { admin: 1 }),
  insert: signedIn('rls', { admin: 'ok' }),
  update: signedIn(0, { admin: 1 }),
  delete: signedIn(0, { admin: 1 }),
};
/** An update nobody may make through the API (the row and patch are valid). */
const noWrite = (match: Row, patch: Row) => ({ update: { match, patch }, delete: { match } });

const testSlug = () => `test-${randomUUID().slice(0, 8)}`;

export const RLS_MATRIX: Record<string, TableEntry> = {
  profiles: {
    select: { column: 'id', values: PERSON_IDS },
    insert: () => ({ id: randomUUID(), full_name: 'Intrus' }),
    update: { match: { id: PEOPLE.customer_a.id }, patch: { full_name: 'Awa Koné' } },
    delete: { match: { id: PEOPLE.customer_b.id } },
    expect: {
      select: signedIn(1, { admin: PERSON_IDS.length }),
      insert: all('denied'),
      update: signedIn(0, { customer_a: 1 }),
      delete: all('denied'),
    },
  },
  user_roles: {
    select: { column: 'user_id', values: PERSON_IDS },
    insert: () => ({ user_id: PEOPLE.customer_b.id, role: 'courier' }),
    update: { match: { user_id: PEOPLE.customer_b.id, role: 'customer' }, patch: { role: 'customer' } },
    delete: { match: { user_id: PEOPLE.customer_b.id, role: 'customer' } },
    expect: {
      // customer_a / customer_b hold one role each, the others two; admins see all 14 roles of the fixture people.
      select: signedIn(2, { customer_a: 1, customer_b: 1, admin: 14 }),
      insert: signedIn('rls', { admin: 'ok' }),
      update: all('denied'),
      delete: signedIn(0, { admin: 1 }),
    },
  },
  zones: {
    select: { column: 'id', values: [TIASSALE, ID.zoneTest] },
    insert: () => ({
      id: randomUUID(),
      name: `Zone test ${randomUUID().slice(0, 8)}`,
      country_code: 'TG',
      timezone: 'Africa/Lome',
      center_lat: 6.1375,
      center_lng: 1.2123,
      radius_m: 10000,
      delivery_base_fee_xof: 500,
      delivery_fee_per_km_xof: 100,
    }),
    update: { match: { id: ID.zoneTest }, patch: { min_order_xof: 0 } },
    delete: { match: { id: ID.zoneTest } },
    expect: {
      select: all(1, { admin: 2 }),
      insert: signedIn('rls', { admin: 'ok' }),
      update: signedIn(0, { admin: 1 }),
      delete: signedIn(0, { admin: 1 }),
    },
  },
  ride_fares: {
    select: { column: 'zone_id', values: [TIASSALE, ID.zoneTest] },
    insert: () => ({
      zone_id: ID.zoneTest,
      vehicle_type: 'car',
      base_fare_xof: 500,
      per_km_xof: 200,
      per_minute_xof: 25,
      minimum_fare_xof: 1000,
    }),
    update: { match: { zone_id: ID.zoneTest, vehicle_type: 'moto' }, patch: { per_km_xof: 100 } },
    delete: { match: { zone_id: ID.zoneTest, vehicle_type: 'moto' } },
    expect: {
      select: all(3, { admin: 4 }),
      insert: signedIn('rls', { admin: 'ok' }),
      update: signedIn(0, { admin: 1 }),
      delete: signedIn(0, { admin: 1 }),
    },
  },
  neighbourhoods: {
    select: {
      column: 'id',
      values: [ID.neighbourhoodA, ID.neighbourhoodB, ID.neighbourhoodC, ID.neighbourhoodD],
    },
    insert: () => ({
      id: randomUUID(),
      zone_id: TIASSALE,
      name: `Quartier test ${randomUUID().slice(0, 8)}`,
      center_lat: 5.884,
      center_lng: -4.845,
      radius_m: 200,
    }),
    update: { match: { id: ID.neighbourhoodC }, patch: { radius_m: 250 } },
    delete: { match: { id: ID.neighbourhoodD } },
    expect: {
      select: all(2, { admin: 4 }),
      insert: signedIn('rls', { admin: 'ok' }),
      update: signedIn(0, { admin: 1 }),
      delete: signedIn(0, { admin: 1 }),
    },
  },
  neighbourhood_fares: {
    select: { column: 'neighbourhood_a_id', values: [ID.neighbourhoodA, ID.neighbourhoodC] },
    insert: () => ({
      neighbourhood_a_id: ID.neighbourhoodA,
      neighbourhood_b_id: ID.neighbourhoodB,
      vehicle_type: 'tricycle',
      fare_xof: 400,
    }),
    update: { match: { neighbourhood_a_id: ID.neighbourhoodC, vehicle_type: 'moto' }, patch: { fare_xof: 350 } },
    delete: { match: { neighbourhood_a_id: ID.neighbourhoodC, vehicle_type: 'moto' } },
    expect: {
      select: all(1, { admin: 2 }),
      insert: signedIn('rls', { admin: 'ok' }),
      update: signedIn(0, { admin: 1 }),
      delete: signedIn(0, { admin: 1 }),
    },
  },
  // Money rates and the courier cash limit: admins only (the settlement functions read them as definer). The
  // Tiassalé rows come with the migration; the test zone gets a rate of each kind from the fixtures, and the fixtures
  // put Tiassalé's cash limit back to 50 000.
  order_rates: {
    select: { column: 'zone_id', values: [ID.zoneTest] },
    insert: () => ({
      zone_id: ID.zoneTest,
      store_kind: 'pharmacy',
      merchant_commission_bps: 800,
      delivery_cut_bps: 2000,
    }),
    update: { match: { zone_id: ID.zoneTest, store_kind: 'maquis' }, patch: { merchant_commission_bps: 1200 } },
    delete: { match: { zone_id: ID.zoneTest, store_kind: 'maquis' } },
    expect: adminOnly,
  },
  ride_rates: {
    select: { column: 'zone_id', values: [ID.zoneTest] },
    insert: () => ({ zone_id: ID.zoneTest, vehicle_type: 'car', commission_bps: 1500 }),
    update: { match: { zone_id: ID.zoneTest, vehicle_type: 'moto' }, patch: { commission_bps: 1000 } },
    delete: { match: { zone_id: ID.zoneTest, vehicle_type: 'moto' } },
    expect: adminOnly,
  },
  courier_cash_limits: {
    select: { column: 'zone_id', values: [TIASSALE] },
    insert: () => ({ zone_id: ID.zoneTest, limit_xof: 10000 }),
    update: { match: { zone_id: TIASSALE }, patch: { limit_xof: 30000 } },
    delete: { match: { zone_id: TIASSALE } },
    expect: adminOnly,
  },
  addresses: {
    select: { column: 'id', values: [ID.addressA, ID.addressB] },
    // Everyone tries to save a place for customer A.
    insert: () => ({
      id: randomUUID(),
      user_id: PEOPLE.customer_a.id,
      label: 'Chez maman',
      lat: 5.901,
      lng: -4.824,
      landmark: 'À côté du puits, maison jaune',
      phone: '+2250700000301',
    }),
    update: { match: { id: ID.addressA }, patch: { label: 'Maison' } },
    delete: { match: { id: ID.addressA } },
    expect: {
      select: signedIn(0, { customer_a: 1, customer_b: 1, admin: 2 }),
      insert: signedIn('rls', { customer_a: 'ok' }),
      update: signedIn(0, { customer_a: 1 }),
      delete: signedIn(0, { customer_a: 1 }),
    },
  },
  stores: {
    select: { column: 'id', values: [ID.storeX, ID.storeY, ID.storeP] },
    insert: () => ({
      id: randomUUID(),
      kind: 'maquis',
      slug: testSlug(),
      name: 'Maquis Nouveau',
      phone: '+2250500000401',
      lat: 5.9,
      lng: -4.825,
      landmark: 'Derrière la station Shell',
    }),
    update: { match: { id: ID.storeX }, patch: { description: 'Le meilleur garba de Tiassalé' } },
    // Store P: X and Y have orders, which keep their store (on delete restrict).
    delete: { match: { id: ID.storeP } },
    expect: {
      select: all(2, { merchant_x: 3, admin: 3 }),
      insert: signedIn('rls', { merchant_x: 'ok', merchant_y: 'ok', admin: 'ok' }),
      update: signedIn(0, { merchant_x: 1, admin: 1 }),
      delete: signedIn(0, { admin: 1 }),
    },
  },
  // Applications to open a store: written only by rpc apply_for_store / review_store_application; the applicant
  // (merchant_x, store P pending) and admins read them, nobody writes them directly, admins included.
  store_applications: {
    select: { column: 'store_id', values: [ID.storeP] },
    insert: () => ({ store_id: ID.storeX, applicant_id: PEOPLE.customer_a.id }),
    update: { match: { store_id: ID.storeP }, patch: { reason: 'changed' } },
    delete: { match: { store_id: ID.storeP } },
    expect: {
      select: signedIn(0, { merchant_x: 1, admin: 1 }),
      insert: all('denied'),
      update: all('denied'),
      delete: all('denied'),
    },
  },
  store_members: {
    select: { column: 'store_id', values: [ID.storeX, ID.storeY, ID.storeP] },
    // Everyone tries to add merchant_y as staff of store X.
    insert: () => ({ store_id: ID.storeX, user_id: PEOPLE.merchant_y.id, role: 'staff' }),
    update: { match: { store_id: ID.storeX, user_id: PEOPLE.staff_x.id }, patch: { role: 'staff' } },
    delete: { match: { store_id: ID.storeX, user_id: PEOPLE.staff_x.id } },
    expect: {
      select: signedIn(0, { merchant_x: 3, merchant_y: 1, admin: 4 }),
      insert: signedIn('rls', { merchant_x: 'ok', admin: 'ok' }),
      update: signedIn(0, { admin: 1 }),
      delete: signedIn(0, { merchant_x: 1, admin: 1 }),
    },
  },
  store_hours: {
    select: { column: 'id', values: [ID.hoursX, ID.hoursY, ID.hoursP] },
    insert: () => ({ id: randomUUID(), store_id: ID.storeX, weekday: 3, opens: '07:00', closes: '09:00' }),
    update: { match: { id: ID.hoursX }, patch: { closes: '22:00' } },
    delete: { match: { id: ID.hoursX } },
    expect: storeScoped({ public: 2, merchant_x: 3, merchant_y: 2, admin: 3 }),
  },
  store_hour_exceptions: {
    select: { column: 'id', values: [ID.exceptionX, ID.exceptionY, ID.exceptionP] },
    insert: () => ({ id: randomUUID(), store_id: ID.storeX, on_date: '2027-04-05', closed: true, note: 'Pâques' }),
    update: { match: { id: ID.exceptionX }, patch: { note: 'Jour de l’an' } },
    delete: { match: { id: ID.exceptionX } },
    expect: storeScoped({ public: 2, merchant_x: 3, merchant_y: 2, admin: 3 }),
  },
  categories: {
    select: { column: 'id', values: [ID.categoryX, ID.categoryY, ID.categoryP] },
    insert: () => ({ id: randomUUID(), store_id: ID.storeX, name: 'Desserts', position: 5 }),
    update: { match: { id: ID.categoryX }, patch: { position: 1 } },
    delete: { match: { id: ID.categoryX } },
    expect: storeScoped({ public: 2, merchant_x: 3, merchant_y: 2, admin: 3 }),
  },
  products: {
    select: { column: 'id', values: [ID.productX, ID.productXHidden, ID.productY, ID.productP] },
    insert: () => ({
      id: randomUUID(),
      store_id: ID.storeX,
      category_id: ID.categoryX,
      name: 'Alloco',
      price_xof: 300,
    }),
    update: { match: { id: ID.productX }, patch: { price_xof: 600 } },
    delete: { match: { id: ID.productX } },
    expect: storeScoped({ public: 2, merchant_x: 4, merchant_y: 2, admin: 4 }),
  },
  product_option_groups: {
    select: { column: 'id', values: [ID.groupX, ID.groupXHidden, ID.groupY] },
    insert: () => ({ id: randomUUID(), product_id: ID.productX, name: 'Piment', min_selections: 0, max_selections: 1 }),
    update: { match: { id: ID.groupX }, patch: { max_selections: 3 } },
    delete: { match: { id: ID.groupX } },
    expect: storeScoped({ public: 2, merchant_x: 3, merchant_y: 2, admin: 3 }),
  },
  product_options: {
    select: { column: 'id', values: [ID.optionX, ID.optionXOff, ID.optionY] },
    insert: () => ({ id: randomUUID(), group_id: ID.groupX, name: 'Piment à part', price_delta_xof: 0 }),
    update: { match: { id: ID.optionX }, patch: { price_delta_xof: 150 } },
    delete: { match: { id: ID.optionX } },
    expect: storeScoped({ public: 2, merchant_x: 3, merchant_y: 2, admin: 3 }),
  },
  devices: {
    select: { column: 'id', values: [ID.deviceA, ID.deviceB] },
    // Everyone tries to register a device for customer A.
    insert: () => ({
      id: randomUUID(),
      user_id: PEOPLE.customer_a.id,
      platform: 'android',
      push_token: `test-${randomUUID()}`,
      app: 'client',
    }),
    update: { match: { id: ID.deviceA }, patch: { locale: 'en' } },
    delete: { match: { id: ID.deviceA } },
    expect: {
      select: signedIn(0, { customer_a: 1, customer_b: 1, admin: 2 }),
      insert: signedIn('rls', { customer_a: 'ok' }),
      update: signedIn(0, { customer_a: 1 }),
      delete: signedIn(0, { customer_a: 1 }),
    },
  },
  notifications: {
    select: { column: 'id', values: [ID.notificationA, ID.notificationB] },
    // Only the service role and private functions write notifications.
    insert: () => ({
      id: randomUUID(),
      user_id: PEOPLE.customer_a.id,
      kind: 'system',
      title: 'Bienvenue',
      body: 'Bienvenue sur Ecom',
    }),
    update: { match: { id: ID.notificationA }, patch: { read_at: '2026-11-21T12:00:00+00:00' } },
    delete: { match: { id: ID.notificationA } },
    expect: {
      select: signedIn(0, { customer_a: 1, customer_b: 1 }),
      insert: all('denied'),
      update: signedIn(0, { customer_a: 1 }),
      delete: all('denied'),
    },
  },
  notification_deliveries: {
    // The fixture notifications queued one push each (A and B have one device each).
    select: { column: 'notification_id', values: [ID.notificationA, ID.notificationB] },
    insert: () => ({ id: randomUUID(), notification_id: ID.notificationA, channel: 'sms' }),
    update: { match: { notification_id: ID.notificationA }, patch: { status: 'sent' } },
    delete: { match: { notification_id: ID.notificationA } },
    expect: {
      select: signedIn(0, { admin: 2 }),
      insert: all('denied'),
      update: all('denied'),
      delete: all('denied'),
    },
  },
  promotions: {
    select: { column: 'id', values: [ID.promotionPlatform, ID.promotionX, ID.promotionXOff, ID.promotionY] },
    // Everyone tries to create a promotion for store X (owned by merchant_x).
    insert: () => ({
      id: randomUUID(),
      code: `TEST${randomUUID().slice(0, 8)}`,
      store_id: ID.storeX,
      kind: 'percent',
      value: 15,
      ends_at: '2027-01-31T23:59:00+00:00',
    }),
    update: { match: { id: ID.promotionX }, patch: { description: 'Cent francs de moins sur le garba' } },
    delete: { match: { id: ID.promotionX } },
    expect: {
      // Current ones for everybody signed in (platform, X, Y); X's inactive one for its owner and admins.
      select: signedIn(3, { merchant_x: 4, admin: 4 }),
      insert: signedIn('rls', { merchant_x: 'ok', admin: 'ok' }),
      update: signedIn(0, { merchant_x: 1, admin: 1 }),
      delete: signedIn(0, { merchant_x: 1, admin: 1 }),
    },
  },
  audit_log: {
    select: { column: 'id', values: [ID.auditRow] },
    insert: () => ({ actor_role: 'authenticated', action: 'insert', table_name: 'stores', row_id: 'forged' }),
    update: { match: { id: ID.auditRow }, patch: { row_id: 'changed' } },
    delete: { match: { id: ID.auditRow } },
    expect: {
      // Append-only: no grant to change it for anyone, admins included; only admins read it.
      select: signedIn(0, { admin: 1 }),
      insert: all('denied'),
      update: all('denied'),
      delete: all('denied'),
    },
  },
  couriers: {
    select: { column: 'user_id', values: [C1, C2] },
    // Everyone tries to register customer B as a courier (B holds no courier role).
    insert: () => ({ user_id: PEOPLE.customer_b.id, vehicle_type: 'tricycle', zone_id: TIASSALE }),
    update: { match: { user_id: C1 }, patch: { plate: '9999 ZZ 01' } },
    delete: { match: { user_id: C2 } },
    expect: {
      // Customer A and merchant X see courier_on_job, who carries their order O1 (and A's rides).
      select: signedIn(0, { customer_a: 1, merchant_x: 1, courier_on_job: 1, courier_not_on_job: 1, admin: 2 }),
      insert: signedIn('rls', { admin: 'ok' }),
      update: signedIn(0, { courier_on_job: 1, admin: 1 }),
      delete: signedIn(0, { admin: 1 }),
    },
  },
  courier_documents: {
    select: { column: 'id', values: [ID.docOnJobId, ID.docNotOnJobId] },
    insert: () => ({
      id: randomUUID(),
      courier_id: C1,
      kind: 'insurance',
      storage_path: `${C1}/assurance-2031.pdf`,
      number: 'AS101',
      expires_on: '2031-01-01',
    }),
    update: { match: { id: ID.docOnJobInsurance }, patch: { expires_on: '2031-06-30' } },
    delete: { match: { id: ID.docOnJobInsurance } },
    expect: {
      select: signedIn(0, { courier_on_job: 1, courier_not_on_job: 1, admin: 2 }),
      insert: signedIn('rls', { courier_on_job: 'ok', admin: 'ok' }),
      update: signedIn(0, { courier_on_job: 1, admin: 1 }),
      delete: signedIn(0, { courier_on_job: 1, admin: 1 }),
    },
  },
  courier_presence: {
    select: { column: 'courier_id', values: [C1, C2] },
    // courier_not_on_job has not published a position yet.
    insert: () => ({ courier_id: C2, online: true, lat: 5.9, lng: -4.82, heading: 180, speed_mps: 0 }),
    update: { match: { courier_id: C1 }, patch: { online: false } },
    delete: { match: { courier_id: C1 } },
    expect: {
      select: signedIn(0, { courier_on_job: 1, admin: 1 }),
      insert: signedIn('rls', { courier_not_on_job: 'ok', admin: 'ok' }),
      update: signedIn(0, { courier_on_job: 1, admin: 1 }),
      delete: signedIn(0, { courier_on_job: 1, admin: 1 }),
    },
  },
  job_positions: {
    select: { column: 'courier_id', values: [C1, C2] },
    insert: () => ({ courier_id: C1, order_id: ID.orderO1, lat: 5.9, lng: -4.82 }),
    ...noWrite({ courier_id: C1, lat: 5.899 }, { lat: 5.91 }),
    // Two points of courier_on_job on O1: the courier's own trace and the admins'.
    expect: readOnly(signedIn(0, { courier_on_job: 2, admin: 2 })),
  },
  order_transitions: {
    select: { column: 'to_status', values: ORDER_STATUSES },
    insert: () => ({ from_status: 'delivered', to_status: 'pending', actor_role: 'admin' }),
    ...noWrite(
      { from_status: 'pending', to_status: 'accepted', actor_role: 'merchant' },
      {
        fulfilment: null,
      },
    ),
    expect: readOnly(all(14)),
  },
  orders: {
    select: { column: 'id', values: ORDERS },
    insert: () => ({
      id: randomUUID(),
      customer_id: PEOPLE.customer_a.id,
      store_id: ID.storeX,
      subtotal_xof: 500,
      delivery_fee_xof: 300,
      total_xof: 800,
      payment_method: 'cash',
      idempotency_key: randomUUID(),
    }),
    ...noWrite({ id: ID.orderO2 }, { scheduled_for: null }),
    expect: readOnly(orderParties({ a: 2, b: 1, x: 2, y: 1, onJob: 1, admin: 3 })),
  },
  order_contacts: {
    select: { column: 'order_id', values: ORDERS },
    insert: () => ({ order_id: ID.orderO2, customer_phone: '+2250100000202' }),
    ...noWrite({ order_id: ID.orderO2 }, { customer_phone: '+2250100000202' }),
    // Store X sees the contact of its pickup order O3 only; store Y none (O2 is a delivery).
    expect: readOnly(orderParties({ a: 2, b: 1, x: 1, y: 0, onJob: 1, admin: 3 })),
  },
  order_delivery_codes: {
    select: { column: 'order_id', values: ORDERS },
    insert: () => ({ order_id: ID.orderO2, code: '0000' }),
    ...noWrite({ order_id: ID.orderO2 }, { code: '0000' }),
    expect: readOnly(orderParties({ a: 2, b: 1, x: 0, y: 0, onJob: 0, admin: 3 })),
  },
  order_items: {
    select: { column: 'order_id', values: ORDERS },
    insert: () => ({ id: randomUUID(), order_id: ID.orderO2, name: 'Bonbon', unit_price_xof: 50, quantity: 1 }),
    ...noWrite({ id: ID.itemO2 }, { quantity: 1 }),
    expect: readOnly(orderParties({ a: 2, b: 1, x: 2, y: 1, onJob: 1, admin: 3 })),
  },
  order_events: {
    select: { column: 'order_id', values: ORDERS },
    insert: () => ({ order_id: ID.orderO2, to_status: 'delivered', actor_role: 'admin' }),
    ...noWrite({ order_id: ID.orderO2 }, { reason: 'x' }),
    // O1: 5 events (pending → picked_up), O2: 1, O3: 5 (pickup, pending → delivered).
    expect: readOnly(orderParties({ a: 10, b: 1, x: 10, y: 1, onJob: 5, admin: 11 })),
  },
  ride_transitions: {
    select: { column: 'to_status', values: RIDE_STATUSES },
    insert: () => ({ from_status: 'completed', to_status: 'requested', actor_role: 'admin' }),
    ...noWrite(
      { from_status: 'requested', to_status: 'accepted', actor_role: 'courier' },
      {
        actor_role: 'courier',
      },
    ),
    // 14 moves, and an admin sending an accepted or arrived ride back to requested (reassignment).
    expect: readOnly(all(16)),
  },
  rides: {
    select: { column: 'id', values: RIDES },
    insert: () => ({
      id: randomUUID(),
      rider_id: PEOPLE.customer_a.id,
      vehicle_type: 'moto',
      pickup_lat: 5.9,
      pickup_lng: -4.82,
      pickup_landmark: 'Carrefour',
      dropoff_lat: 5.91,
      dropoff_lng: -4.83,
      dropoff_landmark: 'Marché',
      distance_m: 1500,
      duration_s: 400,
      fare_quote_xof: 1,
      idempotency_key: randomUUID(),
    }),
    ...noWrite({ id: ID.rideR2 }, { final_fare_xof: null }),
    expect: readOnly(signedIn(0, { customer_a: 2, customer_b: 1, courier_on_job: 2, admin: 3 })),
  },
  ride_start_pins: {
    select: { column: 'ride_id', values: RIDES },
    insert: () => ({ ride_id: ID.rideR2, pin: '0000' }),
    ...noWrite({ ride_id: ID.rideR2 }, { pin: '0000' }),
    expect: readOnly(signedIn(0, { customer_a: 2, customer_b: 1, admin: 3 })),
  },
  ride_events: {
    select: { column: 'ride_id', values: RIDES },
    insert: () => ({ ride_id: ID.rideR2, to_status: 'completed', actor_role: 'admin' }),
    ...noWrite({ ride_id: ID.rideR2 }, { reason: 'x' }),
    // R1: 2 events, R2: 1, R3: 5.
    expect: readOnly(signedIn(0, { customer_a: 7, customer_b: 1, courier_on_job: 7, admin: 8 })),
  },
  offers: {
    select: { column: 'id', values: [ID.offerF1, ID.offerF2, ID.offerF3] },
    insert: () => ({ id: randomUUID(), job_kind: 'order', order_id: ID.orderO2, courier_id: C2 }),
    ...noWrite({ id: ID.offerF3 }, { status: 'accepted' }),
    expect: readOnly(signedIn(0, { courier_on_job: 1, courier_not_on_job: 2, admin: 3 })),
  },
  ratings: {
    select: { column: 'id', values: [ID.ratingR3] },
    // Everyone tries to rate store X for order O3 (customer A's, delivered).
    insert: () => ({ id: randomUUID(), order_id: ID.orderO3, target: 'store', stars: 4, comment: 'Bon garba' }),
    update: { match: { id: ID.ratingR3 }, patch: { stars: 1 } },
    delete: { match: { id: ID.ratingR3 } },
    expect: {
      select: signedIn(0, { customer_a: 1, courier_on_job: 1, admin: 1 }),
      insert: signedIn('rls', { customer_a: 'ok' }),
      update: all('denied'),
      delete: signedIn(0, { admin: 1 }),
    },
  },
  disputes: {
    select: { column: 'id', values: [ID.disputeO1] },
    insert: () => ({ id: randomUUID(), order_id: ID.orderO3, reason: 'Il manquait une boisson' }),
    update: { match: { id: ID.disputeO1 }, patch: { status: 'investigating' } },
    delete: { match: { id: ID.disputeO1 } },
    expect: {
      select: signedIn(0, { customer_a: 1, admin: 1 }),
      insert: signedIn('rls', { customer_a: 'ok' }),
      update: signedIn(0, { admin: 1 }),
      delete: signedIn(0, { admin: 1 }),
    },
  },
  dispute_evidence: {
    select: { column: 'id', values: [ID.evidenceO1] },
    insert: () => ({ id: randomUUID(), dispute_id: ID.disputeO1, note: 'Photo du sac ouvert' }),
    update: { match: { id: ID.evidenceO1 }, patch: { note: 'Autre' } },
    delete: { match: { id: ID.evidenceO1 } },
    expect: {
      select: signedIn(0, { customer_a: 1, admin: 1 }),
      insert: signedIn('rls', { customer_a: 'ok', admin: 'ok' }),
      update: all('denied'),
      delete: signedIn(0, { admin: 1 }),
    },
  },
  // The ledger: read-only through the API (private.post_entry writes); owners read their accounts, a store's money
  // only its owner (not staff), admins everything.
  ledger_accounts: {
    select: { column: 'id', values: LEDGER_ACCOUNTS },
    insert: () => ({ id: randomUUID(), kind: 'customer_wallet', owner_id: PEOPLE.customer_a.id, shard: 9 }),
    ...noWrite({ id: ID.accountA }, { balance: 1000000 }),
    expect: readOnly(ledgerParties(6)),
  },
  ledger_entries: {
    select: { column: 'id', values: LEDGER_ENTRIES },
    insert: () => ({ id: randomUUID(), kind: 'adjustment', memo: 'Cadeau' }),
    ...noWrite({ id: ID.entryL1 }, { memo: 'Réécrit' }),
    expect: readOnly(ledgerParties(3)),
  },
  ledger_postings: {
    select: { column: 'entry_id', values: LEDGER_ENTRIES },
    insert: () => ({ entry_id: ID.entryL1, account_id: ID.accountA, amount: 1000000, balance_after: 1000000 }),
    ...noWrite({ entry_id: ID.entryL1, account_id: ID.accountA }, { amount: 1000000 }),
    expect: readOnly(ledgerParties(8)),
  },
  // Payouts: written by the private payout functions only; a store's payouts are its owners' (not staff's), a
  // courier's his own. The settings: admins read and change the one row, nobody else sees it.
  payouts: {
    select: { column: 'id', values: [ID.payoutX, ID.payoutCourier, ID.payoutY] },
    insert: () => ({
      id: randomUUID(),
      courier_id: C1,
      requested_by: C1,
      amount_xof: 1000,
      phone: '+2250100000205',
      operator: 'mtn_ci',
      status: 'approved',
    }),
    ...noWrite({ id: ID.payoutCourier }, { status: 'approved' }),
    expect: readOnly(signedIn(0, { merchant_x: 1, merchant_y: 1, courier_on_job: 1, admin: 3 })),
  },
  payout_settings: {
    select: { column: 'id', values: ['true'] },
    insert: () => ({ id: true }),
    update: { match: { id: true }, patch: { approval_threshold_xof: 100000 } },
    delete: { match: { id: true } },
    expect: {
      select: signedIn(0, { admin: 1 }),
      insert: all('denied'),
      update: signedIn(0, { admin: 1 }),
      delete: all('denied'),
    },
  },
  payout_destinations: {
    select: { column: 'id', values: [ID.destinationX, ID.destinationCourier] },
    insert: () => ({ id: randomUUID(), courier_id: C2, phone: '+2250700000708', operator: 'orange_ci' }),
    update: { match: { id: ID.destinationCourier }, patch: { phone: '+2250100000205' } },
    delete: { match: { id: ID.destinationX } },
    expect: {
      select: signedIn(0, { merchant_x: 1, courier_on_job: 1, admin: 2 }),
      insert: signedIn('rls', { courier_not_on_job: 'ok' }),
      update: signedIn(0, { courier_on_job: 1 }),
      delete: signedIn(0, { merchant_x: 1 }),
    },
  },
  // Payments: written only by the private payment functions; the payer reads their own intents, admins all, and
  // only admins read the callbacks kept as evidence.
  payment_intents: {
    select: { column: 'id', values: [ID.intentPI1, ID.intentPI2] },
    insert: () => ({
      id: randomUUID(),
      purpose: 'wallet_topup',
      user_id: PEOPLE.customer_a.id,
      amount_xof: 1000,
      operator: 'orange_ci',
      phone: '2250700000501',
      provider: 'sandbox',
      idempotency_key: `intrus-${randomUUID()}`,
      expires_at: new Date(Date.now() + 600_000).toISOString(),
    }),
    ...noWrite({ id: ID.intentPI1 }, { amount_xof: 500000 }),
    expect: readOnly(signedIn(0, { customer_a: 1, customer_b: 1, admin: 2 })),
  },
  payment_callbacks: {
    select: { column: 'reference', values: [ID.intentPI1] },
    insert: () => ({ provider: 'sandbox', reference: ID.intentPI1, verified: true, raw_body: '{}' }),
    ...noWrite({ reference: ID.intentPI1 }, { verified: false }),
    expect: readOnly(signedIn(0, { admin: 1 })),
  },
};
