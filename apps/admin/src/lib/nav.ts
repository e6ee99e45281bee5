// The side navigation: the core pages, then the operations part's entries (ops-routes.ts).
import { opsNav } from '../ops-routes.ts';

export interface NavEntry {
  path: string;
  /** An i18n key. */
  labelKey: string;
  /** A PrimeIcons class. */
  icon?: string;
}

export const coreNav: NavEntry[] = [{ path: '/', labelKey: 'nav.overview', icon: 'pi pi-chart-bar' }];

export const nav: NavEntry[] = [...coreNav, ...opsNav];
