// After every test of this package, the ledger invariants are checked in SQL (private.ledger_violations): each entry
// sums to zero, each balance equals the sum of its postings, no user wallet is negative, and all balances sum to
// zero. A test that breaks money fails here even when its own assertions passed. Loaded by vitest.config.ts.
import pg from 'pg';
import { afterAll, afterEach, expect } from 'vitest';
import { stack } from '../../local-stack/test/stack.ts';

let pool: pg.Pool | undefined;

export async function ledgerViolations(db: pg.Pool): Promise<{ violation: string; subject: string | null }[]> {
  const { rows } = await db.query<{ violation: string; subject: string | null }>(
    'select violation, subject, detail from private.ledger_violations()',
  );
  return rows;
}

afterEach(async () => {
  pool ??= new pg.Pool({ connectionString: stack().dbUrl, max: 1 });
  expect(await ledgerViolations(pool), 'ledger invariants after this test').toEqual([]);
});

afterAll(async () => {
  await pool?.end();
  pool = undefined;
});
