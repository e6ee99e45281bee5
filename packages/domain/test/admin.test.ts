import { describe, expect, it } from 'vitest';
import { canWrite, staffRole, tokenClaims, tokenRoles } from '../src/admin.ts';

/** An unsigned JWT with these claims (the dashboard only reads the payload; the database checks the signature). */
function token(claims: Record<string, unknown>): string {
  const b64url = (s: string) =>
    btoa(String.fromCharCode(...new TextEncoder().encode(s)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  return `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(JSON.stringify(claims))}.sig`;
}

describe('staffRole', () => {
  it('lets an admin in, whatever other roles he holds', () => {
    expect(staffRole({ access_token: token({ user_roles: ['admin', 'customer'] }) })).toBe('admin');
  });

  it('lets support in, below admin', () => {
    expect(staffRole({ access_token: token({ user_roles: ['customer', 'support'] }) })).toBe('support');
    expect(staffRole({ access_token: token({ user_roles: ['support', 'admin'] }) })).toBe('admin');
  });

  it('refuses a customer, a merchant and a courier', () => {
    for (const roles of [['customer'], ['customer', 'merchant'], ['courier', 'customer']]) {
      expect(staffRole({ access_token: token({ user_roles: roles }) })).toBeNull();
    }
  });

  it('refuses a token without the claim, a malformed claim, a broken token and no session', () => {
    expect(staffRole({ access_token: token({ sub: 'x' }) })).toBeNull();
    expect(staffRole({ access_token: token({ user_roles: 'admin' }) })).toBeNull();
    expect(staffRole({ access_token: 'not-a-jwt' })).toBeNull();
    expect(staffRole({ access_token: 'a.%%%.c' })).toBeNull();
    expect(staffRole(null)).toBeNull();
  });

  it('ignores roles the dashboard does not know yet', () => {
    expect(tokenRoles(token({ user_roles: ['support', 42, 'customer'] }))).toEqual(['support', 'customer']);
    expect(staffRole({ access_token: token({ user_roles: ['customer', 'superuser'] }) })).toBeNull();
  });

  it('reads accented UTF-8 claims', () => {
    expect(tokenClaims(token({ name: 'Aïcha Koné' }))?.name).toBe('Aïcha Koné');
  });
});

describe('canWrite', () => {
  it('lets only admins change things', () => {
    expect(canWrite('admin')).toBe(true);
    expect(canWrite('support')).toBe(false);
    expect(canWrite(null)).toBe(false);
  });
});
