import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { FIRST_ROUTES } from './scripts/size.ts';
import { i18nAst } from './scripts/vite-i18n-ast.ts';
import { preloadFirstRoute } from './scripts/vite-preload-first-route.ts';

const IONIC_COMPONENT = /[\\/]@ionic[\\/]core[\\/]components[\\/]ion-[a-z-]+\.js$/;

// Installable PWA: the app shell is precached; catalogue reads (PostgREST GETs) are NetworkFirst with a 3 s timeout
// so a lying connection falls back to the last data seen; photos are CacheFirst. Nothing is loaded from a CDN.
export default defineConfig({
  // Compile-time flags: no devtools; vue-i18n without legacy API or global components. Vue's Options API stays:
  // @ionic/vue's IonTabs defines its custom element in a `created()` hook.
  define: {
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __INTLIFY_JIT_COMPILATION__: 'true',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'true',
  },
  // Messages arrive precompiled (scripts/vite-i18n-ast.ts): the runtime build has no message compiler.
  resolve: { alias: { 'vue-i18n': 'vue-i18n/dist/vue-i18n.runtime.esm-bundler.js' } },
  plugins: [
    vue(),
    i18nAst(/[\\/]src[\\/]i18n[\\/]([a-z]+[\\/])?[a-z]+\.json$/),
    // A returning visitor lands on home: its lazy chunks are fetched with the entry, not after it.
    preloadFirstRoute(FIRST_ROUTES.home),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: null,
      manifest: {
        name: 'Ecom — Tiassalé',
        short_name: 'Ecom',
        description: 'Repas, boutiques, courses et portefeuille à Tiassalé.',
        lang: 'fr',
        start_url: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#0b7a4b',
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
          {
            urlPattern: ({ url, request }) => request.method === 'GET' && url.pathname.startsWith('/rest/v1/'),
            handler: 'NetworkFirst',
            options: {
              cacheName: 'catalogue',
              networkTimeoutSeconds: 3,
              expiration: { maxEntries: 200, maxAgeSeconds: 7 * 24 * 3600 },
              cacheableResponse: { statuses: [200] },
            },
          },
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
    // dist/.vite/manifest.json: the chunk graph scripts/size.ts reads.
    manifest: true,
    rolldownOptions: {
      treeshake: {
        // @ionic/core declares no "sideEffects", so every component module @ionic/vue imports was kept (1.1 MB).
        // The per-component entry files only define classes and export defineCustomElement(), which @ionic/vue
        // calls when a component is used; treating them as pure keeps only the components we use.
        moduleSideEffects: (id: string) => !IONIC_COMPONENT.test(id),
      },
    },
  },
});
