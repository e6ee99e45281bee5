// Approved stores near the customer, nearest first, with what the status badge needs (hours in the zone's time
// zone). Position: the device's when it is inside a zone we serve, else the zone centre (permission refused,
// no GPS fix, or somewhere we do not serve yet).
import { must, useAsyncData } from '@ecom/app-kit/async-data';
import type { HoursException, WeeklySlot } from '@ecom/domain';
import { supabase, type StoreKind } from '../lib/supabase.ts';
import { currentPosition } from './useGeolocation.ts';
import { distanceM, loadZones, PILOT_ZONE, zoneOf, type Zone } from './useZone.ts';

export interface StoreSummary {
  id: string;
  slug: string;
  name: string;
  kind: StoreKind;
  landmark: string;
  status: 'open' | 'busy' | 'closed';
  busy_until: string | null;
  preparation_minutes: number;
  logo_path: string | null;
  distance_m: number;
  hours: WeeklySlot[];
  exceptions: HoursException[];
  timezone: string;
}

export interface NearbyStores {
  origin: 'device' | 'zone';
  zone: Zone;
  stores: StoreSummary[];
}

export function useNearbyStores() {
  return useAsyncData<NearbyStores>(async () => {
    // GET, so the service worker can keep the last answer for offline starts.
    const nearbyAt = async (at: { lat: number; lng: number }, radius: number) =>
      must(await supabase.rpc('nearby_stores', { lat: at.lat, lng: at.lng, radius_m: radius }, { get: true }));
    const zonesOnTheWay = loadZones();
    const device = await currentPosition();
    // While the zones are still on their way, ask for the stores around the device within the pilot's reach: on a
    // slow connection that saves a round trip. The answer is used only if the zones confirm that position and radius.
    const guessRadius = PILOT_ZONE.radius_m + 2000;
    const guess = device ? nearbyAt(device, guessRadius).catch(() => null) : null;
    const zones = await zonesOnTheWay;
    // The zone the person is in, else the nearest one we serve (the pilot's when the position is unknown).
    const zone = device ? zoneOf(zones, device) : zones[0]!;
    const radius = zone.radius_m + 2000;
    const inZone = device !== null && distanceM(device, { lat: zone.center_lat, lng: zone.center_lng }) <= radius;
    const at = inZone ? device : { lat: zone.center_lat, lng: zone.center_lng };
    const nearby = (inZone && radius === guessRadius ? await guess : null) ?? (await nearbyAt(at, radius));
    // Hours and the coming week's exceptions come in the same answer (one round trip on a slow connection).
    const rows = nearby.filter((s) => s.id && s.slug && s.name && s.kind);
    const stores: StoreSummary[] = rows.map((s) => ({
      id: s.id!,
      slug: s.slug!,
      name: s.name!,
      kind: s.kind!,
      landmark: s.landmark ?? '',
      status: s.status ?? 'closed',
      busy_until: s.busy_until,
      preparation_minutes: s.preparation_minutes ?? 0,
      logo_path: s.logo_path,
      distance_m: Math.round(s.distance_m ?? 0),
      hours: (s.hours as WeeklySlot[] | null) ?? [],
      exceptions: (s.exceptions as HoursException[] | null) ?? [],
      timezone: zone.timezone,
    }));
    return { origin: inZone ? 'device' : 'zone', zone, stores };
  });
}
