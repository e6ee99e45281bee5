// The `rides` function (verify_jwt = true): quote a ride, request it, move it along its state machine, read it.
//   POST /rides/quote                 { pickup, dropoff, vehicle_type }                200 { quote }   (no write)
//   POST /rides                       request (Idempotency-Key header required)        201 { ride, start_pin, quote }
//   POST /rides/:id/transition        { to, pin?, reason? }                            200 { ride, previous_status }
//   POST /rides/:id/reassign          admins: { reason, courier_id? }                  200 { ride, previous_courier_id, offer }
//   GET  /rides/:id                   the ride as the caller may see it (RLS)          200 { ride }
// Same shape as the orders function: the caller from the bearer JWT (_shared/caller.ts), one transaction that reads
// as the caller under RLS then makes one privileged call (RidesDb, db.ts), refusals in the error envelope of
// _shared/http.ts with a stable code and a message in the caller's language. docs/API.md is the contract.
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

/** A refusal of the rides function (status, stable code, detail). */
export class RidesError extends RequestError {}

const point = z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) });
const place = point.extend({ landmark: z.string().trim().min(3).max(280) });

/** A quote: pins only (landmarks optional); an unknown vehicle type is the database's 422, not a 400. */
export const quoteSchema = z.object({
  pickup: point.extend({ landmark: z.string().trim().max(280).optional() }),
  dropoff: point.extend({ landmark: z.string().trim().max(280).optional() }),
  vehicle_type: z.string().trim().min(1).max(20),
});
export type QuoteRequest = z.infer<typeof quoteSchema>;

/** A request: both pins with their landmarks; any fare, distance or duration sent is dropped (strict keys). */
export const requestSchema = z.object({
  pickup: place,
  dropoff: place,
  vehicle_type: z.string().trim().min(1).max(20),
  payment_method: z.enum(['cash', 'wallet', 'mobile_money']).default('cash'),
});
export type RideRequest = z.infer<typeof requestSchema>;

export const transitionSchema = z
  .object({
    to: z.enum(['accepted', 'arrived', 'in_progress', 'completed', 'cancelled']),
    pin: z
      .string()
      .regex(/^\d{4}$/, 'pin must be the 4 digits the rider gives')
      .optional(),
    reason: z.string().trim().min(1).max(280).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.to === 'in_progress' && !v.pin) {
      ctx.addIssue({ code: 'custom', path: ['pin'], message: "the rider's start PIN is required" });
    }
    if (v.pin !== undefined && v.to !== 'in_progress') {
      ctx.addIssue({ code: 'custom', path: ['pin'], message: 'pin goes with to = in_progress' });
    }
  });
export type TransitionRequest = z.infer<typeof transitionSchema>;

/** What the handler needs from the database; createPostgresRidesDb (db.ts) is the real one, tests pass fakes. */
export interface RidesDb extends CallerDb {
  /** private.quote_ride; returns the quote (no write). */
  quote(caller: Caller, request: QuoteRequest): Promise<unknown>;
  /** private.request_ride; returns { ride, start_pin, quote }. */
  requestRide(
    caller: Caller,
    request: RideRequest & { idempotency_key: string },
    requestHash: string,
  ): Promise<unknown>;
  /** Checks the ride (or an offer of it) is visible to the caller, then private.move_ride. */
  moveRide(caller: Caller, rideId: string, move: TransitionRequest): Promise<unknown>;
  /** Checks the ride is visible to the caller, then private.reassign_ride; returns { ride, previous_courier_id, offer }. */
  reassignRide(caller: Caller, rideId: string, request: ReassignRequest): Promise<unknown>;
  /** The ride as the caller may read it under RLS; null when they may not. */
  getRide(caller: Caller, rideId: string): Promise<unknown | null>;
}

export type { Log } from '../_shared/request.ts';

export type RidesHandlerDeps = CallerHandlerDeps<RidesDb>;

export function createRidesHandler(deps: RidesHandlerDeps): (req: Request) => Promise<Response> {
  async function route(req: Request, caller: Caller, db: RidesDb): Promise<Response> {
    const rest = pathAfter(req, 'rides');

    if (rest.length === 0) {
      if (req.method !== 'POST') throw new RidesError(405, 'method_not_allowed');
      const { key, body: request, hash } = await idempotentBody(requestSchema, req);
      return jsonResponse(await db.requestRide(caller, { ...request, idempotency_key: key }, hash), 201);
    }
    if (rest.length === 1 && rest[0] === 'quote') {
      if (req.method !== 'POST') throw new RidesError(405, 'method_not_allowed');
      return jsonResponse({ quote: await db.quote(caller, await validBody(quoteSchema, req)) });
    }

    const [rideId, action, ...extra] = rest;
    if (!rideId || extra.length > 0 || (action !== undefined && action !== 'transition' && action !== 'reassign')) {
      throw new RidesError(404, 'not_found');
    }
    if (!UUID_RE.test(rideId)) throw new RidesError(404, 'ride_not_found');
    if (action === 'transition') {
      if (req.method !== 'POST') throw new RidesError(405, 'method_not_allowed');
      return jsonResponse(await db.moveRide(caller, rideId, await validBody(transitionSchema, req)));
    }
    if (action === 'reassign') {
      if (req.method !== 'POST') throw new RidesError(405, 'method_not_allowed');
      return jsonResponse(await db.reassignRide(caller, rideId, await validBody(reassignSchema, req)));
    }
    if (req.method !== 'GET') throw new RidesError(405, 'method_not_allowed');
    const ride = await db.getRide(caller, rideId);
    if (ride === null) throw new RidesError(404, 'ride_not_found');
    return jsonResponse({ ride });
  }

  return callerFrame('rides', deps, { message }).serve(route);
}
