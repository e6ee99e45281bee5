import { defineConfig } from 'vite';
import { staffAppConfig } from '@ecom/app-kit/vite-staff-app';

// The courier app (docs/courier.md): the staff apps' shared build (@ecom/app-kit/vite-staff-app) with its name,
// colour and messages.
export default defineConfig(
  staffAppConfig({
    messages: /[\\/]apps[\\/]courier[\\/]src[\\/]i18n[\\/](?:pages[\\/])?[a-z]+\.json$/,
    name: 'Ecom Coursier',
    shortName: 'Ecom Livreur',
    description: 'Livraisons et courses à Tiassalé : recevez les offres, suivez les étapes, même sans réseau.',
    themeColor: '#0b5d3b',
  }),
);
