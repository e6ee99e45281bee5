/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** API URL of the Supabase project (default: the local stack, http://127.0.0.1:54321). */
  readonly VITE_SUPABASE_URL?: string;
  /** Its anon (or publishable) key (default: the local stack's public demo anon key). */
  readonly VITE_SUPABASE_ANON_KEY?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
