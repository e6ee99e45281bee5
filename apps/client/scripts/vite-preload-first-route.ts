// Vite plugin: the returning visitor's first screen (home, inside the tabs) is a lazy route, so its chunks were only
// requested after the entry had downloaded and run — one more round trip, ~1.2 s on Slow 4G (bench/client.ts
// `slow_4g`). This adds <link rel="modulepreload"> for those pages and their static imports (and a preload of their
// CSS) to index.html, so the phone fetches them alongside the entry. The JavaScript is the same that the first
// screen already counts in its budget (scripts/size.ts); only the timing changes.
import type { Plugin } from 'vite';

interface BundleChunk {
  type: 'chunk';
  fileName: string;
  facadeModuleId: string | null;
  imports: string[];
  viteMetadata?: { importedCss: Set<string> };
}

export function preloadFirstRoute(pages: readonly string[]): Plugin {
  return {
    name: 'ecom:preload-first-route',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        const chunks = Object.values(bundle).filter((o): o is never => o.type === 'chunk') as BundleChunk[];
        const byFile = new Map(chunks.map((c) => [c.fileName, c]));
        const roots = pages.map((page) => {
          const chunk = chunks.find((c) => c.facadeModuleId?.replace(/\\/g, '/').endsWith(page));
          if (!chunk) throw new Error(`preload-first-route: no chunk for ${page}`);
          return chunk;
        });
        const js = new Set<string>();
        const css = new Set<string>();
        const visit = (chunk: BundleChunk): void => {
          if (js.has(chunk.fileName)) return;
          js.add(chunk.fileName);
          chunk.viteMetadata?.importedCss.forEach((f) => css.add(f));
          chunk.imports.forEach((f) => {
            const next = byFile.get(f);
            if (next) visit(next);
          });
        };
        roots.forEach(visit);
        // What index.html already loads (the entry and its static imports) needs no second hint.
        const linked = [...js].filter((f) => !html.includes(`/${f}"`));
        return [
          ...linked.map((f) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `/${f}` },
            injectTo: 'head' as const,
          })),
          ...[...css]
            .filter((f) => !html.includes(`/${f}"`))
            .map((f) => ({
              tag: 'link',
              attrs: { rel: 'preload', as: 'style', href: `/${f}` },
              injectTo: 'head' as const,
            })),
        ];
      },
    },
  };
}
