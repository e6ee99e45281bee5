// Supabase Auth "Send SMS" hook (supabase-protocols.md A.10, D.8). Auth POSTs
// `{ user, sms: { otp, phone } }` signed with Standard Webhooks; we verify the signature on the raw body, render the
// French text, hand it to the SMS gateway and answer `200 {}` (JSON) within Auth's 5 s budget, or
// `{ "error": { "http_code", "message" } }` so Auth reports the failure to the app.
import { authHookError, authHookOk } from '../_shared/http.ts';
import type { SmsProvider } from '../_shared/sms/index.ts';
import { SmsError } from '../_shared/sms/index.ts';
import { verifyWebhook, WebhookVerificationError } from '../_shared/standard-webhooks.ts';

/** Auth's payloads are a few KB; anything much larger is not Auth. */
const MAX_BODY_BYTES = 64 * 1024;

export function renderOtpText(otp: string): string {
  return `Votre code Ecom : ${otp}. Ne le partagez avec personne.`;
}

/** "+22507******01": enough to follow a delivery in the logs without writing phone numbers down. */
export function maskPhone(e164: string): string {
  return e164.length <= 8 ? '+***' : `${e164.slice(0, 6)}${'*'.repeat(e164.length - 8)}${e164.slice(-2)}`;
}

/**
 * Remembers webhook ids so Auth's retries (same `webhook-id`) do not send a second SMS.
 *
 * In memory with a TTL: acceptable for OTP texts, not for money. It is per process, so it forgets on restart and is
 * not shared between several instances; a retry landing on another instance sends the code twice (harmless: same
 * code). The TTL outlives the 5-minute signature tolerance, after which a replay fails verification anyway.
 */
export class MemoryDedupe {
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { done: Promise<void>; expiresAt: number }>();

  constructor(options: { ttlMs?: number; now?: () => number } = {}) {
    this.#ttlMs = options.ttlMs ?? 10 * 60 * 1000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Runs `work` once per id. A repeat while the first run is in flight waits for it; a repeat after it succeeded
   * resolves to 'duplicate' at once; a failed run is forgotten so Auth's retry may try again.
   */
  async once(id: string, work: () => Promise<void>): Promise<'done' | 'duplicate'> {
    const now = this.#now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
    const existing = this.#entries.get(id);
    if (existing) {
      await existing.done;
      return 'duplicate';
    }
    const done = work();
    this.#entries.set(id, { done, expiresAt: now + this.#ttlMs });
    try {
      await done;
    } catch (error) {
      this.#entries.delete(id);
      throw error;
    }
    return 'done';
  }
}

export type Log = (event: string, fields?: Record<string, unknown>) => void;

/** `SMS_ALLOWED_COUNTRY_CODES="225,228"` → ['225', '228']; the default when unset. */
export function parseCountryCodes(value: string | undefined): string[] {
  const codes = (value ?? '225,228')
    .split(',')
    .map((c) => c.trim().replace(/^\+/, ''))
    .filter(Boolean);
  for (const code of codes) {
    if (!/^[1-9]\d{0,2}$/.test(code)) throw new Error(`SMS_ALLOWED_COUNTRY_CODES: "${code}" is not a calling code`);
  }
  return codes;
}

export interface SendSmsHandlerDeps {
  /** Standard Webhooks secrets (`v1,whsec_…`); several during a rotation. */
  secrets: string[];
  provider: SmsProvider;
  /**
   * Country calling codes we send codes to (Côte d'Ivoire 225 and Togo 228 to start). Anything else is refused
   * before any SMS leaves: SMS pumping goes for expensive destinations.
   */
  allowedCountryCodes: string[];
  dedupe?: MemoryDedupe;
  /** Milliseconds; for signature-age tests. */
  now?: () => number;
  log?: Log;
}

interface SendSmsPayload {
  otp: string;
  /** E.164 with '+'. */
  to: string;
}

function parsePayload(raw: Uint8Array): SendSmsPayload | null {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    return null;
  }
  const sms = (value as { sms?: { otp?: unknown; phone?: unknown } } | null)?.sms;
  if (!sms || typeof sms.otp !== 'string' || typeof sms.phone !== 'string') return null;
  const otp = sms.otp.trim();
  // Auth sends the number as E.164 digits without '+'; tolerate a '+' and spaces anyway.
  const digits = sms.phone.replace(/[\s+]/g, '');
  if (!/^\d{4,10}$/.test(otp) || !/^[1-9]\d{6,14}$/.test(digits)) return null;
  return { otp, to: `+${digits}` };
}

export function createSendSmsHandler(deps: SendSmsHandlerDeps): (req: Request) => Promise<Response> {
  const dedupe = deps.dedupe ?? new MemoryDedupe();
  const now = deps.now ?? Date.now;
  const log: Log = deps.log ?? ((event, fields) => console.log(JSON.stringify({ event, ...fields })));

  return async (req) => {
    if (req.method !== 'POST') return authHookError(405, 'Method not allowed');

    const raw = new Uint8Array(await req.arrayBuffer());
    if (raw.byteLength > MAX_BODY_BYTES) return authHookError(413, 'Payload too large');

    // Signature first: nothing in the body is read before we know Auth sent it.
    let webhookId: string;
    try {
      ({ id: webhookId } = await verifyWebhook(deps.secrets, req.headers, raw, { now: now() }));
    } catch (error) {
      if (error instanceof WebhookVerificationError) {
        log('send_sms.rejected_signature', { reason: error.reason });
        return authHookError(401, 'Invalid webhook signature');
      }
      throw error;
    }

    const payload = parsePayload(raw);
    if (!payload) {
      log('send_sms.invalid_payload', { webhook_id: webhookId });
      return authHookError(400, 'Invalid Send SMS hook payload');
    }

    if (!deps.allowedCountryCodes.some((code) => payload.to.startsWith(`+${code}`))) {
      log('send_sms.refused_country', { webhook_id: webhookId, to: maskPhone(payload.to) });
      return authHookError(400, 'Phone number country is not supported');
    }

    const started = now();
    try {
      const outcome = await dedupe.once(webhookId, async () => {
        const { messageId } = await deps.provider.send({ to: payload.to, text: renderOtpText(payload.otp) });
        log('send_sms.sent', {
          webhook_id: webhookId,
          provider: deps.provider.name,
          to: maskPhone(payload.to),
          message_id: messageId,
          ms: now() - started,
        });
      });
      if (outcome === 'duplicate') log('send_sms.duplicate', { webhook_id: webhookId });
      return authHookOk();
    } catch (error) {
      const kind = error instanceof SmsError ? error.kind : 'unexpected';
      log('send_sms.failed', {
        webhook_id: webhookId,
        provider: deps.provider.name,
        to: maskPhone(payload.to),
        kind,
        detail: error instanceof Error ? error.message : String(error),
        ms: now() - started,
      });
      return authHookError(500, kind === 'timeout' ? 'SMS gateway did not answer in time' : 'SMS could not be sent');
    }
  };
}
