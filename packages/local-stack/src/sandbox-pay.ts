// The sandbox mobile-money provider: a stand-in for CinetPay / FedaPay / Wave that the local stack mounts on the
// gateway at /sandbox-pay/v1 and that the functions reach over HTTP only, like a real provider
// (edge-functions/_shared/payments/sandbox.ts is its adapter). Contract and magic numbers: docs/payments.md,
// "Sandbox provider".
//
// - Collect is push-to-phone: it answers `pending`; the payer "confirms on the phone" later (the /phones endpoints,
//   PIN 1234), or the magic test number decides (…01 succeeds, …02 declined, …03 insufficient funds, …04 never
//   answers and expires, …05 succeeds for 1 FCFA less than asked).
// - Every final state is announced by a signed callback (`Sandbox-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret,
//   t + "." + raw body)>`), sent asynchronously and retried with backoff while the receiver answers non-2xx.
// - Faults on request (POST /_control): the next n calls answer 503 or hang, a random share of calls fails,
//   callbacks are duplicated, and stale callbacks are delivered after the final one (out of order).
// State is in memory: it empties when the stack stops.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const SANDBOX_PAY_PATH = '/sandbox-pay/v1';
/** Local demo values, like the other keys of the local stack: they only protect a stack bound to 127.0.0.1. */
export const SANDBOX_PAY_API_KEY = 'sbx_test_api_key_local';
export const SANDBOX_PAY_WEBHOOK_SECRET = 'sbx_whsec_local_only';
export const SANDBOX_PAY_PIN = '1234';

export type SandboxStatus = 'pending' | 'succeeded' | 'failed' | 'expired';
type Reason = 'insufficient_funds' | 'declined' | 'cancelled' | 'timeout';
type Kind = 'collection' | 'payout';

interface Operation {
  kind: Kind;
  id: string;
  reference: string;
  amount: number;
  /** What the payer really paid (differs from amount for the …05 number). */
  paid: number;
  currency: 'XOF';
  operator: string;
  phone: string;
  callback_url: string;
  status: SandboxStatus;
  failure_reason: Reason | null;
  transaction_id: string | null;
  created_at: string;
  updated_at: string;
  expires_at: string;
  /** The body of the first request, to refuse a reused reference with another one. */
  fingerprint: string;
  wrong_pins: number;
}

export interface SandboxControl {
  /** The next n API calls (collections, payouts, status) answer `fail_with`. */
  fail_next?: number;
  fail_with?: 503 | 'timeout';
  /** Which calls `fail_next` and `random_failure_rate` hit: status reads only, creations only, or all. */
  fail_on?: 'status' | 'create' | 'all';
  /** A share (0..1) of API calls that fail with `fail_with`. */
  random_failure_rate?: number;
  /** How long a 'timeout' call holds the answer before answering 504. */
  hang_ms?: number;
  /** Each callback is sent 1 + duplicates times. */
  duplicate_callbacks?: number;
  /** After the final callback, a stale one claiming the opposite outcome is delivered too (signed, authentic). */
  out_of_order?: boolean;
  /** Delay before a magic number (…01, …02, …03, …05) settles, and before callbacks leave. */
  settle_delay_ms?: number;
  callback_delay_ms?: number;
  /** Lifetime of a collection that nobody confirms. */
  collection_ttl_seconds?: number;
  /** Stop sending callbacks (the status API still answers). */
  callbacks_off?: boolean;
}

const DEFAULTS: Required<SandboxControl> = {
  fail_next: 0,
  fail_with: 503,
  fail_on: 'all',
  random_failure_rate: 0,
  hang_ms: 15_000,
  duplicate_callbacks: 0,
  out_of_order: false,
  settle_delay_ms: 300,
  callback_delay_ms: 50,
  collection_ttl_seconds: 300,
  callbacks_off: false,
};

export interface DeliveredCallback {
  event_id: string;
  type: string;
  reference: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  status: number | null;
  attempt: number;
  at: string;
}

export interface SandboxPay {
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
  close(): void;
}

export interface SandboxPayOptions {
  apiKey?: string;
  webhookSecret?: string;
  /** Rewrites callback URLs before sending (the stack maps its public URL to 127.0.0.1). */
  resolveUrl?: (url: string) => string;
  log?: (line: string) => void;
}

const MAX_BODY = 64 * 1024;
const CALLBACK_ATTEMPTS = 6;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw Object.assign(new Error('body too large'), { status: 413 });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** HMAC-SHA256(secret, `${t}.${body}`) as hex: what a receiver recomputes. */
export function sandboxSignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The magic test numbers: the last two digits of the payer's number. */
function magic(phone: string): '01' | '02' | '03' | '04' | '05' | null {
  const tail = phone.slice(-2);
  return tail === '01' || tail === '02' || tail === '03' || tail === '04' || tail === '05' ? tail : null;
}

