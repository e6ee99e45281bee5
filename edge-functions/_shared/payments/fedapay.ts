// FedaPay (supabase-protocols.md D.3): Togo (Moov, Mixx by Yas) and Côte d'Ivoire (MTN, Moov, Orange, Wave).
//
// `Authorization: Bearer sk_…` on every call; base https://api.fedapay.com/v1 or https://sandbox-api.fedapay.com/v1
// (chosen by the key's `sk_live_` / `sk_sandbox_` prefix unless told). Objects come wrapped by class:
// `{"v1/transaction": {…}}`.
// Collect: `POST /transactions` {description, amount, currency: {iso: XOF}, callback_url, custom_metadata:
// {reference}, customer} → transaction; `POST /transactions/{id}/token` → {token, url}. Where FedaPay documents a
// redirect-free mode for the operator (mtn_ci, moov_tg, togocel = Mixx by Yas), `POST /transactions/{mode}` {token,
// phone_number} pushes the request to the payer's phone; other operators use the hosted page (`url`).
// Status: `GET /transactions/{id}`: pending → approved | declined | canceled | expired (approved, transferred and
// the refunded variants all mean it was paid, as FedaPay's SDKs read them).
// Webhooks: `X-FEDAPAY-SIGNATURE: t=<unix>,s=<hex>`, s = HMAC-SHA256(webhook secret, "<t>.<raw body>"), 300 s
// tolerance (fedapay-node Webhook.ts); body {id, name: "transaction.approved" | "payout.sent" | …, entity}.
// Payout: `POST /payouts` {amount, currency, mode, customer, custom_metadata} then `PUT /payouts/start`
// {payouts: [{id}]}; status `GET /payouts/{id}`: pending | started | processing | sent | failed.
import {
  type Answer,
  caller,
  countryOf,
  isRecord,
  isTransient,
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

export const FEDAPAY_LIVE_URL = 'https://api.fedapay.com/v1';
export const FEDAPAY_SANDBOX_URL = 'https://sandbox-api.fedapay.com/v1';
export const FEDAPAY_TOLERANCE_SECONDS = 300;

export const FEDAPAY_OPERATORS: readonly Operator[] = [
  'mtn_ci',
  'moov_ci',
  'orange_ci',
  'wave_ci',
  'moov_tg',
  'mixx_tg',
];

/** FedaPay's documented redirect-free modes ("Available No-Redirect Payment Methods"); the others use the page. */
export const FEDAPAY_DIRECT_MODES: Readonly<Partial<Record<Operator, string>>> = {
  mtn_ci: 'mtn_ci',
  moov_tg: 'moov_tg',
  mixx_tg: 'togocel',
};

export interface FedaPayOptions {
  /** `sk_sandbox_…` or `sk_live_…`. */
  secretKey: string;
  /** The webhook's signing secret (`wh_…`); callbacks are refused without it. */
  webhookSecret?: string;
  /** Defaults from the key's prefix (live only for `sk_live_`). */
  environment?: 'sandbox' | 'live';
  baseUrl?: string;
  /** Override or extend the redirect-free modes per operator (also used as the payout mode). */
  modes?: Partial<Record<Operator, string>>;
  toleranceSeconds?: number;
  timeoutMs?: number;
  fetch?: FetchLike;
}

const PAID = new Set([
  'approved',
  'transferred',
  'refunded',
  'approved_partially_refunded',
  'transferred_partially_refunded',
]);

const TRANSACTION_STATUSES: Record<string, { status: PaymentStatus; reason?: FailureReason }> = {
  pending: { status: 'pending' },
  declined: { status: 'failed', reason: 'declined' },
  canceled: { status: 'failed', reason: 'cancelled' },
  cancelled: { status: 'failed', reason: 'cancelled' },
  expired: { status: 'expired' },
};

const PAYOUT_STATUSES: Record<string, PaymentStatus> = {
  pending: 'pending',
  scheduled: 'pending',
  started: 'pending',
  processing: 'pending',
  sent: 'succeeded',
  failed: 'failed',
};

/** Webhook event names we act on; anything else is authentic but ignored. */
const TRANSACTION_EVENTS: Record<string, PaymentStatus> = {
  'transaction.created': 'pending',
  'transaction.updated': 'pending',
  'transaction.approved': 'succeeded',
  'transaction.transferred': 'succeeded',
  'transaction.declined': 'failed',
  'transaction.canceled': 'failed',
  'transaction.expired': 'expired',
};

const PAYOUT_EVENTS: Record<string, PaymentStatus> = {
  'payout.created': 'pending',
  'payout.scheduled': 'pending',
  'payout.started': 'pending',
  'payout.sent': 'succeeded',
  'payout.failed': 'failed',
};

/** The object inside FedaPay's class wrapper (`{"v1/transaction": {…}}`), or the body itself. */
function unwrap(body: unknown, klass: string): unknown {
  if (!isRecord(body)) return undefined;
  return body[`v1/${klass}`] ?? body[klass] ?? body;
}

/** last_error_code → why, when FedaPay says. */
function reasonFrom(entity: Record<string, unknown>, fallback: FailureReason): FailureReason {
  const code = `${text(entity.last_error_code) ?? ''} ${text(entity.last_error_message) ?? ''}`.toLowerCase();
  if (/insufficient|solde/.test(code)) return 'insufficient_funds';
  if (/timeout|expired/.test(code)) return 'timeout';
  return fallback;
}

function referenceOf(entity: Record<string, unknown>): string | undefined {
  return isRecord(entity.custom_metadata) ? text(entity.custom_metadata.reference) : undefined;
}

export function createFedaPayProvider(options: FedaPayOptions): PaymentProvider {
  const name = 'fedapay';
  if (!options.secretKey) throw new PaymentError('config', name, 'FEDAPAY_SECRET_KEY is required');
  const live = options.environment ? options.environment === 'live' : options.secretKey.startsWith('sk_live_');
  const base = (options.baseUrl || (live ? FEDAPAY_LIVE_URL : FEDAPAY_SANDBOX_URL)).replace(/\/+$/, '');
  const modes = { ...FEDAPAY_DIRECT_MODES, ...options.modes };
  const call = caller(name, options);
  const auth = { Authorization: `Bearer ${options.secretKey}` };

  const api = (method: string, path: string, body?: unknown) => jsonApi(call, `${base}${path}`, method, auth, body);

  /** GET one object of ours: it must carry our reference when it carries one. */
  async function fetchOwned(klass: 'transaction' | 'payout', reference: string, providerRef?: string) {
    if (!providerRef) throw new PaymentError('rejected', name, `status needs the FedaPay ${klass} id`);
    const answer = await api('GET', `/${klass}s/${encodeURIComponent(providerRef)}`);
    const entity = entityOf(answer, klass);
    const theirs = referenceOf(entity);
    if (theirs !== undefined && theirs !== reference) {
      throw new PaymentError('protocol', name, `${klass} ${providerRef} belongs to ${theirs}, not ${reference}`);
    }
    return { entity, raw: answer.body };
  }

  function entityOf(answer: Answer, klass: string): Record<string, unknown> {
    const entity = unwrap(answer.body, klass);
    if (!isRecord(entity) || text(entity.id) === undefined) {
      throw new PaymentError('protocol', name, `answer carries no ${klass} id`);
    }
    return entity;
  }

  function phoneNumber(operator: Operator, phone: string) {
    nationalNumber(name, operator, phone);
    return { number: `+${phone}`, country: countryOf(operator).iso };
  }

  function payoutFrom(entity: Record<string, unknown>, raw: unknown): PayoutResult {
    const declared = text(entity.status) ?? '';
    const status = PAYOUT_STATUSES[declared];
    if (!status) throw new PaymentError('protocol', name, `unknown payout status "${declared}"`);
    const result: PayoutResult = { providerRef: text(entity.id)!, status, raw };
    if (status === 'failed') result.failureReason = reasonFrom(entity, 'declined');
    return result;
  }

  return {
    name,
    operators: FEDAPAY_OPERATORS,

    async collect(request: CollectRequest) {
      requireOperator(name, FEDAPAY_OPERATORS, request.operator);
      const amount = requireWholeXof(name, request.amountXof);
      const phone = phoneNumber(request.operator, request.phone);
      const created = await api('POST', '/transactions', {
        description: request.description,
        amount,
        currency: { iso: 'XOF' },
        callback_url: request.returnUrl ?? request.callbackUrl,
        custom_metadata: { reference: request.reference },
        customer: { phone_number: phone },
      });
      const id = text(entityOf(created, 'transaction').id)!;
      const tokenAnswer = await api('POST', `/transactions/${encodeURIComponent(id)}/token`);
      const token = isRecord(tokenAnswer.body) ? text(tokenAnswer.body.token) : undefined;
      const url = isRecord(tokenAnswer.body) ? text(tokenAnswer.body.url) : undefined;
      if (!token || !url) throw new PaymentError('protocol', name, 'payment token answer has no token or url');
      const mode = modes[request.operator];
      if (!mode) return { providerRef: id, paymentUrl: url, status: 'pending' };
      try {
        await api('POST', `/transactions/${encodeURIComponent(mode)}`, { token, phone_number: phone });
      } catch (error) {
        // The push may or may not have reached the phone: never push again, offer the page for the same transaction.
        if (isTransient(error)) {
          return { providerRef: id, paymentUrl: url, status: 'pending' };
        }
        throw error;
      }
      return { providerRef: id, status: 'pending' };
    },

    async fetchStatus(reference: string, providerRef?: string): Promise<StatusResult> {
      const { entity, raw } = await fetchOwned('transaction', reference, providerRef);
      const declared = text(entity.status) ?? '';
      if (PAID.has(declared)) {
        const currency = isRecord(entity.currency) ? text(entity.currency.iso) : undefined;
        if (currency && currency !== 'XOF') throw new PaymentError('protocol', name, `paid in ${currency}, not XOF`);
        const amountXof = xofFrom(name, entity.amount);
        if (amountXof === undefined) throw new PaymentError('protocol', name, 'paid transaction without an amount');
        const txId = text(entity.transaction_key) ?? text(entity.reference);
        return { status: 'succeeded', amountXof, ...(txId ? { providerTxId: txId } : {}), raw };
      }
      const known = TRANSACTION_STATUSES[declared];
      if (!known) throw new PaymentError('protocol', name, `unknown transaction status "${declared}"`);
      const result: StatusResult = { status: known.status, raw };
      if (known.status === 'failed') result.failureReason = reasonFrom(entity, known.reason ?? 'unknown');
      return result;
    },

    async parseCallback(rawBody: string, headers: Headers, now = new Date()): Promise<CallbackHint> {
      if (!options.webhookSecret) throw new PaymentError('config', name, 'FEDAPAY_WEBHOOK_SECRET is required');
      await verifyTimestampedSignature({
        provider: name,
        header: headers.get('x-fedapay-signature'),
        scheme: 's',
        secret: options.webhookSecret,
        signedContent: (t) => `${t}.${rawBody}`,
        now,
        toleranceSeconds: options.toleranceSeconds ?? FEDAPAY_TOLERANCE_SECONDS,
      });
      const event = parseJsonBody(name, rawBody);
      const eventName = text(event.name) ?? '';
      const claimed = TRANSACTION_EVENTS[eventName] ?? PAYOUT_EVENTS[eventName];
      if (!claimed) throw new PaymentError('rejected', name, `event "${eventName}" is not handled (ignore it)`);
      const entity = isRecord(event.entity) ? event.entity : {};
      const reference = referenceOf(entity);
      if (!reference) throw new PaymentError('protocol', name, `event "${eventName}" names none of our references`);
      const eventId = text(event.id);
      const providerRef = text(entity.id);
      return {
        reference,
        claimedStatus: claimed,
        kind: eventName.startsWith('payout.') ? 'payout' : 'payment',
        ...(eventId ? { eventId } : {}),
        ...(providerRef ? { providerRef } : {}),
      };
    },

    async payout(request: PayoutRequest) {
      requireOperator(name, FEDAPAY_OPERATORS, request.operator);
      const amount = requireWholeXof(name, request.amountXof);
      const mode = modes[request.operator];
      if (!mode) throw new PaymentError('rejected', name, `no documented payout mode for ${request.operator}`);
      const [firstname, ...rest] = (request.name?.trim() || 'Ecom').split(/\s+/);
      const created = await api('POST', '/payouts', {
        amount,
        currency: { iso: 'XOF' },
        mode,
        custom_metadata: { reference: request.reference },
        customer: {
          firstname,
          lastname: rest.join(' ') || firstname,
          phone_number: phoneNumber(request.operator, request.phone),
        },
      });
      const payout = entityOf(created, 'payout');
      const id = text(payout.id)!;
      let started: Answer;
      try {
        started = await api('PUT', '/payouts/start', { payouts: [{ id }] });
      } catch (error) {
        // Whether the start went through is unknown: the id lets fetchPayoutStatus tell, and nothing is sent twice.
        if (isTransient(error)) return { providerRef: id, status: 'pending', raw: created.body };
        throw error;
      }
      const list = unwrap(started.body, 'payouts');
      const first = Array.isArray(list) ? list.find(isRecord) : undefined;
      return first
        ? payoutFrom({ ...first, id }, started.body)
        : { providerRef: id, status: 'pending', raw: started.body };
    },

    async fetchPayoutStatus(reference: string, providerRef?: string) {
      const { entity, raw } = await fetchOwned('payout', reference, providerRef);
      return payoutFrom(entity, raw);
    },
  };
}
