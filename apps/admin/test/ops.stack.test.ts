// The operations part's data layer (src/data/ops/*.ts) against a real local stack, as the dashboard calls it: an
// admin searches, suspends and reinstates, works a dispute, is refused a negative fare in words and exports CSV;
// support reads all of it and every write refuses it; a customer, a merchant and a courier get none of it.
import { createSupabase } from '@ecom/app-kit/supabase';
import { parseCsv } from '@ecom/domain/csv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePeople, PEOPLE, superuser, tokenFor } from '../../../packages/db/test/actors.ts';
import { ensureSupport, liftSuspensions, supportToken } from '../../../packages/db/test/admin-ops-kit.ts';
import { ID, TIASSALE, resetFixtures } from '../../../packages/db/test/fixtures.ts';
import { stack } from '../../../packages/local-stack/test/stack.ts';
import {
  createPromotion,
  loadConfiguration,
  saveCashLimit,
  saveOrderRate,
  saveRideFare,
  setPromotionActive,
} from '../src/data/ops/config.ts';
import { attachEvidence, getDispute, listDisputes, photoUrl, takeDispute } from '../src/data/ops/disputes.ts';
import { OpsError } from '../src/data/ops/errors.ts';
import { exportCsv } from '../src/data/ops/exports.ts';
import { searchUsers, setRole, setSuspension } from '../src/data/ops/users.ts';

const db = superuser();
type Who = 'admin' | 'support' | 'customer_a' | 'merchant_x' | 'courier_on_job';

function appAs(who: Who) {
  const s = stack();
  const token = who === 'support' ? supportToken() : tokenFor(who);
  return createSupabase({ url: s.apiUrl, anonKey: s.anonKey, accessToken: async () => token });
}

/** The OpsError code a call ends with (fails when it succeeds). */
async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (e) {
    expect(e).toBeInstanceOf(OpsError);
    return (e as OpsError).code;
  }
  throw new Error('expected a refusal');
}

const t = (key: string) => key.split('.').at(-1)!;
const period = () => ({
  from: new Date(Date.now() - 3600_000).toISOString(),
  to: new Date(Date.now() + 3600_000).toISOString(),
});
const fareOf = async () =>
  (
    await db.query(`select base_fare_xof from public.ride_fares where zone_id = $1 and vehicle_type = 'moto'`, [
      TIASSALE,
    ])
  ).rows[0]!.base_fare_xof as number;

beforeAll(async () => {
  await ensurePeople();
  await ensureSupport(db);
  await resetFixtures(db);
});
afterAll(async () => {
  await liftSuspensions(db);
  await resetFixtures(db);
  await db.end();
});

