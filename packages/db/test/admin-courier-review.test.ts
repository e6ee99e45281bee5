// The admin dashboard's courier review (migration 20261121203000_create_courier_review), through the Data API as the
// dashboard calls it: only admins decide; approval names the documents in the way; an expired document cannot be
// approved (admins included) while history may still be recorded; a rejection needs a reason, takes the courier
// offline and tells him why; every decision is in the audit log.
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientFor, ensurePeople, PEOPLE, superuser } from './actors.ts';
import { resetFixtures } from './fixtures.ts';

let db: pg.Pool;
const C2 = PEOPLE.courier_not_on_job.id; // a car: national id, licence, registration, insurance
const C2_INSURANCE = 'e1000000-0000-4000-8000-000000000014';

beforeAll(async () => {
  db = superuser();
  await ensurePeople();
});
beforeEach(async () => {
  await resetFixtures(db);
  // C2 applies again: pending, his insurance waiting for review.
  await db.query(`update public.couriers set approval_status = 'pending' where user_id = $1`, [C2]);
  await db.query(`update public.courier_documents set review_status = 'pending' where id = $1`, [C2_INSURANCE]);
  await db.query(`delete from public.notifications where user_id = $1`, [C2]);
});
afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});

const statusOf = async (id: string) =>
  (await db.query<{ approval_status: string }>('select approval_status from public.couriers where user_id = $1', [id]))
    .rows[0]?.approval_status;
const reviewOf = async (id: string) =>
  (await db.query<{ review_status: string }>('select review_status from public.courier_documents where id = $1', [id]))
    .rows[0]?.review_status;
const review = (who: Parameters<typeof clientFor>[0], approve: boolean | null, reason?: string, courier = C2) =>
  clientFor(who).rpc('review_courier_application', {
    p_courier_id: courier,
    p_approve: approve as boolean,
    ...(reason === undefined ? {} : { p_reason: reason }),
  });

