// A store's side of things: which moves a merchant may make on an order, the cash change to prepare, "busy for N
// minutes", and the checks of what a merchant types (a product, an opening slot, a photo) before anything is sent.
// Returns codes for the apps' i18n, never sentences. The database checks the same rules again.
import { parseXof } from './money.ts';
import type { OrderFulfilment, OrderStatus } from './order.ts';
import { parsePhone } from './phone.ts';
import { OPERATORS_BY_COUNTRY, type MobileMoneyOperator } from './wallet.ts';

/** A merchant's move on an order (POST /orders/:id/transition `to`). */
export type MerchantMove = 'accepted' | 'rejected' | 'preparing' | 'ready';

/** The moves a store may make from a status (docs/API.md, transition table); a pickup is handed over with a code. */
export function merchantMoves(status: OrderStatus): MerchantMove[] {
  if (status === 'pending') return ['accepted', 'rejected'];
  if (status === 'accepted') return ['preparing'];
  if (status === 'preparing') return ['ready'];
  return [];
}

/** Where an order sits in the store's queue: new ones ring until someone answers. */
export type QueueLane = 'new' | 'in_progress' | 'ready' | 'done';

export function queueLane(status: OrderStatus): QueueLane {
  if (status === 'pending') return 'new';
  if (status === 'accepted' || status === 'preparing') return 'in_progress';
  if (status === 'ready') return 'ready';
  return 'done';
}

/** The orders that keep the alarm going: pending ones, not yet answered. */
export const needsAnswer = (orders: readonly { status: OrderStatus }[]): boolean =>
  orders.some((o) => o.status === 'pending');

/** Cash change the store (pickup) or courier (delivery) must bring: tendered − total, or null when none. */
export function changeToPrepare(order: {
  payment_method: string;
  cash_tendered_xof: number | null;
  total_xof: number;
}): number | null {
  if (order.payment_method !== 'cash' || order.cash_tendered_xof === null) return null;
  const change = order.cash_tendered_xof - order.total_xof;
  return change > 0 ? change : null;
}

/** Who hands the order over: the courier for a delivery, the counter for a pickup. */
export const handoverBy = (fulfilment: OrderFulfilment): 'courier' | 'counter' =>
  fulfilment === 'delivery' ? 'courier' : 'counter';

/** Busy choices offered by the app, in minutes. */
export const BUSY_MINUTES = [15, 30, 60] as const;
export type BusyMinutes = (typeof BUSY_MINUTES)[number];

/** "Busy for N minutes" from now, as the ISO instant stored in stores.busy_until. */
export function busyUntil(minutes: number, now: Date = new Date()): string {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 24 * 60) throw new RangeError(`busy minutes: ${minutes}`);
  return new Date(now.getTime() + minutes * 60_000).toISOString();
}

/** Preparation times a merchant picks when accepting (POST transition allows 1–240). */
export const PREP_MINUTES = [10, 15, 20, 30, 45, 60] as const;

export type ProductField = 'name' | 'price' | 'description';
export type ProductProblem =
  | { field: 'name'; code: 'empty' | 'too_long' }
  | { field: 'price'; code: 'empty' | 'negative' | 'zero' | 'not_a_number' | 'fraction' | 'too_large' }
  | { field: 'description'; code: 'too_long' };

export interface ProductDraft {
  name: string;
  /** As typed: "1500", "1 500", "1 500 FCFA". */
  price: string;
  description?: string;
}

export interface ValidProduct {
  name: string;
  price_xof: number;
  description: string;
}

/** Limits of the products table (name 1–80, description ≤ 500, price ≥ 1 FCFA). */
export const PRODUCT_NAME_MAX = 80;
export const PRODUCT_DESCRIPTION_MAX = 500;

/** Checks a product as typed: every problem, or the clean values to write. */
export function checkProduct(
  draft: ProductDraft,
): { ok: true; value: ValidProduct } | { ok: false; problems: ProductProblem[] } {
  const problems: ProductProblem[] = [];
  const name = draft.name.trim().replace(/\s+/g, ' ');
  if (name === '') problems.push({ field: 'name', code: 'empty' });
  else if (name.length > PRODUCT_NAME_MAX) problems.push({ field: 'name', code: 'too_long' });
  const description = (draft.description ?? '').trim();
  if (description.length > PRODUCT_DESCRIPTION_MAX) problems.push({ field: 'description', code: 'too_long' });
  const price = parseXof(draft.price);
  let price_xof = 0;
  if (!price.ok) problems.push({ field: 'price', code: price.reason });
  else if (price.value === 0) problems.push({ field: 'price', code: 'zero' });
  else price_xof = price.value;
  return problems.length ? { ok: false, problems } : { ok: true, value: { name, price_xof, description } };
}

