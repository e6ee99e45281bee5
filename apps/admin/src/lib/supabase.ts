// The dashboard's one Supabase client (Auth + PostgREST + Storage upload) and its Edge Function caller, from the build
// env; the defaults are the local stack's. Pages and the data layer (src/data/*.ts, plain TS taking a client) use
// these two; Realtime is loaded by the pages that listen.
import { createFunctionCaller } from '@ecom/app-kit/functions';
import { createSupabase, LOCAL_ANON_KEY, LOCAL_SUPABASE_URL } from '@ecom/app-kit/supabase';
import { i18n } from '../i18n/index.ts';

export const supabase = createSupabase({
  url: import.meta.env.VITE_SUPABASE_URL || LOCAL_SUPABASE_URL,
  anonKey: import.meta.env.VITE_SUPABASE_ANON_KEY || LOCAL_ANON_KEY,
  storageKey: 'ecom.admin.auth',
});

export const callFunction = createFunctionCaller({
  url: supabase.url,
  anonKey: supabase.anonKey,
  accessToken: supabase.accessToken,
  locale: () => i18n.global.locale.value,
});
