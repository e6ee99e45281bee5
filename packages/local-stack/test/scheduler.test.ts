// The local pg_cron worker: migrations schedule jobs with cron.schedule (bootstrap/40_cron.sql), the scheduler runs
// them and records each run; a failing job is recorded and does not stop the others.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cronMatches, intervalSeconds, startScheduler } from '../src/scheduler.ts';
import { stack } from './stack.ts';

describe('cron schedules', () => {
  it('reads "<n> seconds" schedules', () => {
    expect(intervalSeconds('30 seconds')).toBe(30);
    expect(intervalSeconds('1 second')).toBe(1);
    expect(intervalSeconds('*/5 * * * *')).toBeUndefined();
  });

  it('matches five-field expressions in UTC, with steps, ranges, lists and either day field', () => {
    const at = new Date(Date.UTC(2026, 10, 21, 14, 30)); // Saturday 21 Nov 2026, 14:30 UTC
    expect(cronMatches('* * * * *', at)).toBe(true);
    expect(cronMatches('*/15 * * * *', at)).toBe(true);
    expect(cronMatches('*/20 * * * *', at)).toBe(false);
    expect(cronMatches('30 14 * * *', at)).toBe(true);
    expect(cronMatches('30 9-13 * * *', at)).toBe(false);
    expect(cronMatches('0,30 14 * * 6', at)).toBe(true);
    expect(cronMatches('30 14 1 * 6', at)).toBe(true); // day of month or day of week
    expect(cronMatches('30 14 * 1-10 *', at)).toBe(false);
    expect(() => cronMatches('61 * * * *', at)).toThrow(/invalid cron field/);
    expect(() => cronMatches('* * *', at)).toThrow(/invalid cron expression/);
  });
});

describe('the local pg_cron worker', () => {
  let db: pg.Pool;
  beforeAll(() => {
    db = new pg.Pool({ connectionString: stack().dbUrl, max: 3 });
  });
  afterAll(async () => {
    await db.query(`select cron.unschedule('test-ok'), cron.unschedule('test-bad')`).catch(() => undefined);
    await db.end();
  });

  it('refuses a schedule pg_cron would refuse', async () => {
    await expect(db.query(`select cron.schedule('test-x', 'every minute', 'select 1')`)).rejects.toThrow(
      /invalid schedule/,
    );
    await expect(db.query(`select cron.schedule('test-x', '90 seconds', 'select 1')`)).rejects.toThrow(
      /invalid schedule/,
    );
  });

  it('runs every active job, records each run, and keeps going past a failing one', async () => {
    await db.query(`create schema if not exists _test; create table if not exists _test.cron_probe (n int)`);
    await db.query(`select cron.schedule('test-ok', '59 seconds', 'insert into _test.cron_probe values (1)')`);
    await db.query(`select cron.schedule('test-bad', '59 seconds', 'select private.no_such_job()')`);
    const lines: string[] = [];
    const scheduler = startScheduler({ pool: db, log: (l) => lines.push(l), tickMs: 60_000 });
    try {
      await scheduler.runOnce();
    } finally {
      await scheduler.stop();
    }
    // The shared test stack runs its own scheduler too, so it may have run the new jobs as well: every run counts.
    const runs = await db.query<{ jobname: string; status: string; n: number }>(
      `select j.jobname, d.status, count(*)::int as n from cron.job_run_details d join cron.job j using (jobid)
        where j.jobname in ('test-ok', 'test-bad') group by 1, 2 order by 1, 2`,
    );
    expect(runs.rows.map(({ jobname, status }) => ({ jobname, status }))).toEqual([
      { jobname: 'test-bad', status: 'failed' },
      { jobname: 'test-ok', status: 'succeeded' },
    ]);
    const okRuns = runs.rows.find((r) => r.jobname === 'test-ok')!.n;
    expect((await db.query('select count(*)::int as n from _test.cron_probe')).rows).toEqual([{ n: okRuns }]);
    expect(lines.some((l) => l.includes('test-bad') && l.includes('no_such_job'))).toBe(true);
    await db.query('drop table _test.cron_probe');
  });
});
