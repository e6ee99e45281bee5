// The operations part of the dashboard (users, disputes, configuration beyond delivery fees, exports) plugs in here:
// its routes become children of the signed-in layout and its entries join the side navigation. Owned by the
// operations work (pages under src/pages/ops/); the core app only spreads these two lists.
import type { RouteRecordRaw } from 'vue-router';

export const opsRoutes: RouteRecordRaw[] = [];

/** Side navigation entries: `labelKey` is an i18n key, `icon` a PrimeIcons class (e.g. `pi pi-users`). */
export const opsNav: { path: string; labelKey: string; icon?: string }[] = [];
