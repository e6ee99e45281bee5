// The `payment-webhooks` function (verify_jwt = false: providers carry no JWT): POST /payment-webhooks/<provider>.
// A callback is only a hint (docs/payments.md): the raw body is kept, the adapter authenticates it before anything
// is parsed (forged or stale → 401, kept as evidence with verified = false, nothing credited), an authentic event is
// stored once per provider event id, then the provider is asked for the status and private.settle_payment_intent
// decides. Every authentic callback is answered 200 quickly, also when the status call fails (the sweep asks again)
// and for events we do not handle; only a malformed authentic body gets 400.
import { errorResponse, jsonResponse, preflight } from '../_shared/http.ts';
import { type CallbackHint, PaymentError, type PaymentProvider } from '../_shared/payments/provider.ts';
import { confirmIntent, type ConfirmOutcome, type PaymentsStore } from '../_shared/payments/store.ts';
import { pathAfter } from '../_shared/request.ts';

export interface PaymentWebhooksDeps {
  store: PaymentsStore | undefined;
  /** The adapter of a provider by name; throws for a provider that is not configured here. */
  provider: (name: string) => PaymentProvider;
  /**
   * Settles an authentic payout callback (the payouts flow plugs in here; it must confirm with fetchPayoutStatus
   * itself) and says what it did; without it payout callbacks are only kept as evidence.
   */
  onPayout?: (hint: CallbackHint, provider: PaymentProvider) => Promise<string>;
  log?: (event: string, fields?: Record<string, unknown>) => void;
  now?: () => number;
}

const MAX_BODY = 64 * 1024;
/** The headers worth keeping as evidence (signatures, ids, content type), never Authorization or cookies. */
const KEPT_HEADERS =
  /^(content-type|user-agent|x-forwarded-for|x-token|x-fedapay-signature|wave-signature|sandbox-signature|sandbox-event-id|webhook-id|webhook-timestamp)$/;

function evidenceHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (KEPT_HEADERS.test(name)) kept[name] = value.slice(0, 500);
  });
  return kept;
}

export function createPaymentWebhooksHandler(deps: PaymentWebhooksDeps): (req: Request) => Promise<Response> {
  const log = deps.log ?? ((event, fields) => console.error(event, fields ?? {}));
  const now = deps.now ?? Date.now;

  return async (req) => {
    const pre = preflight(req);
    if (pre) return pre;
    const [name, ...extra] = pathAfter(req, 'payment-webhooks');
    // CinetPay pings the notify URL with a GET to check it answers.
    if (req.method === 'GET' && name && extra.length === 0) return jsonResponse({ ok: true });
    if (req.method !== 'POST') return errorResponse(405, 'method_not_allowed', 'Method not allowed', { Allow: 'POST' });
    if (!name || extra.length > 0 || !/^[a-z]{3,20}$/.test(name)) return errorResponse(404, 'not_found', 'Not found');
    let provider: PaymentProvider;
    try {
      provider = deps.provider(name);
    } catch {
      return errorResponse(404, 'not_found', 'Unknown payment provider');
    }
    const store = deps.store;
    if (!store) return errorResponse(503, 'unavailable', 'Payments are not configured');

    const rawBody = await req.text();
    if (new TextEncoder().encode(rawBody).length > MAX_BODY) {
      return errorResponse(413, 'payload_too_large', 'Callback body too large');
    }
    const headers = evidenceHeaders(req.headers);
    const evidence = { provider: name, rawBody, headers };

    let hint;
    try {
      hint = await provider.parseCallback(rawBody, req.headers, new Date(now()));
    } catch (error) {
      if (error instanceof PaymentError && error.kind === 'forged') {
        await store.recordCallback({ ...evidence, verified: false, outcome: 'forged' });
        log('payment-webhooks: refused a callback', { provider: name, reason: error.message });
        return errorResponse(401, 'invalid_signature', 'Invalid signature');
      }
      if (error instanceof PaymentError && error.kind === 'rejected') {
        // Authentic, but an event we do not handle: acknowledge it so the provider stops retrying.
        await store.recordCallback({ ...evidence, verified: true, outcome: 'ignored' });
        return jsonResponse({ received: true, ignored: true });
      }
      if (error instanceof PaymentError && error.kind === 'protocol') {
        await store.recordCallback({ ...evidence, verified: true, outcome: 'unreadable' });
        return errorResponse(400, 'bad_request', 'Unreadable callback');
      }
      log('payment-webhooks: cannot verify callbacks', { provider: name, error: String(error) });
      return errorResponse(500, 'internal_error', 'Internal error');
    }

    if (hint.kind === 'payout') {
      // Payouts settle through their own flow (deps.onPayout, docs/payments.md); the evidence is kept here.
      const kept = await store.recordCallback({
        ...evidence,
        verified: true,
        ...(hint.eventId ? { eventId: hint.eventId } : {}),
        reference: hint.reference,
        claimedStatus: hint.claimedStatus,
        outcome: 'payout',
      });
      if (deps.onPayout && !kept.duplicate) {
        let outcome: string;
        try {
          outcome = await deps.onPayout(hint, provider);
        } catch (error) {
          log('payment-webhooks: payout callback failed', { provider: name, error: String(error) });
          outcome = 'payout_error';
        }
        if (kept.callback_id) await store.setCallbackOutcome(kept.callback_id, outcome);
      }
      return jsonResponse({ received: true, duplicate: kept.duplicate });
    }

    const recorded = await store.recordCallback({
      ...evidence,
      verified: true,
      ...(hint.eventId ? { eventId: hint.eventId } : {}),
      reference: hint.reference,
      claimedStatus: hint.claimedStatus,
    });
    if (!recorded.payment_intent_id) return jsonResponse({ received: true, ignored: true });
    // A success is final; a duplicate of an event about a settled intent needs no status call.
    if (recorded.status === 'succeeded' || (recorded.duplicate && recorded.status !== 'pending')) {
      if (recorded.callback_id) await store.setCallbackOutcome(recorded.callback_id, 'already_final');
      return jsonResponse({ received: true, duplicate: recorded.duplicate });
    }

    let outcome: ConfirmOutcome;
    try {
      const intent = await store.intentById(recorded.payment_intent_id);
      outcome = intent ? await confirmIntent(provider, store, intent, now()) : 'status_refused';
    } catch (error) {
      log('payment-webhooks: confirmation failed', { provider: name, error: String(error) });
      outcome = 'status_refused';
    }
    if (recorded.callback_id) await store.setCallbackOutcome(recorded.callback_id, outcome);
    return jsonResponse({ received: true, duplicate: recorded.duplicate, outcome });
  };
}
