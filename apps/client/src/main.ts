import { IonicVue } from '@ionic/vue';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { loadZones } from './composables/useZone.ts';
import { i18n, restoreLocale } from './i18n/index.ts';
import { router } from './router/index.ts';

// Ionic's required CSS only (no utility sheets we do not use), then our theme.
import '@ionic/vue/css/core.css';
import '@ionic/vue/css/normalize.css';
import '@ionic/vue/css/structure.css';
import '@ionic/vue/css/typography.css';
import '@ionic/vue/css/padding.css';
import './theme.css';

// The zones (for the store list's fallback position and time zone) are asked for while the first route's chunks
// load, not after: one round trip less before home shows its stores on a slow connection.
void loadZones();

const app = createApp(App).use(IonicVue, { mode: 'md', animated: true }).use(createPinia()).use(i18n).use(router);

Promise.all([router.isReady(), restoreLocale()]).then(() => app.mount('#app'));

// The service worker (app shell + last catalogue data) registers after the first screen, never before it.
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  window.addEventListener('load', () => {
    import('virtual:pwa-register').then(({ registerSW }) => registerSW({ immediate: true }));
  });
}
