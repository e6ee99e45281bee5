// Becoming a courier (rpc apply_as_courier, migration 20261121202200) through the Data API as the courier app calls
// it: a person with no courier row applies once with identity, vehicle and documents; the courier role, the pending
// courier and its pending documents appear together and the admins are told; every bad field is refused with its
// code (and the document's kind) and writes nothing; a retry answers the first result; a courier is refused; the
// photos can be uploaded into the applicant's own folder only once the application made them a courier.
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientFor, ensurePeople, PEOPLE, superuser } from './actors.ts';
import { resetFixtures, TIASSALE } from './fixtures.ts';

const A = PEOPLE.customer_a.id;
const B = PEOPLE.customer_b.id;
const ADMIN = PEOPLE.admin.id;
const JPEG = () => Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0xff, 0xd9]);

let db: pg.Pool;
const cleanUp = async () => {
  await db.query(
    `delete from storage.objects where bucket_id = 'courier-documents' and (name like $1 or name like $2)`,
    [`${A}/%`, `${B}/%`],
  );
  await db.query(`delete from public.notifications where user_id = any($1::uuid[])`, [[A, B, ADMIN]]);
  await db.query(`update public.profiles set full_name = '' where id = $1`, [A]);
};
beforeAll(async () => {
  db = superuser();
  await ensurePeople();
});
beforeEach(async () => {
  await resetFixtures(db);
  await cleanUp();
});
afterAll(async () => {
  await resetFixtures(db);
  await cleanUp();
  await db.end();
});

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const doc = (kind: string, over: Record<string, unknown> = {}) => ({
  kind,
  number: `${kind.slice(0, 3).toUpperCase()}-0042`,
  expires_on: kind === 'vehicle_registration' ? null : inDays(400),
  storage_path: `${A}/${kind}-1.jpg`,
  ...over,
});
const MOTO_DOCS = ['national_id', 'driving_licence', 'vehicle_registration', 'insurance', 'municipal_card'];

/** A valid moto-taxi application; tests spread a bad field over it. */
const application = (over: Record<string, unknown> = {}) => ({
  full_name: 'Abou Koné',
  national_id_number: 'ci 0012 3456 78',
  vehicle_type: 'moto',
  plate: '2471 ts 01',
  municipal_registration_number: 'TSL-MT-0999',
  vest_number: '217',
  zone_id: TIASSALE,
  documents: MOTO_DOCS.map((k) => doc(k)),
  ...over,
});

const apply = (over: Record<string, unknown> = {}, who: 'customer_a' | 'courier_on_job' = 'customer_a') =>
  clientFor(who).rpc('apply_as_courier', application(over) as never);

const courierOf = async (id: string) =>
  (
    await db.query(
      `select vehicle_type::text, plate, municipal_registration_number, vest_number, zone_id, approval_status::text
         from public.couriers where user_id = $1`,
      [id],
    )
  ).rows;
const documentsOf = async (id: string) =>
  (
    await db.query(
      `select kind::text, number, to_char(expires_on, 'YYYY-MM-DD') as expires_on, storage_path, review_status::text
         from public.courier_documents where courier_id = $1 order by kind`,
      [id],
    )
  ).rows;
const isCourier = async (id: string) =>
  (await db.query(`select 1 from public.user_roles where user_id = $1 and role = 'courier'`, [id])).rowCount === 1;
const adminNotices = async () =>
  (
    await db.query<{ title: string; data: Record<string, unknown> }>(
      `select title, data from public.notifications where user_id = $1 and data ->> 'event' = 'courier_applied'`,
      [ADMIN],
    )
  ).rows;

