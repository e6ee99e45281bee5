// Standard Webhooks (https://www.standardwebhooks.com), as Supabase Auth signs its HTTP hooks:
// headers `webhook-id`, `webhook-timestamp` (unix seconds) and `webhook-signature` ("v1,<base64>" entries separated
// by spaces; Auth may also put a comma after each). Signed content: `${id}.${timestamp}.${rawBody}`, HMAC-SHA256 with
// the base64-decoded part of the secret after `v1,whsec_`. WebCrypto only, so it runs unchanged in Deno and the
// edge runtime.

/** Replays older or newer than this are refused, as the standardwebhooks libraries do. */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

export type WebhookFailure =
  'missing_headers' | 'invalid_timestamp' | 'timestamp_out_of_range' | 'invalid_signature' | 'no_secret';

export class WebhookVerificationError extends Error {
  readonly reason: WebhookFailure;
  constructor(reason: WebhookFailure, message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
    this.reason = reason;
  }
}

export interface VerifyOptions {
  /** Current time in milliseconds (tests). */
  now?: number;
  toleranceSeconds?: number;
}

const encoder = new TextEncoder();

/** Splits `SEND_SMS_HOOK_SECRETS`-style values ("v1,whsec_a|v1,whsec_b") into single secrets. */
export function parseSecrets(raw: string | undefined): string[] {
  return (raw ?? '')
    .split('|')
    .map((s) => s.trim())
    .filter(Boolean);
}

function decodeBase64(value: string): Uint8Array | null {
  try {
    const bin = atob(value);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

function encodeBase64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** The HMAC key bytes of a secret written `v1,whsec_<base64>` (the `v1,` and `whsec_` prefixes are optional). */
export function secretKeyBytes(secret: string): Uint8Array {
  let s = secret.trim();
  if (s.startsWith('v1,')) s = s.slice(3);
  if (s.startsWith('whsec_')) s = s.slice(6);
  const bytes = decodeBase64(s);
  if (!bytes || bytes.length === 0) throw new Error('Webhook secret is not base64 after "v1,whsec_"');
  return bytes;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

async function hmac(secret: string, id: string, timestamp: string, body: string | Uint8Array): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    'raw',
    secretKeyBytes(secret) as BufferSource,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const bodyBytes = typeof body === 'string' ? encoder.encode(body) : body;
  const content = concat(encoder.encode(`${id}.${timestamp}.`), bodyBytes);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, content as BufferSource));
}

/** Compares without an early exit, so the time taken does not reveal how many bytes matched. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** The `v1` signatures carried by a `webhook-signature` header (other versions are ignored). */
export function parseSignatureHeader(header: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const raw of header.split(/\s+/)) {
    const entry = raw.replace(/,+$/, '');
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const bytes = decodeBase64(entry.slice(comma + 1));
    if (bytes) out.push(bytes);
  }
  return out;
}

/**
 * Verifies a signed webhook against one or more secrets (key rotation). Resolves when one signature matches
 * one secret; otherwise throws WebhookVerificationError. Call it with the raw body, before parsing it.
 */
export async function verifyWebhook(
  secrets: string | string[],
  headers: Headers,
  body: string | Uint8Array,
  options: VerifyOptions = {},
): Promise<{ id: string; timestamp: number }> {
  const list = typeof secrets === 'string' ? parseSecrets(secrets) : secrets;
  if (list.length === 0) throw new WebhookVerificationError('no_secret', 'No webhook secret configured');

  const id = headers.get('webhook-id');
  const timestamp = headers.get('webhook-timestamp');
  const signature = headers.get('webhook-signature');
  if (!id || !timestamp || !signature) {
    throw new WebhookVerificationError('missing_headers', 'Missing webhook-id, webhook-timestamp or webhook-signature');
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    throw new WebhookVerificationError('invalid_timestamp', 'webhook-timestamp is not unix seconds');
  }
  const ts = Number(timestamp);
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(nowSeconds - ts) > tolerance) {
    throw new WebhookVerificationError('timestamp_out_of_range', 'webhook-timestamp is too old or too new');
  }

  const given = parseSignatureHeader(signature);
  let matched = false;
  for (const secret of list) {
    const expected = await hmac(secret, id, timestamp, body);
    // Check every candidate (no early return) so timing does not depend on which entry matched.
    for (const sig of given) if (timingSafeEqual(sig, expected)) matched = true;
  }
  if (!matched) throw new WebhookVerificationError('invalid_signature', 'No matching webhook signature');
  return { id, timestamp: ts };
}

/** Signs a payload as Supabase Auth does; returns the `webhook-signature` entry "v1,<base64>". For tests and tools. */
export async function sign(
  secret: string,
  message: { id: string; timestamp: number | string; body: string | Uint8Array },
): Promise<string> {
  return `v1,${encodeBase64(await hmac(secret, message.id, String(message.timestamp), message.body))}`;
}

/** The three headers of a signed call, ready for `fetch`. */
export async function signedHeaders(
  secret: string,
  body: string,
  options: { id?: string; timestamp?: number } = {},
): Promise<Record<string, string>> {
  const id = options.id ?? crypto.randomUUID();
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': await sign(secret, { id, timestamp, body }),
  };
}
