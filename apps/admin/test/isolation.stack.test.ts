// "Only admins load admin data", through the dashboard's own data layer (src/data/*.ts) against a real local stack:
// a customer, a merchant and a courier each call every admin data function (overview, order search and detail,
// ledger explorer, top-ups, payouts, reconciliation, couriers' documents and their photos, the review RPCs, the fee
// update, the phone book, the live map, cash in hand, the order actions): each returns nothing of anybody else's or
// is refused, and changes nothing. The same calls as the admin answer, so a test that returns nothing for everyone
// would fail.
import { createFunctionCaller } from '@ecom/app-kit/functions';
import { createSupabase } from '@ecom/app-kit/supabase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePeople, PEOPLE, superuser, tokenFor, type Person } from '../../../packages/db/test/actors.ts';
import { ID, resetFixtures, TIASSALE } from '../../../packages/db/test/fixtures.ts';
import { stack } from '../../../packages/local-stack/test/stack.ts';
import {
  courierDocuments,
  documentPhotoUrl,
  pendingCouriers,
  pendingStores,
  reviewCourier,
  reviewDocument,
  reviewStore,
} from '../src/data/approvals.ts';
import { AdminError } from '../src/data/errors.ts';
import { updateZoneFees, zoneFees } from '../src/data/fees.ts';
import { livePicture } from '../src/data/live.ts';
import {
  adminPayouts,
  approvePayout,
  courierCash,
  listAccounts,
  listEntries,
  listTopUps,
  reconciliation,
  rejectPayout,
} from '../src/data/money.ts';
import { cancelOrder, orderDetail, reassignOrder, refundOrder, searchOrders } from '../src/data/orders.ts';
import { fetchOverview } from '../src/data/overview.ts';
import { peopleById, peopleByPhone } from '../src/data/people.ts';
import { reassignRide, rideDetail, searchRides } from '../src/data/rides.ts';

const db = superuser();
const C1 = PEOPLE.courier_on_job.id;
const C2 = PEOPLE.courier_not_on_job.id;
const today = new Date().toISOString().slice(0, 10);
const period = { from: new Date(Date.now() - 30 * 86400_000), to: new Date(Date.now() + 3600_000) };

/** The dashboard's client and function caller, holding the person's access token (the claims Auth issues). */
function appAs(person: Person) {
  const s = stack();
  const token = tokenFor(person);
  const client = createSupabase({ url: s.apiUrl, anonKey: s.anonKey, accessToken: async () => token });
  const call = createFunctionCaller({
    url: s.apiUrl,
    anonKey: s.anonKey,
    accessToken: async () => token,
    locale: () => 'fr',
  });
  return { client, call };
}

/** The rejection of a promise, or a failure when it resolves. */
async function refusal(p: Promise<unknown>): Promise<AdminError> {
  const outcome = await p.then(
    (v) => ({ ok: true as const, v }),
    (e: unknown) => ({ ok: false as const, e }),
  );
  if (outcome.ok) throw new Error(`expected a refusal, got ${JSON.stringify(outcome.v)}`);
  expect(outcome.e).toBeInstanceOf(AdminError);
  return outcome.e as AdminError;
}

const zoneGrid = async () =>
  (await db.query('select delivery_base_fee_xof, delivery_fee_per_km_xof from public.zones where id = $1', [TIASSALE]))
    .rows[0];
const docStatus = async (id: string) =>
  (await db.query('select review_status from public.courier_documents where id = $1', [id])).rows[0]?.review_status;
const balances = async () =>
  (await db.query('select id, balance from public.ledger_accounts order by id')).rows as {
    id: string;
    balance: string;
  }[];

beforeAll(async () => {
  await ensurePeople();
  await resetFixtures(db);
  // A document photo the courier uploaded himself (the bucket's policy: his own folder).
  const courier = appAs('courier_on_job');
  await courier.client.storage.upload(
    'courier-documents',
    `${C1}/cni.jpg`,
    new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xd9])]),
    'image/jpeg',
  );
});

afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});

