// One order, live: GET /orders/:id (the customer's full view: items, events, delivery code, address), the store's
// name, phone and pin, and the `order:<id>` topic (useLiveTopic): a status or courier change ("order",
// "order_event") re-reads the order; a courier "position" moves the pin at once; the phone coming back online re-reads
// it. Once a courier is assigned, rpc job_courier_contact gives their first name, phone and vehicle (only while the
// job is active; nothing after).
import { useAsyncData } from '@ecom/app-kit/async-data';
import type { OrderStatus } from '@ecom/domain/order';
import { shallowRef, watch, type Ref } from 'vue';
import { ordersCall } from '../lib/orders-api.ts';
import { supabase } from '../lib/supabase.ts';
import { useLiveTopic } from './useLiveTopic.ts';

export interface TrackedOrder {
  id: string;
  status: OrderStatus;
  store_id: string;
  fulfilment: 'delivery' | 'pickup';
  courier_id: string | null;
  subtotal_xof: number;
  delivery_fee_xof: number;
  discount_xof: number;
  total_xof: number;
  payment_method: 'cash' | 'wallet' | 'mobile_money';
  cash_tendered_xof: number | null;
  change_due_xof: number | null;
  scheduled_for: string | null;
  prep_minutes: number | null;
  accepted_at: string | null;
  created_at: string;
  rejection_reason: string | null;
  cancellation_reason: string | null;
  delivery_code: string | null;
  items: { name: string; quantity: number; line_total_xof: number; options: { name: string }[] }[];
  events: { to_status: OrderStatus; created_at: string; reason: string | null }[];
  contact: { address: { lat: number; lng: number; landmark: string } | null } | null;
}

export type { CourierPosition } from './useLiveTopic.ts';

export interface CourierContact {
  first_name: string | null;
  phone: string;
  vehicle_type: 'moto' | 'tricycle' | 'car';
  plate: string | null;
}

export function useOrderTracking(id: Ref<string>) {
  const order = useAsyncData(async () => (await ordersCall<{ order: TrackedOrder }>(`/${id.value}`)).order);
  const storeInfo = useAsyncData(async () => {
    const storeId = order.data.value?.store_id;
    if (!storeId) return null;
    const { data } = await supabase.from('stores').select('id, name, phone, lat, lng, slug').eq('id', storeId).single();
    return data;
  });
  const { courier, live, join } = useLiveTopic({
    topic: () => `order:${id.value}`,
    changes: ['order', 'order_event'],
    refetch: () => order.refresh(),
  });

  async function start(): Promise<void> {
    await order.refresh();
    if (order.data.value && !storeInfo.data.value) void storeInfo.refresh();
    await join();
  }

  // Asked again whenever the courier or the status changes: the server answers only while the job is active.
  const courierContact = shallowRef<CourierContact | null>(null);
  watch(
    () => (order.data.value?.courier_id ? `${order.data.value.courier_id}:${order.data.value.status}` : null),
    async (key) => {
      if (!key) {
        courierContact.value = null;
        return;
      }
      const { data, error } = await supabase.rpc('job_courier_contact', { p_order_id: id.value });
      if (error) return; // keep what is shown; the next change or refresh asks again
      const row = data?.[0];
      courierContact.value = row?.phone ? (row as CourierContact) : null;
    },
  );

  return { ...order, store: storeInfo.data, courier, courierContact, live, start };
}
