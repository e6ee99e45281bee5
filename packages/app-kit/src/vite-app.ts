// The Vite configuration every Ecom app shares (client, merchant, courier): Vue's and vue-i18n's compile-time flags
// (no devtools, no legacy API; the Options API stays: @ionic/vue's IonTabs defines its element in `created()`),
// messages precompiled (vite-i18n-ast.ts: no message compiler shipped), the page head written from the app's words
// (index.html only holds the mount point), an installable PWA whose app shell is precached and photos are CacheFirst,
// and @ionic/core's per-component modules treated as side-effect free so only the components used are kept.
// Data is never cached unless the app asks (`runtimeCaching`): a queue or an offer must be live or say it is offline.
import vue from '@vitejs/plugin-vue';
import type { Plugin, PluginOption, UserConfig } from 'vite';
import { VitePWA, type VitePWAOptions } from 'vite-plugin-pwa';
import { precompileMessages } from './vite-i18n-ast.ts';
import { VUE_BUILD_DEFINES, VUE_I18N_RUNTIME_ALIAS } from './vite-vue-flags.ts';

// @ionic/core declares no "sideEffects", so every component module @ionic/vue imports would be kept (1.1 MB). The
// per-component entry files only define classes and export defineCustomElement(), which @ionic/vue calls when a
// component is used: treating them as pure keeps only the components an app uses.
const IONIC_COMPONENT = /[\\/]@ionic[\\/]core[\\/]components[\\/]ion-[a-z-]+\.js$/;

type RuntimeCaching = NonNullable<NonNullable<VitePWAOptions['workbox']>['runtimeCaching']>;

export interface AppBuild {
  /** The app's message files (`src/i18n/*.json`), precompiled at build. */
  messages: RegExp;
  /** The PWA manifest's and the page head's words and colour (the page title is `shortName`). */
  name: string;
  shortName: string;
  description: string;
  themeColor: string;
  /** Caching rules tried before the photos' (e.g. the client's catalogue reads). */
  runtimeCaching?: RuntimeCaching;
  /** More build plugins (e.g. the client's first-route preload). */
  plugins?: PluginOption[];
}

/** The page head every app shows: title, description, colour, icons, and a word for phones without JavaScript. */
function pageHead(app: AppBuild): Plugin {
  const meta = (name: string, content: string) => ({
    tag: 'meta',
    attrs: { name, content },
    injectTo: 'head' as const,
  });
  const link = (rel: string, href: string, type?: string) => ({
    tag: 'link',
    attrs: { rel, href, ...(type ? { type } : {}) },
    injectTo: 'head' as const,
  });
  return {
    name: 'ecom:page-head',
    transformIndexHtml: () => [
      { tag: 'title', children: app.shortName, injectTo: 'head' },
      meta('viewport', 'width=device-width, initial-scale=1, viewport-fit=cover'),
      meta('description', app.description),
      meta('theme-color', app.themeColor),
      meta('format-detection', 'telephone=no'),
      link('icon', '/icons/icon-192.png', 'image/png'),
      link('apple-touch-icon', '/icons/apple-touch-icon.png'),
      {
        tag: 'noscript',
        children: `${app.shortName} a besoin de JavaScript. / ${app.shortName} needs JavaScript.`,
        injectTo: 'body',
      },
    ],
  };
}

export function appConfig(app: AppBuild): UserConfig {
  return {
    define: VUE_BUILD_DEFINES,
    resolve: { alias: VUE_I18N_RUNTIME_ALIAS },
    plugins: [
      vue(),
      precompileMessages(app.messages),
      pageHead(app),
      ...(app.plugins ?? []),
      VitePWA({
        registerType: 'autoUpdate',
        injectRegister: null,
        manifest: {
          name: app.name,
          short_name: app.shortName,
          description: app.description,
          lang: 'fr',
          start_url: '/',
          display: 'standalone',
          background_color: '#ffffff',
          theme_color: app.themeColor,
          icons: [
            { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
            { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
            { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          ],
        },
        workbox: {
          globPatterns: ['**/*.{js,css,html,png,svg,webmanifest}'],
          navigateFallback: '/index.html',
          cleanupOutdatedCaches: true,
          runtimeCaching: [
            ...(app.runtimeCaching ?? []),
            {
              urlPattern: ({ url }) => url.pathname.startsWith('/storage/v1/object/public/'),
              handler: 'CacheFirst',
              options: {
                cacheName: 'photos',
                expiration: { maxEntries: 300, maxAgeSeconds: 30 * 24 * 3600 },
                cacheableResponse: { statuses: [200] },
              },
            },
          ],
        },
      }),
    ],
    build: {
      target: 'es2020',
      sourcemap: false,
      reportCompressedSize: false,
      // dist/.vite/manifest.json: the chunk graph the first-screen measure reads (bundle-size.ts).
      manifest: true,
      rolldownOptions: { treeshake: { moduleSideEffects: (id: string) => !IONIC_COMPONENT.test(id) } },
    },
  };
}
