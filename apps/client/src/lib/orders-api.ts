// The `orders` edge function (docs/API.md): place an order, move it, read it; `rides` goes the same way. Plain fetch with a timeout (a weak
// connection must end in an answer or a clear "no answer", never hang), the person's token, and Accept-Language so
// refusals come back in the language on screen. Callers switch on `code`, and show `message` as the server wrote it.
import { i18n } from '../i18n/index.ts';
import { accessToken, ANON_KEY, SUPABASE_URL } from './supabase.ts';

/**
 * `refused`: the server answered with an error (code + message in the caller's language). `timeout` / `network`:
 * no answer, so the outcome of a POST is unknown.
 */
export type OrdersFailureKind = 'refused' | 'timeout' | 'network';

export class OrdersApiError extends Error {
  readonly kind: OrdersFailureKind;
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(kind: OrdersFailureKind, status: number, code: string, message: string, details = {}) {
    super(message);
    this.name = 'OrdersApiError';
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** The server's own words when it refused (shown as they are), else null: no answer, or not one of ours. */
export function refusalMessage(e: unknown): string | null {
  return e instanceof OrdersApiError && e.kind === 'refused' ? e.message : null;
}

export const ORDERS_TIMEOUT_MS = 20_000;

export interface FunctionCallInit {
  method?: 'GET' | 'POST';
  body?: unknown;
  idempotencyKey?: string;
  timeoutMs?: number;
}

export function ordersCall<T>(path: string, init: FunctionCallInit = {}): Promise<T> {
  return functionCall<T>('orders', path, init);
}

/** Any Edge Function with the same conventions (`orders`, `payments`…): same envelope, same failure kinds. */
export async function functionCall<T>(fn: string, path: string, init: FunctionCallInit = {}): Promise<T> {
  const headers: Record<string, string> = {
    apikey: ANON_KEY,
    Authorization: `Bearer ${(await accessToken()) ?? ANON_KEY}`,
    'Accept-Language': i18n.global.locale.value,
  };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (init.idempotencyKey) headers['Idempotency-Key'] = init.idempotencyKey;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), init.timeoutMs ?? ORDERS_TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(`${SUPABASE_URL}/functions/v1/${fn}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: controller.signal,
      cache: 'no-store',
    });
  } catch (e) {
    const timedOut = controller.signal.aborted;
    throw new OrdersApiError(timedOut ? 'timeout' : 'network', 0, timedOut ? 'timeout' : 'network', String(e));
  } finally {
    clearTimeout(timer);
  }
  const body = (await res.json().catch(() => null)) as
    (T & { error?: { code?: string; message?: string } & Record<string, unknown>; msg?: string }) | null;
  if (res.ok && body) return body;
  const error = body?.error;
  const code = error?.code ?? (res.status === 401 ? 'unauthorized' : 'internal_error');
  throw new OrdersApiError('refused', res.status, code, error?.message ?? body?.msg ?? res.statusText, error ?? {});
}
