// "A courier never sees another courier's offers or a customer's history", through the app's own data layer
// (src/data/*.ts) against a real local stack: courier_not_on_job asks for courier_on_job's job, offers, earnings,
// money, ratings, documents, payouts, cash deposits and history by their ids, and courier_on_job asks for his
// customer's other orders; an applicant's onboarding rows and documents stay theirs. Each refusal sits beside the
// same call by the owner, which must answer: a test that returns nothing for everyone would fail.
import { createSupabase } from '@ecom/app-kit/supabase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePeople, PEOPLE, superuser, tokenFor } from '../../../packages/db/test/actors.ts';
import { ID, resetFixtures } from '../../../packages/db/test/fixtures.ts';
import { stack } from '../../../packages/local-stack/test/stack.ts';
import { applicationBody, type ApplicationDraft } from '@ecom/domain/courier-onboarding';
import { DocumentError, listDocuments, sendDocument } from '../src/data/documents.ts';
import { courierMoney, listEarnedJobs, listRatings } from '../src/data/earnings.ts';
import { listPastJobs } from '../src/data/history.ts';
import { currentJob, getJob, openOffers } from '../src/data/jobs.ts';
import { listDeposits, listPayouts, payoutDestination, payoutLimits } from '../src/data/money.ts';
import { ApplyError, applyAsCourier, latestDecision, listZones, myCourier } from '../src/data/onboarding.ts';

const db = superuser();
const longAgo = new Date('2020-01-01T00:00:00Z');
const ON_JOB = PEOPLE.courier_on_job.id;
const OTHER = PEOPLE.courier_not_on_job.id;

const APPLICANT = PEOPLE.customer_a.id;

function appAs(person: 'courier_on_job' | 'courier_not_on_job' | 'customer_a') {
  const s = stack();
  const token = tokenFor(person);
  return createSupabase({ url: s.apiUrl, anonKey: s.anonKey, accessToken: async () => token });
}

let onJob: ReturnType<typeof appAs>;
let other: ReturnType<typeof appAs>;

beforeAll(async () => {
  await ensurePeople();
  await resetFixtures(db);
  onJob = appAs('courier_on_job');
  other = appAs('courier_not_on_job');
});

afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});

describe('two couriers through the courier app data layer', () => {
  it('shows each courier their own open offers, never the other one’s', async () => {
    expect((await openOffers(other, OTHER)).map((o) => o.id)).toEqual([ID.offerF3]);
    expect(await openOffers(onJob, OTHER)).toEqual([]);
    expect(await openOffers(onJob, ON_JOB)).toEqual([]);
  });

  it('gives the job in progress to its courier only', async () => {
    const mine = await currentJob(onJob, ON_JOB);
    expect(mine).toMatchObject({ kind: 'order', id: ID.orderO1, status: 'picked_up' });
    expect(mine?.customer_phone).toMatch(/^\+225/);
    expect(await currentJob(other, ON_JOB)).toBeNull();
    expect(await getJob(other, 'order', ID.orderO1)).toBeNull();
    expect(await getJob(other, 'ride', ID.rideR1)).toBeNull();
    expect(await getJob(onJob, 'ride', ID.rideR1)).toMatchObject({ kind: 'ride', status: 'accepted' });
  });

  it("never shows a customer's other orders to the courier delivering one of them", async () => {
    expect(await getJob(onJob, 'order', ID.orderO1)).not.toBeNull();
    expect(await getJob(onJob, 'order', ID.orderO3)).toBeNull();
    const { data } = await onJob.from('orders').select('id').eq('customer_id', PEOPLE.customer_a.id);
    expect(data?.map((o) => o.id)).toEqual([ID.orderO1]);
    const none = await other.from('orders').select('id').eq('customer_id', PEOPLE.customer_a.id);
    expect(none.data).toEqual([]);
  });

  it('keeps earnings, money, ratings and documents to their courier', async () => {
    expect((await listEarnedJobs(onJob, ON_JOB, longAgo)).map((j) => j.id)).toContain(ID.rideR3);
    expect(await listEarnedJobs(other, ON_JOB, longAgo)).toEqual([]);
    expect((await courierMoney(onJob, ON_JOB)).cashInHand).toBeGreaterThan(0);
    expect(await courierMoney(other, ON_JOB)).toEqual({ wallet: 0, cashInHand: 0 });
    expect((await listRatings(onJob, ON_JOB)).map((r) => r.stars)).toEqual([5]);
    expect(await listRatings(other, ON_JOB)).toEqual([]);
    expect((await listDocuments(onJob, ON_JOB)).length).toBe(5);
    expect(await listDocuments(other, ON_JOB)).toEqual([]);
  });

  it('refuses a document already expired, in words with its date, and records nothing', async () => {
    const before = (await listDocuments(onJob, ON_JOB)).length;
    const error = await sendDocument(onJob, ON_JOB, {
      kind: 'insurance',
      expires_on: '2020-01-15',
      photo: new Blob(['x'], { type: 'image/jpeg' }),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DocumentError);
    expect(error).toMatchObject({ code: 'document_expired', expiresOn: '2020-01-15' });
    expect((await listDocuments(onJob, ON_JOB)).length).toBe(before);
  });

  it('keeps payouts, cash deposits, the payout number and the history to their courier', async () => {
    await db.query(
      `insert into public.payout_destinations (courier_id, phone, operator) values ($1, '+2250100000205', 'orange_ci')
       on conflict (courier_id) do update set phone = excluded.phone, operator = excluded.operator`,
      [ON_JOB],
    );
    await db.query(
      `insert into public.payouts (courier_id, requested_by, amount_xof, phone, operator, status, rejection_reason)
       values ($1, $1, 700, '+2250100000205', 'orange_ci', 'rejected', 'Numéro à vérifier')`,
      [ON_JOB],
    );
    await db.query(
      `insert into public.payment_intents (user_id, purpose, amount_xof, operator, phone, provider, idempotency_key,
                                          expires_at)
       values ($1, 'cash_deposit', 1500, 'orange_ci', '2250100000205', 'sandbox', 'isolation-deposit-1',
               now() + interval '10 minutes')`,
      [ON_JOB],
    );
    expect((await listPayouts(onJob, ON_JOB)).map((p) => p.amount_xof)).toContain(700);
    expect(await listPayouts(other, ON_JOB)).toEqual([]);
    expect((await listDeposits(onJob, ON_JOB)).map((d) => d.amount_xof)).toContain(1500);
    expect(await listDeposits(other, ON_JOB)).toEqual([]);
    expect(await payoutDestination(onJob, ON_JOB)).toEqual({ phone: '+2250100000205', operator: 'orange_ci' });
    expect(await payoutDestination(other, ON_JOB)).toBeNull();
    expect((await payoutLimits(other)).minimum_xof).toBeGreaterThan(0);
    const mine = await listPastJobs(onJob, ON_JOB, null);
    expect(mine.jobs.map((j) => j.id)).toContain(ID.rideR3);
    expect(mine.jobs.find((j) => j.id === ID.rideR3)).toMatchObject({ kind: 'ride', stars: 5 });
    expect(await listPastJobs(other, ON_JOB, null)).toEqual({ jobs: [], next: null });
  });

  it('sends a renewed document into the courier’s own folder, photo included', async () => {
    const doc = await sendDocument(onJob, ON_JOB, {
      kind: 'insurance',
      expires_on: `${new Date().getFullYear() + 1}-06-30`,
      photo: new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xd9])], { type: 'image/jpeg' }),
      number: 'as-2027',
    });
    const row = await db.query('select storage_path, number from public.courier_documents where id = $1', [doc.id]);
    expect(row.rows[0].storage_path).toMatch(new RegExp(`^${ON_JOB}/insurance-\\d+\\.jpg$`));
    expect(row.rows[0].number).toBe('AS-2027');
    const file = await db.query(`select 1 from storage.objects where bucket_id = 'courier-documents' and name = $1`, [
      row.rows[0].storage_path,
    ]);
    expect(file.rowCount).toBe(1);
  });
});

