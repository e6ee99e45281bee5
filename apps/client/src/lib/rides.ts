// The `rides` edge function (docs/API.md "rides function") with the orders' conventions (functionCall: timeout,
// token, Accept-Language, refusals with the server's code and message), and the shapes the client reads.
import type { RidePaymentMethod, RideStatus, VehicleType } from '@ecom/domain/rides';
import { functionCall, type FunctionCallInit } from './orders-api.ts';

export const ridesCall = <T>(path: string, init: FunctionCallInit = {}): Promise<T> =>
  functionCall<T>('rides', path, init);

export interface RidePlace {
  lat: number;
  lng: number;
  landmark: string;
}

export interface RideQuote {
  vehicle_type: VehicleType;
  distance_m: number;
  duration_s: number;
  fare_xof: number;
  pricing: 'fixed' | 'grid';
  neighbourhoods: { pickup: string | null; dropoff: string | null };
  cancellation_fee_xof: number;
}

export interface Ride {
  id: string;
  status: RideStatus;
  vehicle_type: VehicleType;
  pickup_lat: number;
  pickup_lng: number;
  pickup_landmark: string;
  dropoff_lat: number;
  dropoff_lng: number;
  dropoff_landmark: string;
  distance_m: number;
  duration_s: number;
  fare_quote_xof: number;
  final_fare_xof: number | null;
  cancellation_fee_xof: number | null;
  payment_method: RidePaymentMethod;
  courier_id: string | null;
  cancel_reason: string | null;
  cancelled_by: string | null;
  requested_at: string;
  start_pin: string | null;
  events: { from_status: RideStatus | null; to_status: RideStatus; created_at: string; reason: string | null }[];
}

/** rpc/ride_driver: who is coming (no phone number: riders do not read drivers' numbers). */
export interface RideDriver {
  courier_id: string;
  first_name: string;
  avatar_path: string | null;
  vehicle_type: VehicleType;
  plate: string | null;
  vest_number: string | null;
  rating_avg: number | null;
  rating_count: number;
}

export const quoteRide = (pickup: RidePlace, dropoff: RidePlace, vehicle: VehicleType) =>
  ridesCall<{ quote: RideQuote }>('/quote', {
    method: 'POST',
    body: { pickup, dropoff, vehicle_type: vehicle },
  }).then((r) => r.quote);
