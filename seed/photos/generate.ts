// Renders the demo photos of the Tiassalé seed as small PNGs, with Node built-ins only (a minimal PNG encoder over
// node:zlib): per store a logo (initials on a disc, 160×160) and a cover (name on a gradient, 320×180), per product a
// plate with the dish name (240×180). Files go where the buckets' objects_path (supabase/config.toml) points and
// where seed/030_tiassale_photos.sql points the path columns:
//   store-photos/<store_id>/logo.png, store-photos/<store_id>/cover.png, product-photos/<store_id>/<product_id>.png
// Store ids, names and products are read from seed/010 and seed/020; product ids are derived as the seed derives
// them (md5('products:<store_id>:<name>')::uuid). Deterministic: the same seed gives the same bytes.
// Run: node seed/photos/generate.ts
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const HERE = dirname(fileURLToPath(import.meta.url));
const SEED = join(HERE, '..');

// --- PNG ---------------------------------------------------------------------------------------------------------
type Rgb = readonly [number, number, number];

class Canvas {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    this.data = new Uint8Array(width * height * 3);
  }
  /** Blends `color` over the pixel with coverage `alpha` (0..1). */
  blend(x: number, y: number, color: Rgb, alpha = 1): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height || alpha <= 0) return;
    const i = (y * this.width + x) * 3;
    const a = Math.min(1, alpha);
    for (let c = 0; c < 3; c++) this.data[i + c] = Math.round(this.data[i + c]! * (1 - a) + color[c]! * a);
  }
  verticalGradient(top: Rgb, bottom: Rgb): void {
    for (let y = 0; y < this.height; y++) {
      const t = y / (this.height - 1);
      const color: Rgb = [0, 1, 2].map((c) => Math.round(top[c]! + (bottom[c]! - top[c]!) * t)) as unknown as Rgb;
      for (let x = 0; x < this.width; x++) this.blend(x, y, color);
    }
  }
  /** A disc with a one-pixel smooth edge. */
  disc(cx: number, cy: number, r: number, color: Rgb): void {
    for (let y = Math.floor(cy - r - 1); y <= Math.ceil(cy + r + 1); y++) {
      for (let x = Math.floor(cx - r - 1); x <= Math.ceil(cx + r + 1); x++) {
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
        this.blend(x, y, color, r - d + 0.5);
      }
    }
  }
  /** Text in the 5×7 font below, each font pixel a `scale`×`scale` square, centred on cx. */
  text(line: string, cx: number, top: number, scale: number, color: Rgb): void {
    const glyphs = [...line].map(glyph);
    const width = glyphs.length * 6 * scale - scale;
    let x0 = Math.round(cx - width / 2);
    for (const g of glyphs) {
      for (let row = 0; row < 7; row++) {
        for (let col = 0; col < 5; col++) {
          if (!(g[row]! & (1 << (4 - col)))) continue;
          for (let dy = 0; dy < scale; dy++)
            for (let dx = 0; dx < scale; dx++) this.blend(x0 + col * scale + dx, top + row * scale + dy, color);
        }
      }
      x0 += 6 * scale;
    }
  }
  png(): Buffer {
    const stride = this.width * 3;
    const raw = Buffer.alloc((stride + 1) * this.height);
    for (let y = 0; y < this.height; y++) {
      // Per row, the filter (None, Sub, Up) with the smallest sum of absolute values: flat colours and gradients
      // turn into runs of zeros that deflate to almost nothing.
      const row = this.data.subarray(y * stride, (y + 1) * stride);
      const prev = y > 0 ? this.data.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
      const candidates = [0, 1, 2].map((f) => {
        const out = new Uint8Array(stride);
        for (let i = 0; i < stride; i++) {
          const left = i >= 3 ? row[i - 3]! : 0;
          out[i] = (row[i]! - (f === 1 ? left : f === 2 ? prev[i]! : 0)) & 0xff;
        }
        const cost = out.reduce((s, v) => s + (v < 128 ? v : 256 - v), 0);
        return { f, out, cost };
      });
      const best = candidates.reduce((a, b) => (b.cost < a.cost ? b : a));
      raw[y * (stride + 1)] = best.f;
      raw.set(best.out, y * (stride + 1) + 1);
    }
    const chunk = (type: string, body: Buffer) => {
      const head = Buffer.alloc(8);
      head.writeUInt32BE(body.length, 0);
      head.write(type, 4, 'latin1');
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
      return Buffer.concat([head, body, crc]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(this.width, 0);
    ihdr.writeUInt32BE(this.height, 4);
    ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, adaptive filtering, no interlace
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(raw, { level: 9 })),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  }
}

