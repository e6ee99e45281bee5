// What a phone downloads for an app's first screens, read from the built chunk graph (dist/.vite/manifest.json):
// the entry and its static imports, whatever index.html preloads, and the lazy chunks of the route's pages with
// their static imports. Sizes are gzip -9 of the files as served. Node only (build-time tests and benches).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

interface Chunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

/** DESIGN.md §11 (B9): the JavaScript of a first screen stays within 170 KiB gzip. */
export const FIRST_SCREEN_BUDGET_KIB = 170;

export interface RouteSize {
  initial_js_gzip_kib: number;
  initial_js_raw_kib: number;
  css_gzip_kib: number;
  chunks: number;
  /** The five biggest files, gzip. */
  largest: { file: string; gzip_kib: number }[];
  files: string[];
}

const toKib = (bytes: number): number => Math.round(bytes / 102.4) / 10;

const readManifest = async (distDir: string) =>
  JSON.parse(await readFile(join(distDir, '.vite/manifest.json'), 'utf8')) as Record<string, Chunk>;

/** Raw and gzip -9 bytes of the built files, each read once. */
function sizes(distDir: string): (file: string) => Promise<{ raw: number; gzip: number }> {
  const known = new Map<string, { raw: number; gzip: number }>();
  return async (file) => {
    let size = known.get(file);
    if (!size) {
      const bytes = await readFile(join(distDir, file));
      size = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
      known.set(file, size);
    }
    return size;
  };
}

/** The whole app: index.html, and every JavaScript file of the build (gzip). */
export async function measureTotals(distDir: string): Promise<{ html_gzip_kib: number; all_js_gzip_kib: number }> {
  const manifest = await readManifest(distDir);
  const sizeOf = sizes(distDir);
  let allJs = 0;
  for (const c of Object.values(manifest)) if (c.file.endsWith('.js')) allJs += (await sizeOf(c.file)).gzip;
  return { html_gzip_kib: toKib((await sizeOf('index.html')).gzip), all_js_gzip_kib: toKib(allJs) };
}

/** `routes`: route name → the page source files it needs (keys of the manifest, e.g. `src/views/XPage.vue`). */
export async function measureRoutes<R extends string>(
  distDir: string,
  routes: Record<R, readonly string[]>,
): Promise<Record<R, RouteSize>> {
  const manifest = await readManifest(distDir);
  const sizeOf = sizes(distDir);
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
  if (!entry) throw new Error('no entry chunk in the build manifest');
  const html = await readFile(join(distDir, 'index.html'), 'utf8');
  const preloadedFiles = [...html.matchAll(/<link rel="modulepreload"[^>]*href="\/([^"]+)"/g)].map((m) => m[1]);
  const preloaded = Object.keys(manifest).filter((k) => preloadedFiles.includes(manifest[k]!.file));

  const out = {} as Record<R, RouteSize>;
  for (const [name, pages] of Object.entries(routes) as [R, readonly string[]][]) {
    const keys = new Set<string>();
    const visit = (key: string): void => {
      if (keys.has(key)) return;
      const chunk = manifest[key];
      if (!chunk) throw new Error(`${key} is not in the build manifest`);
      keys.add(key);
      chunk.imports?.forEach(visit);
    };
    [entry, ...preloaded, ...pages].forEach(visit);
    let js = 0;
    let raw = 0;
    const css = new Set<string>();
    const files: { file: string; gzip_kib: number }[] = [];
    for (const k of keys) {
      const size = await sizeOf(manifest[k]!.file);
      js += size.gzip;
      raw += size.raw;
      files.push({ file: manifest[k]!.file, gzip_kib: toKib(size.gzip) });
      manifest[k]!.css?.forEach((f) => css.add(f));
    }
    let cssBytes = 0;
    for (const f of css) cssBytes += (await sizeOf(f)).gzip;
    out[name] = {
      initial_js_gzip_kib: toKib(js),
      initial_js_raw_kib: toKib(raw),
      css_gzip_kib: toKib(cssBytes),
      chunks: keys.size,
      largest: files.sort((a, b) => b.gzip_kib - a.gzip_kib).slice(0, 5),
      files: files.map((f) => f.file).sort(),
    };
  }
  return out;
}
