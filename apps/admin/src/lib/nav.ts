// The side navigation: the core pages, then the operations part's entries (ops-routes.ts).
import { opsNav } from '../ops-routes.ts';

export interface NavEntry {
  path: string;
  /** An i18n key. */
  labelKey: string;
  /** A PrimeIcons class. */
  icon?: string;
}

export const coreNav: NavEntry[] = [
  { path: '/', labelKey: 'nav.overview', icon: 'pi pi-chart-bar' },
  { path: '/orders', labelKey: 'nav.orders', icon: 'pi pi-shopping-bag' },
  { path: '/rides', labelKey: 'nav.rides', icon: 'pi pi-car' },
  { path: '/map', labelKey: 'nav.map', icon: 'pi pi-map-marker' },
  { path: '/approvals', labelKey: 'nav.approvals', icon: 'pi pi-verified' },
  { path: '/money', labelKey: 'nav.money', icon: 'pi pi-wallet' },
  { path: '/fees', labelKey: 'nav.fees', icon: 'pi pi-sliders-h' },
];

export const nav: NavEntry[] = [...coreNav, ...opsNav];