describe('apply_as_courier', () => {
  it('grants the role and creates the pending courier, its pending documents and the admins’ notice at once', async () => {
    const { data, error } = await apply();
    expect(error).toBeNull();
    expect(data).toMatchObject({ courier_id: A, approval_status: 'pending', replayed: false });
    expect((data as { documents: unknown[] }).documents).toHaveLength(5);
    expect(await isCourier(A)).toBe(true);
    expect(await courierOf(A)).toEqual([
      {
        vehicle_type: 'moto',
        plate: '2471 TS 01',
        municipal_registration_number: 'TSL-MT-0999',
        vest_number: '217',
        zone_id: TIASSALE,
        approval_status: 'pending',
      },
    ]);
    const docs = await documentsOf(A);
    expect(docs.map((d) => [d.kind, d.review_status, d.storage_path])).toEqual(
      [...MOTO_DOCS].sort().map((k) => [k, 'pending', `${A}/${k}-1.jpg`]),
    );
    expect(docs.find((d) => d.kind === 'vehicle_registration')?.expires_on).toBeNull();
    expect(docs.find((d) => d.kind === 'insurance')?.expires_on).toBe(inDays(400));
    const name = await db.query('select full_name from public.profiles where id = $1', [A]);
    expect(name.rows[0]).toEqual({ full_name: 'Abou Koné' });
    const notices = await adminNotices();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ title: 'Nouvelle demande de coursier', data: { courier_id: A } });
    // The applicant now reads their courier row and documents through the API.
    const mine = await clientFor('customer_a').from('couriers').select('approval_status').eq('user_id', A);
    expect(mine.data).toEqual([{ approval_status: 'pending' }]);
  });

  it('takes the national id number as the id card’s number when the document gives none', async () => {
    const docs = MOTO_DOCS.map((k) => (k === 'national_id' ? doc(k, { number: '' }) : doc(k)));
    expect((await apply({ documents: docs })).error).toBeNull();
    expect((await documentsOf(A)).find((d) => d.kind === 'national_id')?.number).toBe('CI 0012 3456 78');
  });

  it('needs no municipal card, registration or vest number for a car', async () => {
    const { error } = await apply({
      vehicle_type: 'car',
      municipal_registration_number: null,
      vest_number: null,
      documents: MOTO_DOCS.filter((k) => k !== 'municipal_card').map((k) => doc(k)),
    });
    expect(error).toBeNull();
    expect((await courierOf(A))[0]).toMatchObject({ vehicle_type: 'car', vest_number: null });
    expect(await documentsOf(A)).toHaveLength(4);
  });

  it('answers a retry of the same application with the first result and writes nothing more', async () => {
    const first = await apply();
    const again = await apply();
    expect(again.error).toBeNull();
    expect(again.data).toMatchObject({ courier_id: A, approval_status: 'pending', replayed: true });
    const ids = (r: typeof first) =>
      (r.data as { documents: { id: string }[] }).documents.map((d) => d.id).sort((x, y) => x.localeCompare(y));
    expect(ids(again)).toEqual(ids(first));
    expect(await documentsOf(A)).toHaveLength(5);
    expect(await adminNotices()).toHaveLength(1);
  });

  it('refuses a person who already is a courier, and a second, different application', async () => {
    const asCourier = await apply({}, 'courier_on_job');
    expect(asCourier.error?.message).toBe('already_courier');
    expect(await apply()).toMatchObject({ error: null });
    const other = await apply({ plate: '9999 TS 01' });
    expect(other.error?.message).toBe('already_courier');
    expect((await courierOf(A))[0]).toMatchObject({ plate: '2471 TS 01' });
  });

  it('refuses anonymous callers', async () => {
    const { error } = await clientFor('anon').rpc('apply_as_courier', application() as never);
    expect(error).not.toBeNull();
    expect(await courierOf(A)).toEqual([]);
  });

  const withDoc = (kind: string, over: Record<string, unknown>) =>
    MOTO_DOCS.map((k) => (k === kind ? doc(k, over) : doc(k)));
  const bad: [string, Record<string, unknown>, string, string | null][] = [
    ['an empty name', { full_name: '  ' }, 'full_name_invalid', null],
    ['a name of digits', { full_name: '12345' }, 'full_name_invalid', null],
    ['a name too long', { full_name: 'x'.repeat(81) }, 'full_name_invalid', null],
    ['a national id number of two characters', { national_id_number: 'C1' }, 'national_id_number_invalid', null],
    ['a national id number with symbols', { national_id_number: 'CI#123/45' }, 'national_id_number_invalid', null],
    ['an unknown vehicle', { vehicle_type: 'bicycle' }, 'vehicle_type_invalid', null],
    ['a plate with symbols', { plate: '24/71 TS' }, 'plate_invalid', null],
    ['no plate', { plate: '' }, 'plate_invalid', null],
    [
      'a moto without municipal registration',
      { municipal_registration_number: ' ' },
      'municipal_registration_number_required',
      null,
    ],
    [
      'a municipal registration too long',
      { municipal_registration_number: 'x'.repeat(41) },
      'municipal_registration_number_invalid',
      null,
    ],
    ['a moto without vest number', { vest_number: null }, 'vest_number_required', null],
    ['a vest number too long', { vest_number: '1'.repeat(21) }, 'vest_number_invalid', null],
    ['an unknown zone', { zone_id: '5a1e0000-0000-4000-8000-0000000000ff' }, 'zone_invalid', null],
    ['documents that are not a list', { documents: { kind: 'insurance' } }, 'documents_invalid', null],
    [
      'a document of an unknown kind',
      { documents: [...MOTO_DOCS.map((k) => doc(k)), doc('passport')] },
      'document_kind_invalid',
      'passport',
    ],
    [
      'the same kind twice',
      { documents: [...MOTO_DOCS.map((k) => doc(k)), doc('insurance')] },
      'document_kind_invalid',
      'insurance',
    ],
    [
      'a document without number',
      { documents: withDoc('insurance', { number: '' }) },
      'document_number_invalid',
      'insurance',
    ],
    [
      'a licence without expiry',
      { documents: withDoc('driving_licence', { expires_on: null }) },
      'document_expiry_required',
      'driving_licence',
    ],
    [
      'an expiry that is no date',
      { documents: withDoc('insurance', { expires_on: '2027-02-30' }) },
      'document_expiry_invalid',
      'insurance',
    ],
    [
      'an expiry in words',
      { documents: withDoc('insurance', { expires_on: 'demain' }) },
      'document_expiry_invalid',
      'insurance',
    ],
    [
      'an expired insurance',
      { documents: withDoc('insurance', { expires_on: inDays(-1) }) },
      'document_expired',
      'insurance',
    ],
    [
      'an expiry 40 years away',
      { documents: withDoc('national_id', { expires_on: inDays(365 * 40) }) },
      'document_expiry_implausible',
      'national_id',
    ],
    [
      'a photo in someone else’s folder',
      { documents: withDoc('insurance', { storage_path: `${B}/insurance.jpg` }) },
      'document_path_invalid',
      'insurance',
    ],
    [
      'a photo path going up',
      { documents: withDoc('insurance', { storage_path: `${A}/../x.jpg` }) },
      'document_path_invalid',
      'insurance',
    ],
    [
      'a moto without municipal card',
      { documents: MOTO_DOCS.filter((k) => k !== 'municipal_card').map((k) => doc(k)) },
      'document_missing',
      'municipal_card',
    ],
    ['no documents', { documents: [] }, 'document_missing', 'national_id'],
  ];
  it.each(bad)('refuses %s with its code and writes nothing', async (_what, over, code, kind) => {
    const { error } = await apply(over);
    expect(error?.message).toBe(code);
    if (kind) expect(JSON.parse(error?.details ?? '{}')).toEqual({ kind });
    expect(await courierOf(A)).toEqual([]);
    expect(await documentsOf(A)).toEqual([]);
    expect(await isCourier(A)).toBe(false);
    expect(await adminNotices()).toEqual([]);
  });
});