describe('an applicant through the onboarding data layer', () => {
  const draft = (zoneId: string): ApplicationDraft => ({
    fullName: 'Abou Koné',
    nationalIdNumber: 'CI 0012 3456 78',
    vehicleType: 'car',
    plate: '4521 AB 07',
    municipalRegistrationNumber: '',
    vestNumber: '',
    zoneId,
    documents: Object.fromEntries(
      ['national_id', 'driving_licence', 'vehicle_registration', 'insurance'].map((k) => [
        k,
        {
          number: `${k.slice(0, 3)}-1`,
          expiresOn: k === 'vehicle_registration' ? '' : '2030-01-31',
          storagePath: `${APPLICANT}/${k}.jpg`,
        },
      ]),
    ),
  });

  it('sends the application, and the applicant’s courier row, documents and decision stay theirs', async () => {
    const applicant = appAs('customer_a');
    expect(await myCourier(applicant, APPLICANT)).toBeNull();
    const [zone] = await listZones(applicant);
    await applyAsCourier(applicant, applicationBody(draft(zone!.id)));
    expect(await myCourier(applicant, APPLICANT)).toMatchObject({ approval_status: 'pending', vehicle_type: 'car' });
    expect(await myCourier(other, APPLICANT)).toBeNull();
    expect(await listDocuments(applicant, APPLICANT)).toHaveLength(4);
    expect(await listDocuments(other, APPLICANT)).toEqual([]);
    await db.query(
      `insert into public.notifications (user_id, kind, language, title, body, data)
       values ($1, 'system', 'fr', 'Demande refusée', 'Refusée : photo floue', '{"event": "courier_rejected", "reason": "Photo floue"}')`,
      [APPLICANT],
    );
    expect(await latestDecision(applicant, APPLICANT)).toMatchObject({
      event: 'courier_rejected',
      reason: 'Photo floue',
    });
    expect(await latestDecision(other, APPLICANT)).toBeNull();
    const again = await applyAsCourier(applicant, applicationBody({ ...draft(zone!.id), plate: '9999 AB 07' })).catch(
      (e: unknown) => e,
    );
    expect(again).toBeInstanceOf(ApplyError);
    expect(again).toMatchObject({ code: 'already_courier' });
    const courier = await applyAsCourier(other, applicationBody(draft(zone!.id))).catch((e: unknown) => e);
    expect(courier).toMatchObject({ code: 'already_courier' });
  });

  it('says which document a refusal is about', async () => {
    await resetFixtures(db);
    const applicant = appAs('customer_a');
    const [zone] = await listZones(applicant);
    const body = applicationBody(draft(zone!.id));
    body.documents[3]!.expires_on = '2020-01-15';
    const error = await applyAsCourier(applicant, body).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'document_expired', kind: 'insurance' });
    expect(await myCourier(applicant, APPLICANT)).toBeNull();
  });
});
