// Exports for the operations team (docs/admin-ops.md "Exports"): orders and payouts of a period, the couriers'
// register for the town hall. The database returns rows (admins and support); this turns them into the CSV French
// Excel opens (packages/domain/src/csv.ts) with headers in the dashboard's language.
import type { DataClient } from '@ecom/app-kit/supabase';
import { toCsv, type CsvCell, type CsvColumn } from '@ecom/domain/csv';
import type { Database } from '@ecom/db';
import { unwrap } from './errors.ts';

type Fn = Database['public']['Functions'];
export type OrderExportRow = Fn['admin_export_orders']['Returns'][number];
export type PayoutExportRow = Fn['admin_export_payouts']['Returns'][number];
export type CourierRegisterRow = Fn['admin_courier_register']['Returns'][number];
export type ExportKind = 'orders' | 'payouts' | 'couriers';

/** Header words and value words (statuses, yes / no) in the dashboard's language. */
export type Translate = (key: string) => string;

/** "2026-11-21 14:05" in UTC, which is Côte d'Ivoire's and Togo's time (GMT all year). */
export const dateTime = (iso: string | null): CsvCell => (iso ? iso.slice(0, 16).replace('T', ' ') : null);

function columns<T>(t: Translate, spec: Array<[string, (row: T) => CsvCell]>): CsvColumn<T>[] {
  return spec.map(([key, value]) => ({ header: t(`ops.exports.columns.${key}`), value }));
}

export function ordersCsv(rows: OrderExportRow[], t: Translate): string {
  return toCsv(
    rows,
    columns<OrderExportRow>(t, [
      ['order', (r) => r.order_id],
      ['placedAt', (r) => dateTime(r.placed_at)],
      ['status', (r) => t(`ops.exports.orderStatus.${r.status}`)],
      ['store', (r) => r.store_name],
      ['customer', (r) => r.customer_name],
      ['phone', (r) => r.customer_phone],
      ['fulfilment', (r) => r.fulfilment],
      ['payment', (r) => r.payment_method],
      ['subtotal', (r) => r.subtotal_xof],
      ['deliveryFee', (r) => r.delivery_fee_xof],
      ['discount', (r) => r.discount_xof],
      ['total', (r) => r.total_xof],
      ['refunded', (r) => Number(r.refunded_xof)],
      ['courier', (r) => r.courier_name],
      ['deliveredAt', (r) => dateTime(r.delivered_at)],
      ['reason', (r) => r.cancellation_reason],
    ]),
  );
}

export function payoutsCsv(rows: PayoutExportRow[], t: Translate): string {
  return toCsv(
    rows,
    columns<PayoutExportRow>(t, [
      ['payout', (r) => r.payout_id],
      ['requestedAt', (r) => dateTime(r.requested_at)],
      ['payeeKind', (r) => t(`ops.exports.payee.${r.payee_kind}`)],
      ['payee', (r) => r.payee_name],
      ['amount', (r) => r.amount_xof],
      ['phone', (r) => r.phone],
      ['operator', (r) => r.operator],
      ['status', (r) => r.status],
      ['providerRef', (r) => r.provider_ref],
      ['resolvedAt', (r) => dateTime(r.resolved_at)],
      ['reason', (r) => r.reason],
    ]),
  );
}

export function couriersCsv(rows: CourierRegisterRow[], t: Translate): string {
  return toCsv(
    rows,
    columns<CourierRegisterRow>(t, [
      ['name', (r) => r.full_name],
      ['phone', (r) => r.phone],
      ['vehicle', (r) => r.vehicle_type],
      ['plate', (r) => r.plate],
      ['municipalNumber', (r) => r.municipal_registration_number],
      ['vest', (r) => r.vest_number],
      ['approval', (r) => r.approval_status],
      ['zone', (r) => r.zone_name],
      ['suspended', (r) => t(r.suspended ? 'ops.exports.yes' : 'ops.exports.no')],
      ['nationalId', (r) => r.national_id_expires_on],
      ['licence', (r) => r.driving_licence_expires_on],
      ['registration', (r) => r.vehicle_registration_expires_on],
      ['insurance', (r) => r.insurance_expires_on],
      ['municipalCard', (r) => r.municipal_card_expires_on],
      ['documents', (r) => r.documents],
    ]),
  );
}

/** The CSV text of one export; `from` / `to` are ISO instants ([from, to), at most 366 days). */
export async function exportCsv(
  db: DataClient,
  kind: ExportKind,
  t: Translate,
  period: { from: string; to: string },
): Promise<{ csv: string; rows: number }> {
  if (kind === 'orders') {
    const rows = unwrap(await db.rpc('admin_export_orders', { p_from: period.from, p_to: period.to }));
    return { csv: ordersCsv(rows, t), rows: rows.length };
  }
  if (kind === 'payouts') {
    const rows = unwrap(await db.rpc('admin_export_payouts', { p_from: period.from, p_to: period.to }));
    return { csv: payoutsCsv(rows, t), rows: rows.length };
  }
  const rows = unwrap(await db.rpc('admin_courier_register'));
  return { csv: couriersCsv(rows, t), rows: rows.length };
}
