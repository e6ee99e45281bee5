// The `courier` function (verify_jwt = true): a courier's presence and their answers to offers.
//   POST /courier/presence              { online, lat?, lng?, heading?, speed? }   200 { presence, stored, order_id }
//   POST /courier/offers/:id/accept                                                200 { offer }
//   POST /courier/offers/:id/decline                                               200 { offer }
//   POST /courier/sync                  { actions: [ … up to 50 steps taken offline ] }  200 { results }
// The caller comes from the bearer JWT (_shared/caller.ts). The database layer (CourierDb) first reads as that
// caller under RLS (their courier row, the offer made to them), then makes the one privileged call in the same
// transaction (private.update_presence, private.answer_offer). Refusals use the error envelope of _shared/http.ts
// with a stable code and a message in the caller's language. docs/API.md is the contract.
import { z } from 'npm:zod@3.25.76';
import { type Caller, UUID_RE } from '../_shared/caller.ts';
import { jsonResponse } from '../_shared/http.ts';
import { message, stepMessage } from './messages.ts';
import {
  type CallerDb,
  callerFrame,
  type CallerHandlerDeps,
  pathAfter,
  RequestError,
  validBody,
} from '../_shared/request.ts';

/** A refusal of the courier function (status, stable code, detail). */
export class CourierError extends RequestError {}

export const presenceSchema = z
  .object({
    online: z.boolean(),
    lat: z.number().min(-90).max(90).nullish(),
    lng: z.number().min(-180).max(180).nullish(),
    heading: z.number().min(0).lt(360).nullish(),
    speed: z.number().min(0).max(70).nullish(),
  })
  .superRefine((v, ctx) => {
    if ((v.lat == null) !== (v.lng == null)) {
      ctx.addIssue({ code: 'custom', path: [v.lat == null ? 'lat' : 'lng'], message: 'lat and lng go together' });
    }
    if (v.online && v.lat == null) {
      ctx.addIssue({ code: 'custom', path: ['lat'], message: 'a position is required to be online' });
    }
  });
export type PresenceRequest = z.infer<typeof presenceSchema>;

/** The steps a courier may take without a connection, per job kind. */
const OFFLINE_STEPS = {
  order: ['picked_up', 'delivered', 'cash_collected'],
  ride: ['arrived', 'in_progress', 'completed'],
} as const;

/** One step queued on the phone: its own id (the phone's), the job, the move, when and where the phone says. */
export const offlineActionSchema = z
  .object({
    id: z.string().regex(UUID_RE),
    job: z.enum(['order', 'ride']),
    job_id: z.string().regex(UUID_RE),
    to: z.enum([...OFFLINE_STEPS.order, ...OFFLINE_STEPS.ride]),
    code: z
      .string()
      .regex(/^\d{4}$/)
      .optional(),
    pin: z
      .string()
      .regex(/^\d{4}$/)
      .optional(),
    occurred_at: z.string().datetime({ offset: true }),
    lat: z.number().min(-90).max(90).nullish(),
    lng: z.number().min(-180).max(180).nullish(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (!(OFFLINE_STEPS[a.job] as readonly string[]).includes(a.to)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `${a.to} is not a step of a ${a.job}` });
    }
    if (a.to === 'delivered' && a.code === undefined) {
      ctx.addIssue({ code: 'custom', path: ['code'], message: "delivered needs the customer's 4-digit code" });
    }
    if (a.to === 'in_progress' && a.pin === undefined) {
      ctx.addIssue({ code: 'custom', path: ['pin'], message: "in_progress needs the rider's 4-digit PIN" });
    }
    if ((a.lat == null) !== (a.lng == null)) {
      ctx.addIssue({ code: 'custom', path: [a.lat == null ? 'lat' : 'lng'], message: 'lat and lng go together' });
    }
  });
export type OfflineAction = z.infer<typeof offlineActionSchema>;

export const syncSchema = z
  .object({ actions: z.array(offlineActionSchema).min(1).max(50) })
  .strict()
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.actions.forEach((a, i) => {
      if (seen.has(a.id)) ctx.addIssue({ code: 'custom', path: ['actions', i, 'id'], message: 'duplicate action id' });
      seen.add(a.id);
    });
  });

/** The outcome of one offline step, as private.apply_courier_action answers it. */
export interface ActionResult {
  id: string;
  ok: boolean;
  code?: string;
  detail?: Record<string, unknown>;
  [key: string]: unknown;
}

/** What the handler needs from the database; createPostgresCourierDb (db.ts) is the real one, tests pass fakes. */
export interface CourierDb extends CallerDb {
  /** Checks the caller's courier row, then private.update_presence; returns { presence, stored, order_id }. */
  updatePresence(caller: Caller, presence: PresenceRequest): Promise<unknown>;
  /** Checks the offer is the caller's (RLS), then private.answer_offer; returns { offer }. */
  answerOffer(caller: Caller, offerId: string, accept: boolean): Promise<unknown>;
  /** Checks the caller is an approved courier, then applies each step in order, one transaction each. */
  applyOfflineActions(caller: Caller, actions: OfflineAction[]): Promise<ActionResult[]>;
}

export type { Log } from '../_shared/request.ts';

export type CourierHandlerDeps = CallerHandlerDeps<CourierDb>;

export function createCourierHandler(deps: CourierHandlerDeps): (req: Request) => Promise<Response> {
  const frame = callerFrame('courier', deps, { message, allow: 'POST, OPTIONS' });

  async function route(req: Request, caller: Caller, db: CourierDb): Promise<Response> {
    const rest = pathAfter(req, 'courier');

    if (rest.length === 1 && rest[0] === 'presence') {
      if (req.method !== 'POST') throw new CourierError(405, 'method_not_allowed');
      return jsonResponse(await db.updatePresence(caller, await validBody(presenceSchema, req)));
    }
    if (rest.length === 1 && rest[0] === 'sync') {
      if (req.method !== 'POST') throw new CourierError(405, 'method_not_allowed');
      const { actions } = await validBody(syncSchema, req);
      const lang = await frame.language(req, caller);
      const results = await db.applyOfflineActions(caller, actions);
      // Each refusal in the courier's words, so the app can show it next to the step that was not recorded.
      return jsonResponse({
        results: results.map((r) =>
          r.ok ? r : { ...r, message: stepMessage(r.code ?? '', lang, r.detail ?? {}, r.job) },
        ),
      });
    }
    const [offers, offerId, answer, ...extra] = rest;
    if (offers === 'offers' && offerId && (answer === 'accept' || answer === 'decline') && extra.length === 0) {
      if (req.method !== 'POST') throw new CourierError(405, 'method_not_allowed');
      if (!UUID_RE.test(offerId)) throw new CourierError(404, 'offer_not_found');
      return jsonResponse(await db.answerOffer(caller, offerId, answer === 'accept'));
    }
    throw new CourierError(404, 'not_found');
  }

  return frame.serve(route);
}