export type SlotProblem = 'missing' | 'closes_before_opens' | 'same_time';

/** Minutes since midnight of "HH:MM" or "HH:MM:SS"; null when it is not a time. */
export function minutesOf(time: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?$/.exec(time.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/**
 * An opening slot as typed. Closing before opening is refused unless the merchant says it ends the next day
 * (a maquis open 18:00 → 02:00); the database's check_opening_slot holds the same rule.
 */
export function checkSlot(opens: string, closes: string, closesNextDay: boolean): SlotProblem | null {
  const o = minutesOf(opens);
  const c = minutesOf(closes);
  if (o === null || c === null) return 'missing';
  if (closesNextDay) return c > o ? 'closes_before_opens' : null;
  if (c === o) return 'same_time';
  return c < o ? 'closes_before_opens' : null;
}

/** A photo as picked, before compression: camera shots up to 15 MB are fine (they are made small on the phone). */
export const PHOTO_SOURCE_MAX_BYTES = 15 * 1024 * 1024;
export type PhotoProblem = 'not_an_image' | 'too_large';

export function checkPhotoFile(file: { size: number; type: string }): PhotoProblem | null {
  if (!/^image\/(jpeg|png|webp|heic|heif|gif)$/.test(file.type)) return 'not_an_image';
  if (file.size > PHOTO_SOURCE_MAX_BYTES) return 'too_large';
  return null;
}

/** Sales over a period from the store's orders: delivered count, revenue (subtotals), average basket, best sellers. */
export interface SaleOrder {
  status: OrderStatus;
  subtotal_xof: number;
  items: readonly { name: string; quantity: number; line_total_xof: number }[];
}

export function salesSummary(orders: readonly SaleOrder[], top = 5) {
  const delivered = orders.filter((o) => o.status === 'delivered');
  const revenue = delivered.reduce((sum, o) => sum + o.subtotal_xof, 0);
  const byName = new Map<string, { name: string; quantity: number; revenue_xof: number }>();
  for (const o of delivered) {
    for (const i of o.items) {
      const row = byName.get(i.name) ?? { name: i.name, quantity: 0, revenue_xof: 0 };
      row.quantity += i.quantity;
      row.revenue_xof += i.line_total_xof;
      byName.set(i.name, row);
    }
  }
  return {
    orders: delivered.length,
    revenue_xof: revenue,
    average_basket_xof: delivered.length ? Math.round(revenue / delivered.length) : 0,
    best_sellers: [...byName.values()]
      .sort((a, b) => b.quantity - a.quantity || b.revenue_xof - a.revenue_xof || a.name.localeCompare(b.name))
      .slice(0, top),
  };
}

/** Delivered orders per hour of the day (0–23) in the stores' time zone (UTC+0 in Tiassalé and Lomé). */
export function ordersByHour(orders: readonly { status: OrderStatus; created_at: string }[]): number[] {
  const hours = Array.from({ length: 24 }, () => 0);
  for (const o of orders) if (o.status === 'delivered') hours[new Date(o.created_at).getUTCHours()]! += 1;
  return hours;
}

/**
 * Revenue (subtotals of delivered orders) and delivered orders per day, for `days` days ending on the day of `to`,
 * oldest first, days without sales included (UTC+0 days, as in Tiassalé and Lomé).
 */
export function revenueByDay(
  orders: readonly { status: OrderStatus; created_at: string; subtotal_xof: number }[],
  days: number,
  to: Date = new Date(),
): { day: string; revenue_xof: number; orders: number }[] {
  const end = Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate());
  const rows = Array.from({ length: days }, (_, i) => ({
    day: new Date(end - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10),
    revenue_xof: 0,
    orders: 0,
  }));
  const byDay = new Map(rows.map((r) => [r.day, r]));
  for (const o of orders) {
    if (o.status !== 'delivered') continue;
    const row = byDay.get(new Date(o.created_at).toISOString().slice(0, 10));
    if (!row) continue;
    row.revenue_xof += o.subtotal_xof;
    row.orders += 1;
  }
  return rows;
}

export type PromotionKind = 'percent' | 'fixed' | 'free_delivery';

export interface PromotionDraft {
  code: string;
  kind: PromotionKind;
  /** "10" (percent) or "500" / "1 000 FCFA" (fixed); ignored for free delivery. */
  value: string;
  /** "YYYY-MM-DD", both days included, in the stores' time zone (UTC+0). */
  starts_on: string;
  ends_on: string;
  /** Optional whole numbers as typed ("" = no limit / no minimum). */
  min_order: string;
  usage_limit_total: string;
  usage_limit_per_customer: string;
}

export type PromotionProblem =
  | { field: 'code'; code: 'format' }
  | {
      field: 'value';
      code: 'percent_range' | 'empty' | 'negative' | 'zero' | 'not_a_number' | 'fraction' | 'too_large';
    }
  | { field: 'dates'; code: 'missing' | 'ends_before_starts' | 'ends_in_past' }
  | { field: 'min_order' | 'usage_limit_total' | 'usage_limit_per_customer'; code: 'not_a_whole_number' };

export interface ValidPromotion {
  code: string;
  kind: PromotionKind;
  value: number | null;
  starts_at: string;
  ends_at: string;
  min_order_xof: number;
  usage_limit_total: number | null;
  usage_limit_per_customer: number | null;
}

const whole = (s: string): number | null | 'bad' => {
  const t = s.trim().replace(/[\s\u00a0]/g, '');
  if (t === '') return null;
  return /^\d{1,7}$/.test(t) && Number(t) >= 1 ? Number(t) : 'bad';
};

/**
 * Checks a store promotion as typed (the promotions table's checks, said in advance): code of 3–32 capitals, digits,
 * "-" or "_"; a percentage 1–100 or a fixed amount in whole FCFA; a period whose last day is not before its first nor
 * already over (`today`, "YYYY-MM-DD"); optional minimum order and limits.
 */
export function checkPromotion(
  draft: PromotionDraft,
  today: string,
): { ok: true; value: ValidPromotion } | { ok: false; problems: PromotionProblem[] } {
  const problems: PromotionProblem[] = [];
  const code = draft.code.trim().toUpperCase();
  if (!/^[A-Z0-9][A-Z0-9_-]{2,31}$/.test(code)) problems.push({ field: 'code', code: 'format' });
  let value: number | null = null;
  if (draft.kind === 'percent') {
    const n = whole(draft.value);
    if (typeof n !== 'number' || n > 100) problems.push({ field: 'value', code: 'percent_range' });
    else value = n;
  } else if (draft.kind === 'fixed') {
    const amount = parseXof(draft.value);
    if (!amount.ok) problems.push({ field: 'value', code: amount.reason });
    else if (amount.value === 0) problems.push({ field: 'value', code: 'zero' });
    else value = amount.value;
  }
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (!day.test(draft.starts_on) || !day.test(draft.ends_on)) problems.push({ field: 'dates', code: 'missing' });
  else if (draft.ends_on < draft.starts_on) problems.push({ field: 'dates', code: 'ends_before_starts' });
  else if (draft.ends_on < today) problems.push({ field: 'dates', code: 'ends_in_past' });
  const limits = {} as Record<'min_order' | 'usage_limit_total' | 'usage_limit_per_customer', number | null>;
  for (const field of ['min_order', 'usage_limit_total', 'usage_limit_per_customer'] as const) {
    const n = whole(draft[field]);
    if (n === 'bad') problems.push({ field, code: 'not_a_whole_number' });
    else limits[field] = n;
  }
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    value: {
      code,
      kind: draft.kind,
      value,
      starts_at: `${draft.starts_on}T00:00:00Z`,
      // The last day included: the promotion ends at midnight after it.
      ends_at: new Date(Date.parse(`${draft.ends_on}T00:00:00Z`) + 86_400_000).toISOString(),
      min_order_xof: limits.min_order ?? 0,
      usage_limit_total: limits.usage_limit_total,
      usage_limit_per_customer: limits.usage_limit_per_customer,
    },
  };
}

