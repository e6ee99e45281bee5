// The `orders` function (verify_jwt = true): place an order, move it along its state machine, read it.
//   POST /orders                      place (Idempotency-Key header required)        201 { order }
//   POST /orders/:id/transition       { to, reason?, prep_minutes?, code? }          200 { order, previous_status }
//   POST /orders/:id/reassign         admins: { reason, courier_id? }                200 { order, previous_courier_id, offer }
//   GET  /orders/:id                  the order as the caller may see it (RLS)       200 { order }
//   POST /orders/:id/refund           admins: { amount_xof, reason } + Idempotency-Key  200 { refund }
// The caller comes from the bearer JWT (the platform checked its signature; we check it again when the secret is
// given, and its role and expiry). The database layer (OrdersDb) first reads as that caller under RLS, then makes
// the one privileged write in the same transaction. Refusals use the error envelope of _shared/http.ts with a
// stable code, a message in the caller's language (Accept-Language, else their profile, else French) and the
// details a client needs (field errors, current status, busy_until…). docs/API.md is the contract.
import { z } from 'npm:zod@3.25.76';
import { type Caller, UUID_RE } from '../_shared/caller.ts';
import { jsonResponse } from '../_shared/http.ts';
import { type ReassignRequest, reassignSchema } from '../_shared/jobs.ts';
import { message } from './messages.ts';
import {
  type CallerDb,
  callerFrame,
  type CallerHandlerDeps,
  idempotentBody,
  pathAfter,
  RequestError,
  validBody,
} from '../_shared/request.ts';

export type { Caller };

export const ORDER_STATUSES = [
  'pending',
  'accepted',
  'rejected',
  'cancelled',
  'preparing',
  'ready',
  'picked_up',
  'delivered',
] as const;

/** A refusal of the orders function (status, stable code, detail). */
export class OrdersError extends RequestError {}

const uuid = z.string().uuid();

export const placeOrderSchema = z
  .object({
    store_id: uuid,
    items: z
      .array(
        z.object({
          product_id: uuid,
          quantity: z.number().int().min(1).max(50),
          option_ids: z
            .array(uuid)
            .max(20)
            .default([])
            .refine((ids) => new Set(ids).size === ids.length, 'option_ids must not repeat an option'),
        }),
      )
      .min(1)
      .max(50),
    fulfilment: z.enum(['delivery', 'pickup']),
    address_id: uuid.nullish(),
    payment_method: z.enum(['wallet', 'cash', 'mobile_money']),
    cash_tendered_xof: z.number().int().min(1).max(10_000_000).nullish(),
    scheduled_for: z.string().datetime({ offset: true }).nullish(),
    promo_code: z.string().trim().min(3).max(32).nullish(),
    note: z.string().trim().min(1).max(280).nullish(),
  })
  .superRefine((v, ctx) => {
    if (v.fulfilment === 'delivery' && !v.address_id) {
      ctx.addIssue({ code: 'custom', path: ['address_id'], message: 'address_id is required for a delivery' });
    }
    if (v.fulfilment === 'pickup' && v.address_id) {
      ctx.addIssue({ code: 'custom', path: ['address_id'], message: 'a pickup order takes no address_id' });
    }
    if (v.cash_tendered_xof != null && v.payment_method !== 'cash') {
      ctx.addIssue({ code: 'custom', path: ['cash_tendered_xof'], message: 'cash_tendered_xof is only for cash' });
    }
  });
export type PlaceOrderRequest = z.infer<typeof placeOrderSchema>;

export const transitionSchema = z
  .object({
    to: z.enum([...ORDER_STATUSES, 'cash_collected']),
    reason: z.string().trim().min(1).max(280).optional(),
    prep_minutes: z.number().int().min(1).max(240).optional(),
    code: z
      .string()
      .regex(/^\d{4}$/, 'code must be the 4 digits the customer gives')
      .optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.to === 'rejected' || v.to === 'cancelled') && !v.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: `a reason is required to move an order to ${v.to}` });
    }
    if (v.to === 'delivered' && !v.code) {
      ctx.addIssue({ code: 'custom', path: ['code'], message: 'the delivery code is required' });
    }
    if (v.prep_minutes !== undefined && v.to !== 'accepted') {
      ctx.addIssue({ code: 'custom', path: ['prep_minutes'], message: 'prep_minutes goes with to = accepted' });
    }
  });
