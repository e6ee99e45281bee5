// Small named guards (STYLE rule 19).
import type { RouteLocationNormalized, RouteLocationRaw } from 'vue-router';
import { useSessionStore } from '../stores/session.ts';

export async function requireSignedIn(to: RouteLocationNormalized): Promise<true | RouteLocationRaw> {
  const session = useSessionStore();
  await session.init();
  return session.signedIn ? true : { name: 'sign-in', query: { redirect: to.fullPath } };
}

export async function redirectSignedIn(): Promise<true | RouteLocationRaw> {
  const session = useSessionStore();
  await session.init();
  return session.signedIn ? { name: 'home' } : true;
}