// --- A 5×7 font: capitals, digits and the punctuation of the menus (accents are dropped before drawing) -----------
// prettier-ignore
const FONT: Record<string, number[]> = {
  A: [14, 17, 17, 31, 17, 17, 17], B: [30, 17, 17, 30, 17, 17, 30], C: [14, 17, 16, 16, 16, 17, 14],
  D: [30, 17, 17, 17, 17, 17, 30], E: [31, 16, 16, 30, 16, 16, 31], F: [31, 16, 16, 30, 16, 16, 16],
  G: [14, 17, 16, 23, 17, 17, 15], H: [17, 17, 17, 31, 17, 17, 17], I: [14, 4, 4, 4, 4, 4, 14],
  J: [7, 2, 2, 2, 2, 18, 12], K: [17, 18, 20, 24, 20, 18, 17], L: [16, 16, 16, 16, 16, 16, 31],
  M: [17, 27, 21, 21, 17, 17, 17], N: [17, 17, 25, 21, 19, 17, 17], O: [14, 17, 17, 17, 17, 17, 14],
  P: [30, 17, 17, 30, 16, 16, 16], Q: [14, 17, 17, 17, 21, 18, 13], R: [30, 17, 17, 30, 20, 18, 17],
  S: [15, 16, 16, 14, 1, 1, 30], T: [31, 4, 4, 4, 4, 4, 4], U: [17, 17, 17, 17, 17, 17, 14],
  V: [17, 17, 17, 17, 17, 10, 4], W: [17, 17, 17, 21, 21, 21, 10], X: [17, 17, 10, 4, 10, 17, 17],
  Y: [17, 17, 10, 4, 4, 4, 4], Z: [31, 1, 2, 4, 8, 16, 31],
  0: [14, 17, 19, 21, 25, 17, 14], 1: [4, 12, 4, 4, 4, 4, 14], 2: [14, 17, 1, 2, 4, 8, 31],
  3: [31, 2, 4, 2, 1, 17, 14], 4: [2, 6, 10, 18, 31, 2, 2], 5: [31, 16, 30, 1, 1, 17, 14],
  6: [6, 8, 16, 30, 17, 17, 14], 7: [31, 1, 2, 4, 8, 8, 8], 8: [14, 17, 17, 14, 17, 17, 14],
  9: [14, 17, 17, 15, 1, 2, 12],
  ' ': [0, 0, 0, 0, 0, 0, 0], '-': [0, 0, 0, 31, 0, 0, 0], "'": [4, 4, 8, 0, 0, 0, 0],
  '(': [2, 4, 8, 8, 8, 4, 2], ')': [8, 4, 2, 2, 2, 4, 8], '.': [0, 0, 0, 0, 0, 12, 12],
  ',': [0, 0, 0, 0, 12, 4, 8], '&': [12, 18, 20, 8, 21, 18, 13], '/': [1, 1, 2, 4, 8, 16, 16],
};
const glyph = (ch: string): number[] => FONT[ch] ?? FONT[' ']!;

