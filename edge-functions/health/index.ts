// Conformance probe for the functions runtime (verify_jwt = true): answers the caller's role and user id.
import { createHealthHandler } from './handler.ts';

Deno.serve(createHealthHandler({ supabaseUrl: Deno.env.get('SUPABASE_URL') }));
