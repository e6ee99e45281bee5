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

/** The duty screen and the job pages are for approved couriers: others see the onboarding or their status. */
export async function requireApprovedCourier(to: RouteLocationNormalized): Promise<true | RouteLocationRaw> {
  const signedIn = await requireSignedIn(to);
  if (signedIn !== true) return signedIn;
  const courier = await useSessionStore().loadCourier();
  if (courier === null) return { name: 'apply' };
  if (courier && courier.approval_status !== 'approved') return { name: 'status' };
  return true;
}

/** The onboarding is for people who are not couriers yet. */
export async function requireNotCourier(to: RouteLocationNormalized): Promise<true | RouteLocationRaw> {
  const signedIn = await requireSignedIn(to);
  if (signedIn !== true) return signedIn;
  const courier = await useSessionStore().loadCourier();
  return courier ? { name: 'status' } : true;
}

/** The review status is for people who applied. */
export async function requireApplied(to: RouteLocationNormalized): Promise<true | RouteLocationRaw> {
  const signedIn = await requireSignedIn(to);
  if (signedIn !== true) return signedIn;
  const courier = await useSessionStore().loadCourier();
  return courier === null ? { name: 'apply' } : true;
}
