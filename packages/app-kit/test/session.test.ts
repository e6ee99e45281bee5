// The session store every app shares, on a real supabase-js Auth client (its session read from storage as on a
// phone; nothing here needs the network but the refresh-token revocation of sign-out, which may fail offline).
import { AuthClient } from '@supabase/supabase-js';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { defineSessionStore } from '../src/session.ts';

const KEY = 'ecom.test.auth';
const USER = 'a0000000-0000-4000-8000-000000000001';

function phoneStorage(session: unknown) {
  const items = new Map<string, string>(session ? [[KEY, JSON.stringify(session)]] : []);
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  };
}

function authWith(session: unknown) {
  return new AuthClient({
    url: 'http://127.0.0.1:9/auth/v1',
    storageKey: KEY,
    storage: phoneStorage(session),
    persistSession: true,
    autoRefreshToken: false,
    detectSessionInUrl: false,
  });
}

const stored = () => ({
  access_token: 'header.payload.signature',
  refresh_token: 'refresh-1',
  token_type: 'bearer',
  expires_in: 3600,
  expires_at: Math.floor(Date.now() / 1000) + 3600,
  user: {
    id: USER,
    aud: 'authenticated',
    role: 'authenticated',
    phone: '2250700000001',
    app_metadata: {},
    user_metadata: {},
    created_at: '2026-11-21T10:00:00Z',
  },
});

describe('defineSessionStore', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('is signed out when the phone holds no session', async () => {
    const store = defineSessionStore(authWith(null))();
    await store.init();
    expect(store.signedIn).toBe(false);
    expect(store.user).toBeNull();
  });

  it('reads the stored session once, however many guards ask', async () => {
    const auth = authWith(stored());
    let reads = 0;
    const getSession = auth.getSession.bind(auth);
    auth.getSession = () => (reads++, getSession());
    const store = defineSessionStore(auth)();
    await Promise.all([store.init(), store.init()]);
    await store.init();
    expect(reads).toBe(1);
    expect(store.signedIn).toBe(true);
    expect(store.user?.id).toBe(USER);
  });

  it('signs out on the phone even when the server cannot be reached', async () => {
    const auth = authWith(stored());
    const store = defineSessionStore(auth)();
    await store.init();
    await store.signOut();
    expect(store.signedIn).toBe(false);
    expect((await auth.getSession()).data.session).toBeNull();
  });
});
