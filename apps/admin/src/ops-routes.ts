// The operations part of the dashboard (users, disputes, configuration beyond delivery fees, exports): its routes
// become children of the signed-in layout and its entries join the side navigation. Its messages live in
// i18n/ops.fr.json (with the app: the navigation needs them) and i18n/ops.en.json (loaded when English is chosen),
// merged into the app's i18n here; the pages live under pages/ops/ and load lazily.
import type { RouteRecordRaw } from 'vue-router';
import { watch } from 'vue';
import { i18n } from './i18n/index.ts';
import opsFr from './i18n/ops.fr.json';

i18n.global.mergeLocaleMessage('fr', opsFr);

let english: Promise<void> | undefined;
/** The English operations messages, merged once (before an ops page shows in English, and on a switch). */
export function ensureOpsMessages(locale: string): Promise<void> {
  if (locale !== 'en') return Promise.resolve();
  english ??= import('./i18n/ops.en.json').then((m) => i18n.global.mergeLocaleMessage('en', m.default));
  return english;
}
watch(i18n.global.locale, (locale) => void ensureOpsMessages(locale), { immediate: true });

const beforeEnter = () => ensureOpsMessages(i18n.global.locale.value).then(() => true);

export const opsRoutes: RouteRecordRaw[] = [
  { path: 'ops/users', name: 'ops-users', component: () => import('./pages/ops/OpsUsersPage.vue'), beforeEnter },
  {
    path: 'ops/disputes',
    name: 'ops-disputes',
    component: () => import('./pages/ops/OpsDisputesPage.vue'),
    beforeEnter,
  },
  {
    path: 'ops/disputes/:id',
    name: 'ops-dispute',
    component: () => import('./pages/ops/OpsDisputePage.vue'),
    props: true,
    beforeEnter,
  },
  { path: 'ops/config', name: 'ops-config', component: () => import('./pages/ops/OpsConfigPage.vue'), beforeEnter },
  { path: 'ops/exports', name: 'ops-exports', component: () => import('./pages/ops/OpsExportsPage.vue'), beforeEnter },
];

/** Side navigation entries: `labelKey` is an i18n key, `icon` a PrimeIcons class (e.g. `pi pi-users`). */
export const opsNav: { path: string; labelKey: string; icon?: string }[] = [
  { path: '/ops/users', labelKey: 'ops.nav.users', icon: 'pi pi-users' },
  { path: '/ops/disputes', labelKey: 'ops.nav.disputes', icon: 'pi pi-flag' },
  { path: '/ops/config', labelKey: 'ops.nav.config', icon: 'pi pi-sliders-h' },
  { path: '/ops/exports', labelKey: 'ops.nav.exports', icon: 'pi pi-download' },
];