/** What a store sells (public.store_kind), in the order the application form offers them. */
export const STORE_KINDS = [
  'maquis',
  'restaurant',
  'street_food',
  'bakery',
  'pharmacy',
  'supermarket',
  'shop',
  'market',
] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export interface ApplicationSlot {
  weekday: number;
  opens: string;
  closes: string;
  closes_next_day: boolean;
}

/** An application to open a store as typed (rpc apply_for_store checks the same rules). */
export interface StoreApplicationDraft {
  kind: string;
  name: string;
  /** The store's number as typed. */
  phone: string;
  lat: number | null;
  lng: number | null;
  landmark: string;
  description: string;
  hours: readonly ApplicationSlot[];
  /** The mobile-money number for payouts as typed, and its operator. */
  payoutPhone: string;
  payoutOperator: string;
}

export interface ValidStoreApplication {
  kind: StoreKind;
  name: string;
  phone: string;
  lat: number;
  lng: number;
  landmark: string;
  description: string;
  hours: ApplicationSlot[];
  payout_phone: string;
  payout_operator: MobileMoneyOperator;
}

export type StoreApplicationProblem =
  | { field: 'kind'; code: 'empty' }
  | { field: 'name'; code: 'too_short' | 'too_long' }
  | { field: 'phone' | 'payoutPhone'; code: 'invalid' }
  | { field: 'location'; code: 'missing' | 'invalid' }
  | { field: 'landmark'; code: 'too_short' | 'too_long' }
  | { field: 'description'; code: 'too_long' }
  | { field: 'hours'; code: 'empty' | 'missing' | 'closes_before_opens' | 'same_time' | 'duplicate' }
  | { field: 'payoutOperator'; code: 'empty' | 'wrong_country' };

