// The local stand-in for pg_cron: runs SQL jobs (`private.run_order_timeouts()`…) every `intervalMs` as
// service_role, one run at a time (a slow run delays the next instead of piling up), each job in its own
// transaction so one failing job neither stops the others nor the scheduler. On Supabase the same statements are
// scheduled with `cron.schedule(…)` (docs/API.md, "Timeouts").
import type pg from 'pg';

export interface SchedulerOptions {
  pool: pg.Pool;
  log: (line: string) => void;
  intervalMs?: number;
  /** SQL expressions to `select`, e.g. 'private.run_order_timeouts()'. */
  jobs: string[];
}

export interface Scheduler {
  /** Runs every job once now (tests use it instead of waiting for the timer). */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

export function startScheduler(options: SchedulerOptions): Scheduler {
  const { pool, log, jobs } = options;
  const intervalMs = options.intervalMs ?? 30_000;
  let running: Promise<void> | null = null;
  let stopped = false;

  async function runJob(job: string): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query('set local role service_role');
      await client.query(`select ${job}`);
      await client.query('commit');
    } catch (e) {
      await client.query('rollback').catch(() => undefined);
      log(`[scheduler] ${job}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      client.release();
    }
  }

  function runOnce(): Promise<void> {
    running ??= (async () => {
      for (const job of jobs) if (!stopped) await runJob(job);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  const timer = setInterval(() => void runOnce(), intervalMs);
  timer.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
