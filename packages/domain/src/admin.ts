// The admin dashboard's pure rules (docs/admin.md): who counts as staff from the access token's `user_roles` claim
// (copied from public.user_roles by the Custom Access Token Hook, supabase/migrations/*_create_identity.sql), and
// whether that role may change things or only look.

/** The staff roles the dashboard knows, strongest first. */
export type StaffRole = 'admin' | 'support';

/**
 * The roles that open the dashboard, strongest first. `support` (read-only) exists in the database since
 * 20261121203100_add_support_role (it reads what admins read; every write refuses it).
 */
export const STAFF_ROLES: readonly StaffRole[] = ['admin', 'support'];

/** The claims of a JWT (its payload, base64url JSON), or null when it is not one. Decoding only: no signature check. */
export function tokenClaims(accessToken: string | null | undefined): Record<string, unknown> | null {
  const payload = accessToken?.split('.')[1];
  if (!payload) return null;
  try {
    const base64 = payload
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(payload.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The role names in the token's `user_roles` claim (empty when absent or malformed). */
export function tokenRoles(accessToken: string | null | undefined): string[] {
  const roles = tokenClaims(accessToken)?.user_roles;
  return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
}

/**
 * The strongest staff role a signed-in person holds, or null (a customer, merchant or courier only). The UI uses it
 * to let people in and to hide write actions; the database decides again on every call (RLS, `private.is_admin()`).
 */
export function staffRole(session: { access_token: string } | null | undefined): StaffRole | null {
  const roles = tokenRoles(session?.access_token);
  return STAFF_ROLES.find((r) => roles.includes(r)) ?? null;
}

/** Only admins change things; support looks. */
export function canWrite(role: StaffRole | null): boolean {
  return role === 'admin';
}

// The short number of an order or a ride is the one every app shows (`@ecom/domain/order`).
export { shortId } from './order.ts';

export type OverviewPeriod = 'today' | '7d' | '30d';

/**
 * The overview's period ending now: today (hourly) or the last 7 / 30 days (daily, from midnight). Days are UTC days,
 * which are Côte d'Ivoire's and Togo's (UTC+0 all year, Africa/Abidjan and Africa/Lome).
 */
export function overviewPeriod(period: OverviewPeriod, now: Date): { from: Date; to: Date; bucket: 'hour' | 'day' } {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const to = new Date(midnight + 86_400_000);
  if (period === 'today') return { from: new Date(midnight), to, bucket: 'hour' };
  const days = period === '7d' ? 7 : 30;
  return { from: new Date(midnight - (days - 1) * 86_400_000), to, bucket: 'day' };
}

export type AmountProblem = 'empty' | 'not_whole' | 'negative' | 'not_positive' | 'too_large';

/** A typed FCFA amount: a whole number (spaces allowed), at least `min`, at most `max`. */
export function checkAmount(
  input: string,
  opts: { min: number; max: number },
): { ok: true; value: number } | { ok: false; problem: AmountProblem } {
  const text = input.replace(/[\s\u202f\u00a0]/g, '');
  if (!text) return { ok: false, problem: 'empty' };
  if (!/^-?\d+$/.test(text)) return { ok: false, problem: 'not_whole' };
  const value = Number(text);
  if (value < 0 && opts.min >= 0) return { ok: false, problem: 'negative' };
  if (value < opts.min) return { ok: false, problem: 'not_positive' };
  if (value > opts.max) return { ok: false, problem: 'too_large' };
  return { ok: true, value };
}

/** A reason the admin types for an action: trimmed, `min`–`max` characters (the server's limits). */
export function checkReason(input: string, min = 1, max = 280): 'too_short' | 'too_long' | null {
  const text = input.trim();
  if (text.length < min) return 'too_short';
  if (text.length > max) return 'too_long';
  return null;
}
