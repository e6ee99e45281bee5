// Generates the PWA icons (PNG) from code, so no image tool or download is needed: a green rounded square with
// a white "E". Run: node scripts/make-icons.ts (writes public/icons/). The output is committed.
import { mkdir, writeFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';

const GREEN = [11, 122, 75];
const WHITE = [255, 255, 255];

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** size px; `inset` is the safe-zone margin (maskable icons keep the mark within the central 80 %). */
function icon(size: number, { rounded, inset }: { rounded: boolean; inset: number }): Buffer {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  const r = rounded ? size * 0.22 : 0;
  const m = size * inset;
  const s = size - 2 * m; // the mark's box
  const inE = (x: number, y: number): boolean => {
    const u = (x - m) / s;
    const v = (y - m) / s;
    if (u < 0.3 || u > 0.72 || v < 0.24 || v > 0.76) return false;
    if (u < 0.4) return true; // stem
    return v < 0.34 || (v > 0.45 && v < 0.55 && u < 0.66) || v > 0.66;
  };
  for (let y = 0; y < size; y += 1) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x += 1) {
      const dx = Math.max(r - x, x - (size - 1 - r), 0);
      const dy = Math.max(r - y, y - (size - 1 - r), 0);
      const outside = rounded && dx * dx + dy * dy > r * r;
      const [cr, cg, cb] = inE(x + 0.5, y + 0.5) ? WHITE : GREEN;
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = cr!;
      raw[o + 1] = cg!;
      raw[o + 2] = cb!;
      raw[o + 3] = outside ? 0 : 255;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    png,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = new URL('../public/icons/', import.meta.url);
await mkdir(out, { recursive: true });
await writeFile(new URL('icon-192.png', out), icon(192, { rounded: true, inset: 0 }));
await writeFile(new URL('icon-512.png', out), icon(512, { rounded: true, inset: 0 }));
await writeFile(new URL('maskable-512.png', out), icon(512, { rounded: false, inset: 0.1 }));
await writeFile(new URL('apple-touch-icon.png', out), icon(180, { rounded: false, inset: 0 }));
console.log('icons written to public/icons/');
