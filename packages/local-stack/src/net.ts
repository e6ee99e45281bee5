// The local stand-in for pg_net's background worker (bootstrap/50_net.sql holds its SQL surface): it takes the
// requests queued by net.http_post once their transaction has committed, sends them, and records each answer in
// net._http_response, as pg_net does on Supabase. A request is taken off the queue before it is sent (at most once,
// like pg_net); a failure is recorded as error_msg, a slow answer as timed_out. Answers older than 6 hours are
// deleted, as pg_net's ttl does.
import type pg from 'pg';

export interface NetWorkerOptions {
  pool: pg.Pool;
  log: (line: string) => void;
  /** How often the queue is read (default 200 ms). */
  pollMs?: number;
}

export interface NetWorker {
  stop(): Promise<void>;
}

interface QueuedRequest {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer | null;
  timeout_milliseconds: number;
}

export function startNetWorker(options: NetWorkerOptions): NetWorker {
  const { pool, log } = options;
  let stopped = false;
  let busy: Promise<void> = Promise.resolve();
  let lastSweep = 0;

  async function send(r: QueuedRequest): Promise<void> {
    let row: unknown[];
    try {
      const res = await fetch(r.url, {
        method: r.method,
        headers: r.headers,
        body: r.body ? new Uint8Array(r.body) : undefined,
        signal: AbortSignal.timeout(r.timeout_milliseconds),
      });
      const content = await res.text();
      const headers: Record<string, string> = {};
      res.headers.forEach((value, name) => {
        headers[name] = value;
      });
      row = [r.id, res.status, res.headers.get('content-type'), headers, content, false, null];
    } catch (e) {
      const timedOut = e instanceof Error && e.name === 'TimeoutError';
      const message = e instanceof Error ? e.message : String(e);
      if (!timedOut) log(`[net] ${r.method} ${r.url}: ${message}`);
      row = [r.id, null, null, null, null, timedOut, timedOut ? 'Timeout was reached' : message];
    }
    await pool.query(
      `insert into net._http_response (id, status_code, content_type, headers, content, timed_out, error_msg)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      row,
    );
  }

  async function tick(): Promise<void> {
    const { rows } = await pool.query<QueuedRequest>(
      `delete from net.http_request_queue
        where id in (select id from net.http_request_queue order by id limit 20 for update skip locked)
       returning id::text, method, url, headers, body, timeout_milliseconds`,
    );
    await Promise.all(rows.map(send));
    if (Date.now() - lastSweep > 60_000) {
      lastSweep = Date.now();
      await pool.query(`delete from net._http_response where created < now() - interval '6 hours'`);
    }
  }

  const timer = setInterval(() => {
    if (stopped) return;
    busy = busy.then(tick).catch((e: unknown) => log(`[net] ${(e as Error).message}`));
  }, options.pollMs ?? 200);
  timer.unref();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await busy;
    },
  };
}

/**
 * A clock that calls an Edge Function as Supabase runs it: pg_cron job `job` posts `{}` to `<functionsUrl>/<path>`
 * through pg_net every `everySeconds`. Locally the service-role key is the public demo key, written into the job as
 * is (on Supabase it stays in Vault). `enabled: false` removes the job, so a stack started without functions calls
 * nothing.
 */
export async function scheduleFunctionClock(
  pool: pg.Pool,
  options: {
    job: string;
    path: string;
    enabled: boolean;
    functionsUrl: string;
    serviceRoleKey: string;
    everySeconds: number;
  },
): Promise<void> {
  if (!options.enabled) {
    await pool.query(`select cron.unschedule($1) where exists (select 1 from cron.job where jobname = $1)`, [
      options.job,
    ]);
    return;
  }
  await pool.query(
    `select cron.schedule($1, $2, format(
       'select net.http_post(url := %L, headers := jsonb_build_object(''Content-Type'', ''application/json'', '
       '''Authorization'', %L), body := ''{}''::jsonb, timeout_milliseconds := 25000)',
       $3::text, 'Bearer ' || $4::text))`,
    [options.job, `${options.everySeconds} seconds`, `${options.functionsUrl}/${options.path}`, options.serviceRoleKey],
  );
}

type ClockOptions = { enabled: boolean; functionsUrl: string; serviceRoleKey: string; everySeconds?: number };

/** The notify drain (docs/API.md, `notify` function): `ecom-notify`, every 5 s by default. */
export const scheduleNotifyDrain = (pool: pg.Pool, options: ClockOptions): Promise<void> =>
  scheduleFunctionClock(pool, {
    job: 'ecom-notify',
    path: 'notify',
    ...options,
    everySeconds: options.everySeconds ?? 5,
  });

/** The payout status sweep (docs/API.md, `payouts` function): `ecom-payout-sweep`, every 30 s by default. */
export const schedulePayoutSweep = (pool: pg.Pool, options: ClockOptions): Promise<void> =>
  scheduleFunctionClock(pool, {
    job: 'ecom-payout-sweep',
    path: 'payouts/sweep',
    ...options,
    everySeconds: options.everySeconds ?? 30,
  });

/** The payments sweep (docs/payments.md, `payments` function): `ecom-payments-sweep`, every 5 s by default. */
export const schedulePaymentSweep = (pool: pg.Pool, options: ClockOptions): Promise<void> =>
  scheduleFunctionClock(pool, {
    job: 'ecom-payments-sweep',
    path: 'payments/sweep',
    ...options,
    everySeconds: options.everySeconds ?? 5,
  });
