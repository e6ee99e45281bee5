// Realtime for the pages that follow a job or the inbox: loaded with them, never on the first screen (≈ 10 KiB gzip).
// Private topics (`order:<id>`, `ride:<id>`, `user:<id>`) are authorised by the policies on realtime.messages.
import { createTopics } from '@ecom/app-kit/realtime';
import { supabase } from './supabase.ts';

export const { join: joinTopic } = createTopics(supabase);
