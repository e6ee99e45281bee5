// "A courier never sees another courier's offers or a customer's history", through the app's own data layer
// (src/data/*.ts) against a real local stack: courier_not_on_job asks for courier_on_job's job, offers, earnings,
// money, ratings and documents by their ids, and courier_on_job asks for his customer's other orders. Each refusal
// sits beside the same call by the owner, which must answer: a test that returns nothing for everyone would fail.
import { createSupabase } from '@ecom/app-kit/supabase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePeople, PEOPLE, superuser, tokenFor } from '../../../packages/db/test/actors.ts';
import { ID, resetFixtures } from '../../../packages/db/test/fixtures.ts';
import { stack } from '../../../packages/local-stack/test/stack.ts';
import { DocumentError, listDocuments, sendDocument } from '../src/data/documents.ts';
import { courierMoney, listEarnedJobs, listRatings } from '../src/data/earnings.ts';
import { currentJob, getJob, openOffers } from '../src/data/jobs.ts';

const db = superuser();
const longAgo = new Date('2020-01-01T00:00:00Z');
const ON_JOB = PEOPLE.courier_on_job.id;
const OTHER = PEOPLE.courier_not_on_job.id;

function appAs(person: 'courier_on_job' | 'courier_not_on_job') {
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
});
