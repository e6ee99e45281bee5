// Every page is its own chunk (lazy routes); the tabs are child routes of AppTabsPage.
import { signInRoute, tabsRoute } from '@ecom/app-kit/routes';
import { createRouter, createWebHistory } from '@ionic/vue-router';
import type { RouteRecordRaw } from 'vue-router';
import { loadInboxMessages, loadOrderMessages, loadRideMessages, loadWalletMessages } from '../i18n/index.ts';
import { redirectSignedIn, requireSignedIn } from './guards.ts';

/** A page that brings its feature's messages (i18n/<feature>/*.json), fetched alongside the page's chunk. */
const withMessages =
  (...loads: Array<() => Promise<void>>) =>
  <T>(page: () => Promise<T>) =>
  (): Promise<T> =>
    Promise.all([page(), ...loads.map((load) => load())]).then(([m]) => m as T);
const withOrderMessages = withMessages(loadOrderMessages);
const withRideMessages = withMessages(loadRideMessages);
const withWalletMessages = withMessages(loadWalletMessages);
const withInboxMessages = withMessages(loadInboxMessages);

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/tabs/home' },
  signInRoute(() => import('../views/AuthSignInPage.vue'), redirectSignedIn),
  tabsRoute(() => import('../views/AppTabsPage.vue'), requireSignedIn, '/tabs/home', [
    { path: 'home', name: 'home', component: () => import('../views/HomeDiscoverPage.vue') },
    { path: 'cart', name: 'cart', component: () => import('../views/CartReviewPage.vue') },
    {
      path: 'orders',
      name: 'orders',
      component: withOrderMessages(() => import('../views/OrderHistoryPage.vue')),
    },
    {
      path: 'profile',
      name: 'profile',
      component: withInboxMessages(() => import('../views/ProfileAccountPage.vue')),
    },
  ]),
  {
    path: '/stores/:slug',
    name: 'store',
    component: () => import('../views/StoreDetailPage.vue'),
    beforeEnter: requireSignedIn,
  },
  {
    path: '/checkout',
    name: 'checkout',
    component: withMessages(
      loadOrderMessages,
      loadWalletMessages,
      loadInboxMessages,
    )(() => import('../views/OrderCheckoutPage.vue')),
    beforeEnter: requireSignedIn,
  },
  {
    path: '/orders/:id',
    name: 'order',
    component: withOrderMessages(() => import('../views/OrderTrackingPage.vue')),
    beforeEnter: requireSignedIn,
  },
  {
    path: '/rides',
    name: 'rides',
    component: withRideMessages(() => import('../views/RideRequestPage.vue')),
    beforeEnter: requireSignedIn,
  },
  {
    path: '/rides/:id',
    name: 'ride',
    component: withRideMessages(() => import('../views/RideTrackingPage.vue')),
    beforeEnter: requireSignedIn,
  },
  {
    path: '/wallet',
    name: 'wallet',
    component: withWalletMessages(() => import('../views/WalletPage.vue')),
    beforeEnter: requireSignedIn,
  },
  {
    path: '/notifications',
    name: 'notifications',
    component: withInboxMessages(() => import('../views/InboxNotificationsPage.vue')),
    beforeEnter: requireSignedIn,
  },
  { path: '/:rest(.*)*', redirect: '/tabs/home' },
];

export const router = createRouter({ history: createWebHistory(import.meta.env.BASE_URL), routes });