/** Upper case without accents: "Œuf dur" → "OEUF DUR", "Attiéké" → "ATTIEKE", "’" → "'". */
const plain = (s: string): string =>
  s
    .replace(/œ/gi, 'oe')
    .replace(/[’`]/g, "'")
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase();

/** Greedy word wrap to `max` characters a line, at most `lines` lines (the last one cut with ".."). */
function wrap(text: string, max: number, lines: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= max) line = next;
    else {
      if (line) out.push(line);
      line = word.slice(0, max);
    }
  }
  if (line) out.push(line);
  if (out.length > lines) {
    out.length = lines;
    out[lines - 1] = `${out[lines - 1]!.slice(0, max - 2)}..`;
  }
  return out;
}

// --- Colours -------------------------------------------------------------------------------------------------------
// Warm West African palette: palm green, laterite, indigo, mango, hibiscus, river blue, cocoa, savannah.
// prettier-ignore
const PALETTE: Rgb[] = [
  [34, 120, 74], [196, 86, 44], [52, 62, 130], [232, 160, 32],
  [176, 42, 84], [30, 118, 160], [110, 70, 46], [150, 140, 40],
];
const lighten = (c: Rgb, t: number): Rgb => c.map((v) => Math.round(v + (255 - v) * t)) as unknown as Rgb;
const darken = (c: Rgb, t: number): Rgb => c.map((v) => Math.round(v * (1 - t))) as unknown as Rgb;
const pick = (key: string): Rgb => PALETTE[createHash('md5').update(key).digest()[0]! % PALETTE.length]!;
const WHITE: Rgb = [255, 255, 255];
const INK: Rgb = [40, 32, 28];

function initials(name: string): string {
  const words = plain(name)
    .split(/[\s-]+/)
    .filter((w) => /^[A-Z0-9]/.test(w) && !['LE', 'LA', 'DE', 'DU', 'DES', 'CHEZ', 'L', 'D'].includes(w));
  return ((words[0]?.[0] ?? '') + (words[1]?.[0] ?? words[0]?.[1] ?? '')).slice(0, 2);
}

function logo(name: string, key: string): Buffer {
  const c = new Canvas(160, 160);
  const base = pick(key);
  c.verticalGradient(lighten(base, 0.15), darken(base, 0.15));
  c.disc(80, 80, 62, lighten(base, 0.85));
  c.disc(80, 80, 56, base);
  c.text(initials(name), 80, 80 - 21, 6, WHITE);
  return c.png();
}

function cover(name: string, kind: string, key: string): Buffer {
  const c = new Canvas(320, 180);
  const base = pick(key);
  c.verticalGradient(lighten(base, 0.1), darken(base, 0.35));
  for (let i = 0; i < 5; i++) c.disc(30 + i * 70, 182, 26, lighten(base, 0.25)); // a row of parasols
  const lines = wrap(plain(name), 16, 2);
  lines.forEach((l, i) => c.text(l, 160, 50 + i * 30 - (lines.length - 1) * 15, 3, WHITE));
  c.text(plain(kind.replace('_', ' ')), 160, 128, 2, lighten(base, 0.7));
  return c.png();
}

function productPhoto(name: string, key: string): Buffer {
  const c = new Canvas(240, 180);
  const base = pick(key);
  c.verticalGradient(lighten(base, 0.8), lighten(base, 0.55));
  c.disc(120, 70, 52, darken(base, 0.1)); // rim
  c.disc(120, 70, 46, [250, 248, 242]); // plate
  c.disc(120, 70, 28, lighten(base, 0.35)); // the dish
  c.text(initials(name), 120, 70 - 7, 2, INK);
  const lines = wrap(plain(name), 18, 2);
  lines.forEach((l, i) => c.text(l, 120, 132 + i * 18 - (lines.length - 1) * 9, 2, INK));
  return c.png();
}

// --- The seed ------------------------------------------------------------------------------------------------------
const unquote = (s: string) => s.replace(/''/g, "'");
/** md5(text)::uuid as Postgres prints it. */
const md5Uuid = (text: string) =>
  createHash('md5')
    .update(text)
    .digest('hex')
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

interface SeedStore {
  id: string;
  kind: string;
  slug: string;
  name: string;
}

export async function readSeed(): Promise<{
  stores: SeedStore[];
  products: { storeId: string; id: string; name: string }[];
}> {
  const storesSql = await readFile(join(SEED, '010_tiassale_stores.sql'), 'utf8');
  const stores: SeedStore[] = [];
  for (const m of storesSql.matchAll(
    /\('(51000000-0000-4000-8000-\d{12})', '([a-z_]+)', '([a-z0-9-]+)', '((?:[^']|'')*)'/g,
  ))
    stores.push({ id: m[1]!, kind: m[2]!, slug: m[3]!, name: unquote(m[4]!) });

  const catalogueSql = await readFile(join(SEED, '020_tiassale_catalogue.sql'), 'utf8');
  const rows = catalogueSql.slice(
    catalogueSql.indexOf('insert into seed_catalogue'),
    catalogueSql.indexOf('insert into public.categories'),
  );
  const products: { storeId: string; id: string; name: string }[] = [];
  for (const m of rows.matchAll(/^\s*\((\d+), '(?:[^']|'')*', '((?:[^']|'')*)'/gm)) {
    const storeId = `51000000-0000-4000-8000-${m[1]!.padStart(12, '0')}`;
    const name = unquote(m[2]!);
    products.push({ storeId, id: md5Uuid(`products:${storeId}:${name}`), name });
  }
  return { stores, products };
}

async function main(): Promise<void> {
  const { stores, products } = await readSeed();
  if (stores.length === 0 || products.length === 0) throw new Error('no stores or products found in seed/0[12]0_*.sql');
  const out = (bucket: string, ...parts: string[]) => join(HERE, bucket, ...parts);
  await rm(out('store-photos'), { recursive: true, force: true });
  await rm(out('product-photos'), { recursive: true, force: true });
  let bytes = 0;
  const write = async (path: string, png: Buffer) => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, png);
    bytes += png.length;
  };
  for (const s of stores) {
    await write(out('store-photos', s.id, 'logo.png'), logo(s.name, s.slug));
    await write(out('store-photos', s.id, 'cover.png'), cover(s.name, s.kind, s.slug));
  }
  for (const p of products) await write(out('product-photos', p.storeId, `${p.id}.png`), productPhoto(p.name, p.name));
  const files = stores.length * 2 + products.length;
  console.log(
    `${files} photos (${stores.length} stores, ${products.length} products), ${(bytes / 1024).toFixed(0)} KiB`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
