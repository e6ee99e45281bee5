// Automatic pause after missed orders (migration 20261121200310): the second order of an open store cancelled by the
// system for want of an answer within 30 minutes sets the store busy for 30 minutes and tells its merchants; one
// missed order, an answered one, or a store already closed change nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensurePeople, PEOPLE, superuser } from './actors.ts';
import { ID, resetFixtures } from './fixtures.ts';

const db = superuser();
let seq = 0;

/** A pending cash pickup order of customer A at store X, as placement writes it. */
async function pendingOrder(): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into public.orders (customer_id, customer_first_name, store_id, fulfilment, subtotal_xof, total_xof,
                                payment_method, idempotency_key)
     values ($1, 'Awa', $2, 'pickup', 500, 500, 'cash', $3) returning id`,
    [PEOPLE.customer_a.id, ID.storeX, `missed-${process.pid}-${Date.now()}-${(seq += 1)}`],
  );
  return rows[0]!.id;
}

/** What private.run_order_timeouts does to an unanswered order. */
const timeOut = (id: string) =>
  db.query(`select private.transition_order($1, 'cancelled', null, 'system', 'merchant did not answer in time')`, [id]);

const storeX = async () =>
  (await db.query('select status, busy_until from public.stores where id = $1', [ID.storeX])).rows[0] as {
    status: string;
    busy_until: Date | null;
  };

const pauseNotices = async () =>
  (
    await db.query(
      `select user_id, title from public.notifications where kind = 'system' and data ->> 'event' = 'store_paused'
         and data ->> 'store_id' = $1 order by user_id`,
      [ID.storeX],
    )
  ).rows;

beforeAll(async () => {
  await ensurePeople();
});

beforeEach(async () => {
  await resetFixtures(db);
  await db.query(`update public.stores set status = 'open', busy_until = null where id = $1`, [ID.storeX]);
  await db.query(`delete from public.notifications where data ->> 'event' = 'store_paused'`);
});

afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});

describe('pause after missed orders', () => {
  it('leaves the store open after one missed order and after answered ones', async () => {
    await timeOut(await pendingOrder());
    const answered = await pendingOrder();
    await db.query(`select private.transition_order($1, 'rejected', $2, 'merchant', 'Plus de garba')`, [
      answered,
      PEOPLE.merchant_x.id,
    ]);
    expect((await storeX()).status).toBe('open');
    expect(await pauseNotices()).toEqual([]);
  });

  it('sets the store busy for 30 minutes at the second missed order and tells its merchants', async () => {
    await timeOut(await pendingOrder());
    await timeOut(await pendingOrder());
    const store = await storeX();
    expect(store.status).toBe('busy');
    const minutes = (store.busy_until!.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(29);
    expect(minutes).toBeLessThanOrEqual(30);
    const notices = await pauseNotices();
    expect(notices.map((n) => n.user_id)).toEqual([PEOPLE.merchant_x.id, PEOPLE.staff_x.id].sort());
    expect(notices[0].title).toBe('Boutique en pause');
  });

  it('does not reopen or re-pause a store its merchant closed', async () => {
    await db.query(`update public.stores set status = 'closed' where id = $1`, [ID.storeX]);
    await timeOut(await pendingOrder());
    await timeOut(await pendingOrder());
    expect(await storeX()).toEqual({ status: 'closed', busy_until: null });
    expect(await pauseNotices()).toEqual([]);
  });
});
