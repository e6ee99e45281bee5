// The admin dashboard's phone book (migration 20261121203010_create_admin_people): admins get people's phones, names
// and roles by id or by number; nobody else gets anything.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, ensurePeople, PEOPLE, superuser } from './actors.ts';
import { resetFixtures } from './fixtures.ts';

let db: pg.Pool;
beforeAll(async () => {
  db = superuser();
  await ensurePeople();
  await resetFixtures(db);
});
afterAll(async () => {
  await resetFixtures(db);
  await db.end();
});

describe('admin_people', () => {
  it('gives admins the phone, name and roles of people by id', async () => {
    const { data, error } = await clientFor('admin').rpc('admin_people', {
      p_ids: [PEOPLE.courier_on_job.id, PEOPLE.merchant_x.id],
    });
    expect(error).toBeNull();
    expect(data!.map((p) => [p.id, p.phone, p.roles])).toEqual([
      [PEOPLE.merchant_x.id, PEOPLE.merchant_x.phone, ['customer', 'merchant']],
      [PEOPLE.courier_on_job.id, PEOPLE.courier_on_job.phone, ['customer', 'courier']],
    ]);
  });

  it('finds a person by the number he calls from, written any way', async () => {
    const { data } = await clientFor('admin').rpc('admin_people', { p_phone: '+225 01 00 00 02 01' });
    expect(data!.map((p) => p.id)).toEqual([PEOPLE.customer_a.id]);
    const none = await clientFor('admin').rpc('admin_people', { p_phone: '+225 09 99 99 99 99' });
    expect(none.data).toEqual([]);
  });

  it('refuses everyone else, and too many ids at once', async () => {
    for (const who of ['customer_a', 'merchant_x', 'courier_on_job'] as const) {
      const r = await clientFor(who).rpc('admin_people', { p_ids: [PEOPLE.customer_b.id] });
      expect(r.error).toMatchObject({ code: 'EO403', message: 'not_admin' });
      expect(r.data).toBeNull();
    }
    const anon = await clientFor('anon').rpc('admin_people', { p_phone: PEOPLE.customer_a.phone });
    expect(anon.error?.code).toBe('42501');
    const many = Array.from({ length: 201 }, () => PEOPLE.customer_a.id);
    const r = await clientFor('admin').rpc('admin_people', { p_ids: many });
    expect(r.error).toMatchObject({ code: 'EO400', message: 'too_many_ids' });
  });
});
