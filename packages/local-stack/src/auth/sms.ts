// Delivering one-time codes: the Send SMS Hook client (GoTrue hooks/v0http: Standard Webhooks signature, 5 s
// timeout, 3 attempts, JSON-only answers) and, when no hook is configured, the in-memory dev outbox served at
// /_dev/sms.
import { createHmac, randomUUID } from 'node:crypto';
import { AuthError, badRequest, isObject } from './http.ts';
import type { Json } from './users.ts';

export interface OutboxMessage {
  id: string;
  phone: string;
  body: string;
  created_at: string;
  source: 'auth' | 'hook';
}

/** Newest last, at most `cap` messages. */
export class Outbox {
  private readonly messages: OutboxMessage[] = [];
  readonly cap: number;
  constructor(cap = 1000) {
    this.cap = cap;
  }
  add(phone: string, body: string, source: OutboxMessage['source']): OutboxMessage {
    const digits = phone.replace(/^\+/, '').replace(/\s/g, '');
    const m: OutboxMessage = {
      id: randomUUID(),
      phone: `+${digits}`,
      body,
      created_at: new Date().toISOString(),
      source,
    };
    this.messages.push(m);
    if (this.messages.length > this.cap) this.messages.splice(0, this.messages.length - this.cap);
    return m;
  }
  list(phone?: string): OutboxMessage[] {
    if (!phone) return [...this.messages];
    const want = `+${phone.trim().replace(/^\+/, '').replace(/\s/g, '')}`;
    return this.messages.filter((m) => m.phone === want);
  }
  clear(): void {
    this.messages.length = 0;
  }
}

/** `webhook-signature` values for each `v1,whsec_<base64>` secret (Standard Webhooks, symmetric). */
export function signWebhook(secrets: string[], id: string, timestamp: number, body: string): string {
  return secrets
    .map((secret) => {
      if (!secret.startsWith('v1,')) throw new Error('invalid signature format');
      const key = Buffer.from(secret.slice(3).replace(/^whsec_/, ''), 'base64');
      return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
    })
    .join(', ');
}

export interface HookCallOptions {
  url: string;
  secrets: string[];
  payload: Json;
  timeoutMs?: number;
  attempts?: number;
  backoffMs?: number;
}

/**
 * POSTs `payload` to an HTTP hook the way GoTrue does and maps failures to GoTrue's answers:
 * deadline → 422 hook_timeout; network errors after the last attempt → 422 hook_timeout_after_retry;
 * 429/503 with retry-after → retried; 200/202 without JSON content type → 400 hook_payload_invalid_content_type;
 * 400/401/other statuses → 500; `{"error":{http_code,message}}` → that status and message.
 */
export async function callHttpHook(o: HookCallOptions): Promise<Json> {
  const timeoutMs = o.timeoutMs ?? 5000;
  const attempts = o.attempts ?? 3;
  const backoffMs = o.backoffMs ?? 2000;
  const body = JSON.stringify(o.payload);
  const deadline = AbortSignal.timeout(timeoutMs);
  for (let i = 0; i < attempts; i += 1) {
    const id = randomUUID();
    const ts = Math.floor(Date.now() / 1000);
    let rsp: Response;
    try {
      rsp = await fetch(o.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(ts),
          'webhook-signature': signWebhook(o.secrets, id, ts, body),
          'accept-encoding': 'identity',
        },
        body,
        signal: deadline,
      });
    } catch (e) {
      if (deadline.aborted) {
        throw new AuthError(
          422,
          'hook_timeout',
          `Failed to reach hook within maximum time of ${(timeoutMs / 1000).toFixed(6)} seconds`,
          {},
          e,
        );
      }
      if (i < attempts - 1) {
        await sleep(backoffMs, deadline);
        if (deadline.aborted) {
          throw new AuthError(
            422,
            'hook_timeout',
            `Failed to reach hook within maximum time of ${(timeoutMs / 1000).toFixed(6)} seconds`,
            {},
            e,
          );
        }
        continue;
      }
      throw new AuthError(422, 'hook_timeout_after_retry', 'Failed to reach hook after maximum retries', {}, e);
    }
    const status = rsp.status;
    if (status === 200 || status === 202 || status === 204) {
      const ct = rsp.headers.get('content-type');
      if (!ct) {
        await rsp.body?.cancel();
        if (status === 204) return {};
        throw badRequest('hook_payload_invalid_content_type', 'Invalid Content-Type: Missing Content-Type header');
      }
      if (ct.split(';')[0]!.trim().toLowerCase() !== 'application/json') {
        await rsp.body?.cancel();
        throw badRequest('hook_payload_invalid_content_type', `Invalid JSON response. Received content-type: ${ct}`);
      }
      const text = await rsp.text();
      if (text.length > 200 * 1024) {
        throw new AuthError(
          422,
          'hook_payload_over_size_limit',
          `Payload size exceeded size limit of ${200 * 1024} bytes`,
        );
      }
      let out: unknown = {};
      if (text.trim()) {
        try {
          out = JSON.parse(text);
        } catch (e) {
          throw new AuthError(500, 'unexpected_failure', 'Error unmarshaling JSON output.', {}, e);
        }
      }
      if (isObject(out) && isObject(out.error)) {
        const httpCode = Number(out.error.http_code) || 500;
        const message = typeof out.error.message === 'string' ? out.error.message : '';
        if (message) throw new AuthError(httpCode, httpCode === 500 ? 'unexpected_failure' : 'unknown', message);
      }
      return isObject(out) ? out : {};
    }
    await rsp.body?.cancel();
    if (status === 429 || status === 503) {
      if (rsp.headers.get('retry-after')) continue;
      throw new AuthError(500, 'unexpected_failure', 'Service currently unavailable due to hook');
    }
    if (status === 400) throw new AuthError(500, 'unexpected_failure', 'Invalid payload sent to hook');
    if (status === 401) throw new AuthError(500, 'unexpected_failure', 'Hook requires authorization token');
    throw new AuthError(500, 'unexpected_failure', `Unexpected status code returned from hook: ${status}`);
  }
  throw new AuthError(500, 'unexpected_failure', 'Service currently unavailable due to hook');
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}

/** Renders `[auth.sms] template` (GoTrue replaces `{{ .Code }}`; an empty template means "Your code is <otp>"). */
export const renderSms = (template: string, otp: string): string =>
  template ? template.split('{{ .Code }}').join(otp) : `Your code is ${otp}`;
