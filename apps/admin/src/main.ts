import Aura from '@primeuix/themes/aura';
import { createPinia } from 'pinia';
import PrimeVue from 'primevue/config';
import { createApp } from 'vue';
import App from './App.vue';
import { i18n, restoreLocale } from './i18n/index.ts';
import { router } from './router/index.ts';

import 'primeicons/primeicons.css';
import './theme.css';

// PrimeVue in styled mode with its Aura theme (light only: an office laptop in daylight).
const app = createApp(App)
  .use(PrimeVue, { theme: { preset: Aura, options: { darkModeSelector: false, cssLayer: false } } })
  .use(createPinia())
  .use(i18n)
  .use(router);

Promise.all([router.isReady(), restoreLocale()]).then(() => app.mount('#app'));
