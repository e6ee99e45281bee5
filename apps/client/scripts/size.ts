// What a phone downloads for the client's first screen, from the built chunk graph (dist/.vite/manifest.json):
// the entry chunk and its static imports, what index.html preloads, plus the lazy chunks of the first route and
// their static imports.
// Sizes are gzip -9 of the files as served. `node scripts/size.ts` prints JSON; bench/client.ts and the
// bundle-size test use measureBundle().
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

/** The initial-JS budget (DESIGN.md §11, performance-and-reliability.md B9). */
export const INITIAL_JS_BUDGET_KIB = 170;

/** The pages each first screen needs: a new visitor lands on sign-in, a returning one on home (in the tabs). */
export const FIRST_ROUTES = {
  sign_in: ['src/views/AuthSignInPage.vue'],
  home: ['src/views/AppTabsPage.vue', 'src/views/HomeDiscoverPage.vue'],
} as const;

const kib = (bytes: number): number => Math.round((bytes / 1024) * 10) / 10;

export async function measureBundle(distDir: string) {
  const manifest = JSON.parse(await readFile(join(distDir, '.vite/manifest.json'), 'utf8')) as Manifest;
  const gz = new Map<string, { raw: number; gzip: number }>();
  async function sizeOf(file: string) {
    let s = gz.get(file);
    if (!s) {
      const buf = await readFile(join(distDir, file));
      s = { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
      gz.set(file, s);
    }
    return s;
  }
  function closure(keys: readonly string[]): Set<string> {
    const seen = new Set<string>();
    const visit = (key: string): void => {
      if (seen.has(key)) return;
      const chunk = manifest[key];
      if (!chunk) throw new Error(`${key} is not in the build manifest`);
      seen.add(key);
      for (const i of chunk.imports ?? []) visit(i);
    };
    keys.forEach(visit);
    return seen;
  }
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
  if (!entry) throw new Error('no entry chunk in the build manifest');

  // index.html may ask for more than the entry (scripts/vite-preload-first-route.ts): every visitor downloads those.
  const indexHtml = await readFile(join(distDir, 'index.html'), 'utf8');
  const preloaded = [...indexHtml.matchAll(/<link rel="modulepreload"[^>]*href="\/([^"]+)"/g)].map((m) => m[1]!);
  const preloadedKeys = Object.keys(manifest).filter((k) => preloaded.includes(manifest[k]!.file));

  async function route(pages: readonly string[]) {
    const keys = closure([entry!, ...preloadedKeys, ...pages]);
    let js = 0;
    let jsRaw = 0;
    let css = 0;
    const files: { file: string; gzip_kib: number }[] = [];
    const cssFiles = new Set<string>();
    for (const k of keys) {
      const c = manifest[k]!;
      const s = await sizeOf(c.file);
      js += s.gzip;
      jsRaw += s.raw;
      files.push({ file: c.file, gzip_kib: kib(s.gzip) });
      for (const f of c.css ?? []) cssFiles.add(f);
    }
    for (const f of cssFiles) css += (await sizeOf(f)).gzip;
    files.sort((a, b) => b.gzip_kib - a.gzip_kib);
    return {
      initial_js_gzip_kib: kib(js),
      initial_js_raw_kib: kib(jsRaw),
      css_gzip_kib: kib(css),
      chunks: files.length,
      largest: files.slice(0, 5),
      files: files.map((f) => f.file).sort(),
    };
  }

  let allJs = 0;
  for (const c of Object.values(manifest)) if (c.file.endsWith('.js')) allJs += (await sizeOf(c.file)).gzip;
  const html = await sizeOf('index.html');
  return {
    budget_initial_js_gzip_kib: INITIAL_JS_BUDGET_KIB,
    html_gzip_kib: kib(html.gzip),
    routes: {
      sign_in: await route(FIRST_ROUTES.sign_in),
      home: await route(FIRST_ROUTES.home),
    },
    all_js_gzip_kib: kib(allJs),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dist = new URL('../dist', import.meta.url).pathname;
  console.log(JSON.stringify(await measureBundle(dist), null, 2));
}
