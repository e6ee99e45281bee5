// What the courier earned (delivery fees of delivered orders, fares of completed rides), per job and per period,
// and the cash in hand (cash orders collected): all read as the courier, RLS keeps it to their own jobs.
import type { DataClient } from '@ecom/app-kit/supabase';

export interface EarnedJob {
  kind: 'order' | 'ride';
  id: string;
  at: string;
  earnings_xof: number;
  cash_xof: number;
}

export async function listEarnedJobs(client: DataClient, courierId: string, since: Date): Promise<EarnedJob[]> {
  const [orders, rides] = await Promise.all([
    client
      .from('orders')
      .select('id, delivered_at, delivery_fee_xof, total_xof, payment_method, cash_collected_at')
      .eq('courier_id', courierId)
      .eq('status', 'delivered')
      .gte('delivered_at', since.toISOString()),
    client
      .from('rides')
      .select('id, completed_at, final_fare_xof, fare_quote_xof, payment_method')
      .eq('courier_id', courierId)
      .eq('status', 'completed')
      .gte('completed_at', since.toISOString()),
  ]);
  if (orders.error) throw orders.error;
  if (rides.error) throw rides.error;
  const jobs: EarnedJob[] = [
    ...orders.data.map((o) => ({
      kind: 'order' as const,
      id: o.id,
      at: o.delivered_at ?? '',
      earnings_xof: o.delivery_fee_xof,
      cash_xof: o.payment_method === 'cash' && o.cash_collected_at ? o.total_xof : 0,
    })),
    ...rides.data.map((r) => ({
      kind: 'ride' as const,
      id: r.id,
      at: r.completed_at ?? '',
      earnings_xof: r.final_fare_xof ?? r.fare_quote_xof,
      cash_xof: r.payment_method === 'cash' ? (r.final_fare_xof ?? r.fare_quote_xof) : 0,
    })),
  ];
  return jobs.sort((a, b) => b.at.localeCompare(a.at));
}

/** Sums per period: today, the last 7 days, this month (local time). */
export function periodTotals(jobs: readonly EarnedJob[], now: Date) {
  const day = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const week = new Date(day.getTime() - 6 * 86_400_000);
  const month = new Date(now.getFullYear(), now.getMonth(), 1);
  const sum = (from: Date) =>
    jobs.filter((j) => Date.parse(j.at) >= from.getTime()).reduce((s, j) => s + j.earnings_xof, 0);
  return { today: sum(day), week: sum(week), month: sum(month) };
}

export interface RatingReceived {
  stars: number;
  comment: string | null;
  created_at: string;
}

export async function listRatings(client: DataClient, courierId: string): Promise<RatingReceived[]> {
  const { data, error } = await client
    .from('ratings')
    .select('stars, comment, created_at')
    .eq('courier_id', courierId)
    .order('created_at', { ascending: false })
    .limit(20);
  if (error) throw error;
  return data;
}

/** The courier's wallet (earnings not yet paid out) and the cash he holds for Ecom (courier_cash ≤ 0: he owes it). */
export async function courierMoney(
  client: DataClient,
  courierId: string,
): Promise<{ wallet: number; cashInHand: number }> {
  const { data, error } = await client
    .from('ledger_accounts')
    .select('kind, balance')
    .eq('owner_id', courierId)
    .in('kind', ['courier_wallet', 'courier_cash']);
  if (error) throw error;
  const balance = (kind: string) => Number(data.find((a) => a.kind === kind)?.balance ?? 0);
  return { wallet: balance('courier_wallet'), cashInHand: Math.max(0, -balance('courier_cash')) };
}
