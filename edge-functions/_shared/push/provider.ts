// The push adapter every provider implements (FCM HTTP v1 for android / ios, Web Push for browsers). The notify
// drain depends on this interface only; tests pass fakes or point the adapters at local fake servers.

export type DevicePlatform = 'android' | 'ios' | 'web';

export interface PushMessage {
  title: string;
  body: string;
  /** Deep-link ids ({"order_id": …}); FCM wants string values, so they are stringified. */
  data: Record<string, unknown>;
  /** The notification id: collapse key / tag so a retry never shows twice on the phone. */
  id: string;
}

export interface PushTarget {
  platform: DevicePlatform;
  /** FCM registration token, or for web the PushSubscription JSON ({endpoint, keys: {p256dh, auth}}). */
  token: string;
}

export interface PushProvider {
  readonly name: string;
  /** Resolves once the push service accepted the message; throws PushError otherwise. */
  send(target: PushTarget, message: PushMessage): Promise<{ messageId: string }>;
}

export type PushErrorKind =
  /** The token / subscription is gone (FCM UNREGISTERED, Web Push 404 / 410): remove the device, never retry. */
  | 'invalid_token'
  /** The service refused this message for good (bad payload, 400, 413): fail, do not retry. */
  | 'rejected'
  /** Non-2xx that may pass later (5xx, 429, 401 of an expired token) or an unreadable answer: retry. */
  | 'http'
  | 'timeout'
  | 'network'
  /** Missing or invalid settings (no FCM project, no VAPID keys, an endpoint host not allowed). */
  | 'config';

export class PushError extends Error {
  readonly kind: PushErrorKind;
  readonly provider: string;
  readonly status: number | undefined;
  constructor(
    kind: PushErrorKind,
    provider: string,
    message: string,
    options: { status?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'PushError';
    this.kind = kind;
    this.provider = provider;
    this.status = options.status;
  }
}

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** One HTTP exchange under a single deadline (headers and body); transport failures become PushError. */
export async function exchange(
  provider: string,
  fetchImpl: FetchLike,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<{ status: number; text: string; headers: Headers }> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new PushError('timeout', provider, `${provider} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  const work = (async () => {
    const res = await fetchImpl(url, { ...init, signal: controller.signal });
    return { status: res.status, text: await res.text(), headers: res.headers };
  })();
  try {
    return await Promise.race([work, deadline]);
  } catch (cause) {
    if (cause instanceof PushError) throw cause;
    throw new PushError('network', provider, `${provider} could not be reached`, { cause });
  } finally {
    clearTimeout(timer);
    work.catch(() => {});
  }
}
