// Disputes for the operations team (migration 20261121203130): a customer opens one about their own job only; the
// queue shows due times from the targets (2 h first answer, 48 h resolution) and what is overdue; an admin takes it
// (the customer is told), snapshots the timeline, the GPS trace and the photos, and resolves it with a partial refund
// through the ledger (never more than paid, once per key) or without one. Support reads the queue; every write is
// the admins'.
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientFor, ensurePeople, PEOPLE, superuser } from './actors.ts';
import { callFunction, ensureSupport, newKey, supportClient } from './admin-ops-kit.ts';
import { ID, resetFixtures } from './fixtures.ts';

let db: pg.Pool;
const A = PEOPLE.customer_a.id;
const C1 = PEOPLE.courier_on_job.id;

beforeAll(async () => {
  db = superuser();
  await ensurePeople();
  await ensureSupport(db);
});
beforeEach(async () => {
  await resetFixtures(db);
});
afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});

const admin = () => clientFor('admin');

/**
 * A new wallet pickup order of customer A at store X (2 Garba, 1 000 FCFA), delivered: its money is its own (the
 * fixtures' orders come back with the same ids at every reset while the ledger keeps every past entry of them).
 */
async function deliveredOrder(): Promise<{ id: string; total: number }> {
  await db.query(`update public.stores set status = 'open', busy_until = null where id = $1`, [ID.storeX]);
  await db.query('delete from public.store_hours where store_id = $1', [ID.storeX]);
  await db.query(
    `insert into public.store_hours (store_id, weekday, opens, closes, closes_next_day)
     select $1, d, '00:00', '00:00', true from generate_series(1, 7) d`,
    [ID.storeX],
  );
  await db.query('delete from public.store_hour_exceptions where store_id = $1', [ID.storeX]);
  const placed = await callFunction(
    'customer_a',
    'orders',
    {
      store_id: ID.storeX,
      items: [{ product_id: ID.productX, quantity: 2 }],
      fulfilment: 'pickup',
      payment_method: 'wallet',
    },
    { 'idempotency-key': newKey('order') },
  );
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const id = placed.body.order.id as string;
  const code = (
    await db.query<{ code: string }>('select code from public.order_delivery_codes where order_id = $1', [id])
  ).rows[0]!.code;
  for (const to of ['accepted', 'preparing', 'ready', 'delivered']) {
    await db.query('select private.transition_order($1, $2, $3, $4, null, $5)', [
      id,
      to,
      PEOPLE.merchant_x.id,
      'merchant',
      to === 'delivered' ? code : null,
    ]);
  }
  return { id, total: placed.body.order.total_xof as number };
}
async function openDispute(job: { order_id?: string; ride_id?: string }, reason = 'Il manquait la moitié du plat') {
  const r = await clientFor('customer_a')
    .from('disputes')
    .insert({ ...job, reason })
    .select()
    .single();
  expect(r.error).toBeNull();
  return r.data!.id;
}
const resolve = (id: string, outcome: string, amount: number | null, note: string | null, key = newKey('resolve')) =>
  admin().rpc('admin_dispute_resolve', {
    p_dispute_id: id,
    p_outcome: outcome,
    p_amount_xof: amount as number,
    p_note: note as string,
    p_idempotency_key: key,
  });
const walletOf = async (owner: string) =>
  Number(
    (
      await db.query<{ balance: string }>(
        `select balance from public.ledger_accounts where kind = 'customer_wallet' and owner_id = $1`,
        [owner],
      )
    ).rows[0]?.balance ?? 0,
  );
const lastNotice = async (user: string) =>
  (
    await db.query<{ title: string; body: string; event: string }>(
      `select title, body, data ->> 'event' as event from public.notifications where user_id = $1
        order by created_at desc, id desc limit 1`,
      [user],
    )
  ).rows[0];

describe('opening and the queue', () => {
  it('lets a customer open a dispute about their own order only', async () => {
    await openDispute({ order_id: ID.orderO3 });
    const other = await clientFor('customer_b').from('disputes').insert({ order_id: ID.orderO3, reason: 'Pas à moi' });
    expect(other.error).toMatchObject({ code: '42501' });
  });

  it('shows due times from the targets, overdue ones flagged, to admins and support', async () => {
    const fresh = await openDispute({ order_id: ID.orderO3 });
    await db.query(`update public.disputes set created_at = now() - interval '3 days' where id = $1`, [ID.disputeO1]);
    const targets = await supportClient().rpc('dispute_targets');
    expect(targets.data).toEqual({ first_response_minutes: 120, resolution_minutes: 2880 });

    const queue = await supportClient().rpc('admin_disputes', {});
    expect(queue.error).toBeNull();
    const byId = new Map(queue.data!.map((d) => [d.id, d]));
    const late = byId.get(ID.disputeO1)!;
    expect(late).toMatchObject({ status: 'open', first_response_overdue: true, resolution_overdue: true });
    expect(late.customer_phone).toBe('+2250100000201');
    const now = byId.get(fresh)!;
    expect(now).toMatchObject({ first_response_overdue: false, resolution_overdue: false, paid_xof: 1000 });
    const opened = new Date(now.created_at).getTime();
    expect(new Date(now.first_response_due_at).getTime() - opened).toBe(2 * 3600_000);
    expect(new Date(now.resolution_due_at).getTime() - opened).toBe(48 * 3600_000);
    // Oldest unresolved first.
    expect(queue.data![0]!.id).toBe(ID.disputeO1);
  });
});

