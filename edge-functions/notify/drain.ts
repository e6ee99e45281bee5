// Drains public.notification_deliveries: claims a batch of due pending rows (for update skip locked, attempts + 1),
// sends each through the adapter of its channel and device platform, and records the outcome in the same
// transaction, so the row lock is held while sending: a concurrent drain skips those rows and a row is never sent
// twice (sent is final). Outcomes: accepted → sent; dead token → failed and the device removed; refused for good →
// failed; anything transient (5xx, 429, timeout, network, missing settings) → pending again with last_error, due
// after a backoff (base · 2^(attempts-1), from updated_at), failed once attempts reaches maxAttempts.
// A crash mid-batch rolls the batch back (attempts included): at-least-once for that batch, exactly-once otherwise.
import type postgres from 'npm:postgres@3.4.7';
import { type DevicePlatform, PushError, type PushProviders } from '../_shared/push/index.ts';
import { SmsError, type SmsProvider } from '../_shared/sms/index.ts';

export interface DrainOptions {
  batchSize?: number;
  maxAttempts?: number;
  /** First retry delay; doubles per attempt. */
  backoffSeconds?: number;
  maxBackoffSeconds?: number;
  /** Stop claiming new batches after this long. */
  budgetMs?: number;
}

export interface DrainResult {
  claimed: number;
  sent: number;
  failed: number;
  retrying: number;
}

export interface Senders {
  push: PushProviders;
  /** Built on first use: a missing SMS setting only fails SMS rows. */
  sms: () => SmsProvider;
}

interface Claimed {
  id: string;
  channel: 'push' | 'sms';
  attempts: number;
  device_id: string | null;
  platform: DevicePlatform | null;
  push_token: string | null;
  notification_id: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  phone: string | null;
}

type Outcome = { status: 'sent' | 'failed' | 'pending'; error: string | null; removeDevice?: boolean };

const clip = (s: string) => (s.length > 1000 ? s.slice(0, 1000) : s);

async function sendOne(row: Claimed, senders: Senders, maxAttempts: number): Promise<Outcome> {
  const retry = (error: string): Outcome =>
    row.attempts >= maxAttempts ? { status: 'failed', error: clip(error) } : { status: 'pending', error: clip(error) };
  try {
    if (row.channel === 'push') {
      if (!row.device_id || !row.platform || !row.push_token) return { status: 'failed', error: 'device removed' };
      await senders.push[row.platform].send(
        { platform: row.platform, token: row.push_token },
        { id: row.notification_id, title: row.title, body: row.body, data: row.data ?? {} },
      );
    } else {
      if (!row.phone) return { status: 'failed', error: 'no phone number' };
      const to = row.phone.startsWith('+') ? row.phone : `+${row.phone}`;
      const text = `${row.title} : ${row.body}`;
      await senders.sms().send({ to, text: text.length > 320 ? `${text.slice(0, 319)}…` : text });
    }
    return { status: 'sent', error: null };
  } catch (e) {
    if (e instanceof PushError) {
      const error = `${e.provider} ${e.kind}: ${e.message}`;
      if (e.kind === 'invalid_token') return { status: 'failed', error: clip(error), removeDevice: true };
      if (e.kind === 'rejected') return { status: 'failed', error: clip(error) };
      return retry(error);
    }
    if (e instanceof SmsError) {
      const error = `${e.provider} ${e.kind}: ${e.message}`;
      return e.kind === 'rejected' ? { status: 'failed', error: clip(error) } : retry(error);
    }
    return retry(`unexpected: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** One batch in one transaction; returns what happened (claimed 0 = nothing due). */
export async function drainBatch(
  sql: postgres.Sql,
  senders: Senders,
  options: DrainOptions = {},
): Promise<DrainResult> {
  const batchSize = options.batchSize ?? 50;
  const maxAttempts = options.maxAttempts ?? 5;
  const base = options.backoffSeconds ?? 30;
  const cap = options.maxBackoffSeconds ?? 3600;
  return (await sql.begin(async (tx) => {
    const rows = await tx<Claimed[]>`
      with due as (
        select d.id
          from public.notification_deliveries d
         where d.status = 'pending'
           and (d.attempts = 0
                or d.updated_at <= now() - make_interval(secs => least(${base}::float8 * power(2, d.attempts - 1), ${cap}::float8)))
         order by d.created_at
         limit ${batchSize}
         for update of d skip locked
      ), claimed as (
        update public.notification_deliveries d
           set attempts = d.attempts + 1
          from due
         where d.id = due.id
        returning d.id, d.channel, d.attempts, d.device_id, d.notification_id
      )
      select c.id, c.channel::text as channel, c.attempts, c.device_id, c.notification_id,
             v.platform::text as platform, v.push_token, n.title, n.body, n.data,
             nullif(u.phone, '') as phone
        from claimed c
        join public.notifications n on n.id = c.notification_id
        left join public.devices v on v.id = c.device_id
        left join auth.users u on u.id = n.user_id and c.channel = 'sms'`;
    const outcomes = await Promise.all(rows.map((row) => sendOne(row, senders, maxAttempts)));
    const result: DrainResult = { claimed: rows.length, sent: 0, failed: 0, retrying: 0 };
    for (const [i, row] of rows.entries()) {
      const o = outcomes[i]!;
      if (o.status === 'sent') result.sent += 1;
      else if (o.status === 'failed') result.failed += 1;
      else result.retrying += 1;
      await tx`update public.notification_deliveries
                  set status = ${o.status}::public.delivery_status, last_error = ${o.error}
                where id = ${row.id}`;
      if (o.removeDevice && row.device_id) await tx`delete from public.devices where id = ${row.device_id}`;
    }
    return result;
  })) as DrainResult;
}

/** Batches until nothing is due or the time budget is spent. */
export async function drain(sql: postgres.Sql, senders: Senders, options: DrainOptions = {}): Promise<DrainResult> {
  const started = Date.now();
  const budget = options.budgetMs ?? 20_000;
  const total: DrainResult = { claimed: 0, sent: 0, failed: 0, retrying: 0 };
  while (Date.now() - started < budget) {
    const r = await drainBatch(sql, senders, options);
    total.claimed += r.claimed;
    total.sent += r.sent;
    total.failed += r.failed;
    total.retrying += r.retrying;
    if (r.claimed < (options.batchSize ?? 50)) break;
  }
  return total;
}
