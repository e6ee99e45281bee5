// What the orders and rides functions share about a job: an admin's reassignment (`POST /orders/:id/reassign`,
// `POST /rides/:id/reassign`: the request and the refusals about the courier named in it; private.reassign_order /
// private.reassign_ride do the work) and the wording of counted code tries (private.check_job_code). docs/API.md is
// the contract.
import { z } from 'npm:zod@3.25.76';
import type { Language } from './language.ts';

/** `{ reason, courier_id? }`: without courier_id the job goes back to dispatch (never to the released courier). */
export const reassignSchema = z.object({
  courier_id: z.string().uuid().nullish(),
  reason: z.string().trim().min(1).max(280),
});
export type ReassignRequest = z.infer<typeof reassignSchema>;

type Message = (p: Record<string, unknown>) => string;

const UNAVAILABLE: Record<string, Record<Language, string>> = {
  already_assigned: { fr: 'Ce coursier a déjà cette course.', en: 'This courier already has this job.' },
  not_approved: { fr: "Ce coursier n'est pas validé.", en: 'This courier is not approved.' },
  wrong_vehicle: {
    fr: "Ce coursier n'a pas le véhicule demandé pour cette course.",
    en: 'This courier does not have the vehicle this ride needs.',
  },
  offline: { fr: "Ce coursier n'est pas en ligne.", en: 'This courier is not online.' },
  busy: { fr: 'Ce coursier est déjà sur une autre course.', en: 'This courier is already on another job.' },
};

/** Messages of the refusals about a named courier, in French and English. */
export const REASSIGN_MESSAGES: Record<string, Record<Language, Message>> = {
  courier_not_found: { fr: () => 'Coursier introuvable.', en: () => 'Courier not found.' },
  courier_unavailable: {
    fr: (p) => UNAVAILABLE[String(p.reason)]?.fr ?? 'Ce coursier ne peut pas prendre cette course.',
    en: (p) => UNAVAILABLE[String(p.reason)]?.en ?? 'This courier cannot take this job.',
  },
};

/** Whole minutes (at least 1) of a lock's `retry_after_s`, for the code_locked messages. */
export const lockMinutes = (p: Record<string, unknown>): number =>
  Math.max(1, Math.ceil(Number(p.retry_after_s ?? 60) / 60));

/** " Encore 2 essais avant le blocage." after a wrong code's message, when the database said how many are left. */
export function triesLeft(p: Record<string, unknown>, lang: Language): string {
  if (p.attempts_left === undefined) return '';
  const n = Number(p.attempts_left);
  return lang === 'fr'
    ? ` Encore ${n} essai${n > 1 ? 's' : ''} avant le blocage.`
    : ` ${n} more ${n > 1 ? 'tries' : 'try'} before it locks.`;
}
