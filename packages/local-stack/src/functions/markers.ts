// Lines the Deno bootstrap (worker.ts) prints on stdout for the Node side (process.ts). Shared by both runtimes.
export const MARKERS = {
  /** The bootstrap started (first start, or a reload under --watch). */
  starting: '@@ecom-functions:starting',
  /** Deno.serve is listening on the port we chose. */
  ready: '@@ecom-functions:ready',
  /** Importing the function failed; details are on stderr. */
  bootError: '@@ecom-functions:boot-error',
} as const;
