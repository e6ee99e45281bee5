// The `payments` function (verify_jwt = true): mobile-money top-ups and couriers' cash deposits, the payer's view of
// them, the admins' reconciliation report, and the sweep the platform's clock calls. docs/API.md is the contract.
//   POST /payments/top-ups            {amount_xof, operator, phone} + Idempotency-Key   201 {payment_intent, instructions}
//   POST /payments/cash-deposits      the same, for a courier paying in his cash           201 {payment_intent, instructions}
//   GET  /payments/intents/:id        one of the caller's intents (admins: any)            200 {payment_intent}
//   GET  /payments/intents?limit=     the caller's own, newest first                       200 {payment_intents}
//   GET  /payments/reconciliation?from=YYYY-MM-DD&to=YYYY-MM-DD   admins                   200 {report}
//   POST /payments/sweep              service role only                                    200 {checked, outcomes}
// The provider is asked to collect after the intent is stored, outside any transaction; what it answers never moves
// money: only a confirmed status does (store.ts, confirmIntent), in private.settle_payment_intent.
import { z } from 'npm:zod@3.25.76';
import { bearerRole, type Caller, UUID_RE } from '../_shared/caller.ts';
import { errorResponse, jsonResponse, preflight } from '../_shared/http.ts';
import { isTransient } from '../_shared/payments/adapter.ts';
import { OPERATORS, PaymentError, type PaymentProvider, type StatusResult } from '../_shared/payments/provider.ts';
import {
  type ConfirmOutcome,
  confirmIntent,
  type PaymentIntent,
  type PaymentsStore,
  type Purpose,
} from '../_shared/payments/store.ts';
import {
  callerFrame,
  idempotencyKeyOf,
  type Log,
  pathAfter,
  RequestError,
  requestHash,
  validBody,
} from '../_shared/request.ts';
import { type Language, message } from './messages.ts';

export const paymentRequestSchema = z.object({
  amount_xof: z.number().int().min(1).max(2_000_000),
  operator: z.enum(OPERATORS as unknown as [string, ...string[]]),
  phone: z
    .string()
    .trim()
    .transform((s) => s.replace(/[\s+.-]/g, ''))
    .pipe(z.string().regex(/^(225\d{10}|228\d{8})$/, 'an Ivorian (+225, 10 digits) or Togolese (+228) number')),
});
export type PaymentRequest = z.infer<typeof paymentRequestSchema>;

export interface PaymentsHandlerDeps {
  store: PaymentsStore | undefined;
  /** The provider a new intent uses for an operator; throws PaymentError('config') when none is configured. */
  providerFor: (operator: string) => string;
  /** The adapter of a provider by name. */
  provider: (name: string) => PaymentProvider;
  /** Where providers post their callbacks: `<functions URL>/payment-webhooks`. */
  webhookBaseUrl: string;
  /** How long a payer has to confirm (default 600 s). */
  intentTtlSeconds?: number;
  jwtSecret?: string;
  log?: Log;
  now?: () => number;
}

