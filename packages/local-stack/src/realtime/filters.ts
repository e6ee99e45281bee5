// postgres_changes filters (supabase-protocols.md B.5): `column=op.value`, several joined by commas (AND), an
// optional `not.` prefix, PostgREST-style quoting. Operators: eq, neq, lt, lte, gt, gte, in (≤ 100 values),
// is, isdistinct, like, ilike, match, imatch. Evaluated on the row's text values with the column's type, as
// `realtime.check_equality_op` casts both sides; a null column value never matches (SQL null → false).
import { toJsonValue } from './values.ts';

export type FilterOp =
  'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'is' | 'isdistinct' | 'like' | 'ilike' | 'match' | 'imatch';

export interface Condition {
  column: string;
  op: FilterOp;
  negate: boolean;
  /** One value, or the list for `in`; `null` for `is.null`. */
  value: string | null;
  values?: string[];
}

const OPS = new Set<FilterOp>(['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'is', 'isdistinct', 'like', 'ilike']);
OPS.add('match').add('imatch');

/** Splits on `sep` outside double quotes and parentheses. */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (let i = 0; i < s.length; i += 1) {
    const ch = s[i]!;
    if (quoted) {
      cur += ch;
      if (ch === '\\') cur += s[++i] ?? '';
      else if (ch === '"') quoted = false;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === '(') depth += 1;
    else if (ch === ')') depth -= 1;
    if (ch === sep && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function unquote(v: string): string {
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(.)/g, '$1');
  return v;
}

/** Parses a filter string; throws with a message fit for the `system` error on bad syntax. */
export function parseFilter(filter: string): Condition[] {
  return splitTop(filter, ',').map((part) => {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`invalid filter ${part}`);
    const column = part.slice(0, eq).trim();
    let rest = part.slice(eq + 1);
    let negate = false;
    if (rest.startsWith('not.')) {
      negate = true;
      rest = rest.slice(4);
    }
    const dot = rest.indexOf('.');
    const op = (dot < 0 ? rest : rest.slice(0, dot)) as FilterOp;
    if (dot < 0 || !OPS.has(op)) throw new Error(`invalid filter operator in ${part}`);
    const raw = rest.slice(dot + 1);
    if (op === 'in') {
      if (!raw.startsWith('(') || !raw.endsWith(')')) throw new Error(`invalid in filter ${part}`);
      const values = splitTop(raw.slice(1, -1), ',').map((v) => unquote(v.trim()));
      if (values.length > 100) throw new Error('too many values for `in` filter. Maximum 100');
      return { column, op, negate, value: null, values };
    }
    if (op === 'is') {
      const v = raw.toLowerCase();
      if (!['null', 'true', 'false', 'unknown'].includes(v)) throw new Error(`invalid is filter ${part}`);
      return { column, op, negate, value: v === 'null' || v === 'unknown' ? null : v };
    }
    return { column, op, negate, value: unquote(raw) };
  });
}

const NUMERIC = new Set(['int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'oid']);
const TIME = new Set(['timestamptz', 'timestamp', 'date']);

function normalise(text: string, typname: string): number | string | boolean {
  if (NUMERIC.has(typname)) return Number(text);
  if (typname === 'bool') return ['t', 'true', 'y', 'yes', 'on', '1'].includes(text.trim().toLowerCase());
  if (TIME.has(typname)) {
    const iso = String(toJsonValue(text, typname));
    const ms = Date.parse(/T\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(iso) ? `${iso}Z` : iso);
    return Number.isNaN(ms) ? iso : ms;
  }
  if (typname === 'uuid') return text.toLowerCase();
  return text;
}

function compare(a: number | string | boolean, b: number | string | boolean): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

const likeToRegExp = (pattern: string, flags: string): RegExp =>
  new RegExp(
    '^' +
      pattern
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replace(/[%*]/g, '.*')
        .replace(/_/g, '.') +
      '$',
    flags,
  );

/** SQL three-valued result of one condition (null = unknown). */
function test(c: Condition, text: string | null, typname: string): boolean | null {
  if (c.op === 'is') {
    if (c.value === null) return text === null;
    if (text === null) return false;
    return normalise(text, 'bool') === (c.value === 'true');
  }
  if (c.op === 'isdistinct') {
    if (c.value === null || c.value === 'null') return text !== null;
    if (text === null) return true;
    return compare(normalise(text, typname), normalise(c.value, typname)) !== 0;
  }
  if (text === null) return null;
  const v = normalise(text, typname);
  switch (c.op) {
    case 'in':
      return (c.values ?? []).some((x) => compare(v, normalise(x, typname)) === 0);
    case 'like':
      return likeToRegExp(c.value ?? '', '').test(text);
    case 'ilike':
      return likeToRegExp(c.value ?? '', 'i').test(text);
    case 'match':
    case 'imatch':
      try {
        return new RegExp(c.value ?? '', c.op === 'imatch' ? 'i' : '').test(text);
      } catch {
        return false;
      }
  }
  const d = compare(v, normalise(c.value ?? '', typname));
  switch (c.op) {
    case 'eq':
      return d === 0;
    case 'neq':
      return d !== 0;
    case 'lt':
      return d < 0;
    case 'lte':
      return d <= 0;
    case 'gt':
      return d > 0;
    case 'gte':
      return d >= 0;
  }
  return false;
}

/**
 * Whether a row (column → text value; a column absent from the map is unknown) passes every condition.
 * `types` maps column names to pg type names.
 */
export function matches(conditions: Condition[], row: Record<string, string | null>, types: Map<string, string>) {
  for (const c of conditions) {
    if (!(c.column in row)) return false;
    const r = test(c, row[c.column] ?? null, types.get(c.column) ?? 'text');
    if ((c.negate ? (r === null ? null : !r) : r) !== true) return false;
  }
  return true;
}