describe('taking and evidence', () => {
  it('takes a dispute: investigating, assigned, the customer told once, audited', async () => {
    const r = await admin().rpc('admin_dispute_take', { p_dispute_id: ID.disputeO1 });
    expect(r.error).toBeNull();
    expect(r.data).toMatchObject({ status: 'investigating', assigned_to: PEOPLE.admin.id });
    expect(await lastNotice(A)).toMatchObject({ title: 'Réclamation prise en charge', event: 'dispute_taken' });
    const audit = await db.query(
      `select actor_id, new_data ->> 'status' as status from public.audit_log
        where table_name = 'disputes' and row_id = $1 order by id desc limit 1`,
      [ID.disputeO1],
    );
    expect(audit.rows[0]).toEqual({ actor_id: PEOPLE.admin.id, status: 'investigating' });
    const notices = async () =>
      (await db.query(`select count(*)::int as n from public.notifications where user_id = $1`, [A])).rows[0]!.n;
    const before = await notices();
    expect((await admin().rpc('admin_dispute_take', { p_dispute_id: ID.disputeO1 })).error).toBeNull();
    expect(await notices()).toBe(before);
  });

  it('snapshots the timeline, the GPS trace and the photos of the job', async () => {
    const timeline = await admin().rpc('admin_dispute_attach_evidence', {
      p_dispute_id: ID.disputeO1,
      p_kind: 'timeline',
    });
    expect(timeline.error).toBeNull();
    const events = await db.query(`select count(*)::int as n from public.order_events where order_id = $1`, [
      ID.orderO1,
    ]);
    const t = timeline.data![0]!;
    expect(t).toMatchObject({ kind: 'timeline', added_by: PEOPLE.admin.id });
    expect((t.data as { count: number }).count).toBe(events.rows[0]!.n);
    expect(t.note).toMatch(new RegExp(`^timeline: ${events.rows[0]!.n} events, `));

    const trace = await admin().rpc('admin_dispute_attach_evidence', { p_dispute_id: ID.disputeO1, p_kind: 'trace' });
    const points = (trace.data![0]!.data as { points: { lat: number; lng: number }[] }).points;
    expect(points.map((p) => [p.lat, p.lng])).toEqual([
      [5.899, -4.8222],
      [5.8993, -4.8227],
    ]);

    const photos = await admin().rpc('admin_dispute_attach_evidence', { p_dispute_id: ID.disputeO1, p_kind: 'photos' });
    expect(photos.error).toBeNull();
    const docs = await db.query<{ path: string }>(
      `select 'courier-documents/' || storage_path as path from public.courier_documents
        where courier_id = $1 and review_status = 'approved'`,
      [C1],
    );
    expect(photos.data!.map((p) => p.storage_path).sort()).toEqual(docs.rows.map((d) => d.path).sort());
    expect(photos.data!.every((p) => p.kind === 'photo')).toBe(true);
    const again = await admin().rpc('admin_dispute_attach_evidence', { p_dispute_id: ID.disputeO1, p_kind: 'photos' });
    expect(again.error).toMatchObject({ code: 'EO409', message: 'no_photos' });

    // The customer sees their own note and the timeline, not the courier's trace and documents.
    const customer = await clientFor('customer_a')
      .from('dispute_evidence')
      .select('kind')
      .eq('dispute_id', ID.disputeO1);
    expect(customer.data!.map((e) => e.kind).sort()).toEqual(['manual', 'timeline']);
    const support = await supportClient().from('dispute_evidence').select('kind').eq('dispute_id', ID.disputeO1);
    expect(support.data).toHaveLength(1 + 2 + docs.rows.length);
  });

  it('refuses an unknown kind, an unknown dispute and non-admins', async () => {
    const kind = await admin().rpc('admin_dispute_attach_evidence', { p_dispute_id: ID.disputeO1, p_kind: 'selfie' });
    expect(kind.error).toMatchObject({ code: 'EO400', message: 'evidence_kind_invalid' });
    const unknown = await admin().rpc('admin_dispute_take', { p_dispute_id: ID.orderO1 });
    expect(unknown.error).toMatchObject({ code: 'EO404', message: 'dispute_not_found' });
    const customer = await clientFor('customer_a').rpc('admin_dispute_take', { p_dispute_id: ID.disputeO1 });
    expect(customer.error).toMatchObject({ code: 'EO403', message: 'admin_only' });
    const { rows } = await db.query(`select count(*)::int as n from public.dispute_evidence where dispute_id = $1`, [
      ID.disputeO1,
    ]);
    expect(rows[0]!.n).toBe(1);
  });
});