describe.each(['customer_b', 'merchant_y', 'courier_not_on_job'] as const)('%s through the admin data layer', (who) => {
  let app: ReturnType<typeof appAs>;
  beforeAll(() => {
    app = appAs(who);
  });

  it('is refused the overview and the phone book', async () => {
    expect((await refusal(fetchOverview(app.client, { ...period, zone: null, bucket: 'day' }))).code).toBe('not_admin');
    expect((await refusal(peopleById(app.client, [PEOPLE.customer_a.id]))).code).toBe('not_admin');
    expect((await refusal(peopleByPhone(app.client, PEOPLE.customer_a.phone))).code).toBe('not_admin');
  });

  it("finds none of customer A's orders and rides, by phone, id or list, and no detail of them", async () => {
    expect((await searchOrders(app.client, { phone: PEOPLE.customer_a.phone })).rows).toEqual([]);
    const all = (await searchOrders(app.client, {})).rows.map((o) => o.id);
    expect(all).not.toContain(ID.orderO1);
    expect(all).not.toContain(ID.orderO3);
    expect(await orderDetail(app.client, ID.orderO1)).toBeNull();
    expect(await orderDetail(app.client, ID.orderO3)).toBeNull();
    expect((await searchRides(app.client, {})).rows.map((r) => r.id)).not.toContain(ID.rideR3);
    expect(await rideDetail(app.client, ID.rideR3)).toBeNull();
    expect((await refusal(searchRides(app.client, { phone: PEOPLE.customer_a.phone }))).code).toBe('not_admin');
  });

  it("sees no one else's money: accounts, entries, top-ups, cash in hand", async () => {
    const accounts = (await listAccounts(app.client)).map((a) => a.id);
    for (const other of [ID.accountA, ID.accountX, ID.accountClearing]) expect(accounts).not.toContain(other);
    expect(await listEntries(app.client, { accountId: ID.accountA })).toEqual([]);
    expect((await listEntries(app.client)).map((e) => e.entry_id)).not.toContain(ID.entryL1);
    expect((await listTopUps(app.client)).map((t) => t.id)).not.toContain(ID.intentPI1);
    expect((await courierCash(app.client)).map((c) => c.courier_id)).not.toContain(C1);
  });

  it('is refused the payouts review and the reconciliation report', async () => {
    expect((await refusal(adminPayouts(app.call))).status).toBe(403);
    expect((await refusal(approvePayout(app.call, ID.payoutY, 'isolation-approve-1'))).status).toBeGreaterThanOrEqual(
      403,
    );
    expect((await refusal(rejectPayout(app.call, ID.payoutY, 'Non'))).status).toBeGreaterThanOrEqual(403);
    const report = await refusal(reconciliation(app.call, today, today));
    expect([report.status, report.code]).toEqual([403, 'forbidden']);
  });

  it("sees no courier's documents nor their photos, and cannot review anything", async () => {
    const before = await docStatus(ID.docOnJobId);
    expect(await courierDocuments(app.client, C1)).toEqual([]);
    expect(await documentPhotoUrl(app.client, { storage_path: `${C1}/cni.jpg` })).toBeNull();
    expect((await pendingCouriers(app.client)).map((c) => c.user_id)).not.toContain(C1);
    expect(await pendingStores(app.client)).toEqual([]);
    expect((await refusal(reviewDocument(app.client, ID.docOnJobId, false, 'Floue'))).code).toBe('not_admin');
    expect((await refusal(reviewCourier(app.client, C2, false, 'Pas de permis'))).code).toBe('not_admin');
    expect((await refusal(reviewStore(app.client, ID.storeY, false, 'Non conforme'))).code).toBe('not_admin');
    expect(await docStatus(ID.docOnJobId)).toBe(before);
  });

  it('cannot change delivery fees', async () => {
    const before = await zoneGrid();
    const r = await refusal(
      updateZoneFees(app.client, TIASSALE, { delivery_base_fee_xof: 1, delivery_fee_per_km_xof: 1 }),
    );
    expect(r.code).toBe('not_admin');
    expect(await zoneGrid()).toEqual(before);
  });

  it('sees no other courier on the live map', async () => {
    const live = await livePicture(app.client);
    expect(live.couriers.map((c) => c.id)).not.toContain(C1);
  });

  it('cannot refund, cancel nor reassign an order, and no money moves', async () => {
    const before = await balances();
    expect(
      (await refusal(refundOrder(app.call, ID.orderO3, 100, 'Essai', `isolation-${who}-refund`))).status,
    ).toBeGreaterThanOrEqual(403);
    expect((await refusal(reassignOrder(app.call, ID.orderO1, 'Essai'))).status).toBeGreaterThanOrEqual(403);
    expect((await refusal(cancelOrder(app.call, ID.orderO1, 'Essai'))).status).toBeGreaterThanOrEqual(403);
    expect(await balances()).toEqual(before);
  });
});

