import { defineConfig } from 'vite';
import { appConfig } from '@ecom/app-kit/vite-app';

// The courier app (docs/courier.md): every Ecom app's build (@ecom/app-kit/vite-app) with its name,
// colour and messages.
export default defineConfig(
  appConfig({
    messages: /[\\/]apps[\\/]courier[\\/]src[\\/]i18n[\\/](?:pages[\\/])?[a-z]+\.json$/,
    name: 'Ecom Coursier',
    shortName: 'Ecom Livreur',
    description: 'Livraisons et courses à Tiassalé : recevez les offres, suivez les étapes, même sans réseau.',
    themeColor: '#0b5d3b',
  }),
);
