// The `courier` function (verify_jwt = true): a courier's presence and their answers to offers.
//   POST /courier/presence              { online, lat?, lng?, heading?, speed? }   200 { presence, stored, order_id }
//   POST /courier/offers/:id/accept                                                200 { offer }
//   POST /courier/offers/:id/decline                                               200 { offer }
// The caller comes from the bearer JWT (_shared/caller.ts). The database layer (CourierDb) first reads as that
// caller under RLS (their courier row, the offer made to them), then makes the one privileged call in the same
// transaction (private.update_presence, private.answer_offer). Refusals use the error envelope of _shared/http.ts
// with a stable code and a message in the caller's language. docs/API.md is the contract.
import { z } from 'npm:zod@3.25.76';
import { type Caller, UUID_RE } from '../_shared/caller.ts';
import { jsonResponse } from '../_shared/http.ts';
import type { Language } from '../_shared/language.ts';
import { message } from './messages.ts';
import { callerLanguage, type Log, pathAfter, readJsonBody, RequestError, serveAsCaller } from '../_shared/request.ts';

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

/** What the handler needs from the database; createPostgresCourierDb (db.ts) is the real one, tests pass fakes. */
export interface CourierDb {
  /** Checks the caller's courier row, then private.update_presence; returns { presence, stored, order_id }. */
  updatePresence(caller: Caller, presence: PresenceRequest): Promise<unknown>;
  /** Checks the offer is the caller's (RLS), then private.answer_offer; returns { offer }. */
  answerOffer(caller: Caller, offerId: string, accept: boolean): Promise<unknown>;
  profileLanguage(userId: string): Promise<Language | null>;
}

export type { Log } from '../_shared/request.ts';

export interface CourierHandlerDeps {
  db: CourierDb | undefined;
  /** HS256 secret to re-check signatures (optional: with verify_jwt = true the platform already did). */
  jwtSecret?: string;
  log?: Log;
  now?: () => number;
}

export function createCourierHandler(deps: CourierHandlerDeps): (req: Request) => Promise<Response> {
  const log: Log = deps.log ?? ((event, fields) => console.error(event, fields ?? {}));
  const now = deps.now ?? Date.now;

  const language = (req: Request, caller: Caller | null): Promise<Language> =>
    callerLanguage(req, caller, deps.db ? (id) => deps.db!.profileLanguage(id) : undefined);

  async function route(req: Request, caller: Caller, db: CourierDb): Promise<Response> {
    const rest = pathAfter(req, 'courier');

    if (rest.length === 1 && rest[0] === 'presence') {
      if (req.method !== 'POST') throw new CourierError(405, 'method_not_allowed');
      const parsed = presenceSchema.safeParse(await readJsonBody(req));
      if (!parsed.success) {
        const details = parsed.error.issues.map((i) => ({ field: i.path.join('.'), code: i.code, message: i.message }));
        throw new CourierError(400, 'validation_failed', { details });
      }
      return jsonResponse(await db.updatePresence(caller, parsed.data));
    }
    const [offers, offerId, answer, ...extra] = rest;
    if (offers === 'offers' && offerId && (answer === 'accept' || answer === 'decline') && extra.length === 0) {
      if (req.method !== 'POST') throw new CourierError(405, 'method_not_allowed');
      if (!UUID_RE.test(offerId)) throw new CourierError(404, 'offer_not_found');
      return jsonResponse(await db.answerOffer(caller, offerId, answer === 'accept'));
    }
    throw new CourierError(404, 'not_found');
  }

  return serveAsCaller({
    name: 'courier',
    allow: 'POST, OPTIONS',
    db: deps.db,
    jwtSecret: deps.jwtSecret,
    now,
    log,
    message,
    language,
    route,
  });
}
