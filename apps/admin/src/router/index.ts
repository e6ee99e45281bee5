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
    children: [{ path: '', name: 'overview', component: () => import('../pages/OverviewPage.vue') }, ...opsRoutes],
  },
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({ history: createWebHistory(import.meta.env.BASE_URL), routes });
