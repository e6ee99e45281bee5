// Calling an Edge Function (docs/API.md): plain fetch with a timeout (a weak connection ends in an answer or a clear
// "no answer", never hangs), the person's token, and Accept-Language so refusals come back in the language on
// screen. Callers switch on `code` and show `message` as the server wrote it.

/** `refused`: the server answered with an error. `timeout` / `network`: no answer, the outcome of a POST is unknown. */
export type FunctionFailureKind = 'refused' | 'timeout' | 'network';

// Fields are `declare`d and set in the constructor: a class field would pull the bundler's defineProperty helper
// (build target es2020) into the first screen's shared chunk (B9 budget).
export class FunctionError extends Error {
  declare readonly kind: FunctionFailureKind;
  declare readonly status: number;
  declare readonly code: string;
  declare readonly details: Record<string, unknown>;

  constructor(kind: FunctionFailureKind, status: number, code: string, message: string, details = {}) {
    super(message);
    this.name = 'FunctionError';
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const FUNCTION_TIMEOUT_MS = 20_000;

export interface FunctionCallInit {
  method?: 'GET' | 'POST';
  body?: unknown;
  idempotencyKey?: string;
  timeoutMs?: number;
}

export interface FunctionsConfig {
  url: string;
  anonKey: string;
  accessToken: () => Promise<string | null>;
  /** The language on screen (`fr` / `en`). */
  locale: () => string;
}

export type CallFunction = <T>(fn: string, path: string, init?: FunctionCallInit) => Promise<T>;

export function createFunctionCaller(config: FunctionsConfig): CallFunction {
  return async function call<T>(fn: string, path: string, init: FunctionCallInit = {}): Promise<T> {
    const headers: Record<string, string> = {
      apikey: config.anonKey,
      Authorization: `Bearer ${(await config.accessToken()) ?? config.anonKey}`,
      'Accept-Language': config.locale(),
    };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    if (init.idempotencyKey) headers['Idempotency-Key'] = init.idempotencyKey;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), init.timeoutMs ?? FUNCTION_TIMEOUT_MS);
    let res: Response;
    try {
      res = await fetch(`${config.url}/functions/v1/${fn}${path}`, {
        method: init.method ?? 'GET',
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: controller.signal,
        cache: 'no-store',
      });
    } catch (e) {
      const timedOut = controller.signal.aborted;
      throw new FunctionError(timedOut ? 'timeout' : 'network', 0, timedOut ? 'timeout' : 'network', String(e));
    } finally {
      clearTimeout(timer);
    }
    const body = (await res.json().catch(() => null)) as
      (T & { error?: { code?: string; message?: string } & Record<string, unknown>; msg?: string }) | null;
    if (res.ok && body) return body;
    const error = body?.error;
    const code = error?.code ?? (res.status === 401 ? 'unauthorized' : 'internal_error');
    throw new FunctionError('refused', res.status, code, error?.message ?? body?.msg ?? res.statusText, error ?? {});
  };
}
