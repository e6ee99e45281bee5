// CinetPay (supabase-protocols.md D.1), Côte d'Ivoire and Togo through one merchant account.
//
// Collect: checkout v2. `POST {base}/v2/payment` JSON {apikey, site_id, transaction_id = our reference, amount (whole
// XOF, multiple of 5, ≥ 100), currency XOF, channels MOBILE_MONEY, notify_url, return_url, …} → code "201" with
// data.payment_token and data.payment_url (the hosted page the payer opens).
// Status: `POST {base}/v2/payment/check` {apikey, site_id, transaction_id} → code "00" + data.status ACCEPTED, or a
// refusal / waiting code (table: https://docs.cinetpay.com/api/1.0-fr/checkout/tableau).
// Callback: form-urlencoded POST to notify_url with header `x-token` = hex HMAC-SHA256(secret key, the 16 cpm_* …
// fields concatenated in documented order). It carries no timestamp, so a replay is only ever a hint: the status
// call that must follow decides.
// Payout: Transfer API `{transferBase}/v1`: login (form apikey + password → token, 5 min), add the number as a
// contact, send with client_transaction_id = our reference (a repeat answers 805, then we read the status), status
// by `GET /transfer/check/money`. Its notification is unsigned: `readCinetPayTransferNotification` only names the
// payout, `fetchPayoutStatus` decides.
import {
  type Answer,
  caller,
  countryOf,
  errorDetail,
  exchange,
  hexDigestEquals,
  hmacSha256Hex,
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
  type Operator,
  PaymentError,
  type PaymentProvider,
  type PaymentStatus,
  type PayoutRequest,
  type PayoutResult,
  type StatusResult,
} from './provider.ts';

export const CINETPAY_CHECKOUT_URL = 'https://api-checkout.cinetpay.com';
export const CINETPAY_TRANSFER_URL = 'https://client.cinetpay.com';

/** CinetPay aggregates every operator we offer in both countries. */
export const CINETPAY_OPERATORS: readonly Operator[] = [
  'orange_ci',
  'mtn_ci',
  'moov_ci',
  'wave_ci',
  'moov_tg',
  'mixx_tg',
];

/** The notification fields covered by `x-token`, in the order CinetPay concatenates them. */
export const CINETPAY_SIGNED_FIELDS = [
  'cpm_site_id',
  'cpm_trans_id',
  'cpm_trans_date',
  'cpm_amount',
  'cpm_currency',
  'signature',
  'payment_method',
  'cel_phone_num',
  'cpm_phone_prefixe',
  'cpm_language',
  'cpm_version',
  'cpm_payment_config',
  'cpm_page_action',
  'cpm_custom',
  'cpm_designation',
  'cpm_error_message',
] as const;

/** Transfer tokens live 5 minutes; we renew a little earlier. */
const TOKEN_LIFETIME_MS = 4 * 60 * 1000;

export interface CinetPayOptions {
  apiKey: string;
  siteId: string;
  /** The "Secret Key" of the merchant account: signs `x-token`. */
  secretKey: string;
  /** Transfer API password; payouts refuse with 'config' without it. */
  transferPassword?: string;
  /** Sent with each payout contact when set (CinetPay's contact form has an email field). */
  transferContactEmail?: string;
  baseUrl?: string;
  transferBaseUrl?: string;
  timeoutMs?: number;
  fetch?: FetchLike;
  /** Clock for the transfer token cache (tests). */
  now?: () => number;
}

/** Checkout answers by code: what each one means for the payment. */
const CHECK_CODES: Record<string, { status: PaymentStatus; reason?: FailureReason }> = {
  '00': { status: 'succeeded' },
  '201': { status: 'pending' },
  '623': { status: 'pending' }, // WAITING_CUSTOMER_TO_VALIDATE
  '662': { status: 'pending' }, // WAITING_CUSTOMER_PAYMENT
  '663': { status: 'pending' }, // WAITING_CUSTOMER_OTP_CODE
  '600': { status: 'failed', reason: 'declined' }, // PAYMENT_FAILED
  '602': { status: 'failed', reason: 'insufficient_funds' }, // INSUFFICIENT_BALANCE
  '604': { status: 'failed', reason: 'declined' }, // OTP_CODE_ERROR
  '606': { status: 'failed', reason: 'declined' }, // INCORRECT_SETTINGS (Orange: wrong OTP, low balance, duplicate)
  '627': { status: 'failed', reason: 'cancelled' }, // TRANSACTION_CANCEL
};