describe('review_courier_application', () => {
  it('refuses everyone but admins, and changes nothing', async () => {
    for (const who of ['courier_not_on_job', 'customer_a', 'merchant_x', 'courier_on_job'] as const) {
      const r = await review(who, true);
      expect(r.error).toMatchObject({ code: 'EO403', message: 'not_admin' });
    }
    const anon = await review('anon', true);
    expect(anon.error?.code).toBe('42501');
    expect(await statusOf(C2)).toBe('pending');
  });

  it('names the documents in the way of an approval, and approves once they are approved', async () => {
    const blocked = await review('admin', true);
    expect(blocked.error).toMatchObject({ code: 'EO422', message: 'documents_incomplete' });
    expect(JSON.parse(blocked.error!.details)).toEqual({ blockers: ['insurance'] });
    expect(await statusOf(C2)).toBe('pending');

    const doc = await clientFor('admin')
      .from('courier_documents')
      .update({ review_status: 'approved' })
      .eq('id', C2_INSURANCE)
      .select('review_status, reviewed_by')
      .single();
    expect(doc.data).toEqual({ review_status: 'approved', reviewed_by: PEOPLE.admin.id });

    const ok = await review('admin', true);
    expect(ok.error).toBeNull();
    expect(ok.data).toEqual({ courier_id: C2, approval_status: 'approved', reason: null });
    const row = await db.query('select approval_status, approved_by from public.couriers where user_id = $1', [C2]);
    expect(row.rows[0]).toEqual({ approval_status: 'approved', approved_by: PEOPLE.admin.id });
    const told = await db.query(
      "select kind, data ->> 'event' as event from public.notifications where user_id = $1 and kind = 'system'",
      [C2],
    );
    expect(told.rows).toEqual([{ kind: 'system', event: 'courier_approved' }]);
    const audit = await db.query(
      `select actor_id, table_name, old_data, new_data from public.audit_log
        where table_name = 'couriers' and row_id = $1 order by id desc limit 1`,
      [C2],
    );
    expect(audit.rows[0]).toEqual({
      actor_id: PEOPLE.admin.id,
      table_name: 'couriers',
      old_data: { approval_status: 'pending' },
      new_data: { approval_status: 'approved', reason: null },
    });
    const docAudit = await db.query(
      `select new_data ->> 'review_status' as status from public.audit_log
        where table_name = 'courier_documents' and row_id = $1 order by id desc limit 1`,
      [C2_INSURANCE],
    );
    expect(docAudit.rows).toEqual([{ status: 'approved' }]);

    const again = await review('admin', true);
    expect(again.error?.message).toBe('courier_decided');
  });

  it('refuses to approve an expired document, even for an admin, and keeps it pending', async () => {
    await db.query(`update public.courier_documents set expires_on = current_date - 1 where id = $1`, [C2_INSURANCE]);
    const r = await clientFor('admin')
      .from('courier_documents')
      .update({ review_status: 'approved' })
      .eq('id', C2_INSURANCE);
    expect(r.error).toMatchObject({ code: '23514', message: 'document_expired' });
    expect(JSON.parse(r.error!.details)).toMatchObject({ document_id: C2_INSURANCE, kind: 'insurance' });
    expect(await reviewOf(C2_INSURANCE)).toBe('pending');
    // Recording an old document (pending or rejected) stays possible; approving it on the way in does not.
    const history = await clientFor('admin')
      .from('courier_documents')
      .insert({
        courier_id: C2,
        kind: 'insurance',
        storage_path: `${C2}/assurance-2019.pdf`,
        expires_on: '2019-12-31',
        review_status: 'rejected',
      });
    expect(history.error).toBeNull();
    const approvedOld = await clientFor('admin')
      .from('courier_documents')
      .insert({
        courier_id: C2,
        kind: 'insurance',
        storage_path: `${C2}/assurance-2018.pdf`,
        expires_on: '2018-12-31',
        review_status: 'approved',
      });
    expect(approvedOld.error?.message).toBe('document_expired');
    // Moving an approved document's expiry into the past is the same act.
    await db.query(`update public.courier_documents set review_status = 'approved' where id = $1`, [C2_INSURANCE]);
    const backdated = await clientFor('admin')
      .from('courier_documents')
      .update({ expires_on: '2020-01-01' })
      .eq('id', C2_INSURANCE);
    expect(backdated.error?.message).toBe('document_expired');
    // Rejecting an expired document is fine.
    await db.query(`update public.courier_documents set review_status = 'pending' where id = $1`, [C2_INSURANCE]);
    const rejected = await clientFor('admin')
      .from('courier_documents')
      .update({ review_status: 'rejected', review_note: 'Assurance expirée' })
      .eq('id', C2_INSURANCE);
    expect(rejected.error).toBeNull();
    const blocked = await review('admin', true);
    expect(JSON.parse(blocked.error!.details)).toEqual({ blockers: ['insurance'] });
  });

  it('rejects with a reason only, takes the courier offline and tells him why in his language', async () => {
    await db.query(
      `insert into public.courier_presence (courier_id, online, lat, lng) values ($1, true, 5.9, -4.82)
       on conflict (courier_id) do update set online = true, lat = 5.9, lng = -4.82`,
      [C2],
    );
    await db.query(`update public.profiles set language = 'en' where id = $1`, [C2]);
    for (const reason of [undefined, '  ', 'ab', 'x'.repeat(301)]) {
      const r = await review('admin', false, reason);
      expect(r.error).toMatchObject({ code: 'EO400', message: 'reason_invalid' });
    }
    expect(await statusOf(C2)).toBe('pending');
    const bad = await review('admin', null);
    expect(bad.error?.message).toBe('decision_invalid');

    const r = await review('admin', false, ' Permis illisible ');
    expect(r.data).toEqual({ courier_id: C2, approval_status: 'rejected', reason: 'Permis illisible' });
    const presence = await db.query('select online from public.courier_presence where courier_id = $1', [C2]);
    expect(presence.rows[0]).toEqual({ online: false });
    const told = await db.query(
      `select language, title, body, data from public.notifications where user_id = $1 and kind = 'system'`,
      [C2],
    );
    expect(told.rows).toEqual([
      {
        language: 'en',
        title: 'Account not approved',
        body: 'Your courier account was not approved: Permis illisible',
        data: { event: 'courier_rejected', courier_id: C2, reason: 'Permis illisible' },
      },
    ]);
    expect((await review('admin', false, 'Encore refusé')).error?.message).toBe('courier_decided');
    const unknown = await review('admin', true, undefined, '00000000-0000-4000-8000-00000000dead');
    expect(unknown.error).toMatchObject({ code: 'EO404', message: 'courier_not_found' });
  });
});