describe('the admin through the same data layer', () => {
  let app: ReturnType<typeof appAs>;
  beforeAll(() => {
    app = appAs('admin');
  });

  it('gets the overview, the phone book, orders by phone and their detail', async () => {
    const o = await fetchOverview(app.client, { ...period, zone: null, bucket: 'day' });
    expect(o.orders.placed).toBeGreaterThanOrEqual(3);
    const people = await peopleById(app.client, [PEOPLE.customer_a.id]);
    expect(people.get(PEOPLE.customer_a.id)?.phone).toBe(PEOPLE.customer_a.phone);
    const found = await searchOrders(app.client, { phone: PEOPLE.customer_a.phone });
    expect(found.rows.map((r) => r.id)).toEqual(expect.arrayContaining([ID.orderO1, ID.orderO3]));
    expect(found.rows.every((r) => r.customer_phone === PEOPLE.customer_a.phone)).toBe(true);
    const short = await searchOrders(app.client, { shortId: ID.orderO1.slice(0, 8).toUpperCase() });
    expect(short.rows.map((r) => r.id)).toContain(ID.orderO1);
    const detail = await orderDetail(app.client, ID.orderO3);
    expect(detail?.order.status).toBe('delivered');
    expect(detail?.ledger.map((l) => l.kind)).toContain('order_capture');
    expect(detail?.contact?.customer_phone).toBe(PEOPLE.customer_a.phone);
    expect((await searchRides(app.client, { phone: PEOPLE.customer_a.phone })).rows.map((r) => r.id)).toContain(
      ID.rideR3,
    );
    expect((await rideDetail(app.client, ID.rideR3))?.ride.status).toBe('completed');
  });

  it('gets the money: accounts, entries, top-ups, payouts, reconciliation, cash in hand', async () => {
    expect((await listAccounts(app.client)).map((a) => a.id)).toEqual(
      expect.arrayContaining([ID.accountA, ID.accountX]),
    );
    expect((await listEntries(app.client, { accountId: ID.accountA })).map((e) => e.entry_id)).toContain(ID.entryL1);
    expect((await listTopUps(app.client)).map((t) => t.id)).toEqual(
      expect.arrayContaining([ID.intentPI1, ID.intentPI2]),
    );
    expect((await adminPayouts(app.call)).map((p) => p.id)).toEqual(expect.arrayContaining([ID.payoutX, ID.payoutY]));
    const report = await reconciliation(app.call, today, today);
    expect(report.summary.intents).toBeGreaterThanOrEqual(0);
    const tooLong = await refusal(reconciliation(app.call, '2026-01-01', '2026-03-01'));
    expect([tooLong.status, tooLong.code]).toEqual([400, 'invalid_date_range']);
    expect(tooLong.serverMessage).toBe('Indiquez from et to (AAAA-MM-JJ), 31 jours au plus.');
    // A payout already decided cannot be decided again: the server says so in words.
    const decided = await refusal(rejectPayout(app.call, ID.payoutY, 'Numéro à vérifier'));
    expect([decided.status, decided.code]).toEqual([409, 'payout_not_pending']);
    expect(decided.serverMessage).toBeTruthy();
    expect((await courierCash(app.client)).map((c) => c.courier_id)).toContain(C1);
  });

  it("reads couriers' documents and their photos, and reviews them", async () => {
    const docs = await courierDocuments(app.client, C1);
    expect(docs).toHaveLength(5);
    const url = await documentPhotoUrl(app.client, { storage_path: `${C1}/cni.jpg` });
    expect(url).toMatch(/\/storage\/v1\/object\/sign\/courier-documents\//);
    expect((await fetch(url!)).status).toBe(200);
    await db.query(`update public.couriers set approval_status = 'pending' where user_id = $1`, [C2]);
    expect((await pendingCouriers(app.client)).map((c) => c.user_id)).toContain(C2);
    expect(await reviewDocument(app.client, ID.docNotOnJobId, true, null)).toEqual({
      id: ID.docNotOnJobId,
      review_status: 'approved',
    });
    expect((await reviewCourier(app.client, C2, true, null)).approval_status).toBe('approved');
    expect((await refusal(reviewStore(app.client, ID.storeY, false, 'Non conforme'))).code).toBe(
      'application_not_found',
    );
  });

  it('changes delivery fees, and a negative one is refused', async () => {
    const before = await zoneGrid();
    const saved = await updateZoneFees(app.client, TIASSALE, {
      delivery_base_fee_xof: 350,
      delivery_fee_per_km_xof: 110,
    });
    expect(saved).toMatchObject({ delivery_base_fee_xof: 350, delivery_fee_per_km_xof: 110 });
    const negative = await refusal(
      updateZoneFees(app.client, TIASSALE, { delivery_base_fee_xof: -50, delivery_fee_per_km_xof: 110 }),
    );
    expect(negative.details).toMatchObject({ field: 'delivery_base_fee_xof' });
    expect(negative.code).toBe('amount_too_small');
    expect(await zoneGrid()).toEqual({ delivery_base_fee_xof: 350, delivery_fee_per_km_xof: 110 });
    expect((await zoneFees(app.client)).map((z) => z.id)).toContain(TIASSALE);
    await db.query('update public.zones set delivery_base_fee_xof = $2, delivery_fee_per_km_xof = $3 where id = $1', [
      TIASSALE,
      before.delivery_base_fee_xof,
      before.delivery_fee_per_km_xof,
    ]);
  });

  it('cancels, reassigns and is told why when a move is not possible', async () => {
    const cancelled = await cancelOrder(app.call, ID.orderO2, 'Client injoignable');
    expect(cancelled.order?.status).toBe('cancelled');
    const late = await refusal(reassignOrder(app.call, ID.orderO1, 'Moto en panne'));
    expect([late.status, late.code]).toEqual([409, 'cannot_reassign']);
    expect(late.serverMessage).toMatch(/^Impossible de changer de coursier/);
    const ride = await reassignRide(app.call, ID.rideR1, 'Chauffeur injoignable');
    expect(ride.ride.status).toBe('requested');
  });

  it('sees every courier on the live map', async () => {
    const live = await livePicture(app.client);
    expect(live.couriers.find((c) => c.id === C1)?.state).toBe('on_job');
    expect(live.stores.map((s) => s.id)).toContain(ID.storeX);
  });
});