/** data.status of a check answer. */
const CHECK_STATUSES: Record<string, PaymentStatus> = {
  ACCEPTED: 'succeeded',
  REFUSED: 'failed',
  CANCELED: 'failed',
  CANCELLED: 'failed',
  WAITING_FOR_CUSTOMER: 'pending',
  WAITING_CUSTOMER_TO_VALIDATE: 'pending',
  WAITING_CUSTOMER_PAYMENT: 'pending',
  WAITING_CUSTOMER_OTP_CODE: 'pending',
  PENDING: 'pending',
  CREATED: 'pending',
};

/** cpm_error_message of a notification: only a claim. */
const NOTIFY_MESSAGES: Record<string, PaymentStatus> = {
  SUCCES: 'succeeded',
  SUCCESS: 'succeeded',
  PAYMENT_FAILED: 'failed',
  INSUFFICIENT_BALANCE: 'failed',
  OTP_CODE_ERROR: 'failed',
  INCORRECT_SETTINGS: 'failed',
  TRANSACTION_CANCEL: 'failed',
};

/** treatment_status of a transfer: VAL and REJ are final. */
const TRANSFER_STATUSES: Record<string, PaymentStatus> = {
  NEW: 'pending',
  REC: 'pending',
  NOS: 'pending',
  VAL: 'succeeded',
  REJ: 'failed',
};

const TRANSFER_OK = 0;
const TRANSFER_TOKEN_EXPIRED = new Set([705, 706, 707]);
const TRANSFER_DUPLICATE = 805;

