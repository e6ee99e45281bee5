// One ride, live: GET /rides/:id (the rider's view: status, events, start PIN), the driver's card once a driver
// accepted (rpc/ride_driver), and the `ride:<id>` topic (useLiveTopic): a status or driver change ("ride") re-reads
// the ride, the driver's "position" moves their pin at once. While the ride is active (accepted → in progress),
// rpc job_courier_contact gives the driver's phone so the rider can call (nothing before or after).
import { useAsyncData } from '@ecom/app-kit/async-data';
import { shallowRef, type Ref } from 'vue';
import { ridesCall, type Ride, type RideDriver } from '../lib/rides.ts';
import { supabase } from '../lib/supabase.ts';
import { useLiveTopic } from './useLiveTopic.ts';

export function useRideTracking(id: Ref<string>) {
  const driver = shallowRef<RideDriver | null>(null);
  let driverOf: string | null = null;

  const phone = shallowRef<string | null>(null);
  async function loadPhone(r: Ride): Promise<void> {
    if (!r.courier_id || !['accepted', 'arrived', 'in_progress'].includes(r.status)) {
      phone.value = null;
      return;
    }
    const { data, error } = await supabase.rpc('job_courier_contact', { p_ride_id: id.value });
    if (!error) phone.value = data?.[0]?.phone ?? null;
  }

  async function loadDriver(courierId: string | null): Promise<void> {
    if (courierId === driverOf) return;
    if (!courierId) {
      driver.value = null;
      driverOf = null;
      return;
    }
    const { data, error } = await supabase.rpc('ride_driver', { ride_id: id.value });
    // A failure keeps the card empty and is tried again at the next change.
    if (error) return;
    driver.value = (data as RideDriver | null) ?? null;
    driverOf = courierId;
  }

  const ride = useAsyncData(async () => {
    const r = (await ridesCall<{ ride: Ride }>(`/${id.value}`)).ride;
    await Promise.all([loadDriver(r.courier_id), loadPhone(r)]);
    return r;
  });
  const { courier, live, join } = useLiveTopic({
    topic: () => `ride:${id.value}`,
    changes: ['ride', 'ride_event'],
    refetch: () => ride.refresh(),
  });

  async function start(): Promise<void> {
    await ride.refresh();
    await join();
  }

  return { ...ride, driver, phone, courier, live, start };
}
