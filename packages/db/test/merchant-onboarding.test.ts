// Applying to open a store (rpc apply_for_store) and the admin's decision (rpc review_store_application), through the
// Data API as the merchant app and the admin call them: a person with no store applies once, every bad field is
// refused with its code and writes nothing, the pending store stays hidden from customers, only admins decide, and
// the applicant is told.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientFor, ensurePeople, PEOPLE, superuser } from './actors.ts';
import { ID, resetFixtures, TIASSALE, TIASSALE_CENTRE } from './fixtures.ts';

const db = superuser();
const APPLICANT = PEOPLE.customer_a;

beforeAll(async () => {
  await ensurePeople();
});

beforeEach(async () => {
  await resetFixtures(db);
});

afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});

/** A valid application; tests spread a bad field over it. */
const application = (over: Record<string, unknown> = {}) => ({
  kind: 'maquis',
  name: 'Test Maquis Chez Adjoua',
  phone: '+2250700000981',
  lat: TIASSALE_CENTRE.lat + 0.001,
  lng: TIASSALE_CENTRE.lng,
  landmark: 'Derrière la gare routière',
  description: 'Garba, alloco et poisson braisé',
  hours: [
    { weekday: 1, opens: '08:00', closes: '14:00' },
    { weekday: 1, opens: '18:00', closes: '02:00', closes_next_day: true },
    { weekday: 6, opens: '10:00', closes: '22:00' },
  ],
  payout_phone: '+2250700000981',
  payout_operator: 'orange_ci',
  ...over,
});

const storesOf = async (userId: string) =>
  (
    await db.query(
      `select s.id, s.approval_status, s.zone_id, s.status, m.role from public.stores s
         join public.store_members m on m.store_id = s.id where m.user_id = $1 order by s.created_at`,
      [userId],
    )
  ).rows;

const hasMerchantRole = async (userId: string) =>
  (await db.query("select 1 from public.user_roles where user_id = $1 and role = 'merchant'", [userId])).rowCount === 1;

async function apply(over: Record<string, unknown> = {}) {
  return clientFor('customer_a').rpc('apply_for_store', application(over) as never);
}

