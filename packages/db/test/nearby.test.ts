// nearby_stores(): approved stores around a point, nearest first, through the Data API as an app calls it, and
// answered by the GiST index on ll_to_earth(lat, lng) (the plan of the function's own query, by auto_explain).
// Runs on the Tiassalé seed.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, ensurePeople, superuser } from './actors.ts';
import { TIASSALE, TIASSALE_CENTRE, resetFixtures } from './fixtures.ts';

let db: pg.Pool;
beforeAll(async () => {
  db = superuser();
  await ensurePeople();
  await resetFixtures(db);
});
afterAll(() => db.end());

const seedStore = (n: number) => `51000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('nearby_stores', () => {
  it('gives a visitor the approved stores around the town centre, nearest first, with distances', async () => {
    const r = await clientFor('anon').rpc('nearby_stores', { ...TIASSALE_CENTRE, radius_m: 3000 });
    expect(r.error).toBeNull();
    const rows = r.data!;
    const seeded = rows.filter((s) => s.id!.startsWith('51000000-'));
    expect(seeded.length).toBeGreaterThanOrEqual(12);
    expect(rows.map((s) => s.id)).not.toContain(seedStore(14)); // Cave Chez Ali is pending
    expect(rows.map((s) => s.id)).not.toContain('d0000000-0000-4000-8000-000000000003'); // fixture P, pending
    const distances = rows.map((s) => s.distance_m!);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(Math.max(...distances)).toBeLessThanOrEqual(3000);
    expect(rows[0]).toMatchObject({
      id: seedStore(7),
      name: 'Boulangerie La Renaissance',
      kind: 'bakery',
      distance_m: 60,
    });
  });

  it('filters by kind and by radius', async () => {
    const pharmacies = await clientFor('customer_a').rpc('nearby_stores', {
      ...TIASSALE_CENTRE,
      radius_m: 5000,
      kind: 'pharmacy',
    });
    expect(pharmacies.data!.filter((s) => s.id!.startsWith('51000000-')).map((s) => s.name)).toEqual([
      'Pharmacie du Bandama',
      'Pharmacie de la Gare',
    ]);
    const close = await clientFor('customer_a').rpc('nearby_stores', { ...TIASSALE_CENTRE, radius_m: 100 });
    expect(close.data!.map((s) => s.name)).toEqual(['Boulangerie La Renaissance']);
  });

  it("brings each store's weekly hours and only the coming week's exceptions, in the same answer", async () => {
    const bakery = seedStore(7);
    const { rows: slots } = await db.query<{
      weekday: number;
      opens: string;
      closes: string;
      closes_next_day: boolean;
    }>(
      'select weekday, opens::text, closes::text, closes_next_day from public.store_hours where store_id = $1 order by weekday, opens',
      [bakery],
    );
    expect(slots.length).toBeGreaterThan(0);
    await db.query(
      `insert into public.store_hour_exceptions (store_id, on_date, closed, opens, closes, note)
       values ($1, current_date + 2, false, '10:00', '14:00', 'Fête du quartier'),
              ($1, current_date + 30, true, null, null, 'Congés')`,
      [bakery],
    );
    try {
      const r = await clientFor('anon').rpc('nearby_stores', { ...TIASSALE_CENTRE, radius_m: 3000 });
      expect(r.error).toBeNull();
      const row = r.data!.find((s) => s.id === bakery)!;
      expect(row.hours).toEqual(slots);
      const { rows: soon } = await db.query<{ d: string }>('select (current_date + 2)::text as d');
      expect(row.exceptions).toEqual([
        { on_date: soon[0]!.d, closed: false, opens: '10:00:00', closes: '14:00:00', closes_next_day: false },
      ]);
      // A store without hours gets empty lists, never null.
      expect(r.data!.every((s) => Array.isArray(s.hours) && Array.isArray(s.exceptions))).toBe(true);
    } finally {
      await db.query('delete from public.store_hour_exceptions where store_id = $1', [bakery]);
    }
  });

  it('finds nothing in Abidjan, 108 km away', async () => {
    const r = await clientFor('anon').rpc('nearby_stores', { lat: 5.3364, lng: -4.0267, radius_m: 50000 });
    expect(r.data).toEqual([]);
  });

  it('refuses a radius out of range and bad coordinates', async () => {
    const radius = await clientFor('anon').rpc('nearby_stores', { ...TIASSALE_CENTRE, radius_m: 0 });
    expect(radius.error?.code).toBe('23514');
    expect(radius.error?.message).toBe('radius_m must be between 1 and 50000 metres, got 0');
    const lat = await clientFor('anon').rpc('nearby_stores', { lat: 91, lng: 0 });
    expect(lat.error?.message).toBe('latitude must be between -90 and 90 degrees, got 91');
  });

  it('answers with an index scan on stores_location_idx among 5 000 stores', async () => {
    const c = await db.connect();
    const notices: string[] = [];
    c.on('notice', (n) => notices.push(n.message ?? ''));
    try {
      await c.query('begin');
      // The zone is given: do not check these synthetic stores against the Tiassalé radius.
      await c.query('alter table public.stores disable trigger stores_assign_zone');
      // 5 000 approved stores spread over ±1° around Tiassalé (about 110 km), then fresh statistics.
      await c.query(
        `insert into public.stores (kind, slug, name, phone, lat, lng, landmark, zone_id, approval_status)
         select 'shop', 'test-bulk-' || i, 'Boutique ' || i, '+2250700000601',
                5.8983 + (random() - 0.5) * 2, -4.8228 + (random() - 0.5) * 2, 'Repère ' || i, $1, 'approved'
           from generate_series(1, 5000) i`,
        [TIASSALE],
      );
      await c.query('analyze public.stores');
      await c.query("load 'auto_explain'");
      await c.query('set local auto_explain.log_min_duration = 0');
      await c.query('set local auto_explain.log_nested_statements = on');
      await c.query("set local auto_explain.log_level = 'notice'");
      await c.query('set local role anon');
      const r = await c.query('select count(*)::int as n from public.nearby_stores(5.8983, -4.8228, 2000)');
      expect(r.rows[0].n).toBeGreaterThan(0);
    } finally {
      await c.query('rollback');
      c.release();
    }
    const plan = notices.find((n) => n.includes('earth_box'));
    expect(plan, notices.join('\n---\n')).toMatch(
      /Index Scan using stores_location_idx|Bitmap Index Scan on stores_location_idx/,
    );
    expect(plan).not.toMatch(/Seq Scan on stores/);
  });
});

describe('the Tiassalé seed', () => {
  it('has at least twelve approved stores of several kinds, each with hours and a priced menu', async () => {
    const stores = await clientFor('anon')
      .from('stores')
      .select('id, kind, zone_id, store_hours(id), products(price_xof)')
      .in(
        'id',
        Array.from({ length: 14 }, (_, i) => seedStore(i + 1)),
      );
    expect(stores.error).toBeNull();
    const list = stores.data!;
    expect(list.length).toBe(13); // the fourteenth, Cave Chez Ali, awaits approval
    expect(new Set(list.map((s) => s.kind)).size).toBeGreaterThanOrEqual(6);
    for (const s of list) {
      expect(s.zone_id).toBe(TIASSALE);
      expect(s.store_hours.length).toBeGreaterThan(0);
      expect(s.products.length).toBeGreaterThanOrEqual(2);
      for (const p of s.products) expect(Number.isInteger(p.price_xof) && p.price_xof > 0).toBe(true);
    }
  });
});