describe('an admin through the data layer', () => {
  const admin = () => appAs('admin');

  it('finds a customer by phone, suspends and reinstates them', async () => {
    const found = await searchUsers(admin(), { query: '01 00 00 02 01' });
    expect(found.rows.map((u) => u.id)).toEqual([PEOPLE.customer_a.id]);
    expect(await refusal(setSuspension(admin(), PEOPLE.customer_a.id, true, ' '))).toBe('reason_required');
    expect(await setSuspension(admin(), PEOPLE.customer_a.id, true, 'Fraude au paiement')).toMatchObject({
      suspended: true,
      changed: true,
    });
    expect((await searchUsers(admin(), { query: '0100000201' })).rows[0]).toMatchObject({ suspended: true });
    expect(await setSuspension(admin(), PEOPLE.customer_a.id, false)).toMatchObject({ suspended: false });
    expect(await setRole(admin(), PEOPLE.customer_b.id, 'merchant', true)).toEqual(['customer', 'merchant']);
    expect(await setRole(admin(), PEOPLE.customer_b.id, 'merchant', false)).toEqual(['customer']);
  });

  it('works a dispute: queue, detail with timeline and trace, take, attach', async () => {
    const queue = await listDisputes(admin());
    expect(queue.targets).toEqual({ first_response_minutes: 120, resolution_minutes: 2880 });
    expect(queue.rows.map((d) => d.id)).toContain(ID.disputeO1);
    const detail = (await getDispute(admin(), ID.disputeO1))!;
    expect(detail.timeline.length).toBeGreaterThan(3);
    expect(detail.trace).toHaveLength(2);
    await takeDispute(admin(), ID.disputeO1);
    const added = await attachEvidence(admin(), ID.disputeO1, 'timeline');
    expect(added[0]).toMatchObject({ kind: 'timeline' });
    expect((await getDispute(admin(), ID.disputeO1))!.dispute.status).toBe('investigating');
  });

  it("attaches the courier's document photos and opens them by a signed link, as support too; not the customer", async () => {
    const s = stack();
    const path = `${PEOPLE.courier_on_job.id}/cni.jpg`;
    const upload = await fetch(`${s.apiUrl}/storage/v1/object/courier-documents/${path}`, {
      method: 'POST',
      headers: {
        apikey: s.serviceRoleKey,
        Authorization: `Bearer ${s.serviceRoleKey}`,
        'Content-Type': 'image/jpeg',
        'x-upsert': 'true',
      },
      body: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0xff, 0xd9]),
    });
    expect(upload.status, await upload.text()).toBe(200);
    const photos = await attachEvidence(admin(), ID.disputeO1, 'photos');
    expect(photos.map((p) => p.storage_path)).toContain(`courier-documents/${path}`);
    for (const who of ['admin', 'support'] as const) {
      const url = await photoUrl(appAs(who), `courier-documents/${path}`);
      expect(url, who).not.toBeNull();
      const file = await fetch(url!);
      expect(file.status, who).toBe(200);
      expect(new Uint8Array(await file.arrayBuffer())[0]).toBe(0xff);
    }
    expect(await photoUrl(appAs('customer_a'), `courier-documents/${path}`)).toBeNull();
    const seen = await getDispute(appAs('customer_a'), ID.disputeO1);
    expect(seen!.evidence.some((e) => e.kind === 'photo')).toBe(false);
  });

  it('is refused a negative fare in words, and nothing changes', async () => {
    const before = await fareOf();
    const e = await refusal(
      saveRideFare(admin(), TIASSALE, 'moto', {
        base_fare_xof: -100,
        per_km_xof: 100,
        per_minute_xof: 10,
        minimum_fare_xof: 300,
      }),
    );
    expect(e).toBe('amount_min');
    expect(await fareOf()).toBe(before);
  });

  it('refuses a commission above 100 % and a promotion above 100 %, creates and pauses a valid promotion', async () => {
    const rate = { merchant_commission_bps: 12000, delivery_cut_bps: 2000 };
    expect(await refusal(saveOrderRate(admin(), TIASSALE, 'maquis', rate))).toBe('percent_range');
    const promo = {
      code: 'TESTOPS10',
      description: 'Dix pour cent sur tout',
      kind: 'percent' as const,
      value: 150,
      min_order_xof: 0,
      max_discount_xof: 1000,
      starts_at: new Date().toISOString(),
      ends_at: new Date(Date.now() + 86_400_000).toISOString(),
      active: true,
    };
    expect(await refusal(createPromotion(admin(), promo))).toBe('promo_percent');
    const ends = new Date(Date.now() - 86_400_000).toISOString();
    expect(await refusal(createPromotion(admin(), { ...promo, value: 10, ends_at: ends }))).toBe('promo_period');
    const created = await createPromotion(admin(), { ...promo, value: 10 });
    expect(created).toMatchObject({ code: 'TESTOPS10', store_id: null, active: true });
    await setPromotionActive(admin(), created.id, false);
    const { rows } = await db.query('select active from public.promotions where id = $1', [created.id]);
    expect(rows[0]).toEqual({ active: false });
    const maquis = await db.query(
      `select merchant_commission_bps from public.order_rates where zone_id = $1 and store_kind = 'maquis'`,
      [TIASSALE],
    );
    expect(maquis.rows[0]!.merchant_commission_bps).toBeLessThanOrEqual(10000);
  });

  it('exports the orders of the period as CSV French Excel opens', async () => {
    const { csv, rows } = await exportCsv(admin(), 'orders', t, period());
    expect(csv.startsWith('\ufeff')).toBe(true);
    const table = parseCsv(csv);
    expect(table[0]![0]).toBe('order');
    expect(table.slice(1).map((r) => r[0])).toEqual(expect.arrayContaining([ID.orderO1, ID.orderO3]));
    expect(rows).toBe(table.length - 1);
    const register = await exportCsv(admin(), 'couriers', t, period());
    expect(register.rows).toBeGreaterThan(10);
  });
});

