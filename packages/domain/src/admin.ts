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
