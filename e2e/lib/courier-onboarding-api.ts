// The other people of the courier onboarding scenario, through the same public APIs their apps use: the admin reviews
// an application (documents and the courier through the Data API, as the admin app does; the applicant is told by a
// `system` notification with data.event courier_rejected / courier_approved and data.reason, written the way
// rpc review_courier_application writes it), and a cash delivery is made for a courier end to end (customer places
// it, the store readies it, the courier accepts the offer, picks it up, delivers it with the code and collects the
// cash) so that the courier has earnings and cash in hand. Also the small photos the test "takes".
import { crc32, deflateSync } from 'node:zlib';
import type { Stack } from '@ecom/local-stack';
import { asService, courierAt, moveOrder, signInByPhone } from './api.ts';
import { openOfferOf, placeDelivery } from './courier-api.ts';

/** A small PNG of one colour (w × h), as a phone's camera would hand over a (much larger) picture. */
export function solidPng(rgb: [number, number, number], w = 48, h = 32): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3).map((_, i) => rgb[i % 3]!)]);
  const pixels = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function asPerson(stack: Stack, token: string, path: string, init: RequestInit): Promise<unknown> {
  const res = await fetch(`${stack.apiUrl}/rest/v1/${path}`, {
    ...init,
    headers: {
      apikey: stack.anonKey,
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      Prefer: 'return=representation',
    },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export interface ApplicationDocument {
  id: string;
  kind: string;
  review_status: string;
  storage_path: string;
  created_at: string;
}

/** The courier's documents, newest first (service role: a check of what the app did). */
export async function documentsOf(stack: Stack, courierId: string): Promise<ApplicationDocument[]> {
  return (await asService(
    stack,
    `courier_documents?courier_id=eq.${courierId}&select=id,kind,review_status,storage_path,created_at&order=created_at.desc`,
  )) as ApplicationDocument[];
}

/** Whether Storage holds a file of the courier-documents bucket (the photo the app uploaded). */
export async function storedFile(stack: Stack, path: string): Promise<boolean> {
  const res = await fetch(`${stack.apiUrl}/storage/v1/object/courier-documents/${path}`, {
    headers: { apikey: stack.serviceRoleKey, Authorization: `Bearer ${stack.serviceRoleKey}` },
  });
  await res.arrayBuffer();
  return res.ok;
}

/** The admin's decision as the applicant reads it: a system notification with the event and the reason. */
async function tell(
  stack: Stack,
  userId: string,
  event: 'courier_rejected' | 'courier_approved',
  reason: string | null,
) {
  await asService(stack, 'notifications', {
    method: 'POST',
    body: JSON.stringify({
      user_id: userId,
      kind: 'system',
      language: 'fr',
      title: event === 'courier_approved' ? 'Compte coursier validé' : 'Demande de coursier refusée',
      body:
        event === 'courier_approved'
          ? 'Votre compte coursier est validé : passez en ligne pour recevoir des courses.'
          : `Votre demande n'a pas été validée : ${reason}`,
      data: { event, reason },
    }),
  });
}

/** The admin refuses one document with a note and the application with a reason. */
export async function rejectDocument(
  stack: Stack,
  adminToken: string,
  courierId: string,
  documentId: string,
  note: string,
  reason: string,
): Promise<void> {
  await asPerson(stack, adminToken, `courier_documents?id=eq.${documentId}`, {
    method: 'PATCH',
    body: JSON.stringify({ review_status: 'rejected', review_note: note }),
  });
  await asPerson(stack, adminToken, `couriers?user_id=eq.${courierId}`, {
    method: 'PATCH',
    body: JSON.stringify({ approval_status: 'rejected' }),
  });
  await tell(stack, courierId, 'courier_rejected', reason);
}

/** The admin approves every pending document, then the courier (the database refuses it if one is missing). */
export async function approveApplication(stack: Stack, adminToken: string, courierId: string): Promise<void> {
  await asPerson(stack, adminToken, `courier_documents?courier_id=eq.${courierId}&review_status=eq.pending`, {
    method: 'PATCH',
    body: JSON.stringify({ review_status: 'approved' }),
  });
  await asPerson(stack, adminToken, `couriers?user_id=eq.${courierId}`, {
    method: 'PATCH',
    body: JSON.stringify({ approval_status: 'approved' }),
  });
  await tell(stack, courierId, 'courier_approved', null);
}

/**
 * The courier scenarios' starting point: the store takes orders at any hour the suite runs and no seeded courier is
 * online (so dispatch offers jobs to the scenario's courier only).
 */
export async function storeOpenAndCouriersOffline(stack: Stack, storeId: string): Promise<void> {
  await asService(stack, `store_hours?store_id=eq.${storeId}`, {
    method: 'PATCH',
    body: JSON.stringify({ opens: '00:00', closes: '00:00', closes_next_day: true }),
  });
  await asService(stack, `stores?id=eq.${storeId}`, {
    method: 'PATCH',
    body: JSON.stringify({ status: 'open', busy_until: null }),
  });
  await asService(stack, 'courier_presence?online=is.true', {
    method: 'PATCH',
    body: JSON.stringify({ online: false }),
  });
}

const headers = (stack: Stack, token: string) => ({
  apikey: stack.anonKey,
  Authorization: `Bearer ${token}`,
  'Content-Type': 'application/json',
});

/**
 * A cash delivery from a store, done by the courier through the APIs their app uses: the customer (a test number of
 * this scenario) places it, the store's owner accepts and readies it, the courier online near the store accepts the
 * offer, picks it up, delivers it with the customer's code and collects the cash. Returns the order.
 */
export async function cashDeliveryBy(
  stack: Stack,
  people: { courierToken: string; courierId: string; merchantToken: string; customerPhone: string },
  store: { id: string; product: string; at: { lat: number; lng: number } },
): Promise<{ id: string; total_xof: number }> {
  const customer = await signInByPhone(stack, people.customerPhone);
  const [address] = (await asPerson(stack, customer, 'addresses', {
    method: 'POST',
    body: JSON.stringify({
      label: 'Maison',
      lat: store.at.lat + 0.002,
      lng: store.at.lng + 0.001,
      landmark: 'Derrière le marché, maison au portail rouge',
      phone: people.customerPhone,
      zone_id: '5a1e0000-0000-4000-8000-000000000001',
    }),
  })) as { id: string }[];
  await courierAt(stack, people.courierToken, store.at);
  const order = await placeDelivery(
    stack,
    { token: customer, addressId: address!.id },
    store.id,
    store.product,
    20_000,
  );
  await moveOrder(stack, people.merchantToken, order.id, { to: 'accepted', prep_minutes: 10 });
  await courierAt(stack, people.courierToken, store.at);
  const offer = await openOfferOf(stack, people.courierId, order.id);
  if (!offer) throw new Error(`no offer of ${order.id} for ${people.courierId}`);
  const accepted = await fetch(`${stack.apiUrl}/functions/v1/courier/offers/${offer}/accept`, {
    method: 'POST',
    headers: headers(stack, people.courierToken),
    body: '{}',
  });
  if (!accepted.ok) throw new Error(`accept: ${accepted.status} ${await accepted.text()}`);
  await moveOrder(stack, people.merchantToken, order.id, { to: 'preparing' });
  await moveOrder(stack, people.merchantToken, order.id, { to: 'ready' });
  await moveOrder(stack, people.courierToken, order.id, { to: 'picked_up' });
  await moveOrder(stack, people.courierToken, order.id, { to: 'delivered', code: order.delivery_code });
  await moveOrder(stack, people.courierToken, order.id, { to: 'cash_collected' });
  return { id: order.id, total_xof: order.total_xof };
}
