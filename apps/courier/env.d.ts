/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** API URL of the Supabase project (default: the local stack, http://127.0.0.1:54321). */
  readonly VITE_SUPABASE_URL?: string;
  /** Its anon (or publishable) key (default: the local stack's public demo anon key). */
  readonly VITE_SUPABASE_ANON_KEY?: string;
  /** Map tiles, `{z}/{x}/{y}` URL template (default: OpenStreetMap's tile server). */
  readonly VITE_MAP_TILE_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}

// Leaflet's ES module build (its package "main" is UMD, which would add CommonJS interop to the shared runtime).
declare module 'leaflet/dist/leaflet-src.esm.js' {
  export * from 'leaflet';
}
