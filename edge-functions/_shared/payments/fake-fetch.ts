// Test helpers for the payment adapters: a fetch that records every request and answers from a script, plus the
// answers a provider can give (JSON, a hang until the caller aborts, a refused connection). No network is used.
import assert from 'node:assert/strict';
import { type FetchLike, PaymentError, type PaymentErrorKind } from './provider.ts';

export interface RecordedRequest {
  url: URL;
  method: string;
  headers: Headers;
  body: string;
}

export type Responder = (request: RecordedRequest, signal: AbortSignal | undefined) => Response | Promise<Response>;

export interface FakeFetch {
  fetch: FetchLike;
  requests: RecordedRequest[];
}

/** Answers request i with `responders[i]` (the last one repeats), recording each request. */
export function fakeFetch(...responders: Responder[]): FakeFetch {
  const requests: RecordedRequest[] = [];
  const fetch: FetchLike = async (input, init = {}) => {
    const request: RecordedRequest = {
      url: new URL(input),
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? init.body : '',
    };
    requests.push(request);
    const responder = responders[Math.min(requests.length - 1, responders.length - 1)];
    if (!responder) throw new Error('fakeFetch has no responder');
    return await responder(request, init.signal ?? undefined);
  };
  return { fetch, requests };
}

export const json =
  (body: unknown, status = 200): Responder =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

export const plain =
  (body: string, status: number): Responder =>
  () =>
    new Response(body, { status });

/** Never answers; rejects like fetch does when the caller aborts. */
export const hang: Responder = (_request, signal) =>
  new Promise<Response>((_, reject) => {
    signal?.addEventListener('abort', () => reject(new DOMException('The signal has been aborted', 'AbortError')));
  });

export const refuse: Responder = () => {
  throw new TypeError('error sending request: Connection refused (os error 111)');
};

/** Awaits a promise that must fail with a PaymentError of `kind`; returns it for further checks. */
export async function failsWith(promise: Promise<unknown>, kind: PaymentErrorKind): Promise<PaymentError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof PaymentError, `expected a PaymentError, got ${error}`);
    assert.equal(error.kind, kind, `expected kind ${kind}: ${error.message}`);
    return error;
  }
  assert.fail(`expected a PaymentError(${kind})`);
}

/** Hex HMAC-SHA256 computed here with Web Crypto, independently of the adapters' own helper. */
export async function referenceHmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(message));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
