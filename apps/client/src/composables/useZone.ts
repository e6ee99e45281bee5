// The town we serve (Tiassalé for the pilot): its centre is the fallback position and its time zone decides
// opening hours. Read once per app start, with a built-in copy for when the network is down.
import { supabase } from '../lib/supabase.ts';

export interface Zone {
  id: string;
  name: string;
  center_lat: number;
  center_lng: number;
  radius_m: number;
  timezone: string;
}

/** The Tiassalé zone as the zones migration creates it. */
export const PILOT_ZONE: Zone = {
  id: '5a1e0000-0000-4000-8000-000000000001',
  name: 'Tiassalé',
  center_lat: 5.8983,
  center_lng: -4.8228,
  radius_m: 8000,
  timezone: 'Africa/Abidjan',
};

let zones: Promise<Zone[]> | undefined;

export function loadZones(): Promise<Zone[]> {
  zones ??= Promise.resolve(
    supabase
      .from('zones')
      .select('id, name, center_lat, center_lng, radius_m, timezone')
      .eq('active', true)
      .order('name'),
  ).then(({ data, error }) => {
    if (error || !data || data.length === 0) {
      zones = undefined;
      return [PILOT_ZONE];
    }
    return data;
  });
  return zones;
}

const toRad = (d: number): number => (d * Math.PI) / 180;

export function distanceM(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const h =
    Math.sin(toRad(b.lat - a.lat) / 2) ** 2 +
    Math.cos(toRad(a.lat)) * Math.cos(toRad(b.lat)) * Math.sin(toRad(b.lng - a.lng) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

/** The zone a point is in, else the nearest one. */
export function zoneOf(list: readonly Zone[], at: { lat: number; lng: number }): Zone {
  let best = list[0] ?? PILOT_ZONE;
  let bestD = Infinity;
  for (const z of list) {
    const d = distanceM(at, { lat: z.center_lat, lng: z.center_lng }) - z.radius_m;
    if (d < bestD) [best, bestD] = [z, d];
  }
  return best;
}
