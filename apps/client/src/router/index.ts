// Every page is its own chunk (lazy routes); the tabs are child routes of AppTabsPage.
import { createRouter, createWebHistory } from '@ionic/vue-router';
import type { RouteRecordRaw } from 'vue-router';
import { loadInboxMessages, loadOrderMessages } from '../i18n/index.ts';
import { redirectSignedIn, requireSignedIn } from './guards.ts';

/** Some pages bring their messages (i18n/orders/*.json, i18n/inbox/*.json), fetched alongside the page's chunk. */
const withMessages =
  (...messages: Array<() => Promise<void>>) =>
  <T>(page: () => Promise<T>) =>
  (): Promise<T> =>
    Promise.all([page(), ...messages.map((load) => load())]).then(([m]) => m);
const withOrderMessages = withMessages(loadOrderMessages);
const withInboxMessages = withMessages(loadInboxMessages);

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
      {
        path: 'profile',
        name: 'profile',
        component: withInboxMessages(() => import('../views/ProfileAccountPage.vue')),
      },
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
    component: withMessages(loadOrderMessages, loadInboxMessages)(() => import('../views/OrderCheckoutPage.vue')),
    beforeEnter: requireSignedIn,
  },
  {
    path: '/orders/:id',
    name: 'order',
    component: withOrderMessages(() => import('../views/OrderTrackingPage.vue')),
    beforeEnter: requireSignedIn,
  },
  {
    path: '/notifications',
    name: 'notifications',
    component: withInboxMessages(() => import('../views/InboxNotificationsPage.vue')),
    beforeEnter: requireSignedIn,
  },
  {
    path: '/soon/:service(rides|wallet)',
    name: 'soon',
    component: () => import('../views/ServiceSoonPage.vue'),
    beforeEnter: requireSignedIn,
  },
  { path: '/:rest(.*)*', redirect: '/tabs/home' },
];

export const router = createRouter({ history: createWebHistory(import.meta.env.BASE_URL), routes });