describe('support through the data layer', () => {
  const support = () => appAs('support');

  it('reads users, disputes, configuration and exports', async () => {
    expect((await searchUsers(support(), { query: '0100000201' })).rows).toHaveLength(1);
    expect((await listDisputes(support())).rows.map((d) => d.id)).toContain(ID.disputeO1);
    expect((await getDispute(support(), ID.disputeO1))!.trace).toHaveLength(2);
    const config = await loadConfiguration(support());
    expect(config.orderRates.length).toBeGreaterThan(0);
    expect(config.cashLimits.length).toBeGreaterThan(0);
    expect((await exportCsv(support(), 'payouts', t, period())).csv).toContain('payout');
  });

  it('cannot change anything: suspension, roles, disputes, fares, cash limits, promotions', async () => {
    expect(await refusal(setSuspension(support(), PEOPLE.customer_b.id, true, 'Fraude'))).toBe('admin_only');
    expect(await refusal(setRole(support(), PEOPLE.customer_b.id, 'admin', true))).toBe('admin_only');
    expect(await refusal(takeDispute(support(), ID.disputeO1))).toBe('admin_only');
    expect(await refusal(attachEvidence(support(), ID.disputeO1, 'trace'))).toBe('admin_only');
    const before = await fareOf();
    const fare = { base_fare_xof: before + 1, per_km_xof: 100, per_minute_xof: 10, minimum_fare_xof: 300 };
    expect(await refusal(saveRideFare(support(), TIASSALE, 'moto', fare))).toBe('forbidden');
    expect(await fareOf()).toBe(before);
    expect(await refusal(saveCashLimit(support(), TIASSALE, 1))).toBe('forbidden');
    const promo = {
      code: 'TESTSUPPORT',
      description: '',
      kind: 'percent' as const,
      value: 10,
      min_order_xof: 0,
      max_discount_xof: null,
      starts_at: new Date().toISOString(),
      ends_at: new Date(Date.now() + 86_400_000).toISOString(),
      active: true,
    };
    expect(await refusal(createPromotion(support(), promo))).toBe('forbidden');
    const { rows } = await db.query(
      `select (select suspended_at from public.profiles where id = $1) as suspended,
              (select count(*)::int from public.promotions where code = 'TESTSUPPORT') as promos,
              (select limit_xof from public.courier_cash_limits where zone_id = $2) as cash`,
      [PEOPLE.customer_b.id, TIASSALE],
    );
    expect(rows[0]).toMatchObject({ suspended: null, promos: 0 });
    expect(rows[0]!.cash).not.toBe(1);
  });
});

describe('a customer, a merchant and a courier', () => {
  for (const who of ['customer_a', 'merchant_x', 'courier_on_job'] as const) {
    it(`${who} gets no operations data`, async () => {
      const app = appAs(who);
      expect(await refusal(searchUsers(app, { query: '0100' }))).toBe('staff_only');
      expect(await refusal(listDisputes(app))).toBe('staff_only');
      expect(await refusal(exportCsv(app, 'orders', t, period()))).toBe('staff_only');
      expect(await refusal(exportCsv(app, 'couriers', t, period()))).toBe('staff_only');
      expect(await refusal(setSuspension(app, PEOPLE.customer_b.id, true, 'Fraude'))).toBe('admin_only');
      const config = await loadConfiguration(app);
      expect([config.orderRates, config.rideRates, config.cashLimits]).toEqual([[], [], []]);
      if (who !== 'customer_a') expect(await getDispute(app, ID.disputeO1)).toBeNull();
    });
  }
});