/** Runs `work` over `items`, at most `limit` at once. */
async function eachLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function createPaymentsHandler(deps: PaymentsHandlerDeps): (req: Request) => Promise<Response> {
  const frame = callerFrame('payments', { ...deps, db: deps.store }, { message });
  const { log, now, language } = frame;
  const ttl = deps.intentTtlSeconds ?? 600;

  /** Asks the provider to collect an intent that has no provider reference yet; returns the intent as it is now. */
  async function collect(store: PaymentsStore, intent: PaymentIntent, lang: Language) {
    if (intent.status !== 'pending' || intent.provider_ref) return { intent };
    try {
      const provider = deps.provider(intent.provider);
      const result = await provider.collect({
        reference: intent.id,
        amountXof: intent.amount_xof,
        operator: intent.operator,
        phone: intent.phone,
        description: intent.purpose === 'wallet_topup' ? 'Recharge portefeuille Ecom' : 'Versement coursier Ecom',
        callbackUrl: `${deps.webhookBaseUrl}/${intent.provider}`,
        language: lang,
      });
      const attached = await store.attachProviderRef(intent.id, result.providerRef);
      return { intent: attached, paymentUrl: result.paymentUrl };
    } catch (error) {
      if (error instanceof PaymentError && error.kind === 'rejected') {
        // The provider refused before anything was paid (number, amount, operator): the intent fails at once.
        log('payments: collect refused', { intent: intent.id, error: error.message });
        return {
          intent: (await store.settle(intent.id, 'failed', { failureReason: 'provider_refused' })).payment_intent,
        };
      }
      // Outcome unknown (timeout, 5xx) or an unreadable answer: the intent stays pending; the sweep asks the
      // provider by our reference and settles it, or expires it.
      log('payments: collect did not complete', { intent: intent.id, error: String(error) });
      return { intent };
    }
  }

  async function startPayment(req: Request, caller: Caller, store: PaymentsStore, purpose: Purpose) {
    const key = idempotencyKeyOf(req);
    const body = await validBody(paymentRequestSchema, req);
    let providerName: string;
    try {
      providerName = deps.providerFor(body.operator);
    } catch (error) {
      log('payments: no provider', { operator: body.operator, error: String(error) });
      throw new RequestError(503, 'payment_provider_unavailable');
    }
    const hash = await requestHash({ purpose, ...body });
    const created = await store.createIntent(
      caller,
      {
        purpose,
        amount_xof: body.amount_xof,
        operator: body.operator as PaymentIntent['operator'],
        phone: body.phone,
        provider: providerName,
      },
      key,
      hash,
      ttl,
    );
    const lang = await language(req, caller);
    const { intent, paymentUrl } = await collect(store, created.payment_intent, lang);
    const instructions =
      intent.status === 'pending'
        ? message(
            paymentUrl ? 'open_payment_page' : 'confirm_on_phone',
            lang,
            intent as unknown as Record<string, unknown>,
          )
        : null;
    return jsonResponse(
      {
        payment_intent: intent,
        instructions,
        ...(paymentUrl ? { payment_url: paymentUrl } : {}),
        replayed: created.replayed,
      },
      created.replayed ? 200 : 201,
    );
  }

  async function reconciliation(req: Request, caller: Caller, store: PaymentsStore) {
    if (!(await store.isAdmin(caller))) throw new RequestError(403, 'forbidden');
    const url = new URL(req.url);
    const from = url.searchParams.get('from') ?? '';
    const to = url.searchParams.get('to') ?? from;
    const span = (Date.parse(to) - Date.parse(from)) / 86_400_000;
    if (!DAY.test(from) || !DAY.test(to) || !(span >= 0 && span <= 31))
      throw new RequestError(400, 'invalid_date_range');
    const { rows, ledgerViolations } = await store.reconciliation(from, to);
    const at = now();
    const items = await eachLimited(rows, 8, async (row) => {
      const intent = row.payment_intent;
      let provider: { status: StatusResult['status'] | 'unknown'; amount_xof?: number; error?: string };
      try {
        const s = await deps.provider(intent.provider).fetchStatus(intent.id, intent.provider_ref ?? undefined);
        provider = { status: s.status, ...(s.amountXof !== undefined ? { amount_xof: s.amountXof } : {}) };
      } catch (error) {
        provider = { status: 'unknown', error: error instanceof PaymentError ? error.kind : 'internal' };
      }
      const flags: string[] = [];
      const credited = row.credit_entries > 0;
      if (credited && provider.status !== 'succeeded' && provider.status !== 'unknown') {
        flags.push('credited_without_provider_success');
      }
      if (provider.status === 'succeeded' && !credited) flags.push('provider_success_not_credited');
      if (
        intent.flag === 'amount_mismatch' ||
        (provider.amount_xof !== undefined && provider.amount_xof !== intent.amount_xof) ||
        (credited && row.credited_xof !== intent.amount_xof)
      ) {
        flags.push('amount_mismatch');
      }
      if (row.credit_entries > 1) flags.push('credited_twice');
      if (intent.status === 'pending' && Date.parse(intent.expires_at) <= at) flags.push('stuck_pending');
      if (provider.status === 'unknown') flags.push('provider_unreachable');
      return { payment_intent: intent, credited_xof: row.credited_xof, provider, flags };
    });
    const flagged = items.filter((i) => i.flags.length > 0);
    return jsonResponse({
      report: {
        from,
        to,
        generated_at: new Date(at).toISOString(),
        summary: {
          intents: items.length,
          flagged: flagged.length,
          succeeded_xof: items.reduce(
            (s, i) => s + (i.payment_intent.status === 'succeeded' ? i.payment_intent.amount_xof : 0),
            0,
          ),
          credited_xof: items.reduce((s, i) => s + i.credited_xof, 0),
          ledger_violations: ledgerViolations,
        },
        items: url.searchParams.get('only') === 'flagged' ? flagged : items,
      },
    });
  }

  async function route(req: Request, caller: Caller, store: PaymentsStore): Promise<Response> {
    const [first, id, ...extra] = pathAfter(req, 'payments');
    if (extra.length > 0) throw new RequestError(404, 'not_found');
    if (first === 'top-ups' || first === 'cash-deposits') {
      if (id !== undefined) throw new RequestError(404, 'not_found');
      if (req.method !== 'POST') throw new RequestError(405, 'method_not_allowed');
      return await startPayment(req, caller, store, first === 'top-ups' ? 'wallet_topup' : 'cash_deposit');
    }
    if (first === 'intents') {
      if (req.method !== 'GET') throw new RequestError(405, 'method_not_allowed');
      if (id === undefined) {
        const limit = Math.min(Math.max(Number(new URL(req.url).searchParams.get('limit') ?? 20) || 20, 1), 100);
        return jsonResponse({ payment_intents: await store.listOwnIntents(caller, limit) });
      }
      if (!UUID_RE.test(id)) throw new RequestError(404, 'payment_intent_not_found');
      const intent = await store.getIntent(caller, id);
      if (!intent) throw new RequestError(404, 'payment_intent_not_found');
      return jsonResponse({ payment_intent: intent });
    }
    if (first === 'reconciliation' && id === undefined) {
      if (req.method !== 'GET') throw new RequestError(405, 'method_not_allowed');
      return await reconciliation(req, caller, store);
    }
    throw new RequestError(404, 'not_found');
  }

  /** The clock's call: re-asks the provider about pending intents that are due, settles or expires them. */
  async function sweep(req: Request): Promise<Response> {
    const role = await bearerRole(req, deps.jwtSecret, now());
    if (!role) return errorResponse(401, 'unauthorized', message('unauthorized', 'en'));
    if (role !== 'service_role') return errorResponse(403, 'forbidden', 'Only the service role may sweep payments');
    if (req.method !== 'POST') return errorResponse(405, 'method_not_allowed', 'Method not allowed', { Allow: 'POST' });
    const store = deps.store;
    if (!store) return errorResponse(503, 'unavailable', 'SUPABASE_DB_URL is not set');
    try {
      const due = await store.claimPending(50);
      const outcomes: Partial<Record<ConfirmOutcome, number>> = {};
      await eachLimited(due, 8, async (intent) => {
        let outcome: ConfirmOutcome;
        try {
          outcome = await confirmIntent(deps.provider(intent.provider), store, intent, now());
        } catch (error) {
          log('payments: sweep could not confirm', { intent: intent.id, error: String(error) });
          outcome = isTransient(error) ? 'status_unavailable' : 'status_refused';
        }
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      });
      return jsonResponse({ checked: due.length, outcomes });
    } catch (error) {
      log('payments: sweep failed', { error: String(error) });
      return errorResponse(500, 'internal_error', 'Internal error');
    }
  }

  const asCaller = frame.serve(route);

  return async (req) => {
    const pre = preflight(req);
    if (pre) return pre;
    const [first, ...rest] = pathAfter(req, 'payments');
    if (first === 'sweep' && rest.length === 0) return await sweep(req);
    return await asCaller(req);
  };
}
