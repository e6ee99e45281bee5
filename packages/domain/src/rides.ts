// A ride as the rider follows it (and the driver's app will show it): the vehicle types, the status steps, what the
// rider may still do, the driver's distance and arrival estimate, and how a quoted fare is shown. Returns codes and
// numbers, never sentences: the apps turn them into words through i18n.
import { distanceMetres, type LatLng } from './checkout.ts';
import { ROAD_FACTOR } from './order.ts';

export type RideStatus = 'requested' | 'accepted' | 'arrived' | 'in_progress' | 'completed' | 'cancelled' | 'expired';
export type VehicleType = 'moto' | 'tricycle' | 'car';
export type RidePaymentMethod = 'cash' | 'wallet' | 'mobile_money';

/** The vehicle types a rider chooses from, cheapest first. */
export const VEHICLE_TYPES: readonly VehicleType[] = ['moto', 'tricycle', 'car'];

/** Town speeds of the rides grid (km/h), the same the server uses for the quote's duration. */
export const RIDE_SPEED_KMH: Readonly<Record<VehicleType, number>> = { moto: 25, tricycle: 20, car: 30 };

export const isVehicleType = (v: unknown): v is VehicleType => VEHICLE_TYPES.includes(v as VehicleType);

/** The happy path of a ride. */
export const RIDE_STEPS: readonly RideStatus[] = ['requested', 'accepted', 'arrived', 'in_progress', 'completed'];

export const isFinalRideStatus = (s: RideStatus): boolean => s === 'completed' || s === 'cancelled' || s === 'expired';

/** Where the rider is: waiting for a driver (matching), with a driver, or over. */
export type RidePhase = 'matching' | 'driver' | 'over';

export function ridePhase(status: RideStatus): RidePhase {
  if (status === 'requested') return 'matching';
  return isFinalRideStatus(status) ? 'over' : 'driver';
}

export interface RideStep {
  status: RideStatus;
  state: 'done' | 'current' | 'upcoming';
  at: string | null;
}

export interface RideEventLike {
  to_status: RideStatus;
  created_at: string;
}

/**
 * The steps to show. A cancelled or expired ride stops at the last step it reached, followed by that end; a live
 * one shows every step of the path, the current one marked (a completed ride: all done).
 */
export function rideSteps(status: RideStatus, events: readonly RideEventLike[] = []): RideStep[] {
  const when = (s: RideStatus): string | null =>
    [...events].reverse().find((e) => e.to_status === s)?.created_at ?? null;
  if (status === 'cancelled' || status === 'expired') {
    const reached = RIDE_STEPS.filter((s) => s === 'requested' || when(s) !== null);
    return [
      ...reached.map((s) => ({ status: s, state: 'done' as const, at: when(s) })),
      { status, state: 'current', at: when(status) },
    ];
  }
  const index = RIDE_STEPS.indexOf(status);
  return RIDE_STEPS.map((s, i) => ({
    status: s,
    state: i < index || status === 'completed' ? 'done' : i === index ? 'current' : 'upcoming',
    at: i <= index ? when(s) : null,
  }));
}

/** The rider may cancel until the ride starts; the server decides, this only shows the button. */
export const riderMayCancel = (status: RideStatus): boolean =>
  status === 'requested' || status === 'accepted' || status === 'arrived';

/** Cancelling once the driver has arrived costs the rider the cancellation fee (the grid's minimum fare). */
export const cancellationFeeApplies = (status: RideStatus): boolean => status === 'arrived';

/** The start PIN matters from acceptance until the ride starts. */
export const riderShowsPin = (status: RideStatus): boolean => status === 'accepted' || status === 'arrived';

export const riderMayRate = (status: RideStatus): boolean => status === 'completed';

export interface DriverApproach {
  /** Straight-line metres from the driver to the target (pickup while coming, dropoff on the trip). */
  distance_m: number;
  /** Minutes by road at the vehicle's town speed, at least 1. */
  minutes: number;
}

/** How far the driver is from where they are heading, and in how many minutes they get there. */
export function driverApproach(driver: LatLng, target: LatLng, vehicle: VehicleType): DriverApproach {
  const distance = distanceMetres(driver, target);
  const km = (distance * ROAD_FACTOR) / 1000;
  return {
    distance_m: Math.round(distance),
    minutes: Math.max(1, Math.ceil((km / RIDE_SPEED_KMH[vehicle]) * 60)),
  };
}

/** A distance as people say it: "350 m" under a kilometre (to the 10 m), "1,4 km" above (decimal comma in French). */
export function formatDistance(metres: number, locale: string = 'fr'): string {
  if (metres < 1000) return `${Math.max(0, Math.round(metres / 10) * 10)}\u00a0m`;
  const km = Math.round(metres / 100) / 10;
  return `${km.toLocaleString(locale === 'en' ? 'en' : 'fr', { maximumFractionDigits: 1 })}\u00a0km`;
}

/** A quote's pricing ("fixed": the neighbourhood fare; "grid": base + distance + time) and its minutes. */
export interface QuoteLike {
  fare_xof: number;
  pricing: 'fixed' | 'grid';
  duration_s: number;
  distance_m: number;
}

/** What a vehicle's line shows: the fare, whether it is a fixed neighbourhood fare, and the trip's minutes. */
export function quoteSummary(quote: QuoteLike): { fare_xof: number; fixed: boolean; minutes: number } {
  return {
    fare_xof: quote.fare_xof,
    fixed: quote.pricing === 'fixed',
    minutes: Math.max(1, Math.ceil(quote.duration_s / 60)),
  };
}

/** Initials for a driver without a photo: first letters of the first two words ("Koffi Kouassi" → "KK"). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.slice(0, 2).map((w) => w[0]!.toLocaleUpperCase('fr'));
  return letters.join('') || '?';
}
