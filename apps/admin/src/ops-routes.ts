// The operations part of the dashboard (users, disputes, configuration beyond delivery fees, exports): its routes
// become children of the signed-in layout and its entries join the side navigation. Its messages live in
// i18n/ops.fr.json, merged here at start (the navigation needs them), and i18n/ops.en.json, which the core's
// setLocale loads with its own English before switching. The pages live under pages/ops/ and load lazily.
import type { RouteRecordRaw } from 'vue-router';
import { i18n } from './i18n/index.ts';
import opsFr from './i18n/ops.fr.json';

i18n.global.mergeLocaleMessage('fr', opsFr);

export const opsRoutes: RouteRecordRaw[] = [
  { path: 'ops/users', name: 'ops-users', component: () => import('./pages/ops/OpsUsersPage.vue') },
  {
    path: 'ops/disputes',
    name: 'ops-disputes',
    component: () => import('./pages/ops/OpsDisputesPage.vue'),
  },
  {
    path: 'ops/disputes/:id',
    name: 'ops-dispute',
    component: () => import('./pages/ops/OpsDisputePage.vue'),
    props: true,
  },
  { path: 'ops/config', name: 'ops-config', component: () => import('./pages/ops/OpsConfigPage.vue') },
  { path: 'ops/exports', name: 'ops-exports', component: () => import('./pages/ops/OpsExportsPage.vue') },
];

/** Side navigation entries: `labelKey` is an i18n key, `icon` a PrimeIcons class (e.g. `pi pi-users`). */
export const opsNav: { path: string; labelKey: string; icon?: string }[] = [
  { path: '/ops/users', labelKey: 'ops.nav.users', icon: 'pi pi-users' },
  { path: '/ops/disputes', labelKey: 'ops.nav.disputes', icon: 'pi pi-flag' },
  { path: '/ops/config', labelKey: 'ops.nav.config', icon: 'pi pi-sliders-h' },
  { path: '/ops/exports', labelKey: 'ops.nav.exports', icon: 'pi pi-download' },
];
