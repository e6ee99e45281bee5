// Small named guards (STYLE rule 19).
import type { RouteLocationNormalized, RouteLocationRaw } from 'vue-router';
import { useSessionStore } from '../stores/session.ts';

/** Pages of a signed-in customer: others go to sign-in and come back after. */
export async function requireSignedIn(to: RouteLocationNormalized): Promise<true | RouteLocationRaw> {
  const session = useSessionStore();
  await session.init();
  return session.signedIn ? true : { name: 'sign-in', query: { redirect: to.fullPath } };
}

/** Sign-in is pointless once signed in. */
export async function redirectSignedIn(): Promise<true | RouteLocationRaw> {
  const session = useSessionStore();
  await session.init();
  return session.signedIn ? { name: 'home' } : true;
}
