// Column values from pgoutput (Postgres text output) to the JSON Supabase Realtime puts in `record` /
// `old_record`: what `to_jsonb(value::type)` gives (realtime.cast), so numbers are numbers, json is JSON,
// timestamps are ISO strings and arrays are arrays.

const NUMERIC = new Set(['int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'oid']);

export function toJsonValue(text: string | null | undefined, typname: string): unknown {
  if (text === null || text === undefined) return null;
  if (typname.startsWith('_')) {
    const element = typname.slice(1);
    const parsed = parseArray(text);
    return parsed === undefined ? text : mapArray(parsed, element);
  }
  if (NUMERIC.has(typname)) {
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  }
  switch (typname) {
    case 'bool':
      return text === 't' || text === 'true';
    case 'json':
    case 'jsonb':
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    case 'timestamptz':
      return text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
    case 'timestamp':
      return text.replace(' ', 'T');
    default:
      return text;
  }
}

type Nested = Array<string | null | Nested>;

function mapArray(a: Nested, element: string): unknown[] {
  return a.map((v) => (Array.isArray(v) ? mapArray(v, element) : toJsonValue(v, element)));
}

/** Parses a Postgres array literal (`{1,2}`, `{"a b",NULL}`, `{{1,2},{3,4}}`); undefined if it is not one. */
export function parseArray(text: string): Nested | undefined {
  let i = 0;
  // A lower-bound prefix like `[0:1]={…}` is rare; keep the text then.
  if (text[0] !== '{') return undefined;
  const parse = (): Nested | undefined => {
    if (text[i] !== '{') return undefined;
    i += 1;
    const out: Nested = [];
    if (text[i] === '}') {
      i += 1;
      return out;
    }
    for (;;) {
      if (text[i] === '{') {
        const inner = parse();
        if (!inner) return undefined;
        out.push(inner);
      } else if (text[i] === '"') {
        i += 1;
        let s = '';
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\') i += 1;
          s += text[i] ?? '';
          i += 1;
        }
        i += 1;
        out.push(s);
      } else {
        let s = '';
        while (i < text.length && text[i] !== ',' && text[i] !== '}') s += text[i++];
        out.push(s === 'NULL' ? null : s);
      }
      if (text[i] === ',') i += 1;
      else if (text[i] === '}') {
        i += 1;
        return out;
      } else return undefined;
    }
  };
  const result = parse();
  return result && i === text.length ? result : undefined;
}
