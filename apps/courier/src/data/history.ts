// The courier's past jobs (delivered or cancelled orders, completed or cancelled rides), newest first, a page at a
// time (cursor: the time of the last job shown), with the route, the amount, the payment, the customer's rating and
// what the wallet really got for each: the sum of the ledger postings on the courier's wallet for that order or ride
// (the delivery fee or fare minus the platform's commission, settlement.md). All read as the courier under RLS.
import type { DataClient } from '@ecom/app-kit/supabase';

export interface PastJob {
  kind: 'order' | 'ride';
  id: string;
  at: string;
  status: string;
  from: string | null;
  to: string | null;
  /** The delivery fee or the fare (what the job was worth before commission). */
  gross_xof: number;
  /** What the wallet got (null when the ledger has nothing for it yet, for example a cancelled job). */
  net_xof: number | null;
  payment_method: string;
  stars: number | null;
}

export const HISTORY_PAGE = 10;

type Embed<T> = T | T[] | null;
const one = <T>(v: Embed<T>): T | null => (Array.isArray(v) ? (v[0] ?? null) : v);
const landmarkOf = (address: unknown): string | null => {
  const l = (address as { landmark?: unknown } | null)?.landmark;
  return typeof l === 'string' ? l : null;
};

/** One page of past jobs before `before` (ISO time; null: the newest). */
export async function listPastJobs(
  db: DataClient,
  courierId: string,
  before: string | null,
  size = HISTORY_PAGE,
): Promise<{ jobs: PastJob[]; next: string | null }> {
  let orders = db
    .from('orders')
    .select(
      'id, status, updated_at, delivered_at, cancelled_at, delivery_fee_xof, payment_method, stores(name), order_contacts(address)',
    )
    .eq('courier_id', courierId)
    .in('status', ['delivered', 'cancelled'])
    .order('updated_at', { ascending: false })
    .limit(size + 1);
  let rides = db
    .from('rides')
    .select(
      'id, status, updated_at, completed_at, cancelled_at, fare_quote_xof, final_fare_xof, payment_method, pickup_landmark, dropoff_landmark',
    )
    .eq('courier_id', courierId)
    .in('status', ['completed', 'cancelled'])
    .order('updated_at', { ascending: false })
    .limit(size + 1);
  if (before) {
    orders = orders.lt('updated_at', before);
    rides = rides.lt('updated_at', before);
  }
  const [o, r] = await Promise.all([orders, rides]);
  if (o.error) throw o.error;
  if (r.error) throw r.error;
  type OrderRow = {
    id: string;
    status: string;
    updated_at: string;
    delivery_fee_xof: number;
    payment_method: string;
    stores: Embed<{ name: string }>;
    order_contacts: Embed<{ address: unknown }>;
  };
  const merged: (PastJob & { cursor: string })[] = [
    ...(o.data as unknown as OrderRow[]).map((row) => ({
      kind: 'order' as const,
      id: row.id,
      at: row.updated_at,
      cursor: row.updated_at,
      status: row.status,
      from: one(row.stores)?.name ?? null,
      to: landmarkOf(one(row.order_contacts)?.address),
      gross_xof: row.delivery_fee_xof,
      net_xof: null,
      payment_method: row.payment_method,
      stars: null,
    })),
    ...r.data.map((row) => ({
      kind: 'ride' as const,
      id: row.id,
      at: row.updated_at,
      cursor: row.updated_at,
      status: row.status,
      from: row.pickup_landmark,
      to: row.dropoff_landmark,
      gross_xof: row.final_fare_xof ?? row.fare_quote_xof,
      net_xof: null,
      payment_method: row.payment_method,
      stars: null,
    })),
  ].sort((a, b) => b.cursor.localeCompare(a.cursor));
  const page = merged.slice(0, size);
  const next = merged.length > size ? (page[page.length - 1]?.cursor ?? null) : null;
  await Promise.all([addNet(db, courierId, page), addStars(db, courierId, page)]);
  return { jobs: page.map(({ cursor: _c, ...job }) => job), next };
}

/** What the courier's wallet got per job: the postings of its entries on the courier_wallet account. */
async function addNet(db: DataClient, courierId: string, jobs: PastJob[]): Promise<void> {
  if (jobs.length === 0) return;
  const wallet = await db
    .from('ledger_accounts')
    .select('id')
    .eq('owner_id', courierId)
    .eq('kind', 'courier_wallet')
    .maybeSingle();
  if (wallet.error) throw wallet.error;
  if (!wallet.data) return;
  const ids = (kind: 'order' | 'ride') => jobs.filter((j) => j.kind === kind).map((j) => j.id);
  for (const kind of ['order', 'ride'] as const) {
    const list = ids(kind);
    if (list.length === 0) continue;
    const column = kind === 'order' ? 'order_id' : 'ride_id';
    const { data, error } = await db
      .from('ledger_postings')
      .select(`amount, ledger_entries!inner(${column})`)
      .eq('account_id', wallet.data.id)
      .in(`ledger_entries.${column}`, list);
    if (error) throw error;
    for (const row of data as unknown as { amount: number; ledger_entries: Embed<Record<string, string>> }[]) {
      const jobId = one(row.ledger_entries)?.[column];
      const job = jobs.find((j) => j.kind === kind && j.id === jobId);
      if (job) job.net_xof = (job.net_xof ?? 0) + Number(row.amount);
    }
  }
}

async function addStars(db: DataClient, courierId: string, jobs: PastJob[]): Promise<void> {
  if (jobs.length === 0) return;
  const { data, error } = await db
    .from('ratings')
    .select('order_id, ride_id, stars')
    .eq('courier_id', courierId)
    .or(
      [
        ...jobs.filter((j) => j.kind === 'order').map((j) => `order_id.eq.${j.id}`),
        ...jobs.filter((j) => j.kind === 'ride').map((j) => `ride_id.eq.${j.id}`),
      ].join(','),
    );
  if (error) throw error;
  for (const r of data) {
    const job = jobs.find((j) => (j.kind === 'order' ? j.id === r.order_id : j.id === r.ride_id));
    if (job) job.stars = r.stars;
  }
}
