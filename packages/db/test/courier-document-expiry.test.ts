// Courier documents and time (migration 20261121201200): a courier cannot send a document that has already expired
// (or one dated absurdly far ahead); the daily job reminds them 30, 7 and 1 days before a document expires, once
// per threshold, in their language, and not when a renewal was already sent; a required document that expired
// with no approved renewal suspends the courier (offline, told why), unless they are on a job.
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PEOPLE, clientFor, ensurePeople, superuser } from './actors.ts';
import { ID, resetFixtures } from './fixtures.ts';

let db: pg.Pool;
beforeAll(async () => {
  db = superuser();
  await ensurePeople();
});
beforeEach(async () => {
  await resetFixtures(db);
  await db.query('delete from private.document_reminders');
  await db.query('delete from public.notifications where user_id = any($1::uuid[])', [[C1, C2]]);
});
afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});

const C1 = PEOPLE.courier_on_job.id; // delivers order O1 of the fixtures
const C2 = PEOPLE.courier_not_on_job.id; // a car, approved, no job
const C2_INSURANCE = 'e1000000-0000-4000-8000-000000000014';

const inDays = (n: number) => `(current_date + ${n})`;
const run = async () =>
  (await db.query<{ r: { reminded: number; suspended: number } }>('select private.run_document_reminders() as r'))
    .rows[0]!.r;
const noticesOf = async (who: string) =>
  (
    await db.query<{ title: string; body: string; data: Record<string, unknown>; language: string }>(
      `select title, body, data, language::text from public.notifications where user_id = $1 and kind = 'system'
        order by created_at, id`,
      [who],
    )
  ).rows;
const statusOf = async (who: string) =>
  (await db.query('select approval_status::text as s from public.couriers where user_id = $1', [who])).rows[0].s;

describe('sending a document', () => {
  it('refuses an expired document and an absurd expiry in words, accepts a valid one as pending', async () => {
    const courier = clientFor('courier_not_on_job');
    const doc = (expires_on: string) => ({
      courier_id: C2,
      kind: 'insurance' as const,
      storage_path: `${C2}/assurance-2027.jpg`,
      number: 'AS003',
      expires_on,
    });
    const { rows } = await db.query<{ y: string; far: string; next: string }>(
      `select (current_date - 1)::text as y, (current_date + interval '31 years')::date::text as far,
              (current_date + 365)::text as next`,
    );
    const expired = await courier.from('courier_documents').insert(doc(rows[0]!.y));
    expect(expired.error).toMatchObject({
      code: '23514',
      message: 'document_expired',
      hint: `this document expired on ${rows[0]!.y}: send the renewed one`,
    });
    const far = await courier.from('courier_documents').insert(doc(rows[0]!.far));
    expect(far.error).toMatchObject({ code: '23514', message: 'document_expiry_implausible' });
    const ok = await courier.from('courier_documents').insert(doc(rows[0]!.next)).select('review_status').single();
    expect(ok.error).toBeNull();
    expect(ok.data).toEqual({ review_status: 'pending' });
    // Changing the date of a document to a past one is refused the same way; an admin may record history.
    const back = await courier.from('courier_documents').update({ expires_on: rows[0]!.y }).eq('id', C2_INSURANCE);
    expect(back.error?.message).toBe('document_expired');
    const admin = await clientFor('admin')
      .from('courier_documents')
      .insert({ ...doc(rows[0]!.y), storage_path: `${C2}/assurance-2019.jpg` });
    expect(admin.error).toBeNull();
  });
});

describe('the daily reminders', () => {
  it('reminds 7 days ahead once, then again the day before, in the courier’s language', async () => {
    await db.query(`update public.courier_documents set expires_on = ${inDays(7)} where id = $1`, [C2_INSURANCE]);
    await db.query(`update public.profiles set language = 'en' where id = $1`, [C2]);
    try {
      expect(await run()).toMatchObject({ reminded: 1 });
      expect(await run()).toMatchObject({ reminded: 0 });
      await db.query(`update public.courier_documents set expires_on = ${inDays(1)} where id = $1`, [C2_INSURANCE]);
      expect(await run()).toMatchObject({ reminded: 1 });
      const notices = await noticesOf(C2);
      expect(notices).toHaveLength(2);
      expect(notices[0]).toMatchObject({
        language: 'en',
        title: 'Document expiring soon',
        data: { event: 'document_expiring', document_id: C2_INSURANCE, document_kind: 'insurance', days_left: 7 },
      });
      expect(notices[1]!.body).toMatch(
        /^Your insurance expires on \d\d\/\d\d\/\d{4}\. Send the renewed one in the app to keep receiving jobs\.$/,
      );
    } finally {
      await db.query(`update public.profiles set language = 'fr' where id = $1`, [C2]);
    }
  });

  it('says nothing when the renewal was already sent, and nothing for far-off dates', async () => {
    await db.query(`update public.courier_documents set expires_on = ${inDays(5)} where id = $1`, [C2_INSURANCE]);
    await db.query(
      `insert into public.courier_documents (courier_id, kind, storage_path, number, expires_on, review_status)
       values ($1, 'insurance', $2, 'AS009', current_date + 365, 'pending')`,
      [C2, `${C2}/assurance-new.jpg`],
    );
    await db.query(`update public.courier_documents set expires_on = ${inDays(45)} where id = $1`, [ID.docOnJobId]);
    expect(await run()).toMatchObject({ reminded: 0, suspended: 0 });
    expect(await noticesOf(C2)).toEqual([]);
    expect(await noticesOf(C1)).toEqual([]);
  });

  it('suspends a courier whose required document expired, takes them offline and tells them why', async () => {
    await db.query(`update public.courier_documents set expires_on = current_date - 1 where id = $1`, [C2_INSURANCE]);
    await db.query(
      `insert into public.courier_presence (courier_id, online, lat, lng) values ($1, true, 5.9, -4.82)
       on conflict (courier_id) do update set online = true`,
      [C2],
    );
    expect(await run()).toMatchObject({ suspended: 1 });
    expect(await statusOf(C2)).toBe('suspended');
    expect((await db.query('select online from public.courier_presence where courier_id = $1', [C2])).rows[0]).toEqual({
      online: false,
    });
    const [notice] = await noticesOf(C2);
    expect(notice).toMatchObject({
      title: 'Compte suspendu : document expiré',
      body:
        'Votre assurance a expiré. Envoyez le nouveau document dans l’application : vous recevrez de nouveau des ' +
        'courses dès qu’il sera validé.',
      data: { event: 'documents_expired', document_kinds: ['insurance'] },
    });
    expect(await run()).toMatchObject({ suspended: 0 });
  });

  it('leaves a courier on a job at work, and a pending renewal does not count as in force', async () => {
    await db.query(`update public.courier_documents set expires_on = current_date - 1 where id = $1`, [
      ID.docOnJobInsurance,
    ]);
    expect(await run()).toMatchObject({ suspended: 0 });
    expect(await statusOf(C1)).toBe('approved');
    // C2, not on a job, with only a pending renewal: suspended.
    await db.query(`update public.courier_documents set expires_on = current_date - 1 where id = $1`, [C2_INSURANCE]);
    await db.query(
      `insert into public.courier_documents (courier_id, kind, storage_path, number, expires_on, review_status)
       values ($1, 'insurance', $2, 'AS009', current_date + 365, 'pending')`,
      [C2, `${C2}/assurance-new.jpg`],
    );
    expect(await run()).toMatchObject({ suspended: 1 });
    expect(await statusOf(C2)).toBe('suspended');
  });
});
