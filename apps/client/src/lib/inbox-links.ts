// Where a notification leads when tapped: its order, its ride, or the wallet for money news. Pure, unit-tested.

export interface NotificationTarget {
  kind: string;
  data: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function idIn(data: unknown, key: string): string | null {
  if (typeof data !== 'object' || data === null) return null;
  const value = (data as Record<string, unknown>)[key];
  return typeof value === 'string' && UUID.test(value) ? value : null;
}

/** The app route a notification opens, or null when it leads nowhere (a promotion, a system message). */
export function notificationLink(n: NotificationTarget): string | null {
  const order = idIn(n.data, 'order_id');
  if (order) return `/orders/${order}`;
  const ride = idIn(n.data, 'ride_id');
  if (ride) return `/rides/${ride}`;
  if (n.kind === 'payment' || idIn(n.data, 'payment_intent_id') || idIn(n.data, 'payout_id')) return '/wallet';
  return null;
}
