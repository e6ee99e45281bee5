// The `payouts` function (verify_jwt = true): withdrawals to mobile money and wallet statements.
//   POST /payouts                   request (Idempotency-Key)  { store_id?, amount_xof, phone?, operator? }  201 { payout }
//   GET  /payouts                   the caller's payouts (their stores' as owner, their own as courier)     200 { payouts }
//   GET  /payouts/:id               one payout the caller may read                                          200 { payout }
//   GET  /payouts/admin             admins: every payout, ?status=                                           200 { payouts }
//   POST /payouts/:id/approve       admins (Idempotency-Key)                                                 200 { payout }
//   POST /payouts/:id/reject        admins { reason }                                                        200 { payout }
//   GET  /payouts/statement         ?store_id= | ?courier_id=, period=day|month, date=, format=json|csv     200
//   POST /payouts/sweep             service role only: resolve sent payouts, send forgotten approved ones    200 { … }
// An approved payout (at or below the approval threshold, or approved by an admin) is sent at once through the
// provider (send.ts); the answer is the payout as it stands afterwards. The caller comes from the bearer JWT; the
// database layer reads as the caller under RLS, then makes one private call (private.request_payout, …).
import { z } from 'npm:zod@3.25.76';
import { bearerRole, type Caller, UUID_RE } from '../_shared/caller.ts';
import { corsHeaders, errorResponse, jsonResponse, preflight } from '../_shared/http.ts';
import { OPERATORS } from '../_shared/payments/index.ts';
import {
  type CallerDb,
  callerFrame,
  type CallerHandlerDeps,
  callerLanguage,
  idempotencyKeyOf,
  pathAfter,
  RequestError,
  requestHash,
  validated,
  validBody,
} from '../_shared/request.ts';
import { message } from './messages.ts';
import type { PayoutSender } from './send.ts';

/** A refusal of the payouts function (status, stable code, detail). */
export class PayoutsError extends RequestError {}

export const PAYOUT_STATUSES = ['pending_approval', 'approved', 'sent', 'succeeded', 'failed', 'rejected'] as const;

export const requestSchema = z
  .object({
    store_id: z.string().uuid().nullish(),
    amount_xof: z.number().int().min(1).max(10_000_000),
    phone: z
      .string()
      .transform((s) => s.replace(/[\s.-]/g, ''))
      .pipe(z.string().regex(/^\+22[58]\d{8,10}$/, 'phone must be +225… or +228… (E.164)'))
      .nullish(),
    operator: z.enum(OPERATORS as unknown as [string, ...string[]]).nullish(),
  })
  .superRefine((v, ctx) => {
    if (v.phone && !v.operator) {
      ctx.addIssue({ code: 'custom', path: ['operator'], message: 'a phone number needs its operator' });
    }
  });
export type PayoutRequest = z.infer<typeof requestSchema>;

export const rejectSchema = z.object({ reason: z.string().trim().min(1).max(280) });