describe('the photos of an application (bucket courier-documents)', () => {
  const upload = (who: 'customer_a' | 'customer_b', key: string) =>
    clientFor(who).storage.from('courier-documents').upload(key, JPEG(), { contentType: 'image/jpeg', upsert: true });

  it('cannot be uploaded before the application, can after it, into the applicant’s own folder only', async () => {
    const before = await upload('customer_a', `${A}/insurance-1.jpg`);
    expect(before.error).not.toBeNull();
    expect((await apply()).error).toBeNull();
    const after = await upload('customer_a', `${A}/insurance-1.jpg`);
    expect(after.error).toBeNull();
    // Sent again after a lost answer: replaced, not refused.
    expect((await upload('customer_a', `${A}/insurance-1.jpg`)).error).toBeNull();
    const elsewhere = await upload('customer_a', `${B}/insurance-1.jpg`);
    expect(elsewhere.error).not.toBeNull();
    // Another customer reads nothing of it; the admin can.
    const peek = await clientFor('customer_b').storage.from('courier-documents').download(`${A}/insurance-1.jpg`);
    expect(peek.error).not.toBeNull();
    const review = await clientFor('admin').storage.from('courier-documents').download(`${A}/insurance-1.jpg`);
    expect(review.error).toBeNull();
  });
});

describe('courier_payout_limits', () => {
  it('tells a courier the limits and what is left today, and refuses anyone else', async () => {
    const { data, error } = await clientFor('courier_not_on_job').rpc('courier_payout_limits');
    expect(error).toBeNull();
    expect(data).toMatchObject({ minimum_xof: 500, daily_maximum_xof: 500_000, withdrawn_today_xof: 0 });
    expect((data as { remaining_today_xof: number }).remaining_today_xof).toBe(500_000);
    const customer = await clientFor('customer_a').rpc('courier_payout_limits');
    expect(customer.error?.message).toBe('not_a_courier');
  });
});
