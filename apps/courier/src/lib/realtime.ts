// Realtime for the order queue and the order page only (never the sign-in screen's budget).
import { createTopics } from '@ecom/app-kit/realtime';
import { supabase } from './supabase.ts';

export const topics = createTopics({ url: supabase.url, anonKey: supabase.anonKey, accessToken: supabase.accessToken });
