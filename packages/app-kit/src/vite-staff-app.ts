// The Vite configuration the staff apps (merchant, courier) share, built like apps/client's: Vue's and vue-i18n's
// compile-time flags, messages precompiled (no message compiler shipped), an installable PWA whose app shell is
// precached while data is never cached (a queue or an offer must be live or say it is offline; a courier's steps wait
// in their own queue) and photos are CacheFirst, and @ionic/core's per-component modules treated as side-effect free
// so only the components used are kept. Each app gives its name, colour and message files.
import vue from '@vitejs/plugin-vue';
import type { UserConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { precompileMessages } from './vite-i18n-ast.ts';
import { VUE_BUILD_DEFINES, VUE_I18N_RUNTIME_ALIAS } from './vite-vue-flags.ts';

const IONIC_COMPONENT = /[\\/]@ionic[\\/]core[\\/]components[\\/]ion-[a-z-]+\.js$/;

export function staffAppConfig(app: {
  /** The app's message files (`src/i18n/*.json`), precompiled at build. */
  messages: RegExp;
  /** The PWA manifest's words and colour. */
  name: string;
  shortName: string;
  description: string;
  themeColor: string;
}): UserConfig {
  return {
    define: VUE_BUILD_DEFINES,
    resolve: { alias: VUE_I18N_RUNTIME_ALIAS },
    plugins: [
      vue(),
      precompileMessages(app.messages),
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
      manifest: true,
      rolldownOptions: { treeshake: { moduleSideEffects: (id: string) => !IONIC_COMPONENT.test(id) } },
    },
  };
}