export function createSandboxPay(options: SandboxPayOptions = {}): SandboxPay {
  const apiKey = options.apiKey ?? SANDBOX_PAY_API_KEY;
  const secret = options.webhookSecret ?? SANDBOX_PAY_WEBHOOK_SECRET;
  const log = options.log ?? (() => undefined);
  const operations = new Map<string, Operation>();
  const byReference = new Map<string, string>();
  const delivered: DeliveredCallback[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let control: Required<SandboxControl> = { ...DEFAULTS };
  let closed = false;

  const later = (ms: number, fn: () => void): void => {
    if (closed) return;
    const t = setTimeout(() => {
      timers.delete(t);
      if (!closed) fn();
    }, ms);
    timers.add(t);
  };
  const nowIso = () => new Date().toISOString();
  const key = (kind: Kind, reference: string) => `${kind}:${reference}`;

  function view(op: Operation) {
    expireIfDue(op);
    return {
      id: op.id,
      object: op.kind,
      reference: op.reference,
      amount: op.status === 'succeeded' ? op.paid : op.amount,
      requested_amount: op.amount,
      currency: op.currency,
      operator: op.operator,
      phone: op.phone,
      status: op.status,
      failure_reason: op.failure_reason,
      transaction_id: op.transaction_id,
      created_at: op.created_at,
      updated_at: op.updated_at,
      expires_at: op.expires_at,
    };
  }

  function expireIfDue(op: Operation): void {
    if (op.status === 'pending' && op.kind === 'collection' && Date.parse(op.expires_at) <= Date.now()) {
      // Nobody answered on the phone: the operator gives up. A number that "never answers" sends no callback.
      finish(op, 'expired', 'timeout', magic(op.phone) !== '04');
    }
  }

  /** Moves an operation to its final state once, then announces it. */
  function finish(op: Operation, status: SandboxStatus, reason: Reason | null, announce = true): void {
    if (op.status !== 'pending') return;
    op.status = status;
    op.failure_reason = status === 'succeeded' ? null : reason;
    op.transaction_id = status === 'succeeded' ? `SBX.${Date.now()}.${op.id.slice(-6)}` : null;
    op.updated_at = nowIso();
    log(`[sandbox-pay] ${op.kind} ${op.reference} ${status}${reason ? ` (${reason})` : ''}`);
    if (announce) announceFinal(op);
  }

  function announceFinal(op: Operation): void {
    if (control.callbacks_off || !op.callback_url) return;
    const events = [{ type: `${op.kind}.${op.status}`, data: view(op) }];
    if (control.out_of_order) {
      // A stale event from an earlier attempt arrives after the final one: authentic, but it says the opposite.
      const stale = op.status === 'succeeded' ? 'failed' : 'succeeded';
      events.push({ type: `${op.kind}.${stale}`, data: { ...view(op), status: stale as SandboxStatus } });
    }
    let delay = control.callback_delay_ms;
    for (const event of events) {
      const eventId = `evt_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
      const body = JSON.stringify({ id: eventId, type: event.type, created_at: nowIso(), data: event.data });
      for (let copy = 0; copy <= control.duplicate_callbacks; copy += 1) {
        later(delay, () => void deliver(op, eventId, event.type, body, 1));
        delay += 20;
      }
    }
  }

  async function deliver(op: Operation, eventId: string, type: string, body: string, attempt: number) {
    const t = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'sandbox-pay/1',
      'sandbox-event-id': eventId,
      'sandbox-signature': `t=${t},v1=${sandboxSignature(secret, t, body)}`,
    };
    const url = options.resolveUrl ? options.resolveUrl(op.callback_url) : op.callback_url;
    const record: DeliveredCallback = {
      event_id: eventId,
      type,
      reference: op.reference,
      url,
      body,
      headers,
      status: null,
      attempt,
      at: nowIso(),
    };
    delivered.push(record);
    if (delivered.length > 2000) delivered.splice(0, delivered.length - 2000);
    try {
      const answer = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
      record.status = answer.status;
      await answer.arrayBuffer().catch(() => undefined);
      if (answer.status >= 200 && answer.status < 300) return;
    } catch {
      record.status = null;
    }
    // Like the real ones: retry with backoff while the receiver fails (0.5 s, 1 s, 2 s …).
    if (attempt < CALLBACK_ATTEMPTS)
      later(500 * 2 ** (attempt - 1), () => void deliver(op, eventId, type, body, attempt + 1));
  }

  /** Injected faults: true when this call has been answered with one. */
  async function faulted(res: ServerResponse, call: 'status' | 'create'): Promise<boolean> {
    if (control.fail_on !== 'all' && control.fail_on !== call) return false;
    let fail = false;
    if (control.fail_next > 0) {
      control.fail_next -= 1;
      fail = true;
    } else if (control.random_failure_rate > 0 && Math.random() < control.random_failure_rate) {
      fail = true;
    }
    if (!fail) return false;
    if (control.fail_with === 'timeout') {
      await new Promise<void>((resolve) => later(control.hang_ms, resolve));
      if (!res.writableEnded && !res.destroyed)
        send(res, 504, { code: 'gateway_timeout', message: 'upstream timeout' });
      return true;
    }
    send(res, 503, { code: 'service_unavailable', message: 'the operator is not answering, try again later' });
    return true;
  }

  function create(kind: Kind, input: Record<string, unknown>): { status: number; body: unknown } {
    const reference = typeof input.reference === 'string' ? input.reference.trim() : '';
    const amount = input.amount;
    const operator = typeof input.operator === 'string' ? input.operator : '';
    const phone = typeof input.phone === 'string' ? input.phone : '';
    const callbackUrl = typeof input.callback_url === 'string' ? input.callback_url : '';
    const problems: string[] = [];
    if (!/^[A-Za-z0-9_-]{6,64}$/.test(reference)) problems.push('reference: 6 to 64 letters, digits, _ or -');
    if (!Number.isSafeInteger(amount) || (amount as number) < 1 || (amount as number) > 2_000_000) {
      problems.push('amount: a whole number of XOF, 1 to 2 000 000');
    }
    if (input.currency !== 'XOF') problems.push('currency: XOF only');
    if (!/^(orange|mtn|moov|wave)_ci$|^(moov|mixx)_tg$/.test(operator)) problems.push('operator: unknown');
    const calling = operator.endsWith('_tg') ? '228' : '225';
    if (!/^\d{11,13}$/.test(phone) || !phone.startsWith(calling)) problems.push(`phone: a +${calling} number`);
    if (callbackUrl && !/^https?:\/\//.test(callbackUrl)) problems.push('callback_url: http(s) URL');
    if (problems.length) return { status: 400, body: { code: 'invalid_request', message: problems.join('; ') } };

    const fingerprint = JSON.stringify([amount, operator, phone]);
    const existing = operations.get(byReference.get(key(kind, reference)) ?? '');
    if (existing) {
      // A reused reference: the same request answers the same operation; another one is refused.
      if (existing.fingerprint !== fingerprint) {
        return { status: 409, body: { code: 'reference_reused', message: `reference ${reference} was used` } };
      }
      return { status: 200, body: view(existing) };
    }
    const at = new Date();
    const op: Operation = {
      kind,
      id: `${kind === 'collection' ? 'col' : 'po'}_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
      reference,
      amount: amount as number,
      paid: amount as number,
      currency: 'XOF',
      operator,
      phone,
      callback_url: callbackUrl,
      status: 'pending',
      failure_reason: null,
      transaction_id: null,
      created_at: at.toISOString(),
      updated_at: at.toISOString(),
      expires_at: new Date(at.getTime() + control.collection_ttl_seconds * 1000).toISOString(),
      fingerprint,
      wrong_pins: 0,
    };
    operations.set(op.id, op);
    byReference.set(key(kind, reference), op.id);
    const code = magic(phone);
    const delay = control.settle_delay_ms;
    if (kind === 'collection') {
      if (code === '01') later(delay, () => finish(op, 'succeeded', null));
      else if (code === '02') later(delay, () => finish(op, 'failed', 'declined'));
      else if (code === '03') later(delay, () => finish(op, 'failed', 'insufficient_funds'));
      else if (code === '05') {
        op.paid = op.amount - 1;
        later(delay, () => finish(op, 'succeeded', null));
      }
      later(control.collection_ttl_seconds * 1000 + 10, () => expireIfDue(op));
    } else if (code === '02') later(delay, () => finish(op, 'failed', 'declined'));
    else if (code === '03') later(delay, () => finish(op, 'failed', 'insufficient_funds'));
    else if (code !== '04') later(delay, () => finish(op, 'succeeded', null));
    return { status: 201, body: view(op) };
  }

  function authorised(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    return !!m && safeEqual(m[1]!.trim(), apiKey);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const url = new URL(path, 'http://sandbox');
    const parts = url.pathname.split('/').filter(Boolean);
    const method = req.method ?? 'GET';
    let input: Record<string, unknown> = {};
    if (method === 'POST') {
      let raw: string;
      try {
        raw = await readBody(req);
      } catch {
        return send(res, 413, { code: 'too_large', message: 'body too large' });
      }
      try {
        const parsed: unknown = raw.trim() ? JSON.parse(raw) : {};
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        input = parsed as Record<string, unknown>;
      } catch {
        return send(res, 400, { code: 'invalid_json', message: 'body must be a JSON object' });
      }
    }

    // The payer's phone: what it shows, and the answer typed on it. The PIN is the payer's proof; no API key.
    if (parts[0] === 'phones' && parts[1] && parts[2] === 'requests') {
      const phone = parts[1];
      if (parts.length === 3 && method === 'GET') {
        const pending = [...operations.values()]
          .filter((op) => op.kind === 'collection' && op.phone === phone)
          .map(view)
          .filter((v) => v.status === 'pending');
        return send(res, 200, { data: pending });
      }
      const op = operations.get(parts[3] ?? '');
      if (!op || op.kind !== 'collection' || op.phone !== phone) {
        return send(res, 404, { code: 'not_found', message: 'no such request on this phone' });
      }
      expireIfDue(op);
      if (op.status !== 'pending') return send(res, 409, { code: 'not_pending', message: `already ${op.status}` });
      if (parts[4] === 'refuse' && method === 'POST') {
        finish(op, 'failed', 'cancelled');
        return send(res, 200, view(op));
      }
      if (parts[4] === 'confirm' && method === 'POST') {
        if (input.pin !== SANDBOX_PAY_PIN) {
          op.wrong_pins += 1;
          if (op.wrong_pins >= 3) finish(op, 'failed', 'declined');
          return send(res, 403, {
            code: 'wrong_pin',
            message: 'wrong PIN',
            attempts_left: Math.max(0, 3 - op.wrong_pins),
          });
        }
        later(control.settle_delay_ms, () => finish(op, 'succeeded', null));
        return send(res, 202, { ...view(op), message: 'confirmed; the operator settles shortly' });
      }
      return send(res, 405, { code: 'method_not_allowed', message: 'method not allowed' });
    }

    if (!authorised(req)) return send(res, 401, { code: 'unauthorized', message: 'missing or wrong API key' });

    if (parts[0] === '_control') {
      if (parts.length === 1 && method === 'POST') {
        control = { ...control, ...(input as SandboxControl) };
        return send(res, 200, control);
      }
      if (parts[1] === 'reset' && method === 'POST') {
        control = { ...DEFAULTS };
        return send(res, 200, control);
      }
      if (parts[1] === 'callbacks' && method === 'GET') {
        const reference = url.searchParams.get('reference');
        return send(res, 200, { data: delivered.filter((d) => !reference || d.reference === reference) });
      }
      if (parts[1] === 'settle' && method === 'POST') {
        // Tests: decide an operation now (as the operator would), e.g. a late success after our expiry.
        const op = operations.get(byReference.get(key('collection', String(input.reference))) ?? '');
        if (!op) return send(res, 404, { code: 'not_found', message: 'unknown reference' });
        const status = input.status === 'failed' || input.status === 'expired' ? input.status : 'succeeded';
        finish(op, status, status === 'succeeded' ? null : 'declined', input.announce !== false);
        return send(res, 200, view(op));
      }
      return send(res, 404, { code: 'not_found', message: 'no such control' });
    }

    const kind: Kind | undefined =
      parts[0] === 'collections' ? 'collection' : parts[0] === 'payouts' ? 'payout' : undefined;
    if (!kind) return send(res, 404, { code: 'not_found', message: 'no such endpoint' });
    if (parts.length === 1 && method === 'POST') {
      if (await faulted(res, 'create')) return;
      const { status, body } = create(kind, input);
      return send(res, status, body);
    }
    if (await faulted(res, 'status')) return;
    if (parts.length === 1 && method === 'GET') {
      const reference = url.searchParams.get('reference') ?? '';
      const op = operations.get(byReference.get(key(kind, reference)) ?? '');
      return send(res, 200, { data: op ? [view(op)] : [] });
    }
    if (parts.length === 2 && method === 'GET') {
      const op = operations.get(parts[1]!);
      if (!op || op.kind !== kind) return send(res, 404, { code: 'not_found', message: `no such ${kind}` });
      return send(res, 200, view(op));
    }
    return send(res, 405, { code: 'method_not_allowed', message: 'method not allowed' });
  }

  return {
    handle,
    close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
