// The local stand-in for pg_cron's background worker. Migrations schedule jobs with `cron.schedule(name, schedule,
// command)` (the SQL surface comes from bootstrap/40_cron.sql here, from the real extension on Supabase); this
// scheduler reads `cron.job` every second and runs what is due: '<n> seconds' schedules every n seconds, five-field
// cron expressions once in each matching minute (UTC, as pg_cron). Each run is one transaction as the job's user,
// one run of a job at a time (a slow run delays the next instead of piling up), recorded in `cron.job_run_details`;
// a failing job neither stops the others nor the scheduler.
import type pg from 'pg';

export interface SchedulerOptions {
  pool: pg.Pool;
  log: (line: string) => void;
  /** How often `cron.job` is read (default 1 s). */
  tickMs?: number;
}

export interface Scheduler {
  /** Runs every active job once now, whatever its schedule (tests use it instead of waiting). */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

interface Job {
  jobid: string;
  jobname: string | null;
  schedule: string;
  command: string;
  username: string;
}

type Field = (value: number) => boolean;

function parseField(text: string, min: number, max: number): Field {
  const allowed = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`invalid cron field "${text}"`);
    const from = m[1] === '*' ? min : Number(m[2]);
    const to = m[1] === '*' ? max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? max : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < min || to > max || from > to || step < 1) throw new Error(`invalid cron field "${text}"`);
    for (let v = from; v <= to; v += step) allowed.add(v);
  }
  return (value) => allowed.has(value);
}

/** Whether a five-field cron expression matches the minute of `at` (UTC); throws on a malformed expression. */
export function cronMatches(expression: string, at: Date): boolean {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`invalid cron expression "${expression}"`);
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  const dowField = parseField(dow, 0, 7);
  const dayOfWeek = (d: number): boolean => dowField(d) || (d === 0 && dowField(7));
  const domRestricted = dom !== '*';
  const dowRestricted = dow !== '*';
  const domOk = parseField(dom, 1, 31)(at.getUTCDate());
  const dowOk = dayOfWeek(at.getUTCDay());
  // As in cron: when both day fields are restricted, either may match.
  const dayOk = domRestricted && dowRestricted ? domOk || dowOk : domOk && dowOk;
  return (
    parseField(minute, 0, 59)(at.getUTCMinutes()) &&
    parseField(hour, 0, 23)(at.getUTCHours()) &&
    parseField(month, 1, 12)(at.getUTCMonth() + 1) &&
    dayOk
  );
}

/** Seconds between runs for a '<n> seconds' schedule, undefined for a cron expression. */
export function intervalSeconds(schedule: string): number | undefined {
  const m = /^\s*(\d+)\s+seconds?\s*$/.exec(schedule);
  return m ? Number(m[1]) : undefined;
}

export function startScheduler(options: SchedulerOptions): Scheduler {
  const { pool, log } = options;
  const lastRun = new Map<string, number>();
  const running = new Map<string, Promise<void>>();
  const startedAt = Date.now();
  let stopped = false;

  async function run(job: Job): Promise<void> {
    const client = await pool.connect();
    const started = new Date();
    let status = 'succeeded';
    let message = '';
    try {
      await client.query('begin');
      if (job.username !== 'postgres') await client.query(`set local role "${job.username.replace(/"/g, '""')}"`);
      const r = await client.query(job.command);
      await client.query('commit');
      message = Array.isArray(r) ? `${r.length} statements` : `${r.command ?? ''} ${r.rowCount ?? ''}`.trim();
    } catch (e) {
      await client.query('rollback').catch(() => undefined);
      status = 'failed';
      message = e instanceof Error ? e.message : String(e);
      log(`[cron] ${job.jobname ?? job.jobid}: ${message}`);
    }
    try {
      await client.query(
        `insert into cron.job_run_details (jobid, job_pid, database, username, command, status, return_message,
                                           start_time, end_time)
         values ($1, pg_backend_pid(), current_database(), $2, $3, $4, $5, $6, now())`,
        [job.jobid, job.username, job.command, status, message, started],
      );
    } catch (e) {
      log(`[cron] could not record the run of ${job.jobname ?? job.jobid}: ${(e as Error).message}`);
    } finally {
      client.release();
    }
  }

  function launch(job: Job): Promise<void> {
    const existing = running.get(job.jobid);
    if (existing) return existing;
    lastRun.set(job.jobid, Date.now());
    const p = run(job).finally(() => running.delete(job.jobid));
    running.set(job.jobid, p);
    return p;
  }

  async function activeJobs(): Promise<Job[]> {
    const r = await pool.query<Job>(
      'select jobid::text, jobname, schedule, command, username from cron.job where active order by jobid',
    );
    return r.rows;
  }

  function due(job: Job, now: number): boolean {
    const every = intervalSeconds(job.schedule);
    const last = lastRun.get(job.jobid) ?? startedAt;
    if (every !== undefined) return now - last >= every * 1000;
    const minute = Math.floor(now / 60_000);
    if (lastRun.has(job.jobid) && Math.floor(last / 60_000) === minute) return false;
    try {
      return cronMatches(job.schedule, new Date(now));
    } catch (e) {
      log(`[cron] ${job.jobname ?? job.jobid}: ${(e as Error).message}`);
      return false;
    }
  }

  let ticking = false;
  const timer = setInterval(() => {
    if (ticking || stopped) return;
    ticking = true;
    activeJobs()
      .then((jobs) => {
        const now = Date.now();
        for (const job of jobs) if (!stopped && due(job, now)) void launch(job);
      })
      .catch((e: unknown) => log(`[cron] ${(e as Error).message}`))
      .finally(() => {
        ticking = false;
      });
  }, options.tickMs ?? 1000);
  timer.unref();

  return {
    async runOnce() {
      await Promise.all((await activeJobs()).map(launch));
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.all(running.values());
    },
  };
}
