// Every page is its own chunk (lazy routes); the tabs are child routes of AppTabsPage.
import { createRouter, createWebHistory } from '@ionic/vue-router';
import type { RouteRecordRaw } from 'vue-router';
import { loadMessageBundle, loadOrderMessages, type MessageBundle } from '../i18n/index.ts';
import { redirectSignedIn, requireSignedIn } from './guards.ts';

/** Order pages bring their messages (i18n/orders/*.json), fetched alongside the page's chunk. */
const withOrderMessages =
  <T>(page: () => Promise<T>) =>
  (): Promise<T> =>
    Promise.all([page(), loadOrderMessages()]).then(([m]) => m);

/** Wallet pages (and mobile money at checkout) bring i18n/wallet/*.json the same way. */
const WALLET_MESSAGES: MessageBundle = {
  fr: () => import('../i18n/wallet/fr.json'),
  en: () => import('../i18n/wallet/en.json'),
};
const withWalletMessages =
  <T>(page: () => Promise<T>) =>
  (): Promise<T> =>
    Promise.all([page(), loadMessageBundle(WALLET_MESSAGES)]).then(([m]) => m);

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/tabs/home' },
  {
    path: '/sign-in',
    name: 'sign-in',
    component: () => import('../views/AuthSignInPage.vue'),
    beforeEnter: redirectSignedIn,
  },
  {
    path: '/tabs/',
    component: () => import('../views/AppTabsPage.vue'),
    beforeEnter: requireSignedIn,
    children: [
      { path: '', redirect: '/tabs/home' },
      { path: 'home', name: 'home', component: () => import('../views/HomeDiscoverPage.vue') },
      { path: 'cart', name: 'cart', component: () => import('../views/CartReviewPage.vue') },
      {
        path: 'orders',
        name: 'orders',
        component: withOrderMessages(() => import('../views/OrderHistoryPage.vue')),
      },
      { path: 'profile', name: 'profile', component: () => import('../views/ProfileAccountPage.vue') },
    ],
  },
  {
    path: '/stores/:slug',
    name: 'store',
    component: () => import('../views/StoreDetailPage.vue'),
    beforeEnter: requireSignedIn,
  },
  {
    path: '/checkout',
    name: 'checkout',
    component: withOrderMessages(withWalletMessages(() => import('../views/OrderCheckoutPage.vue'))),
    beforeEnter: requireSignedIn,
  },
  {
    path: '/orders/:id',
    name: 'order',
    component: withOrderMessages(() => import('../views/OrderTrackingPage.vue')),
    beforeEnter: requireSignedIn,
  },
  {
    path: '/wallet',
    name: 'wallet',
    component: withWalletMessages(() => import('../views/WalletPage.vue')),
    beforeEnter: requireSignedIn,
  },
  {
    path: '/soon/:service(rides)',
    name: 'soon',
    component: () => import('../views/ServiceSoonPage.vue'),
    beforeEnter: requireSignedIn,
  },
  { path: '/:rest(.*)*', redirect: '/tabs/home' },
];

export const router = createRouter({ history: createWebHistory(import.meta.env.BASE_URL), routes });