/** Limits of the stores table (name 2–80, landmark 3–280, description ≤ 1000). */
export const STORE_NAME_MAX = 80;
export const STORE_LANDMARK_MAX = 280;
export const STORE_DESCRIPTION_MAX = 1000;

/** Checks an application as typed: every problem, or the values for rpc apply_for_store. */
export function checkStoreApplication(
  draft: StoreApplicationDraft,
): { ok: true; value: ValidStoreApplication } | { ok: false; problems: StoreApplicationProblem[] } {
  const problems: StoreApplicationProblem[] = [];
  const kind = STORE_KINDS.find((k) => k === draft.kind);
  if (!kind) problems.push({ field: 'kind', code: 'empty' });
  const name = draft.name.trim().replace(/\s+/g, ' ');
  if (name.length < 2) problems.push({ field: 'name', code: 'too_short' });
  else if (name.length > STORE_NAME_MAX) problems.push({ field: 'name', code: 'too_long' });
  const phone = parsePhone(draft.phone);
  if (!phone.ok) problems.push({ field: 'phone', code: 'invalid' });
  const { lat, lng } = draft;
  if (lat === null || lng === null) problems.push({ field: 'location', code: 'missing' });
  else if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
    problems.push({ field: 'location', code: 'invalid' });
  }
  const landmark = draft.landmark.trim();
  if (landmark.length < 3) problems.push({ field: 'landmark', code: 'too_short' });
  else if (landmark.length > STORE_LANDMARK_MAX) problems.push({ field: 'landmark', code: 'too_long' });
  const description = draft.description.trim();
  if (description.length > STORE_DESCRIPTION_MAX) problems.push({ field: 'description', code: 'too_long' });
  const hoursProblem = checkApplicationHours(draft.hours);
  if (hoursProblem) problems.push({ field: 'hours', code: hoursProblem });
  const payout = parsePhone(draft.payoutPhone);
  if (!payout.ok) problems.push({ field: 'payoutPhone', code: 'invalid' });
  const operator = (Object.values(OPERATORS_BY_COUNTRY).flat() as string[]).includes(draft.payoutOperator)
    ? (draft.payoutOperator as MobileMoneyOperator)
    : null;
  if (!operator) problems.push({ field: 'payoutOperator', code: 'empty' });
  else if (payout.ok && !OPERATORS_BY_COUNTRY[payout.country].includes(operator)) {
    problems.push({ field: 'payoutOperator', code: 'wrong_country' });
  }
  if (problems.length || !kind || !phone.ok || !payout.ok || !operator || lat === null || lng === null) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    value: {
      kind,
      name,
      phone: phone.e164,
      lat,
      lng,
      landmark,
      description,
      hours: draft.hours.map((h) => ({ ...h })),
      payout_phone: payout.e164,
      payout_operator: operator,
    },
  };
}

function checkApplicationHours(
  hours: readonly ApplicationSlot[],
): 'empty' | 'missing' | 'closes_before_opens' | 'same_time' | 'duplicate' | null {
  if (hours.length === 0) return 'empty';
  const seen = new Set<string>();
  for (const h of hours) {
    if (!Number.isInteger(h.weekday) || h.weekday < 1 || h.weekday > 7) return 'missing';
    const problem = checkSlot(h.opens, h.closes, h.closes_next_day);
    if (problem) return problem;
    const key = `${h.weekday} ${minutesOf(h.opens)}`;
    if (seen.has(key)) return 'duplicate';
    seen.add(key);
  }
  return null;
}

/** Limits of the categories, product_option_groups and product_options tables (names 1–60 characters). */
export const CATEGORY_NAME_MAX = 60;
export const OPTION_NAME_MAX = 60;
export const OPTIONS_PER_GROUP_MAX = 20;

