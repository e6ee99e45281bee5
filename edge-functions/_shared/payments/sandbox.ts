// The sandbox provider (packages/local-stack/src/sandbox-pay.ts, docs/payments.md "Sandbox provider"): what local
// runs and tests pay through. It speaks HTTP like the real ones, so this adapter is written like them.
//
// `Authorization: Bearer <SANDBOX_PAY_API_KEY>`, base SANDBOX_PAY_BASE_URL (…/sandbox-pay/v1).
// Collect: `POST /collections` {reference, amount, currency: XOF, operator, phone, callback_url, description} →
// 201 {id: "col_…", status: pending}; the same reference and body again → the same collection (200), another body
// → 409. Status: `GET /collections/{id}` or `GET /collections?reference=` → {data: […]}: status pending | succeeded
// | failed | expired, amount (what was paid), failure_reason, transaction_id.
// Callbacks: JSON {id: "evt_…", type: "collection.succeeded" | "collection.failed" | "collection.expired" |
// "payout.…", data: {…}}; header `Sandbox-Signature: t=<unix>,v1=<hex>`, v1 = HMAC-SHA256(secret, t + "." + raw
// body); more than 300 s away is refused.
// Payout: `POST /payouts` (same shape, reference is the idempotency key) → {id: "po_…", status}; `GET /payouts/{id}`.
import {
  authenticatedJsonBody,
  caller,
  exchange,
  isRecord,
  jsonInit,
  nationalNumber,
  requireOperator,
  requireWholeXof,
  text,
  xofFrom,
} from './adapter.ts';
import {
  type CallbackHint,
  type CollectRequest,
  type FailureReason,
  type FetchLike,
  OPERATORS,
  type Operator,
  PaymentError,
  type PaymentProvider,
  type PaymentStatus,
  type PayoutRequest,
  type PayoutResult,
  type StatusResult,
} from './provider.ts';

export const SANDBOX_TOLERANCE_SECONDS = 300;
export const SANDBOX_OPERATORS: readonly Operator[] = OPERATORS;

export interface SandboxOptions {
  baseUrl: string;
  apiKey: string;
  /** Verifies callbacks; refused without it. */
  webhookSecret?: string;
  toleranceSeconds?: number;
  timeoutMs?: number;
  fetch?: FetchLike;
}

const STATUSES: Record<string, PaymentStatus> = {
  pending: 'pending',
  succeeded: 'succeeded',
  failed: 'failed',
  expired: 'expired',
};
const REASONS: Record<string, FailureReason> = {
  insufficient_funds: 'insufficient_funds',
  declined: 'declined',
  cancelled: 'cancelled',
  timeout: 'timeout',
};

