// Every page is its own chunk (lazy routes); the signed-in pages are children of the layout (side navigation), with
// the operations part's routes (ops-routes.ts) spread among them.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { opsRoutes } from '../ops-routes.ts';
import { redirectSignedIn, requireNotStaff, requireStaff } from './guards.ts';

const routes: RouteRecordRaw[] = [
  {
    path: '/sign-in',
    name: 'sign-in',
    component: () => import('../pages/AuthSignInPage.vue'),
    beforeEnter: redirectSignedIn,
  },
  {
    path: '/refused',
    name: 'refused',
    component: () => import('../pages/AuthRefusedPage.vue'),
    beforeEnter: requireNotStaff,
  },
  {
    path: '/',
    component: () => import('../pages/AppLayout.vue'),
    beforeEnter: requireStaff,
    children: [
      { path: '', name: 'overview', component: () => import('../pages/OverviewPage.vue') },
      { path: 'orders', name: 'orders', component: () => import('../pages/OrdersPage.vue') },
      { path: 'orders/:id', name: 'order', component: () => import('../pages/OrderDetailPage.vue') },
      { path: 'rides', name: 'rides', component: () => import('../pages/RidesPage.vue') },
      { path: 'rides/:id', name: 'ride', component: () => import('../pages/RideDetailPage.vue') },
      { path: 'map', name: 'map', component: () => import('../pages/LiveMapPage.vue') },
      { path: 'approvals', name: 'approvals', component: () => import('../pages/ApprovalsPage.vue') },
      { path: 'money', name: 'money', component: () => import('../pages/MoneyPage.vue') },
      { path: 'fees', name: 'fees', component: () => import('../pages/FeesPage.vue') },
      ...opsRoutes,
    ],
  },
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({ history: createWebHistory(import.meta.env.BASE_URL), routes });