export type CategoryProblem = 'empty' | 'too_long' | 'duplicate';

/** A category name as typed, against the store's other category names (case and accents ignored). */
export function checkCategoryName(
  input: string,
  others: readonly string[],
): { ok: true; value: string } | { ok: false; problem: CategoryProblem } {
  const name = input.trim().replace(/\s+/g, ' ');
  if (name === '') return { ok: false, problem: 'empty' };
  if (name.length > CATEGORY_NAME_MAX) return { ok: false, problem: 'too_long' };
  const key = (s: string) => s.trim().normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('fr');
  if (others.some((o) => key(o) === key(name))) return { ok: false, problem: 'duplicate' };
  return { ok: true, value: name };
}

/** An option group as typed: "Accompagnement", required, choose up to max, each option with what it adds. */
export interface OptionGroupDraft {
  name: string;
  required: boolean;
  /** Fewest choices when required (1 or more), as typed. */
  min: string;
  /** Most choices, as typed. */
  max: string;
  options: readonly { name: string; priceDelta: string }[];
}

export interface ValidOptionGroup {
  name: string;
  min_selections: number;
  max_selections: number;
  options: { name: string; price_delta_xof: number }[];
}

export type OptionGroupProblem =
  | { field: 'name'; code: 'empty' | 'too_long' }
  | { field: 'min'; code: 'not_a_number' | 'too_small' }
  | { field: 'max'; code: 'not_a_number' | 'too_small' | 'below_min' | 'above_options' }
  | { field: 'options'; code: 'none' | 'too_many' | 'duplicate' }
  | {
      field: 'option';
      index: number;
      code: 'empty' | 'too_long' | 'negative' | 'not_a_number' | 'fraction' | 'too_large';
    };

const wholeNumber = (s: string): number | null => (/^\s*\d{1,3}\s*$/.test(s) ? Number(s) : null);

/** Checks an option group and its options: every problem, or the rows to write. */
export function checkOptionGroup(
  draft: OptionGroupDraft,
): { ok: true; value: ValidOptionGroup } | { ok: false; problems: OptionGroupProblem[] } {
  const problems: OptionGroupProblem[] = [];
  const name = draft.name.trim().replace(/\s+/g, ' ');
  if (name === '') problems.push({ field: 'name', code: 'empty' });
  else if (name.length > OPTION_NAME_MAX) problems.push({ field: 'name', code: 'too_long' });

  const options: { name: string; price_delta_xof: number }[] = [];
  const filled = draft.options.filter((o) => o.name.trim() !== '' || o.priceDelta.trim() !== '');
  filled.forEach((o, index) => {
    const optionName = o.name.trim().replace(/\s+/g, ' ');
    if (optionName === '') problems.push({ field: 'option', index, code: 'empty' });
    else if (optionName.length > OPTION_NAME_MAX) problems.push({ field: 'option', index, code: 'too_long' });
    const delta = o.priceDelta.trim() === '' ? ({ ok: true, value: 0 } as const) : parseXof(o.priceDelta);
    if (!delta.ok) {
      problems.push({ field: 'option', index, code: delta.reason === 'empty' ? 'not_a_number' : delta.reason });
    }
    options.push({ name: optionName, price_delta_xof: delta.ok ? delta.value : 0 });
  });
  if (filled.length === 0) problems.push({ field: 'options', code: 'none' });
  else if (filled.length > OPTIONS_PER_GROUP_MAX) problems.push({ field: 'options', code: 'too_many' });
  else if (new Set(options.map((o) => o.name.toLocaleLowerCase('fr'))).size !== options.length) {
    problems.push({ field: 'options', code: 'duplicate' });
  }

  const min = draft.required ? wholeNumber(draft.min) : 0;
  const max = wholeNumber(draft.max);
  if (min === null) problems.push({ field: 'min', code: 'not_a_number' });
  else if (draft.required && min < 1) problems.push({ field: 'min', code: 'too_small' });
  if (max === null) problems.push({ field: 'max', code: 'not_a_number' });
  else if (max < 1) problems.push({ field: 'max', code: 'too_small' });
  else if (min !== null && max < min) problems.push({ field: 'max', code: 'below_min' });
  else if (filled.length > 0 && max > filled.length) problems.push({ field: 'max', code: 'above_options' });

  if (problems.length || min === null || max === null) return { ok: false, problems };
  return { ok: true, value: { name, min_selections: min, max_selections: max, options } };
}
