// The SMS gateway adapter every provider implements. Handlers depend on this interface only, so tests pass a fake
// and production picks Africa's Talking (or another gateway) from the environment.

export interface SmsMessage {
  /** E.164 with the leading '+', e.g. "+2250700000000". */
  to: string;
  text: string;
}

export interface SmsProvider {
  readonly name: string;
  /** Resolves once the gateway accepted the message; throws SmsError otherwise. */
  send(message: SmsMessage): Promise<{ messageId: string }>;
}

export type SmsErrorKind =
  /** The gateway answered but refused the message (bad number, no route, no credit…). */
  | 'rejected'
  /** The gateway answered with a non-2xx status or an unreadable body. */
  | 'http'
  /** No answer within the time budget. */
  | 'timeout'
  /** Connection refused, DNS, TLS… */
  | 'network'
  /** Missing or invalid provider settings. */
  | 'config';

export class SmsError extends Error {
  readonly kind: SmsErrorKind;
  readonly provider: string;
  readonly status: number | undefined;
  constructor(
    kind: SmsErrorKind,
    provider: string,
    message: string,
    options: { status?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'SmsError';
    this.kind = kind;
    this.provider = provider;
    this.status = options.status;
  }
}

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * One HTTP exchange with a provider under a single deadline that covers the headers and the body (a gateway may
 * answer its headers and then stall). Transport failures become SmsError('timeout' | 'network').
 */
export async function requestText(
  provider: string,
  fetchImpl: FetchLike,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new SmsError('timeout', provider, `${provider} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  const exchange = (async () => {
    const res = await fetchImpl(url, { ...init, signal: controller.signal });
    return { status: res.status, text: await res.text() };
  })();
  try {
    return await Promise.race([exchange, deadline]);
  } catch (cause) {
    if (cause instanceof SmsError) throw cause;
    throw new SmsError('network', provider, `${provider} could not be reached`, { cause });
  } finally {
    clearTimeout(timer);
    // The losing promise must not surface as an unhandled rejection.
    exchange.catch(() => {});
  }
}
