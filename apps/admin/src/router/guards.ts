// Small named guards: signed in and staff → the dashboard; signed in but not staff → the refusal page; signed out →
// sign-in (then back where they were going).
import type { RouteLocationNormalized, RouteLocationRaw } from 'vue-router';
import { useSessionStore } from '../stores/session.ts';

export async function requireStaff(to: RouteLocationNormalized): Promise<true | RouteLocationRaw> {
  const session = useSessionStore();
  await session.init();
  if (!session.signedIn) return { name: 'sign-in', query: { redirect: to.fullPath } };
  return session.isStaff ? true : { name: 'refused' };
}

export async function requireNotStaff(): Promise<true | RouteLocationRaw> {
  const session = useSessionStore();
  await session.init();
  if (!session.signedIn) return { name: 'sign-in' };
  return session.isStaff ? { name: 'overview' } : true;
}

export async function redirectSignedIn(): Promise<true | RouteLocationRaw> {
  const session = useSessionStore();
  await session.init();
  if (!session.signedIn) return true;
  return session.isStaff ? { name: 'overview' } : { name: 'refused' };
}