export function createSandboxProvider(options: SandboxOptions): PaymentProvider {
  const name = 'sandbox';
  if (!options.baseUrl) throw new PaymentError('config', name, 'SANDBOX_PAY_BASE_URL is required');
  if (!options.apiKey) throw new PaymentError('config', name, 'SANDBOX_PAY_API_KEY is required');
  const base = options.baseUrl.replace(/\/+$/, '');
  const call = caller(name, options);
  const auth = { Authorization: `Bearer ${options.apiKey}` };

  async function api(method: string, path: string, body?: unknown) {
    const answer = await exchange(call, `${base}${path}`, jsonInit(method, auth, body));
    if (answer.status === 404) return undefined;
    if (answer.status < 200 || answer.status >= 300) {
      const detail = isRecord(answer.body) ? `${text(answer.body.code) ?? ''} ${text(answer.body.message) ?? ''}` : '';
      throw new PaymentError('rejected', name, `${method} ${path} refused: HTTP ${answer.status} ${detail.trim()}`);
    }
    if (!isRecord(answer.body)) throw new PaymentError('protocol', name, `${method} ${path}: answer is not an object`);
    return answer.body;
  }

  /** The operation by its id, or the one carrying our reference. */
  async function find(kind: 'collections' | 'payouts', reference: string, providerRef?: string) {
    if (providerRef) {
      const item = await api('GET', `/${kind}/${encodeURIComponent(providerRef)}`);
      if (!item) throw new PaymentError('rejected', name, `no ${kind} ${providerRef}`);
      if (text(item.reference) !== reference) {
        throw new PaymentError('protocol', name, `${providerRef} does not carry reference ${reference}`);
      }
      return item;
    }
    const list = await api('GET', `/${kind}?reference=${encodeURIComponent(reference)}`);
    const found = Array.isArray(list?.data)
      ? list.data.find((x: unknown) => isRecord(x) && text(x.reference) === reference)
      : undefined;
    if (!isRecord(found)) throw new PaymentError('rejected', name, `no ${kind} carries reference ${reference}`);
    return found;
  }

  function statusOf(item: Record<string, unknown>): StatusResult & { providerRef: string } {
    const status = STATUSES[text(item.status) ?? ''];
    const id = text(item.id);
    if (!status || !id) throw new PaymentError('protocol', name, `answer has no id or a status "${item.status}"`);
    const result: StatusResult & { providerRef: string } = { status, providerRef: id, raw: item };
    if (status === 'succeeded') {
      if (item.currency !== 'XOF') throw new PaymentError('protocol', name, `paid in ${String(item.currency)}`);
      const amountXof = xofFrom(name, item.amount);
      if (amountXof === undefined) throw new PaymentError('protocol', name, 'succeeded without an amount');
      result.amountXof = amountXof;
      const tx = text(item.transaction_id);
      if (tx) result.providerTxId = tx;
    }
    if (status === 'failed' || status === 'expired') {
      result.failureReason = REASONS[text(item.failure_reason) ?? ''] ?? (status === 'expired' ? 'timeout' : 'unknown');
    }
    return result;
  }

  async function create(kind: 'collections' | 'payouts', request: CollectRequest | PayoutRequest) {
    requireOperator(name, SANDBOX_OPERATORS, request.operator);
    const amount = requireWholeXof(name, request.amountXof);
    nationalNumber(name, request.operator, request.phone);
    const item = await api('POST', `/${kind}`, {
      reference: request.reference,
      amount,
      currency: 'XOF',
      operator: request.operator,
      phone: request.phone,
      callback_url: request.callbackUrl,
      ...('description' in request ? { description: request.description } : {}),
      ...('name' in request && request.name ? { name: request.name } : {}),
    });
    if (!item) throw new PaymentError('protocol', name, `POST /${kind} answered 404`);
    return statusOf(item);
  }

  const payoutResult = (s: StatusResult & { providerRef: string }): PayoutResult => ({
    providerRef: s.providerRef,
    status: s.status === 'expired' ? 'failed' : s.status,
    ...(s.failureReason ? { failureReason: s.failureReason } : {}),
    raw: s.raw,
  });

  return {
    name,
    operators: SANDBOX_OPERATORS,

    async collect(request: CollectRequest) {
      const s = await create('collections', request);
      return { providerRef: s.providerRef, status: s.status };
    },

    async fetchStatus(reference: string, providerRef?: string) {
      const { providerRef: _ref, ...status } = statusOf(await find('collections', reference, providerRef));
      return status;
    },

    async parseCallback(rawBody: string, headers: Headers, now = new Date()): Promise<CallbackHint> {
      if (!options.webhookSecret) throw new PaymentError('config', name, 'SANDBOX_PAY_WEBHOOK_SECRET is required');
      const event = await authenticatedJsonBody(rawBody, {
        provider: name,
        header: headers.get('sandbox-signature'),
        scheme: 'v1',
        secret: options.webhookSecret,
        signedContent: (t) => `${t}.${rawBody}`,
        now,
        toleranceSeconds: options.toleranceSeconds ?? SANDBOX_TOLERANCE_SECONDS,
      });
      const type = text(event.type) ?? '';
      const m = /^(collection|payout)\.(succeeded|failed|expired)$/.exec(type);
      if (!m) throw new PaymentError('rejected', name, `event "${type}" is not handled (ignore it)`);
      const data = isRecord(event.data) ? event.data : {};
      const reference = text(data.reference);
      if (!reference) throw new PaymentError('protocol', name, `event "${type}" carries no reference`);
      const eventId = text(event.id);
      const providerRef = text(data.id);
      return {
        reference,
        claimedStatus: m[2] as PaymentStatus,
        kind: m[1] === 'payout' ? 'payout' : 'payment',
        ...(eventId ? { eventId } : {}),
        ...(providerRef ? { providerRef } : {}),
      };
    },

    async payout(request: PayoutRequest) {
      return payoutResult(await create('payouts', request));
    },

    async fetchPayoutStatus(reference: string, providerRef?: string) {
      return payoutResult(statusOf(await find('payouts', reference, providerRef)));
    },
  };
}