describe('apply_for_store', () => {
  it('creates the store pending, closed, in the zone of its pin, with the applicant as owner, hours and payout', async () => {
    const { data, error } = await apply();
    expect(error).toBeNull();
    const storeId = (data as { store_id: string }).store_id;
    expect(data).toMatchObject({ approval_status: 'pending' });
    expect((data as { slug: string }).slug).toMatch(/^test-maquis-chez-adjoua-[0-9a-f]{6}$/);
    expect(await storesOf(APPLICANT.id)).toEqual([
      { id: storeId, approval_status: 'pending', zone_id: TIASSALE, status: 'closed', role: 'owner' },
    ]);
    expect(await hasMerchantRole(APPLICANT.id)).toBe(true);
    const hours = await db.query(
      `select weekday, to_char(opens, 'HH24:MI') as opens, to_char(closes, 'HH24:MI') as closes, closes_next_day
         from public.store_hours where store_id = $1 order by weekday, opens`,
      [storeId],
    );
    expect(hours.rows).toEqual([
      { weekday: 1, opens: '08:00', closes: '14:00', closes_next_day: false },
      { weekday: 1, opens: '18:00', closes: '02:00', closes_next_day: true },
      { weekday: 6, opens: '10:00', closes: '22:00', closes_next_day: false },
    ]);
    const payout = await db.query('select phone, operator from public.payout_destinations where store_id = $1', [
      storeId,
    ]);
    expect(payout.rows).toEqual([{ phone: '+2250700000981', operator: 'orange_ci' }]);
    // The applicant reads their application and their pending store through the API.
    const mine = await clientFor('customer_a').from('store_applications').select('store_id, decision');
    expect(mine.data).toEqual([{ store_id: storeId, decision: null }]);
    const store = await clientFor('customer_a').from('stores').select('id, approval_status').eq('id', storeId);
    expect(store.data).toEqual([{ id: storeId, approval_status: 'pending' }]);
  });

  it('refuses a second application while the first is pending', async () => {
    expect((await apply()).error).toBeNull();
    const second = await apply({ name: 'Test Deuxième boutique' });
    expect(second.error?.message).toBe('application_pending');
    expect(await storesOf(APPLICANT.id)).toHaveLength(1);
    // merchant_x's store P is pending in the fixtures: refused too.
    const asX = await clientFor('merchant_x').rpc('apply_for_store', application() as never);
    expect(asX.error?.message).toBe('application_pending');
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ['an unknown kind', { kind: 'casino' }, 'kind_invalid'],
    ['an empty name', { name: '   ' }, 'name_invalid'],
    ['a name of one letter', { name: 'A' }, 'name_invalid'],
    ['a name too long', { name: 'x'.repeat(81) }, 'name_invalid'],
    ['a malformed store phone', { phone: '0700000981' }, 'phone_invalid'],
    ['a latitude off the globe', { lat: 95 }, 'location_invalid'],
    ['a pin outside every zone (Abidjan)', { lat: 5.3364, lng: -4.0267 }, 'outside_zone'],
    ['an empty landmark', { landmark: ' ' }, 'landmark_invalid'],
    ['a description too long', { description: 'x'.repeat(1001) }, 'description_invalid'],
    ['no hours', { hours: [] }, 'hours_invalid'],
    ['hours that are not a list', { hours: { weekday: 1 } }, 'hours_invalid'],
    ['a weekday 8', { hours: [{ weekday: 8, opens: '08:00', closes: '12:00' }] }, 'hours_invalid'],
    ['a time 25:00', { hours: [{ weekday: 1, opens: '08:00', closes: '25:00' }] }, 'hours_invalid'],
    [
      'closing before opening',
      { hours: [{ weekday: 1, opens: '18:00', closes: '08:00' }] },
      'hours_closing_before_opening',
    ],
    [
      'the same slot twice',
      {
        hours: [
          { weekday: 2, opens: '08:00', closes: '12:00' },
          { weekday: 2, opens: '08:00', closes: '13:00' },
        ],
      },
      'hours_invalid',
    ],
    ['a malformed payout number', { payout_phone: '+22507' }, 'payout_phone_invalid'],
    ['an unknown operator', { payout_operator: 'paypal' }, 'payout_operator_invalid'],
    ['a Togo operator for an Ivorian number', { payout_operator: 'moov_tg' }, 'payout_operator_invalid'],
  ];
  it.each(bad)('refuses %s with its code and writes nothing', async (_what, over, code) => {
    const { error } = await apply(over);
    expect(error?.message).toBe(code);
    expect(await storesOf(APPLICANT.id)).toEqual([]);
    expect(await hasMerchantRole(APPLICANT.id)).toBe(false);
  });

  it('refuses visitors who are not signed in', async () => {
    const { error } = await clientFor('anon').rpc('apply_for_store', application() as never);
    expect(error).not.toBeNull();
    const count = await db.query("select count(*)::int as n from public.stores where slug like 'test-maquis-chez%'");
    expect(count.rows[0].n).toBe(0);
  });
});

describe('a pending store', () => {
  it('is hidden from customers, visitors and other merchants, and from nearby_stores', async () => {
    const storeId = ((await apply()).data as { store_id: string }).store_id;
    for (const actor of ['customer_b', 'merchant_y', 'anon'] as const) {
      const { data } = await clientFor(actor).from('stores').select('id').eq('id', storeId);
      expect(data, actor).toEqual([]);
      const hours = await clientFor(actor).from('store_hours').select('id').eq('store_id', storeId);
      expect(hours.data, actor).toEqual([]);
      const apps = await clientFor(actor).from('store_applications').select('store_id').eq('store_id', storeId);
      expect(apps.data ?? [], actor).toEqual([]);
    }
    const near = await clientFor('customer_b').rpc('nearby_stores', { ...TIASSALE_CENTRE, radius_m: 2000 });
    expect((near.data as { id: string }[]).map((s) => s.id)).not.toContain(storeId);
  });

  it('cannot be approved by its applicant, directly or through the review', async () => {
    const storeId = ((await apply()).data as { store_id: string }).store_id;
    const patch = await clientFor('customer_a')
      .from('stores')
      .update({ approval_status: 'approved' })
      .eq('id', storeId);
    expect(patch.error?.message).toBe('only an admin can change approval_status');
    const review = await clientFor('customer_a').rpc('review_store_application', { store_id: storeId, approve: true });
    expect(review.error?.message).toBe('not_admin');
    const asMerchant = await clientFor('merchant_x').rpc('review_store_application', {
      store_id: storeId,
      approve: true,
    });
    expect(asMerchant.error?.message).toBe('not_admin');
    expect((await storesOf(APPLICANT.id))[0]).toMatchObject({ approval_status: 'pending' });
  });
});

describe('review_store_application', () => {
  const notificationsOf = async (userId: string) =>
    (
      await db.query(
        "select kind, title, body, data from public.notifications where user_id = $1 and data ->> 'event' like 'store_%'",
        [userId],
      )
    ).rows;

  it('lets an admin approve: the store goes public, the change is audited and the applicant notified', async () => {
    const storeId = ((await apply()).data as { store_id: string }).store_id;
    const { data, error } = await clientFor('admin').rpc('review_store_application', {
      store_id: storeId,
      approve: true,
    });
    expect(error).toBeNull();
    expect(data).toEqual({ store_id: storeId, approval_status: 'approved', reason: null });
    const seen = await clientFor('customer_b').from('stores').select('id').eq('id', storeId);
    expect(seen.data).toEqual([{ id: storeId }]);
    const audit = await db.query(
      `select actor_id, old_data ->> 'approval_status' as was, new_data ->> 'approval_status' as now
         from public.audit_log where table_name = 'stores' and row_id = $1 and action = 'update'`,
      [storeId],
    );
    expect(audit.rows).toEqual([{ actor_id: PEOPLE.admin.id, was: 'pending', now: 'approved' }]);
    const notes = await notificationsOf(APPLICANT.id);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: 'system', title: 'Boutique validée', data: { event: 'store_approved' } });
    const decided = await db.query('select decision, decided_by from public.store_applications where store_id = $1', [
      storeId,
    ]);
    expect(decided.rows).toEqual([{ decision: 'approved', decided_by: PEOPLE.admin.id }]);
    // Decided once: a second review is refused.
    const again = await clientFor('admin').rpc('review_store_application', {
      store_id: storeId,
      approve: false,
      reason: 'Trop tard',
    });
    expect(again.error?.message).toBe('application_decided');
  });

  it('lets an admin reject with a reason only; the applicant reads it and may apply again', async () => {
    const storeId = ((await apply()).data as { store_id: string }).store_id;
    const noReason = await clientFor('admin').rpc('review_store_application', { store_id: storeId, approve: false });
    expect(noReason.error?.message).toBe('reason_invalid');
    const shortReason = await clientFor('admin').rpc('review_store_application', {
      store_id: storeId,
      approve: false,
      reason: ' a ',
    });
    expect(shortReason.error?.message).toBe('reason_invalid');
    expect((await storesOf(APPLICANT.id))[0]).toMatchObject({ approval_status: 'pending' });
    expect(await notificationsOf(APPLICANT.id)).toEqual([]);

    const { error } = await clientFor('admin').rpc('review_store_application', {
      store_id: storeId,
      approve: false,
      reason: 'Le repère ne permet pas de trouver la boutique',
    });
    expect(error).toBeNull();
    expect((await storesOf(APPLICANT.id))[0]).toMatchObject({ approval_status: 'rejected' });
    const mine = await clientFor('customer_a').from('store_applications').select('decision, reason');
    expect(mine.data).toEqual([{ decision: 'rejected', reason: 'Le repère ne permet pas de trouver la boutique' }]);
    const notes = await notificationsOf(APPLICANT.id);
    expect(notes[0]).toMatchObject({ kind: 'system', title: 'Boutique refusée', data: { event: 'store_rejected' } });
    expect(notes[0].body).toContain('Le repère ne permet pas de trouver la boutique');
    const hidden = await clientFor('customer_b').from('stores').select('id').eq('id', storeId);
    expect(hidden.data).toEqual([]);
    // The rejected person may apply again.
    const second = await apply({ name: 'Test Maquis Chez Adjoua bis' });
    expect(second.error).toBeNull();
  });

  it('answers application_not_found for a store without application', async () => {
    const { error } = await clientFor('admin').rpc('review_store_application', { store_id: ID.storeX, approve: true });
    expect(error?.message).toBe('application_not_found');
  });
});
