import { defineConfig } from 'vite';
import { appConfig } from '@ecom/app-kit/vite-app';

// The merchant app (docs/merchant.md): every Ecom app's build (@ecom/app-kit/vite-app) with its name,
// colour and messages (the first screen's and the later pages', *.fr.json / *.en.json).
export default defineConfig(
  appConfig({
    messages: /[\\/]apps[\\/]merchant[\\/]src[\\/]i18n[\\/][a-z.]+\.json$/,
    name: 'Ecom Marchand',
    shortName: 'Ecom Pro',
    description: 'Recevez et préparez les commandes de votre boutique à Tiassalé.',
    themeColor: '#7a3e0b',
  }),
);
