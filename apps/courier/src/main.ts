import { IonicVue } from '@ionic/vue';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { i18n, restoreLocale } from './i18n/index.ts';
import { router } from './router/index.ts';

import '@ionic/vue/css/core.css';
import '@ionic/vue/css/normalize.css';
import '@ionic/vue/css/structure.css';
import '@ionic/vue/css/typography.css';
import '@ionic/vue/css/padding.css';
import '@ecom/app-kit/staff-theme.css';
import './theme.css';

const app = createApp(App).use(IonicVue, { mode: 'md', animated: true }).use(createPinia()).use(i18n).use(router);

Promise.all([router.isReady(), restoreLocale()]).then(() => app.mount('#app'));

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  window.addEventListener('load', () => {
    import('virtual:pwa-register').then(({ registerSW }) => registerSW({ immediate: true }));
  });
}
