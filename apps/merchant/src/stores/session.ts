// Who is signed in: the session store every app shares (@ecom/app-kit/session), on this app's Auth client.
import { defineSessionStore } from '@ecom/app-kit/session';
import { supabase } from '../lib/supabase.ts';

export const useSessionStore = defineSessionStore(supabase.auth);
