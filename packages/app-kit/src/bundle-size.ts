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
  css_gzip_kib: number;
  chunks: number;
  files: string[];
}

const toKib = (bytes: number): number => Math.round(bytes / 102.4) / 10;

/** `routes`: route name → the page source files it needs (keys of the manifest, e.g. `src/views/XPage.vue`). */
export async function measureRoutes<R extends string>(
  distDir: string,
  routes: Record<R, readonly string[]>,
): Promise<Record<R, RouteSize>> {
  const manifest = JSON.parse(await readFile(join(distDir, '.vite/manifest.json'), 'utf8')) as Record<string, Chunk>;
  const gzipped = new Map<string, number>();
  const gzipOf = async (file: string): Promise<number> => {
    if (!gzipped.has(file)) gzipped.set(file, gzipSync(await readFile(join(distDir, file)), { level: 9 }).length);
    return gzipped.get(file)!;
  };
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
    const css = new Set<string>();
    for (const k of keys) {
      js += await gzipOf(manifest[k]!.file);
      manifest[k]!.css?.forEach((f) => css.add(f));
    }
    let cssBytes = 0;
    for (const f of css) cssBytes += await gzipOf(f);
    out[name] = {
      initial_js_gzip_kib: toKib(js),
      css_gzip_kib: toKib(cssBytes),
      chunks: keys.size,
      files: [...keys].map((k) => manifest[k]!.file).sort(),
    };
  }
  return out;
}
