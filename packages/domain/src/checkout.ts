// Checkout rules the customer sees before placing an order: the fee preview (the orders function has no quote
// endpoint, so the app computes what the server will compute and the server's answer stays authoritative), cash
// with change ("je paie avec …"), the delivery times a store can take, and the Idempotency-Key of a checkout attempt.
import { addDays, localTime, slotsOn, type HoursException, type WeeklySlot } from './store-status.ts';

/** Earth radius of Postgres' `earthdistance` (`earth()`), so straight-line distances agree with the server's. */
export const EARTH_RADIUS_M = 6_378_168;

const toRad = (d: number): number => (d * Math.PI) / 180;

export interface LatLng {
  lat: number;
  lng: number;
}

/** Straight-line (great-circle) distance in metres. */
export function distanceMetres(a: LatLng, b: LatLng): number {
  const h =
    Math.sin(toRad(b.lat - a.lat) / 2) ** 2 +
    Math.cos(toRad(a.lat)) * Math.cos(toRad(b.lat)) * Math.sin(toRad(b.lng - a.lng) / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface FeeGrid {
  delivery_base_fee_xof: number;
  delivery_fee_per_km_xof: number;
}

/** base + per km × straight-line km, rounded up to 25 FCFA (the placement function's formula). */
export function deliveryFee(grid: FeeGrid, distanceM: number): number {
  return Math.ceil((grid.delivery_base_fee_xof + (grid.delivery_fee_per_km_xof * distanceM) / 1000) / 25) * 25;
}

export interface PromotionRule {
  kind: 'percent' | 'fixed' | 'free_delivery';
  value: number | null;
  min_order_xof: number;
  max_discount_xof: number | null;
}

export type Fulfilment = 'delivery' | 'pickup';

export interface OrderPreview {
  subtotal_xof: number;
  delivery_fee_xof: number;
  discount_xof: number;
  total_xof: number;
  /** Why the promotion gives nothing here (the server will refuse the code for the same reason). */
  promo_problem: 'promo_min_order' | 'promo_invalid' | null;
}

/** Subtotal + fee − discount, as the server computes them (percent rounded down, capped by max_discount_xof). */
export function previewOrder(input: {
  subtotal_xof: number;
  fulfilment: Fulfilment;
  delivery_fee_xof: number;
  promotion?: PromotionRule | null;
}): OrderPreview {
  const fee = input.fulfilment === 'delivery' ? input.delivery_fee_xof : 0;
  const subtotal = input.subtotal_xof;
  let discount = 0;
  let problem: OrderPreview['promo_problem'] = null;
  const p = input.promotion;
  if (p) {
    if (subtotal < p.min_order_xof) problem = 'promo_min_order';
    else if (p.kind === 'free_delivery' && input.fulfilment !== 'delivery') problem = 'promo_invalid';
    else {
      discount =
        p.kind === 'percent'
          ? Math.floor((subtotal * (p.value ?? 0)) / 100)
          : p.kind === 'fixed'
            ? Math.min(p.value ?? 0, subtotal)
            : fee;
      if (p.max_discount_xof !== null) discount = Math.min(discount, p.max_discount_xof);
    }
  }
  return {
    subtotal_xof: subtotal,
    delivery_fee_xof: fee,
    discount_xof: discount,
    total_xof: subtotal + fee - discount,
    promo_problem: problem,
  };
}

/** The notes people pay with; a quick amount is the total rounded up to one of these steps. */
export const CASH_STEPS_XOF = [500, 1000, 2000, 5000, 10_000] as const;

/**
 * "Je paie avec …" choices: the exact total, then the total rounded up to the next 500, 1 000, 2 000, 5 000 and
 * 10 000 FCFA, without repeats, ascending. A total already on a step gives no duplicate of the exact amount.
 */
export function cashQuickAmounts(totalXof: number): number[] {
  if (!Number.isSafeInteger(totalXof) || totalXof <= 0) return [];
  const amounts = new Set<number>([totalXof]);
  for (const step of CASH_STEPS_XOF) amounts.add(Math.ceil(totalXof / step) * step);
  return [...amounts].sort((a, b) => a - b);
}

export type ChangeResult = { ok: true; change_xof: number } | { ok: false; reason: 'below_total' | 'not_whole' };

/** The change the courier must bring for "I pay with `tenderedXof`". */
export function changeDue(totalXof: number, tenderedXof: number): ChangeResult {
  if (!Number.isSafeInteger(tenderedXof) || !Number.isSafeInteger(totalXof)) return { ok: false, reason: 'not_whole' };
  if (tenderedXof < totalXof) return { ok: false, reason: 'below_total' };
  return { ok: true, change_xof: tenderedXof - totalXof };
}

// ——— Scheduled orders ———

export interface ScheduleInput {
  hours: readonly WeeklySlot[];
  exceptions?: readonly HoursException[];
  timeZone: string;
  now?: Date;
  /** Minutes between two proposed times (default 30). */
  stepMinutes?: number;
  /** The server refuses less than 30 minutes ahead. */
  minLeadMinutes?: number;
  /** How many local days to offer, today included (the server allows up to 7 days ahead). */
  days?: number;
}

export interface ScheduleSlot {
  /** ISO instant (UTC) to send as `scheduled_for`. */
  at: string;
  /** Local date "YYYY-MM-DD" and time "HH:MM" in the store's zone, for display. */
  date: string;
  time: string;
  /** 0 = today, 1 = tomorrow… in the store's zone. */
  dayOffset: number;
}

const DAY = 24 * 60;

/** Offset of a time zone from UTC at an instant, in minutes (Africa/Abidjan: 0, Europe/Paris in winter: 60). */
function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const local = localTime(instant, timeZone);
  const asUtc = Date.parse(`${local.date}T00:00:00Z`) + local.minutes * 60_000;
  return Math.round((asUtc - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
}

/** The UTC instant of a local date and minutes-from-midnight in a zone. */
function instantOf(date: string, minutes: number, timeZone: string): Date {
  const guess = new Date(Date.parse(`${date}T00:00:00Z`) + minutes * 60_000);
  return new Date(guess.getTime() - zoneOffsetMinutes(guess, timeZone) * 60_000);
}

/**
 * Times a scheduled order may be placed for: on the step grid (:00, :30…), at least `minLeadMinutes` from now,
 * inside an opening slot (a slot's closing minute excluded), over `days` local days. Slots that run past midnight
 * give times after midnight on the next date. Sorted, without repeats.
 */
export function scheduleSlots(input: ScheduleInput): ScheduleSlot[] {
  const now = input.now ?? new Date();
  const step = input.stepMinutes ?? 30;
  const lead = input.minLeadMinutes ?? 30;
  const days = input.days ?? 3;
  const exceptions = input.exceptions ?? [];
  const earliest = now.getTime() + lead * 60_000;
  const latest = now.getTime() + 7 * DAY * 60_000;
  const today = localTime(now, input.timeZone).date;
  const seen = new Map<string, ScheduleSlot>();
  for (let offset = -1; offset < days; offset += 1) {
    const date = addDays(today, offset);
    for (const { start, end } of slotsOn(date, input.hours, exceptions)) {
      for (let m = Math.ceil(start / step) * step; m < end; m += step) {
        const at = instantOf(date, m, input.timeZone);
        if (at.getTime() < earliest || at.getTime() > latest) continue;
        const local = localTime(at, input.timeZone);
        const dayOffset = Math.round((Date.parse(local.date) - Date.parse(today)) / 86_400_000);
        if (dayOffset >= days) continue;
        const time = `${String(Math.floor(local.minutes / 60)).padStart(2, '0')}:${String(local.minutes % 60).padStart(2, '0')}`;
        seen.set(at.toISOString(), { at: at.toISOString(), date: local.date, time, dayOffset });
      }
    }
  }
  return [...seen.values()].sort((a, b) => a.at.localeCompare(b.at));
}

// ——— Idempotency of a checkout attempt ———

/** What is known of the last placement attempt. `unknown`: sent, but no answer came (timeout, dropped network). */
export type AttemptOutcome = 'none' | 'unknown' | 'refused' | 'placed';

export interface CheckoutAttempt {
  key: string;
  /** Fingerprint of the request sent (or about to be sent) with this key. */
  fingerprint: string;
  outcome: AttemptOutcome;
}

/** A stable text of a request body (keys sorted at every level), to tell "the same order" from "another one". */
export function requestFingerprint(body: unknown): string {
  const norm = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(norm)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v as object)
              .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
              .sort()
              .map((k) => [k, norm((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(norm(body));
}

export type NextAttempt =
  | { ok: true; attempt: CheckoutAttempt; retry: boolean }
  /** The previous request may have been placed: send it again unchanged (same key) before anything else. */
  | { ok: false; reason: 'outcome_unknown'; attempt: CheckoutAttempt };

/**
 * The key to send with a request. The same request keeps its key (a retry after a timeout is answered with the
 * first order, never a second one); a changed request gets a new key, except while the last outcome is unknown:
 * then only the same request may go (with the same key) until an answer says whether it was placed.
 */
export function nextAttempt(previous: CheckoutAttempt | null, fingerprint: string, newKey: () => string): NextAttempt {
  if (previous && previous.outcome !== 'placed') {
    if (previous.fingerprint === fingerprint) return { ok: true, attempt: { ...previous }, retry: true };
    if (previous.outcome === 'unknown') return { ok: false, reason: 'outcome_unknown', attempt: previous };
  }
  return { ok: true, attempt: { key: newKey(), fingerprint, outcome: 'none' }, retry: false };
}

/** Keeps a revived attempt only when it has the right shape (storage may hold anything). */
export function reviveAttempt(value: unknown): CheckoutAttempt | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Partial<CheckoutAttempt>;
  const outcomes: AttemptOutcome[] = ['none', 'unknown', 'refused', 'placed'];
  if (typeof v.key !== 'string' || v.key.length < 8 || v.key.length > 100) return null;
  if (typeof v.fingerprint !== 'string' || !outcomes.includes(v.outcome as AttemptOutcome)) return null;
  return { key: v.key, fingerprint: v.fingerprint, outcome: v.outcome as AttemptOutcome };
}
