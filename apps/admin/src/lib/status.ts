// The colour of a status tag (PrimeVue severities), for orders, rides, documents, payments and payouts.
export function statusSeverity(status: string): 'success' | 'info' | 'warn' | 'danger' | 'secondary' {
  if (['delivered', 'completed', 'approved', 'succeeded', 'paid', 'open'].includes(status)) return 'success';
  if (['cancelled', 'rejected', 'failed', 'expired', 'suspended', 'closed'].includes(status)) return 'danger';
  if (['pending', 'requested', 'pending_approval', 'busy'].includes(status)) return 'warn';
  if (['accepted', 'preparing', 'ready', 'picked_up', 'arrived', 'in_progress', 'sent'].includes(status)) return 'info';
  return 'secondary';
}
