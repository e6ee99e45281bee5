import { appConfig } from '@ecom/app-kit/vite-app';
import { defineConfig } from 'vite';
import { FIRST_ROUTES } from './scripts/size.ts';
import { preloadFirstRoute } from './scripts/vite-preload-first-route.ts';

// The customer app: every Ecom app's build (@ecom/app-kit/vite-app: flags, precompiled messages, page head, PWA with
// CacheFirst photos, Ionic tree-shaking) with its name, colour and messages, plus two things of its own: catalogue
// reads (PostgREST GETs) are NetworkFirst with a 3 s timeout so a lying connection falls back to the last data seen,
// and the returning visitor's first route is preloaded with the entry. Nothing is loaded from a CDN.
export default defineConfig(
  appConfig({
    messages: /[\\/]src[\\/]i18n[\\/]([a-z]+[\\/])?[a-z]+\.json$/,
    name: 'Ecom — Tiassalé',
    shortName: 'Ecom',
    description: 'Repas, boutiques, courses et portefeuille à Tiassalé.',
    themeColor: '#0b7a4b',
    plugins: [preloadFirstRoute(FIRST_ROUTES.home)],
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
    ],
  }),
);