export const statementSchema = z
  .object({
    store_id: z.string().uuid().optional(),
    courier_id: z.string().uuid().optional(),
    period: z.enum(['day', 'month']).default('day'),
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD')
      .optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((v) => !(v.store_id && v.courier_id), { message: 'store_id or courier_id, not both', path: ['store_id'] });
export type StatementQuery = z.infer<typeof statementSchema>;

export const listSchema = z.object({
  status: z.enum(PAYOUT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListQuery = z.infer<typeof listSchema>;

/** What the handler needs from the database; createPostgresPayoutsDb (db.ts) is the real one, tests pass fakes. */
export interface PayoutsDb extends CallerDb {
  /** private.request_payout for the caller; returns { payout } (the first answer again for a replayed key). */
  requestPayout(caller: Caller, request: PayoutRequest, key: string, hash: string): Promise<{ payout: Payout }>;
  /** Payouts of the stores the caller owns and their own courier payouts, newest first. */
  listOwn(caller: Caller, query: ListQuery): Promise<Payout[]>;
  /** Every payout (admins; others 403 not_admin), newest first. */
  listAll(caller: Caller, query: ListQuery): Promise<Payout[]>;
  /** The payout as the caller may read it under RLS; null otherwise. */
  getPayout(caller: Caller, id: string): Promise<Payout | null>;
  /** private.review_payout after checking the payout is visible to the caller (404 otherwise). */
  reviewPayout(
    caller: Caller,
    id: string,
    approve: boolean,
    reason: string | null,
    key: string | null,
    hash: string,
  ): Promise<{ payout: Payout }>;
  /** public.wallet_statement (json) or public.wallet_statement_csv (csv), as the caller. */
  statement(caller: Caller, query: StatementQuery): Promise<unknown>;
}

/** A payout row as JSON (docs/API.md lists its members). */
export type Payout = Record<string, unknown>;

export interface PayoutsHandlerDeps extends CallerHandlerDeps<PayoutsDb> {
  sender: PayoutSender | undefined;
}

/** The Idempotency-Key header: required (400 idempotency_key_required), or optional when absent. */
function idempotencyKey(req: Request, required: boolean): string | null {
  if (!required && !req.headers.get('Idempotency-Key')?.trim()) return null;
  return idempotencyKeyOf(req);
}

const query = (req: Request) => Object.fromEntries(new URL(req.url).searchParams);

export function createPayoutsHandler(deps: PayoutsHandlerDeps): (req: Request) => Promise<Response> {
  const frame = callerFrame('payouts', deps, { message });
  const { log, now } = frame;

  /** Sends an approved payout now (a failure to send is logged: the sweep tries again), then reads it back. */
  async function afterApproval(caller: Caller, db: PayoutsDb, payout: Payout): Promise<Payout> {
    if (payout.status !== 'approved' || !deps.sender) return payout;
    try {
      await deps.sender.send(String(payout.id));
    } catch (error) {
      log('payouts: sending after approval failed', {
        payout: payout.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    return (await db.getPayout(caller, String(payout.id))) ?? payout;
  }

  async function route(req: Request, caller: Caller, db: PayoutsDb): Promise<Response> {
    const rest = pathAfter(req, 'payouts');

    if (rest.length === 0) {
      if (req.method === 'GET')
        return jsonResponse({ payouts: await db.listOwn(caller, validated(listSchema, query(req))) });
      if (req.method !== 'POST') throw new PayoutsError(405, 'method_not_allowed');
      const key = idempotencyKey(req, true)!;
      const request = await validBody(requestSchema, req);
      const { payout } = await db.requestPayout(caller, request, key, await requestHash(request));
      return jsonResponse({ payout: await afterApproval(caller, db, payout) }, 201);
    }

    const [first, action, ...extra] = rest;
    if (extra.length > 0 || !first) throw new PayoutsError(404, 'not_found');

    if (first === 'admin' && action === undefined) {
      if (req.method !== 'GET') throw new PayoutsError(405, 'method_not_allowed');
      return jsonResponse({ payouts: await db.listAll(caller, validated(listSchema, query(req))) });
    }
    if (first === 'statement' && action === undefined) {
      if (req.method !== 'GET') throw new PayoutsError(405, 'method_not_allowed');
      const q = validated(statementSchema, query(req));
      const body = await db.statement(caller, q);
      if (q.format === 'json') return jsonResponse({ statement: body });
      const name = `releve-${q.store_id ? 'boutique' : 'coursier'}-${q.period}-${q.date ?? 'aujourdhui'}.csv`;
      return new Response(String(body), {
        status: 200,
        headers: {
          ...corsHeaders,
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="${name}"`,
        },
      });
    }

    if (!UUID_RE.test(first)) throw new PayoutsError(404, 'payout_not_found');
    if (action === undefined) {
      if (req.method !== 'GET') throw new PayoutsError(405, 'method_not_allowed');
      const payout = await db.getPayout(caller, first);
      if (!payout) throw new PayoutsError(404, 'payout_not_found');
      return jsonResponse({ payout });
    }
    if (action === 'approve' || action === 'reject') {
      if (req.method !== 'POST') throw new PayoutsError(405, 'method_not_allowed');
      const approve = action === 'approve';
      const key = idempotencyKey(req, approve);
      const reason = approve ? null : (await validBody(rejectSchema, req)).reason;
      const hash = await requestHash({ payout: first, action, reason });
      const { payout } = await db.reviewPayout(caller, first, approve, reason, key, hash);
      return jsonResponse({ payout: await afterApproval(caller, db, payout) });
    }
    throw new PayoutsError(404, 'not_found');
  }

  const asCaller = frame.serve(route);

  /** POST /payouts/sweep: the service role's clock (pg_cron + pg_net on Supabase), not a person. */
  async function sweep(req: Request): Promise<Response> {
    const lang = await callerLanguage(req, null, undefined);
    const refuse = (status: number, code: string) => errorResponse(status, code, message(code, lang));
    if (req.method !== 'POST')
      return errorResponse(405, 'method_not_allowed', message('method_not_allowed', lang), { Allow: 'POST, OPTIONS' });
    const role = await bearerRole(req, deps.jwtSecret, now());
    if (!role) return refuse(401, 'unauthorized');
    if (role !== 'service_role') return refuse(403, 'forbidden');
    if (!deps.sender) {
      log('payouts: SUPABASE_DB_URL is not set');
      return refuse(503, 'internal_error');
    }
    try {
      return jsonResponse(await deps.sender.sweep());
    } catch (error) {
      log('payouts: sweep failed', { error: error instanceof Error ? error.message : String(error) });
      return refuse(500, 'internal_error');
    }
  }

  return (req) => {
    const pre = preflight(req);
    if (pre) return Promise.resolve(pre);
    const rest = pathAfter(req, 'payouts');
    if (rest.length === 1 && rest[0] === 'sweep') return sweep(req);
    return asCaller(req);
  };
}
