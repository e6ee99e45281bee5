// Every page is its own chunk (lazy routes): sign-in, the duty screen (online switch, map, offers), a job, earnings,
// documents, the onboarding and its review status, payouts, the cash deposit, the history. The duty screen and the
// jobs are for approved couriers (requireApprovedCourier sends the others to the onboarding or their status).
import { signInRoute } from '@ecom/app-kit/routes';
import { createRouter, createWebHistory } from '@ionic/vue-router';
import type { RouteRecordRaw } from 'vue-router';
import { loadPageMessages } from '../i18n/index.ts';
import {
  redirectSignedIn,
  requireApplied,
  requireApprovedCourier,
  requireNotCourier,
  requireSignedIn,
} from './guards.ts';

const routes: RouteRecordRaw[] = [
  {
    path: '/',
    name: 'home',
    component: () => import('../views/DutyHomePage.vue'),
    beforeEnter: requireApprovedCourier,
  },
  {
    path: '/apply',
    name: 'apply',
    component: () => import('../views/ApplyWizardPage.vue'),
    meta: { pageMessages: true },
    beforeEnter: requireNotCourier,
  },
  {
    path: '/status',
    name: 'status',
    component: () => import('../views/ApplyStatusPage.vue'),
    meta: { pageMessages: true },
    beforeEnter: requireApplied,
  },
  {
    path: '/payouts',
    name: 'payouts',
    component: () => import('../views/MoneyPayoutPage.vue'),
    meta: { pageMessages: true },
    beforeEnter: requireApplied,
  },
  {
    path: '/cash-deposit',
    name: 'cash-deposit',
    component: () => import('../views/MoneyCashDepositPage.vue'),
    meta: { pageMessages: true },
    beforeEnter: requireApplied,
  },
  {
    path: '/history',
    name: 'history',
    component: () => import('../views/JobHistoryPage.vue'),
    meta: { pageMessages: true },
    beforeEnter: requireApplied,
  },
  signInRoute(() => import('../views/AuthSignInPage.vue'), redirectSignedIn),
  {
    path: '/jobs/:kind(order|ride)/:id',
    name: 'job',
    component: () => import('../views/JobActivePage.vue'),
    // A courier suspended mid-job still finishes it.
    beforeEnter: requireApplied,
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

// The words of the onboarding and money pages arrive with them, before they render.
router.beforeResolve(async (to) => {
  if (to.meta.pageMessages) await loadPageMessages();
});
