// Wave Business API (supabase-protocols.md D.4), Côte d'Ivoire; Wave wallets only.
//
// `Authorization: Bearer <api key>` on every call, base https://api.wave.com.
// Collect: `POST /v1/checkout/sessions` with `Idempotency-Key: <our reference>`, body {amount: "1500" (a string),
// currency: XOF, success_url, error_url, client_reference: our reference, restrict_payer_mobile} → session
// {id: "cos-…", wave_launch_url, checkout_status: open | complete | expired, payment_status: processing |
// cancelled | succeeded, transaction_id, last_payment_error}.
// Status: `GET /v1/checkout/sessions/{id}`, or `GET /v1/checkout/sessions/search?client_reference=` → {result: […]}.
// Webhooks: envelope {id, type, data}; header `Wave-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`, v1 =
// HMAC-SHA256(secret, t + raw body) with no separator; older than 5 minutes is refused; dedupe on the envelope id.
// Payout: `POST /v1/payout` with the required `idempotency-key`, body {currency, receive_amount: "5000", mobile,
// name, client_reference} → payout {id: "pt-…", status: processing | succeeded | failed | reversed, payout_error};
// status `GET /v1/payout/{id}` or `GET /v1/payouts/search?client_reference=`.
import {
  caller,
  isRecord,
  jsonApi,
  nationalNumber,
  parseJsonBody,
  requireOperator,
  requireWholeXof,
  text,
  verifyTimestampedSignature,
  xofFrom,
} from './adapter.ts';
import {
  type CallbackHint,
  type CollectRequest,
  type FailureReason,
  type FetchLike,
  type Operator,
  PaymentError,
  type PaymentProvider,
  type PaymentStatus,
  type PayoutRequest,
  type PayoutResult,
  type StatusResult,
} from './provider.ts';

export const WAVE_URL = 'https://api.wave.com';
export const WAVE_TOLERANCE_SECONDS = 300;
export const WAVE_OPERATORS: readonly Operator[] = ['wave_ci'];

export interface WaveOptions {
  apiKey: string;
  /** The webhook's signing secret; callbacks are refused without it. */
  webhookSecret?: string;
  baseUrl?: string;
  toleranceSeconds?: number;
  timeoutMs?: number;
  fetch?: FetchLike;
}

const CHECKOUT_EVENTS: Record<string, PaymentStatus> = {
  'checkout.session.completed': 'succeeded',
  'checkout.session.payment_failed': 'failed',
};

const PAYOUT_STATUSES: Record<string, PaymentStatus> = {
  processing: 'pending',
  succeeded: 'succeeded',
  failed: 'failed',
  reversed: 'failed',
};

/** Wave's error codes (last_payment_error.code, payout_error.error_code) → why. */
function reasonFrom(code: string | undefined, fallback: FailureReason): FailureReason {
  if (!code) return fallback;
  if (code.includes('insufficient')) return 'insufficient_funds';
  if (code.includes('expired') || code.includes('timeout')) return 'timeout';
  return 'declined';
}

