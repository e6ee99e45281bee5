// The ride pages stay off the first screen (runs on dist/ from `vite build`, like bundle-size.test.ts).
import { describe, expect, it } from 'vitest';
import { measureBundle } from '../scripts/size.ts';

describe('ride pages in the bundle', async () => {
  const size = await measureBundle(new URL('../dist', import.meta.url).pathname);

  it('keeps the ride pages and their messages off the first screen', () => {
    const first = [...size.routes.home.files, ...size.routes.sign_in.files].join(' ');
    expect(first).not.toMatch(/RideRequestPage|RideTrackingPage|RideDriverCard|useRideTracking/);
    // The messages are their own chunks (fr.json of rides is not the main catalogue).
    expect(size.routes.home.files.filter((f) => /rides/i.test(f))).toEqual([]);
  });
});
