// One interface for every mobile-money provider (DESIGN.md §7, supabase-protocols.md §D). A provider's callback is
// only a hint: the caller authenticates it with `parseCallback`, then asks `fetchStatus` and credits the ledger from
// that confirmed answer only. Amounts are integer XOF; an adapter converts at its own boundary.

/** Mobile-money operators people pick in the app (Côte d'Ivoire and Togo). */
export type Operator = 'orange_ci' | 'mtn_ci' | 'moov_ci' | 'wave_ci' | 'moov_tg' | 'mixx_tg';

export const OPERATORS: readonly Operator[] = ['orange_ci', 'mtn_ci', 'moov_ci', 'wave_ci', 'moov_tg', 'mixx_tg'];

/** Where a payment stands at the provider. `pending` covers "waiting for the payer to confirm on the phone". */
export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'expired';

/** Why a payment failed, when the provider says. */
export type FailureReason = 'insufficient_funds' | 'declined' | 'cancelled' | 'timeout' | 'unknown';

export interface CollectRequest {
  /** Our unique reference for this attempt (the payment intent id); providers refuse a reused one. */
  reference: string;
  amountXof: number;
  operator: Operator;
  /** E.164 without '+', e.g. 2250700000101. */
  phone: string;
  description: string;
  /** Where the provider posts its callback for this payment. */
  callbackUrl: string;
  /** Where a hosted payment page sends the payer back, when the provider uses one. */
  returnUrl?: string;
  language?: 'fr' | 'en';
}

export interface CollectResult {
  /** The provider's id for the payment (token, transaction id, session id), kept to query its status. */
  providerRef: string;
  /** A hosted page or app link to open, when the provider uses one; absent for push-to-phone (USSD) flows. */
  paymentUrl?: string;
  status: PaymentStatus;
}

export interface StatusResult {
  status: PaymentStatus;
  /** What the provider says was paid, to compare with the intent before crediting. */
  amountXof?: number;
  /** The provider's transaction id once paid (operator reference), for reconciliation. */
  providerTxId?: string;
  failureReason?: FailureReason;
  /** The provider's answer as received, kept for audit. */
  raw: unknown;
}

export interface CallbackHint {
  /** Our reference (the payment intent id) the callback is about. */
  reference: string;
  /** The provider's event id when it has one: callbacks are deduplicated on it. */
  eventId?: string;
  /** What the callback claims; never credited from directly. */
  claimedStatus: PaymentStatus;
  /** What the callback is about when a provider sends both to one webhook URL; absent means `payment`. */
  kind?: 'payment' | 'payout';
  /** The provider's id for the payment or payout, when the callback carries it (for `fetchStatus`). */
  providerRef?: string;
}

export interface PayoutRequest {
  /** Our unique reference (the payout id); also the idempotency key at the provider. */
  reference: string;
  amountXof: number;
  operator: Operator;
  phone: string;
  name?: string;
  callbackUrl: string;
}

export interface PayoutResult {
  providerRef: string;
  status: PaymentStatus;
  failureReason?: FailureReason;
  raw: unknown;
}

export interface PaymentProvider {
  readonly name: string;
  readonly operators: readonly Operator[];
  collect(request: CollectRequest): Promise<CollectResult>;
  /** Confirmed status by a server-to-server call, by our reference (and the provider's when it needs it). */
  fetchStatus(reference: string, providerRef?: string): Promise<StatusResult>;
  /**
   * Authenticates a callback from its raw body and headers (signature, timestamp tolerance) and says what it is
   * about. Throws PaymentError('forged') when the signature is missing, wrong or stale.
   */
  parseCallback(rawBody: string, headers: Headers, now?: Date): Promise<CallbackHint>;
  payout?(request: PayoutRequest): Promise<PayoutResult>;
  fetchPayoutStatus?(reference: string, providerRef?: string): Promise<PayoutResult>;
}

export type PaymentErrorKind = 'config' | 'forged' | 'rejected' | 'unavailable' | 'timeout' | 'protocol';

/** A provider call that did not work: `unavailable` and `timeout` may be retried, the others not. */
export class PaymentError extends Error {
  readonly kind: PaymentErrorKind;
  readonly provider: string;
  constructor(kind: PaymentErrorKind, provider: string, message: string) {
    super(`${provider}: ${message}`);
    this.name = 'PaymentError';
    this.kind = kind;
    this.provider = provider;
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;
