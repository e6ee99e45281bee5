// The routes every app's router has (lazy pages, small named guards, STYLE rule 19): `/sign-in` for the signed-out
// (the app's guard sends the signed-in home), and the tab page for the signed-in with its tabs as child routes.
import type { NavigationGuardWithThis, RouteRecordRaw, RouteRecordSingleView } from 'vue-router';

type Page = RouteRecordSingleView['component'];
type Guard = NavigationGuardWithThis<undefined>;

export function signInRoute(page: Page, redirectSignedIn: Guard): RouteRecordRaw {
  return { path: '/sign-in', name: 'sign-in', component: page, beforeEnter: redirectSignedIn };
}

/** `/tabs/<child>`: `/tabs/` itself goes to `home`. */
export function tabsRoute(page: Page, requireSignedIn: Guard, home: string, tabs: RouteRecordRaw[]): RouteRecordRaw {
  return {
    path: '/tabs/',
    component: page,
    beforeEnter: requireSignedIn,
    children: [{ path: '', redirect: home }, ...tabs],
  };
}
