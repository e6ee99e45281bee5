// Every page is its own chunk (lazy routes): sign-in, the duty screen (online switch, map, offers), a job, earnings,
// documents.
import { signInRoute } from '@ecom/app-kit/routes';
import { createRouter, createWebHistory } from '@ionic/vue-router';
import type { RouteRecordRaw } from 'vue-router';
import { redirectSignedIn, requireSignedIn } from './guards.ts';

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('../views/DutyHomePage.vue'), beforeEnter: requireSignedIn },
  signInRoute(() => import('../views/AuthSignInPage.vue'), redirectSignedIn),
  {
    path: '/jobs/:kind(order|ride)/:id',
    name: 'job',
    component: () => import('../views/JobActivePage.vue'),
    beforeEnter: requireSignedIn,
  },
  {
    path: '/earnings',
    name: 'earnings',
    component: () => import('../views/MoneyEarningsPage.vue'),
    beforeEnter: requireSignedIn,
  },
  {
    path: '/documents',
    name: 'documents',
    component: () => import('../views/DocumentListPage.vue'),
    beforeEnter: requireSignedIn,
  },
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({ history: createWebHistory(import.meta.env.BASE_URL), routes });