export type TransitionRequest = z.infer<typeof transitionSchema>;

export const refundSchema = z.object({
  amount_xof: z.number().int().min(1).max(10_000_000),
  reason: z.string().trim().min(1).max(280),
});
export type RefundRequest = z.infer<typeof refundSchema>;

/** True when the caller's token carries the admin role (the database checks it again). */
export const isAdmin = (caller: Caller): boolean =>
  Array.isArray(caller.claims.user_roles) && caller.claims.user_roles.includes('admin');

/** What the handler needs from the database; createPostgresOrdersDb (db.ts) is the real one, tests pass fakes. */
export interface OrdersDb extends CallerDb {
  /** Checks as the caller, then private.place_order; returns the answer body ({ order }). */
  placeOrder(
    caller: Caller,
    request: PlaceOrderRequest & { idempotency_key: string },
    requestHash: string,
  ): Promise<unknown>;
  /** Checks as the caller, then private.move_order; returns { order, previous_status }. */
  moveOrder(caller: Caller, orderId: string, move: TransitionRequest): Promise<unknown>;
  /** Checks as the caller, then private.reassign_order; returns { order, previous_courier_id, offer }. */
  reassignOrder(caller: Caller, orderId: string, request: ReassignRequest): Promise<unknown>;
  /** private.refund_order for an admin caller; returns { refund } (the first answer again for a replayed key). */
  refundOrder(
    caller: Caller,
    orderId: string,
    refund: RefundRequest & { idempotency_key: string },
    requestHash: string,
  ): Promise<unknown>;
  /** The order as the caller may read it under RLS; null when they may not (or it does not exist). */
  getOrder(caller: Caller, orderId: string): Promise<unknown | null>;
}

export type { Log } from '../_shared/request.ts';

export type OrdersHandlerDeps = CallerHandlerDeps<OrdersDb>;

export function createOrdersHandler(deps: OrdersHandlerDeps): (req: Request) => Promise<Response> {
  async function route(req: Request, caller: Caller, db: OrdersDb): Promise<Response> {
    const rest = pathAfter(req, 'orders');

    if (rest.length === 0) {
      if (req.method !== 'POST') throw new OrdersError(405, 'method_not_allowed');
      const { key, body: order, hash } = await idempotentBody(placeOrderSchema, req);
      const body = await db.placeOrder(caller, { ...order, idempotency_key: key }, hash);
      return jsonResponse(body, 201);
    }

    const [orderId, action, ...extra] = rest;
    if (
      !orderId ||
      extra.length > 0 ||
      (action !== undefined && !['transition', 'reassign', 'refund'].includes(action))
    ) {
      throw new OrdersError(404, 'not_found');
    }
    if (!UUID_RE.test(orderId)) throw new OrdersError(404, 'order_not_found');

    if (action === 'transition') {
      if (req.method !== 'POST') throw new OrdersError(405, 'method_not_allowed');
      return jsonResponse(await db.moveOrder(caller, orderId, await validBody(transitionSchema, req)));
    }
    if (action === 'reassign') {
      if (req.method !== 'POST') throw new OrdersError(405, 'method_not_allowed');
      return jsonResponse(await db.reassignOrder(caller, orderId, await validBody(reassignSchema, req)));
    }
    if (action === 'refund') {
      if (req.method !== 'POST') throw new OrdersError(405, 'method_not_allowed');
      if (!isAdmin(caller)) throw new OrdersError(403, 'admin_only');
      const { key, body: refund, hash } = await idempotentBody(refundSchema, req, (r) => ({ order_id: orderId, ...r }));
      return jsonResponse(await db.refundOrder(caller, orderId, { ...refund, idempotency_key: key }, hash));
    }
    if (req.method !== 'GET') throw new OrdersError(405, 'method_not_allowed');
    const order = await db.getOrder(caller, orderId);
    if (order === null) throw new OrdersError(404, 'order_not_found');
    return jsonResponse({ order });
  }

  return callerFrame('orders', deps, { message }).serve(route);
}