/** CinetPay describes payments with text that avoids these characters. */
function cleanDescription(description: string): string {
  return (
    description
      .replace(/[#/$_&]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim() || 'Ecom'
  );
}

function codeOf(body: unknown): string | undefined {
  return isRecord(body) ? text(body.code) : undefined;
}

export function createCinetPayProvider(options: CinetPayOptions): PaymentProvider {
  const name = 'cinetpay';
  if (!options.apiKey || !options.siteId || !options.secretKey) {
    throw new PaymentError('config', name, 'CINETPAY_API_KEY, CINETPAY_SITE_ID and CINETPAY_SECRET_KEY are required');
  }
  const call = caller(name, options);
  const base = (options.baseUrl || CINETPAY_CHECKOUT_URL).replace(/\/+$/, '');
  const transferBase = `${(options.transferBaseUrl || CINETPAY_TRANSFER_URL).replace(/\/+$/, '')}/v1`;
  const clock = options.now ?? Date.now;
  let token: { value: string; until: number } | undefined;

  function statusFromCheck(answer: Answer): StatusResult {
    const body = answer.body;
    const byCode = CHECK_CODES[codeOf(body) ?? ''];
    const data = isRecord(body) && isRecord(body.data) ? body.data : {};
    const declared = text(data.status)?.toUpperCase();
    // Success is only ever read from data.status = ACCEPTED; a code alone may say pending or failed.
    const status = declared ? CHECK_STATUSES[declared] : byCode?.status === 'succeeded' ? undefined : byCode?.status;
    if (!status) {
      if (declared) throw new PaymentError('protocol', name, `unknown payment status ${declared}`);
      throw new PaymentError('rejected', name, `status check refused: ${errorDetail(answer)}`);
    }
    const result: StatusResult = { status, raw: body };
    if (status === 'succeeded') {
      const currency = text(data.currency);
      if (currency && currency !== 'XOF') throw new PaymentError('protocol', name, `paid in ${currency}, not XOF`);
      const amount = xofFrom(name, data.amount);
      if (amount === undefined) throw new PaymentError('protocol', name, 'accepted payment without an amount');
      result.amountXof = amount;
      const tx = text(data.operator_id);
      if (tx) result.providerTxId = tx;
    } else if (status === 'failed') {
      result.failureReason = byCode?.reason ?? (declared?.startsWith('CANCEL') ? 'cancelled' : 'unknown');
    }
    return result;
  }

  async function login(): Promise<string> {
    if (!options.transferPassword) {
      throw new PaymentError('config', name, 'CINETPAY_TRANSFER_PASSWORD is required for payouts');
    }
    if (token && token.until > clock()) return token.value;
    const form = new URLSearchParams({ apikey: options.apiKey, password: options.transferPassword });
    const answer = await exchange(call, `${transferBase}/auth/login?lang=fr`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const value = isRecord(answer.body) && isRecord(answer.body.data) ? text(answer.body.data.token) : undefined;
    if (Number(codeOf(answer.body)) !== TRANSFER_OK || !value) {
      throw new PaymentError('config', name, `transfer login refused: ${errorDetail(answer)}`);
    }
    token = { value, until: clock() + TOKEN_LIFETIME_MS };
    return value;
  }

  /** A Transfer API call with a fresh token; an expired token is renewed once. */
  async function transfer(path: string, form?: URLSearchParams): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const url = new URL(`${transferBase}${path}`);
      url.searchParams.set('token', await login());
      url.searchParams.set('lang', 'fr');
      const answer = await exchange(call, url.toString(), {
        method: form ? 'POST' : 'GET',
        headers: form
          ? { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' }
          : { Accept: 'application/json' },
        ...(form ? { body: form.toString() } : {}),
      });
      if (attempt === 0 && TRANSFER_TOKEN_EXPIRED.has(Number(codeOf(answer.body)))) {
        token = undefined;
        continue;
      }
      return answer;
    }
  }

  function transferItem(answer: Answer): Record<string, unknown> | undefined {
    const data = isRecord(answer.body) ? answer.body.data : undefined;
    const items = Array.isArray(data) ? data.flat(2) : [data];
    return items.find(isRecord);
  }

  function payoutFrom(reference: string, answer: Answer): PayoutResult {
    const item = transferItem(answer);
    const declared = item ? text(item.treatment_status)?.toUpperCase() : undefined;
    const status = declared ? TRANSFER_STATUSES[declared] : undefined;
    if (!item || !status) {
      throw new PaymentError(
        'protocol',
        name,
        `transfer ${reference} has no known treatment_status (${declared ?? 'none'})`,
      );
    }
    const result: PayoutResult = { providerRef: text(item.transaction_id) ?? reference, status, raw: answer.body };
    if (status === 'failed') result.failureReason = 'declined';
    return result;
  }

  async function fetchPayoutStatus(reference: string): Promise<PayoutResult> {
    const answer = await transfer(`/transfer/check/money?client_transaction_id=${encodeURIComponent(reference)}`);
    if (Number(codeOf(answer.body)) !== TRANSFER_OK) {
      throw new PaymentError('rejected', name, `transfer ${reference} check refused: ${errorDetail(answer)}`);
    }
    return payoutFrom(reference, answer);
  }

  return {
    name,
    operators: CINETPAY_OPERATORS,

    async collect(request: CollectRequest) {
      requireOperator(name, CINETPAY_OPERATORS, request.operator);
      const amount = requireWholeXof(name, request.amountXof);
      if (amount < 100 || amount % 5 !== 0) {
        throw new PaymentError('rejected', name, `amount must be a multiple of 5 XOF, at least 100 (got ${amount})`);
      }
      nationalNumber(name, request.operator, request.phone);
      const answer = await exchange(
        call,
        `${base}/v2/payment`,
        jsonInit(
          'POST',
          {},
          {
            apikey: options.apiKey,
            site_id: options.siteId,
            transaction_id: request.reference,
            amount,
            currency: 'XOF',
            description: cleanDescription(request.description),
            notify_url: request.callbackUrl,
            return_url: request.returnUrl ?? request.callbackUrl,
            channels: 'MOBILE_MONEY',
            lang: request.language ?? 'fr',
            metadata: request.reference,
            lock_phone_number: true,
            customer_phone_number: `+${request.phone}`,
          },
        ),
      );
      const data = isRecord(answer.body) && isRecord(answer.body.data) ? answer.body.data : undefined;
      const paymentToken = data ? text(data.payment_token) : undefined;
      const paymentUrl = data ? text(data.payment_url) : undefined;
      if (codeOf(answer.body) !== '201' || !paymentToken || !paymentUrl) {
        if (answer.status >= 200 && answer.status < 300 && codeOf(answer.body) === '201') {
          throw new PaymentError('protocol', name, 'payment created without payment_token or payment_url');
        }
        throw new PaymentError('rejected', name, `payment refused: ${errorDetail(answer)}`);
      }
      return { providerRef: paymentToken, paymentUrl, status: 'pending' };
    },

    async fetchStatus(reference: string) {
      const answer = await exchange(
        call,
        `${base}/v2/payment/check`,
        jsonInit('POST', {}, { apikey: options.apiKey, site_id: options.siteId, transaction_id: reference }),
      );
      return statusFromCheck(answer);
    },

    async parseCallback(rawBody: string, headers: Headers): Promise<CallbackHint> {
      const given = headers.get('x-token');
      if (!given) throw new PaymentError('forged', name, 'x-token header is missing');
      // x-token covers the field values, so the form is split first; nothing in it is used before the compare.
      const form = new URLSearchParams(rawBody);
      const signed = CINETPAY_SIGNED_FIELDS.map((field) => form.get(field) ?? '').join('');
      if (!hexDigestEquals(given, await hmacSha256Hex(options.secretKey, signed))) {
        throw new PaymentError('forged', name, 'x-token does not match the notification');
      }
      if (form.get('cpm_site_id') !== options.siteId) {
        throw new PaymentError('forged', name, 'notification is for another site_id');
      }
      const reference = form.get('cpm_trans_id');
      if (!reference) throw new PaymentError('protocol', name, 'notification without cpm_trans_id');
      const message = (form.get('cpm_error_message') ?? '').toUpperCase();
      return { reference, claimedStatus: NOTIFY_MESSAGES[message] ?? 'pending', kind: 'payment' };
    },

    async payout(request: PayoutRequest) {
      requireOperator(name, CINETPAY_OPERATORS, request.operator);
      const amount = requireWholeXof(name, request.amountXof);
      const prefix = countryOf(request.operator).callingCode;
      const phone = nationalNumber(name, request.operator, request.phone);
      const who = request.name?.trim() || 'Ecom';
      const contact = {
        prefix,
        phone,
        name: who,
        surname: who,
        ...(options.transferContactEmail ? { email: options.transferContactEmail } : {}),
      };
      const added = await transfer('/transfer/contact', new URLSearchParams({ data: JSON.stringify([contact]) }));
      if (Number(codeOf(added.body)) !== TRANSFER_OK) {
        throw new PaymentError('rejected', name, `contact refused: ${errorDetail(added)}`);
      }
      const send = {
        prefix,
        phone,
        amount,
        client_transaction_id: request.reference,
        notify_url: request.callbackUrl,
        // CinetPay routes Wave transfers only when told to.
        ...(request.operator === 'wave_ci' ? { payment_method: 'WAVECI' } : {}),
      };
      const sent = await transfer(
        '/transfer/money/send/contact',
        new URLSearchParams({ data: JSON.stringify([send]) }),
      );
      const code = Number(codeOf(sent.body));
      if (code === TRANSFER_DUPLICATE) return fetchPayoutStatus(request.reference);
      if (code !== TRANSFER_OK) {
        throw new PaymentError('rejected', name, `transfer refused: ${errorDetail(sent)}`);
      }
      return payoutFrom(request.reference, sent);
    },

    fetchPayoutStatus,
  };
}

/**
 * A transfer notification names the payout (client_transaction_id) and claims a treatment_status, unsigned: use it
 * only to call `fetchPayoutStatus` sooner.
 */
export function readCinetPayTransferNotification(rawBody: string): CallbackHint {
  const form = new URLSearchParams(rawBody);
  const reference = form.get('client_transaction_id');
  if (!reference) throw new PaymentError('protocol', 'cinetpay', 'transfer notification without client_transaction_id');
  const declared = (form.get('treatment_status') ?? '').toUpperCase();
  return {
    reference,
    claimedStatus: TRANSFER_STATUSES[declared] ?? 'pending',
    kind: 'payout',
    ...(form.get('transaction_id') ? { providerRef: form.get('transaction_id')! } : {}),
  };
}
