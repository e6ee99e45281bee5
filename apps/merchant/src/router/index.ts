// Every page is its own chunk (lazy routes); the four tabs are child routes of AppTabsPage.
import { signInRoute, tabsRoute } from '@ecom/app-kit/routes';
import { createRouter, createWebHistory } from '@ionic/vue-router';
import type { RouteRecordRaw } from 'vue-router';
import { withPageMessages } from '../i18n/index.ts';
import { redirectSignedIn, requireSignedIn } from './guards.ts';

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/tabs/orders' },
  signInRoute(() => import('../views/AuthSignInPage.vue'), redirectSignedIn),
  tabsRoute(() => import('../views/AppTabsPage.vue'), requireSignedIn, '/tabs/orders', [
    { path: 'orders', name: 'queue', component: () => import('../views/OrderQueuePage.vue') },
    {
      path: 'catalogue',
      name: 'catalogue',
      component: () => withPageMessages(import('../views/CatalogueListPage.vue')),
    },
    { path: 'store', name: 'store', component: () => import('../views/StoreControlsPage.vue') },
    { path: 'money', name: 'money', component: () => import('../views/MoneyWalletPage.vue') },
  ]),
  {
    path: '/orders/:id',
    name: 'order',
    component: () => import('../views/OrderDetailPage.vue'),
    beforeEnter: requireSignedIn,
  },
  {
    path: '/products/:id',
    name: 'product',
    component: () => withPageMessages(import('../views/ProductEditPage.vue')),
    beforeEnter: requireSignedIn,
  },
  {
    path: '/customers',
    name: 'customers',
    component: () => withPageMessages(import('../views/SalesCustomersPage.vue')),
    beforeEnter: requireSignedIn,
  },
  {
    path: '/apply',
    name: 'apply',
    component: () => withPageMessages(import('../views/StoreApplyPage.vue')),
    beforeEnter: requireSignedIn,
  },
  { path: '/:rest(.*)*', redirect: '/tabs/orders' },
];

export const router = createRouter({ history: createWebHistory(import.meta.env.BASE_URL), routes });