export function createWaveProvider(options: WaveOptions): PaymentProvider {
  const name = 'wave';
  if (!options.apiKey) throw new PaymentError('config', name, 'WAVE_API_KEY is required');
  const base = (options.baseUrl || WAVE_URL).replace(/\/+$/, '');
  const call = caller(name, options);
  const auth = { Authorization: `Bearer ${options.apiKey}` };

  const api = (method: string, path: string, extra: Record<string, string> = {}, body?: unknown) =>
    jsonApi(call, `${base}${path}`, method, { ...auth, ...extra }, body);

  /** One object by id, or the one carrying our client_reference (a succeeded one first, else the newest). */
  async function find(kind: 'checkout' | 'payout', reference: string, providerRef?: string) {
    const path = kind === 'checkout' ? '/v1/checkout/sessions' : '/v1/payout';
    if (providerRef) {
      const answer = await api('GET', `${path}/${encodeURIComponent(providerRef)}`);
      if (!isRecord(answer.body)) throw new PaymentError('protocol', name, `${kind} answer is not an object`);
      if (text(answer.body.client_reference) !== reference) {
        throw new PaymentError('protocol', name, `${kind} ${providerRef} does not carry reference ${reference}`);
      }
      return { item: answer.body, raw: answer.body };
    }
    const search = kind === 'checkout' ? '/v1/checkout/sessions/search' : '/v1/payouts/search';
    const answer = await api('GET', `${search}?client_reference=${encodeURIComponent(reference)}`);
    const list = isRecord(answer.body) && Array.isArray(answer.body.result) ? answer.body.result : undefined;
    if (!list) throw new PaymentError('protocol', name, `${kind} search answered without a result list`);
    const mine = list.filter(
      (x): x is Record<string, unknown> => isRecord(x) && text(x.client_reference) === reference,
    );
    const item =
      mine.find((x) => x.payment_status === 'succeeded' || x.status === 'succeeded') ??
      mine.sort((a, b) =>
        String(b.when_created ?? b.timestamp ?? '').localeCompare(String(a.when_created ?? a.timestamp ?? '')),
      )[0];
    if (!item) throw new PaymentError('rejected', name, `no ${kind} carries reference ${reference}`);
    return { item, raw: answer.body };
  }

  function sessionStatus(session: Record<string, unknown>, raw: unknown): StatusResult {
    const payment = text(session.payment_status);
    const checkout = text(session.checkout_status);
    if (payment === 'succeeded') {
      if (text(session.currency) && text(session.currency) !== 'XOF') {
        throw new PaymentError('protocol', name, `paid in ${text(session.currency)}, not XOF`);
      }
      const amountXof = xofFrom(name, session.amount);
      if (amountXof === undefined) throw new PaymentError('protocol', name, 'succeeded session without an amount');
      const txId = text(session.transaction_id);
      return { status: 'succeeded', amountXof, ...(txId ? { providerTxId: txId } : {}), raw };
    }
    if (checkout === 'expired') return { status: 'expired', raw };
    if (payment === 'cancelled') {
      const error = isRecord(session.last_payment_error) ? text(session.last_payment_error.code) : undefined;
      return { status: 'failed', failureReason: error ? reasonFrom(error, 'declined') : 'cancelled', raw };
    }
    // An open session with a failed attempt stays payable: the payer may try again until it expires.
    if (checkout === 'open' || checkout === 'complete' || payment === 'processing') return { status: 'pending', raw };
    throw new PaymentError('protocol', name, `unknown session state ${checkout}/${payment}`);
  }

  function payoutFrom(payout: Record<string, unknown>, raw: unknown): PayoutResult {
    const declared = text(payout.status) ?? '';
    const status = PAYOUT_STATUSES[declared];
    const id = text(payout.id);
    if (!status || !id) throw new PaymentError('protocol', name, `payout answer has no id or a status "${declared}"`);
    const result: PayoutResult = { providerRef: id, status, raw };
    if (status === 'failed') {
      const code = isRecord(payout.payout_error) ? text(payout.payout_error.error_code) : undefined;
      result.failureReason = reasonFrom(code, 'declined');
    }
    return result;
  }

  return {
    name,
    operators: WAVE_OPERATORS,

    async collect(request: CollectRequest) {
      requireOperator(name, WAVE_OPERATORS, request.operator);
      const amount = requireWholeXof(name, request.amountXof);
      nationalNumber(name, request.operator, request.phone);
      const back = request.returnUrl ?? request.callbackUrl;
      const answer = await api(
        'POST',
        '/v1/checkout/sessions',
        { 'Idempotency-Key': request.reference },
        {
          amount: String(amount),
          currency: 'XOF',
          success_url: back,
          error_url: back,
          client_reference: request.reference,
          restrict_payer_mobile: `+${request.phone}`,
        },
      );
      const session = isRecord(answer.body) ? answer.body : {};
      const id = text(session.id);
      const launch = text(session.wave_launch_url);
      if (!id || !launch) throw new PaymentError('protocol', name, 'session created without id or wave_launch_url');
      return { providerRef: id, paymentUrl: launch, status: 'pending' };
    },

    async fetchStatus(reference: string, providerRef?: string) {
      const { item, raw } = await find('checkout', reference, providerRef);
      return sessionStatus(item, raw);
    },

    async parseCallback(rawBody: string, headers: Headers, now = new Date()): Promise<CallbackHint> {
      if (!options.webhookSecret) throw new PaymentError('config', name, 'WAVE_WEBHOOK_SECRET is required');
      await verifyTimestampedSignature({
        provider: name,
        header: headers.get('wave-signature'),
        scheme: 'v1',
        secret: options.webhookSecret,
        signedContent: (t) => t + rawBody,
        now,
        toleranceSeconds: options.toleranceSeconds ?? WAVE_TOLERANCE_SECONDS,
      });
      const envelope = parseJsonBody(name, rawBody);
      const type = text(envelope.type) ?? '';
      const claimed = CHECKOUT_EVENTS[type];
      if (!claimed) throw new PaymentError('rejected', name, `event "${type}" is not handled (ignore it)`);
      const data = isRecord(envelope.data) ? envelope.data : {};
      const reference = text(data.client_reference);
      if (!reference) throw new PaymentError('protocol', name, `event "${type}" carries no client_reference`);
      const eventId = text(envelope.id);
      const providerRef = text(data.id);
      return {
        reference,
        claimedStatus: claimed,
        kind: 'payment',
        ...(eventId ? { eventId } : {}),
        ...(providerRef ? { providerRef } : {}),
      };
    },

    async payout(request: PayoutRequest) {
      requireOperator(name, WAVE_OPERATORS, request.operator);
      const amount = requireWholeXof(name, request.amountXof);
      nationalNumber(name, request.operator, request.phone);
      const answer = await api(
        'POST',
        '/v1/payout',
        { 'idempotency-key': request.reference },
        {
          currency: 'XOF',
          receive_amount: String(amount),
          mobile: `+${request.phone}`,
          ...(request.name ? { name: request.name } : {}),
          client_reference: request.reference,
        },
      );
      if (!isRecord(answer.body)) throw new PaymentError('protocol', name, 'payout answer is not an object');
      return payoutFrom(answer.body, answer.body);
    },

    async fetchPayoutStatus(reference: string, providerRef?: string) {
      const { item, raw } = await find('payout', reference, providerRef);
      return payoutFrom(item, raw);
    },
  };
}
