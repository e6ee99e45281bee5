// Is a store open now? From its status (open / busy / closed, set by the merchant), `busy_until`, its weekly
// hours (several slots a day, slots that end after midnight) and its dated exceptions, in the zone's time zone.
// Returns an i18n key and its parameters, never a sentence: the apps own the words (fr, en).

export type StoreStatus = 'open' | 'busy' | 'closed';

export interface WeeklySlot {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** "HH:MM" or "HH:MM:SS" (Postgres `time`). */
  opens: string;
  closes: string;
  /** The slot ends on the next day ("18:00" → "02:00"; midnight is "00:00" with this set). */
  closes_next_day: boolean;
}

export interface HoursException {
  /** "YYYY-MM-DD" in the zone's time zone. */
  on_date: string;
  /** Closed all day; otherwise `opens` / `closes` replace the weekly slots of that date. */
  closed: boolean;
  opens: string | null;
  closes: string | null;
  closes_next_day?: boolean;
}

export interface StoreStatusInput {
  status: StoreStatus;
  busy_until: string | null;
  hours: readonly WeeklySlot[];
  exceptions?: readonly HoursException[];
  /** IANA zone of the store's zone, e.g. "Africa/Abidjan". */
  timeZone: string;
  now?: Date;
}

export type StoreStatusLabelKey =
  | 'storeStatus.open'
  | 'storeStatus.openUntil'
  | 'storeStatus.busyUntil'
  | 'storeStatus.closed'
  | 'storeStatus.opensAt'
  | 'storeStatus.opensTomorrowAt'
  | 'storeStatus.opensOn';

export interface StoreStatusView {
  state: StoreStatus;
  /** Whether an order placed now would be taken. */
  acceptsOrders: boolean;
  labelKey: StoreStatusLabelKey;
  /** `time` as "HH:MM" in the zone; `weekday` 1–7 for opensOn. */
  params: { time?: string; weekday?: number };
}

interface LocalNow {
  date: string;
  weekday: number;
  minutes: number;
}

const DAY_MINUTES = 24 * 60;

function toMinutes(t: string): number {
  const [h, m] = t.split(':');
  return Number(h) * 60 + Number(m);
}

function hhmm(minutes: number): string {
  const m = ((minutes % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Date, ISO weekday and minutes since midnight of an instant in a time zone. */
export function localTime(instant: Date, timeZone: string): LocalNow {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '0';
  const date = `${get('year')}-${get('month')}-${get('day')}`;
  return { date, weekday: isoWeekday(date), minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

/** ISO weekday (1 = Monday) of a "YYYY-MM-DD" date. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** "YYYY-MM-DD" plus a number of days. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface Slot {
  start: number;
  end: number;
}

/** The slots of one local date, as minutes from that date's midnight (`end` may pass 1440). */
export function slotsOn(date: string, hours: readonly WeeklySlot[], exceptions: readonly HoursException[]): Slot[] {
  const special = exceptions.filter((e) => e.on_date === date);
  if (special.some((e) => e.closed)) return [];
  const source =
    special.length > 0
      ? special.filter((e) => e.opens && e.closes).map((e) => ({ ...e, closes_next_day: !!e.closes_next_day }))
      : hours.filter((h) => h.weekday === isoWeekday(date));
  return source
    .map((s) => {
      const start = toMinutes(s.opens!);
      const end = toMinutes(s.closes!) + (s.closes_next_day ? DAY_MINUTES : 0);
      return { start, end };
    })
    .sort((a, b) => a.start - b.start);
}

function view(state: StoreStatus, labelKey: StoreStatusLabelKey, params: StoreStatusView['params'] = {}) {
  return { state, acceptsOrders: state === 'open', labelKey, params };
}

export function storeStatusAt(input: StoreStatusInput): StoreStatusView {
  const now = input.now ?? new Date();
  const exceptions = input.exceptions ?? [];
  if (input.status === 'closed') return view('closed', 'storeStatus.closed');
  if (input.status === 'busy' && input.busy_until && new Date(input.busy_until) > now) {
    return view('busy', 'storeStatus.busyUntil', {
      time: hhmm(localTime(new Date(input.busy_until), input.timeZone).minutes),
    });
  }
  if (input.hours.length === 0 && exceptions.length === 0) return view('open', 'storeStatus.open');

  const local = localTime(now, input.timeZone);
  const yesterday = addDays(local.date, -1);
  // Yesterday's slots that run past midnight, shifted into today.
  const current = [
    ...slotsOn(yesterday, input.hours, exceptions).map((s) => ({
      start: s.start - DAY_MINUTES,
      end: s.end - DAY_MINUTES,
    })),
    ...slotsOn(local.date, input.hours, exceptions),
  ].find((s) => s.start <= local.minutes && local.minutes < s.end);
  if (current) return view('open', 'storeStatus.openUntil', { time: hhmm(current.end) });

  for (let offset = 0; offset <= 7; offset += 1) {
    const date = addDays(local.date, offset);
    const next = slotsOn(date, input.hours, exceptions).find((s) => offset > 0 || s.start > local.minutes);
    if (!next) continue;
    const time = hhmm(next.start);
    if (offset === 0) return view('closed', 'storeStatus.opensAt', { time });
    if (offset === 1) return view('closed', 'storeStatus.opensTomorrowAt', { time });
    return view('closed', 'storeStatus.opensOn', { time, weekday: isoWeekday(date) });
  }
  return view('closed', 'storeStatus.closed');
}