describe('resolution', () => {
  it('refunds part of an order to the wallet through the ledger, once per key, and tells the customer', async () => {
    const order = await deliveredOrder();
    const id = await openDispute({ order_id: order.id });
    const before = await walletOf(A);
    const key = newKey('resolve');
    const r = await resolve(id, 'refund', 400, 'Boisson manquante : remboursée', key);
    expect(r.error).toBeNull();
    const body = r.data as { dispute: Record<string, unknown>; refund: Record<string, unknown> };
    expect(body.dispute).toMatchObject({
      status: 'resolved',
      outcome: 'refund',
      refund_xof: 400,
      resolved_by: PEOPLE.admin.id,
    });
    expect(body.refund).toMatchObject({ order_id: order.id, amount_xof: 400, refundable_xof: order.total - 400 });
    expect(await walletOf(A)).toBe(before + 400);
    expect(await lastNotice(A)).toEqual({
      title: 'Réclamation traitée',
      body: '400 FCFA ont été remboursés sur votre portefeuille. Boisson manquante : remboursée',
      event: 'dispute_refunded',
    });

    const replay = await resolve(id, 'refund', 400, 'Boisson manquante : remboursée', key);
    expect(replay.data).toEqual(r.data);
    expect(await walletOf(A)).toBe(before + 400);
    const reused = await resolve(id, 'refund', 300, 'Boisson manquante : remboursée', key);
    expect(reused.error).toMatchObject({ code: 'EO422', message: 'idempotency_key_reused' });
    const closed = await resolve(id, 'no_refund', null, 'Déjà traité');
    expect(closed.error).toMatchObject({ code: 'EO409', message: 'dispute_closed' });
  });

  it('never refunds more than was paid, and then leaves the dispute open', async () => {
    const order = await deliveredOrder();
    const id = await openDispute({ order_id: order.id });
    const before = await walletOf(A);
    const r = await resolve(id, 'refund', order.total + 1, 'Tout rembourser et plus');
    expect(r.error).toMatchObject({ code: 'EO422', message: 'refund_exceeds_paid' });
    expect(JSON.parse(r.error!.details)).toMatchObject({ paid_xof: order.total, refundable_xof: order.total });
    expect(await walletOf(A)).toBe(before);
    const { rows } = await db.query(`select status::text from public.disputes where id = $1`, [id]);
    expect(rows[0]).toEqual({ status: 'open' });
  });

  it('refunds a completed ride from the platform, up to its fare', async () => {
    const id = await openDispute({ ride_id: ID.rideR3 }, 'Le chauffeur a pris un détour');
    const fare = Number(
      (
        await db.query<{ fare: number }>(
          'select coalesce(final_fare_xof, fare_quote_xof) as fare from public.rides where id = $1',
          [ID.rideR3],
        )
      ).rows[0]!.fare,
    );
    const over = await resolve(id, 'refund', fare + 1, 'Détour confirmé par la trace');
    expect(over.error).toMatchObject({ code: 'EO422', message: 'refund_exceeds_paid' });
    const before = await walletOf(A);
    const r = await resolve(id, 'refund', 1, 'Détour confirmé par la trace');
    expect(r.error).toBeNull();
    expect((r.data as { refund: Record<string, unknown> }).refund).toMatchObject({ ride_id: ID.rideR3, amount_xof: 1 });
    expect(await walletOf(A)).toBe(before + 1);
  });

  it('resolves without a refund with a note; refuses a bad outcome, a missing note, an amount without refund', async () => {
    const id = await openDispute({ order_id: ID.orderO3 });
    expect((await resolve(id, 'maybe', null, 'Pourquoi pas')).error).toMatchObject({ message: 'outcome_invalid' });
    expect((await resolve(id, 'no_refund', null, ' ')).error).toMatchObject({ message: 'note_required' });
    expect((await resolve(id, 'no_refund', 200, 'Rien')).error).toMatchObject({ message: 'validation_failed' });
    expect((await resolve(id, 'refund', null, 'Sans montant')).error).toMatchObject({ message: 'validation_failed' });
    const r = await resolve(id, 'no_refund', null, 'La commande était complète : photo du sac fermé');
    expect(r.error).toBeNull();
    expect((r.data as { dispute: Record<string, unknown>; refund: unknown }).dispute).toMatchObject({
      status: 'resolved',
      outcome: 'no_refund',
      refund_xof: null,
    });
    expect(await lastNotice(A)).toMatchObject({
      title: 'Réclamation traitée',
      body: 'Notre réponse : La commande était complète : photo du sac fermé',
    });
  });
});
