// Asking for a ride: the quartiers to pick a drop-off from (RLS: those of active zones), one quote per vehicle type
// for the chosen pickup and drop-off (POST /rides/quote, nothing written), and the request itself (POST /rides) with
// one Idempotency-Key per attempt: a retry after a lost answer sends the same key, so one ride, never two. My rides
// come from the rides table (RLS: the rider's own).
import { must, useAsyncData } from '@ecom/app-kit/async-data';
import { nextAttempt, requestFingerprint, type CheckoutAttempt } from '@ecom/domain/checkout';
import { VEHICLE_TYPES, type RidePaymentMethod, type VehicleType } from '@ecom/domain/rides';
import { shallowRef } from 'vue';
import { FunctionError } from '../lib/orders-api.ts';
import { quoteRide, ridesCall, type Ride, type RidePlace, type RideQuote } from '../lib/rides.ts';
import { supabase } from '../lib/supabase.ts';
import { newKey } from './usePlaceOrder.ts';

export interface Neighbourhood {
  id: string;
  name: string;
  center_lat: number;
  center_lng: number;
}

export type VehicleQuote =
  | { vehicle: VehicleType; ok: true; quote: RideQuote }
  | { vehicle: VehicleType; ok: false; code: string; message: string };

export interface RideRequestBody {
  pickup: RidePlace;
  dropoff: RidePlace;
  vehicle_type: VehicleType;
  payment_method: RidePaymentMethod;
}

export type RideListItem = Pick<
  Ride,
  | 'id'
  | 'status'
  | 'vehicle_type'
  | 'pickup_landmark'
  | 'dropoff_landmark'
  | 'fare_quote_xof'
  | 'final_fare_xof'
  | 'requested_at'
>;

const asFailure = (e: unknown): FunctionError =>
  e instanceof FunctionError ? e : new FunctionError('network', 0, 'network', String(e));

export function useRideRequest() {
  const neighbourhoods = useAsyncData<Neighbourhood[]>(async () =>
    must(await supabase.from('neighbourhoods').select('id, name, center_lat, center_lng').order('name')),
  );
  const myRides = useAsyncData<RideListItem[]>(async () =>
    must(
      await supabase
        .from('rides')
        .select(
          'id, status, vehicle_type, pickup_landmark, dropoff_landmark, fare_quote_xof, final_fare_xof, requested_at',
        )
        .order('requested_at', { ascending: false })
        .limit(20),
    ),
  );

  const quotes = shallowRef<VehicleQuote[] | null>(null);
  const quoting = shallowRef(false);
  let quoteRun = 0;

  /** One quote per vehicle type, in parallel; each answer or refusal stands on its own. */
  async function quoteAll(pickup: RidePlace, dropoff: RidePlace): Promise<void> {
    const mine = ++quoteRun;
    quoting.value = true;
    const answers = await Promise.all(
      VEHICLE_TYPES.map(async (vehicle): Promise<VehicleQuote> => {
        try {
          return { vehicle, ok: true, quote: await quoteRide(pickup, dropoff, vehicle) };
        } catch (e) {
          const f = asFailure(e);
          return { vehicle, ok: false, code: f.code, message: f.kind === 'refused' ? f.message : '' };
        }
      }),
    );
    if (mine !== quoteRun) return;
    quotes.value = answers;
    quoting.value = false;
  }

  function clearQuotes(): void {
    quoteRun += 1;
    quotes.value = null;
    quoting.value = false;
  }

  const attempt = shallowRef<CheckoutAttempt | null>(null);
  const sending = shallowRef(false);
  const error = shallowRef<FunctionError | null>(null);

  async function request(body: RideRequestBody): Promise<{ ride: Ride } | null> {
    const next = nextAttempt(attempt.value, requestFingerprint(body), newKey);
    // A changed request while the last one's outcome is unknown: a new attempt (the rider chose again).
    const key = next.ok ? next.attempt.key : newKey();
    attempt.value = { key, fingerprint: requestFingerprint(body), outcome: 'unknown' };
    sending.value = true;
    error.value = null;
    try {
      const answer = await ridesCall<{ ride: Ride }>('', { method: 'POST', body, idempotencyKey: key });
      attempt.value = { ...attempt.value, outcome: 'placed' };
      return answer;
    } catch (e) {
      const f = asFailure(e);
      attempt.value = { ...attempt.value, outcome: f.kind === 'refused' ? 'refused' : 'unknown' };
      error.value = f;
      return null;
    } finally {
      sending.value = false;
    }
  }

  return { neighbourhoods, myRides, quotes, quoting, quoteAll, clearQuotes, request, sending, error };
}
