// Row-level security, generated from the declarative matrix in rls-matrix.ts: one test per table × command ×
// actor, through the Data API with each actor's token, asserting both the allowed and the refused outcome. Writes
// are checked again as superuser (an allowed write happened, a refused one changed nothing); fixtures are reset
// before every case.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTORS, clientFor, ensurePeople, superuser } from './actors.ts';
import { resetFixtures } from './fixtures.ts';
import { RLS_MATRIX, type Outcome, type Row } from './rls-matrix.ts';

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

/** Rows of `table` matching `match` exactly, counted as superuser. */
async function countAsSuperuser(table: string, match: Row): Promise<number> {
  const keys = Object.keys(match);
  const where = keys.map((k, i) => `${k} = $${i + 1}`).join(' and ');
  const r = await db.query<{ n: number }>(
    `select count(*)::int as n from public.${table} where ${where}`,
    keys.map((k) => match[k]),
  );
  return r.rows[0]!.n;
}

function expectRefusal(error: { code?: string; message?: string } | null, outcome: 'denied' | 'rls', table: string) {
  expect(error?.code).toBe('42501');
  expect(error?.message).toBe(
    outcome === 'denied'
      ? `permission denied for table ${table}`
      : `new row violates row-level security policy for table "${table}"`,
  );
}

const describeOutcome = (o: Outcome) =>
  typeof o === 'number' ? `${o} row${o === 1 ? '' : 's'}` : o === 'ok' ? 'allowed' : `refused (${o})`;

describe('RLS matrix', () => {
  for (const [table, entry] of Object.entries(RLS_MATRIX)) {
    describe(table, () => {
      for (const actor of ACTORS) {
        const sel = entry.expect.select[actor];
        it(`select as ${actor}: ${describeOutcome(sel)}`, async () => {
          await resetFixtures(db);
          const r = await clientFor(actor)
            .from(table as 'stores')
            .select('*')
            .in(entry.select.column as 'id', [...entry.select.values]);
          if (typeof sel === 'number') {
            expect(r.error).toBeNull();
            expect(r.data).toHaveLength(sel);
          } else {
            expectRefusal(r.error, sel as 'denied' | 'rls', table);
          }
        });

        const ins = entry.expect.insert[actor];
        it(`insert as ${actor}: ${describeOutcome(ins)}`, async () => {
          await resetFixtures(db);
          const row = entry.insert();
          const key = 'id' in row ? { id: row.id } : row;
          const before = await countAsSuperuser(table, key);
          const r = await clientFor(actor)
            .from(table as 'stores')
            .insert(row as never);
          if (ins === 'ok') {
            expect(r.error).toBeNull();
            expect(await countAsSuperuser(table, key)).toBe(before + 1);
          } else {
            expectRefusal(r.error, ins as 'denied' | 'rls', table);
            expect(await countAsSuperuser(table, key)).toBe(before);
          }
        });

        const upd = entry.expect.update[actor];
        it(`update as ${actor}: ${describeOutcome(upd)}`, async () => {
          await resetFixtures(db);
          const r = await clientFor(actor)
            .from(table as 'stores')
            .update(entry.update.patch as never)
            .match(entry.update.match)
            .select();
          if (typeof upd === 'number') {
            expect(r.error).toBeNull();
            expect(r.data).toHaveLength(upd);
            if (upd > 0)
              expect(await countAsSuperuser(table, { ...entry.update.match, ...entry.update.patch })).toBe(1);
          } else {
            expectRefusal(r.error, upd as 'denied' | 'rls', table);
          }
        });

        const del = entry.expect.delete[actor];
        it(`delete as ${actor}: ${describeOutcome(del)}`, async () => {
          await resetFixtures(db);
          const r = await clientFor(actor)
            .from(table as 'stores')
            .delete()
            .match(entry.delete.match)
            .select();
          if (typeof del === 'number') {
            expect(r.error).toBeNull();
            expect(r.data).toHaveLength(del);
          } else {
            expectRefusal(r.error, del as 'denied' | 'rls', table);
          }
          // Deleted exactly when allowed.
          expect(await countAsSuperuser(table, entry.delete.match)).toBe(del === 1 ? 0 : 1);
        });
      }
    });
  }

  it('has an entry for every table of the public schema, and no entry for a table that does not exist', async () => {
    const r = await db.query<{ name: string }>(
      `select c.relname as name from pg_class c
        where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'f')
        order by 1`,
    );
    expect(Object.keys(RLS_MATRIX).sort()).toEqual(r.rows.map((row) => row.name));
  });
});
