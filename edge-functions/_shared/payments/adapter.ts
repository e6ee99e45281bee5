// What every mobile-money adapter needs and nothing provider-specific: one HTTP exchange under a deadline with the
// failures sorted into PaymentError kinds, JSON reading, whole-XOF checks, and HMAC-SHA256 signatures compared in
// constant time. WebCrypto only, so it runs unchanged in Deno and the edge runtime.
import { timingSafeEqual } from '../standard-webhooks.ts';
import { type FetchLike, PaymentError } from './provider.ts';

/** Per call, unless an adapter is told otherwise: long enough for a slow operator, short enough for a function. */
export const DEFAULT_TIMEOUT_MS = 8000;

export interface Caller {
  /** The provider's name, for error messages. */
  name: string;
  fetch: FetchLike;
  timeoutMs: number;
}

export function caller(name: string, options: { fetch?: FetchLike; timeoutMs?: number }): Caller {
  return {
    name,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
}

export interface Answer {
  status: number;
  /** The parsed JSON body; `undefined` when the body is empty or not JSON (4xx only: 2xx must be JSON). */
  body: unknown;
  text: string;
}

/**
 * One HTTP exchange under a single deadline covering headers and body. No answer in time → 'timeout'; connection
 * failures, 5xx and 429 → 'unavailable' (retry later); a 2xx body that is not JSON → 'protocol'. Other 4xx answers
 * come back to the adapter, which knows what its provider means by them.
 */
export async function exchange(call: Caller, url: string, init: RequestInit): Promise<Answer> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new PaymentError('timeout', call.name, `no answer within ${call.timeoutMs} ms`));
    }, call.timeoutMs);
  });
  const attempt = (async () => {
    const res = await call.fetch(url, { ...init, signal: controller.signal });
    return { status: res.status, text: await res.text() };
  })();
  let status: number;
  let text: string;
  try {
    ({ status, text } = await Promise.race([attempt, deadline]));
  } catch (cause) {
    if (cause instanceof PaymentError) throw cause;
    throw new PaymentError('unavailable', call.name, `could not be reached (${describe(cause)})`);
  } finally {
    clearTimeout(timer);
    // The losing promise must not surface as an unhandled rejection.
    attempt.catch(() => {});
  }
  if (status >= 500 || status === 429) {
    throw new PaymentError('unavailable', call.name, `answered HTTP ${status}`);
  }
  let body: unknown;
  try {
    body = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (status >= 200 && status < 300 && body === undefined) {
    throw new PaymentError('protocol', call.name, `answered HTTP ${status} with a body that is not JSON`);
  }
  return { status, body, text };
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** JSON request headers plus the given ones. */
export function jsonInit(method: string, headers: Record<string, string>, body?: unknown): RequestInit {
  return {
    method,
    headers: {
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

/** A JSON API call whose non-2xx answers are the provider refusing ('rejected'). */
export async function jsonApi(
  call: Caller,
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  const answer = await exchange(call, url, jsonInit(method, headers, body));
  if (answer.status < 200 || answer.status >= 300) {
    throw new PaymentError('rejected', call.name, `${method} ${new URL(url).pathname} refused: ${errorDetail(answer)}`);
  }
  return answer;
}

/** The outcome of the call is unknown (no answer, or the provider was down): never repeat a money movement blindly. */
export function isTransient(error: unknown): boolean {
  return error instanceof PaymentError && (error.kind === 'timeout' || error.kind === 'unavailable');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string field of a JSON object, numbers included (providers mix "42" and 42). */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** The first readable error message of a provider's JSON error answer. */
export function errorDetail(answer: Answer): string {
  const b = answer.body;
  if (isRecord(b)) {
    const parts = [b.code, b.message, b.description, b.error_message]
      .map((v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : ''))
      .filter(Boolean);
    if (parts.length) return `HTTP ${answer.status}: ${parts.join(' ')}`;
  }
  return `HTTP ${answer.status}`;
}

/** Refuses anything but a whole, positive number of XOF before a request leaves. */
export function requireWholeXof(provider: string, amountXof: number): number {
  if (!Number.isSafeInteger(amountXof) || amountXof <= 0) {
    throw new PaymentError('rejected', provider, `amount must be a whole, positive number of XOF (got ${amountXof})`);
  }
  return amountXof;
}

/** Reads an XOF amount a provider sent back ("1500", 1500, "1500.00") as an integer; anything else is 'protocol'. */
export function xofFrom(provider: string, value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const s = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const m = /^(\d+)(?:\.0+)?$/.exec(s);
  if (!m) throw new PaymentError('protocol', provider, `amount ${JSON.stringify(value)} is not a whole XOF amount`);
  return Number(m[1]);
}

/** The calling code of the operator's country, which every adapter needs to split or qualify the number. */
export function countryOf(operator: string): { callingCode: '225' | '228'; iso: 'ci' | 'tg' } {
  return operator.endsWith('_tg') ? { callingCode: '228', iso: 'tg' } : { callingCode: '225', iso: 'ci' };
}

/** Checks an E.164 number (without '+') belongs to the operator's country; returns the national part. */
export function nationalNumber(provider: string, operator: string, phone: string): string {
  const { callingCode } = countryOf(operator);
  if (!/^\d{8,15}$/.test(phone) || !phone.startsWith(callingCode) || phone.length <= callingCode.length + 6) {
    throw new PaymentError('rejected', provider, `phone ${phone} is not a +${callingCode} number for ${operator}`);
  }
  return phone.slice(callingCode.length);
}

export function requireOperator(provider: string, operators: readonly string[], operator: string): void {
  if (!operators.includes(operator)) {
    throw new PaymentError('rejected', provider, `does not serve operator ${operator}`);
  }
}

// ---------------------------------------------------------------------------------------------------- signatures

const encoder = new TextEncoder();

export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Compares two hex digests (any case) without an early exit; malformed hex never matches. */
export function hexDigestEquals(given: string, expected: string): boolean {
  const a = given.trim().toLowerCase();
  const b = expected.toLowerCase();
  if (!/^[0-9a-f]*$/.test(a) || a.length !== b.length) return false;
  return timingSafeEqual(encoder.encode(a), encoder.encode(b));
}

/**
 * Verifies a `t=<unix seconds>,<scheme>=<hex>[,<scheme>=<hex>]` header (FedaPay, Wave): one of the signatures must
 * be HMAC-SHA256(secret, signedContent(t)), and t within `toleranceSeconds` of now, either way. Anything else is
 * PaymentError('forged'). Returns the timestamp.
 */
export async function verifyTimestampedSignature(options: {
  provider: string;
  header: string | null;
  scheme: string;
  secret: string;
  signedContent: (timestamp: string) => string;
  now: Date;
  toleranceSeconds: number;
}): Promise<number> {
  const { provider, header } = options;
  if (!header) throw new PaymentError('forged', provider, 'signature header is missing');
  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') timestamp = value;
    else if (key === options.scheme) signatures.push(value);
  }
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) {
    throw new PaymentError('forged', provider, 'signature header has no unix timestamp');
  }
  if (signatures.length === 0) throw new PaymentError('forged', provider, `signature header has no ${options.scheme}=`);
  const expected = await hmacSha256Hex(options.secret, options.signedContent(timestamp));
  let matched = false;
  // Every candidate is compared (no early return), so timing does not tell which entry matched.
  for (const sig of signatures) if (hexDigestEquals(sig, expected)) matched = true;
  if (!matched) throw new PaymentError('forged', provider, 'signature does not match');
  const age = Math.floor(options.now.getTime() / 1000) - Number(timestamp);
  if (Math.abs(age) > options.toleranceSeconds) {
    throw new PaymentError('forged', provider, `signature timestamp is ${age} s away from now (stale or replayed)`);
  }
  return Number(timestamp);
}

/** Verifies a timestamped signature (verifyTimestampedSignature), then parses the JSON body it covers. */
export async function authenticatedJsonBody(
  rawBody: string,
  check: Parameters<typeof verifyTimestampedSignature>[0],
): Promise<Record<string, unknown>> {
  await verifyTimestampedSignature(check);
  return parseJsonBody(check.provider, rawBody);
}

/** Parses a JSON webhook body that has already been authenticated. */
export function parseJsonBody(provider: string, rawBody: string): Record<string, unknown> {
  try {
    const value = JSON.parse(rawBody);
    if (isRecord(value)) return value;
  } catch {
    // fall through
  }
  throw new PaymentError('protocol', provider, 'callback body is not a JSON object');
}
