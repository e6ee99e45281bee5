// The operations part's pure pieces: every refusal the database can send has words in French and English (and the two
// message files have the same keys), PostgREST errors become the right codes (never raw SQL), percentages and
// amounts typed by a person, the OTP limits read from supabase/config.toml, and the CSV of an export.
import { parseCsv } from '@ecom/domain/csv';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bpsToPercent, percentToBps } from '../src/data/ops/config.ts';
import { OpsError, opsError } from '../src/data/ops/errors.ts';
import { couriersCsv, ordersCsv } from '../src/data/ops/exports.ts';
import { readOtpLimits } from '../src/data/ops/otp-limits.ts';
import { parseWholeXof } from '../src/pages/ops/ops-ui.ts';

const fr = JSON.parse(readFileSync(new URL('../src/i18n/ops.fr.json', import.meta.url), 'utf8'));
const en = JSON.parse(readFileSync(new URL('../src/i18n/ops.en.json', import.meta.url), 'utf8'));

function keys(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

/** Every code the operations migrations raise (EO…) that a page can meet. */
const DATABASE_CODES = [
  'admin_only',
  'staff_only',
  'reason_required',
  'cannot_suspend_self',
  'cannot_change_own_admin',
  'courier_on_job',
  'person_not_found',
  'validation_failed',
  'dispute_not_found',
  'dispute_closed',
  'evidence_kind_invalid',
  'no_photos',
  'outcome_invalid',
  'note_required',
  'refund_exceeds_paid',
  'not_refundable',
  'insufficient_funds',
  'idempotency_key_reused',
  'period_invalid',
];

describe('messages', () => {
  it('has the same keys in French and English', () => {
    expect(keys(en).sort()).toEqual(keys(fr).sort());
  });

  it('uses the same placeholders in both languages', () => {
    const at = (tree: Record<string, unknown>, key: string) =>
      key.split('.').reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], tree) as string;
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of keys(fr)) expect([key, placeholders(at(en, key))]).toEqual([key, placeholders(at(fr, key))]);
  });

  it('has words for every refusal of the database and of the constraints', () => {
    for (const code of [...DATABASE_CODES, 'amount_min', 'percent_range', 'cash_limit_max', 'promo_percent']) {
      expect(fr.ops.errors[code], code).toBeTruthy();
      expect(en.ops.errors[code], code).toBeTruthy();
    }
  });
});

describe('opsError', () => {
  it('takes the code of a business refusal and its detail', () => {
    const e = opsError({
      code: 'EO422',
      message: 'refund_exceeds_paid',
      details: '{"paid_xof": 1000, "refundable_xof": 600}',
    });
    expect(e).toBeInstanceOf(OpsError);
    expect([e.code, e.detail]).toEqual(['refund_exceeds_paid', { paid_xof: 1000, refundable_xof: 600 }]);
  });

  it('turns the named CHECK constraints into codes with their figures', () => {
    const amount = opsError({
      code: '23514',
      message: 'base_fare_xof must be a whole number of FCFA of at least 0, got -100',
    });
    expect([amount.code, amount.detail]).toEqual(['amount_min', { field: 'base_fare_xof', min: 0, got: -100 }]);
    expect(
      opsError({
        code: '23514',
        message:
          'new row for relation "order_rates" violates check constraint "order_rates_merchant_commission_bps_range"',
      }).code,
    ).toBe('percent_range');
    expect(
      opsError({ code: '23514', message: 'a percent promotion needs a value from 1 to 100, got 101' }).detail,
    ).toEqual({ got: 101 });
    expect(
      opsError({ code: '23505', message: 'duplicate key value violates unique constraint "promotions_code_key"' }).code,
    ).toBe('duplicate');
    expect(opsError({ code: '42501', message: 'permission denied for table zones' }).code).toBe('forbidden');
    expect(opsError({ code: 'XX000', message: 'boom' }).code).toBe('unknown');
  });
});

describe('typed values', () => {
  it('reads percentages as basis points and back', () => {
    expect(percentToBps('12,5')).toBe(1250);
    expect(percentToBps('10 %')).toBe(1000);
    expect(percentToBps('101')).toBe(10100);
    expect(percentToBps('dix')).toBeNull();
    expect(bpsToPercent(1250)).toBe('12,5');
  });

  it('reads whole FCFA, negative ones too (the database says why they are refused)', () => {
    expect(parseWholeXof('1 500')).toBe(1500);
    expect(parseWholeXof('-100')).toBe(-100);
    expect(parseWholeXof('12.5')).toBeNull();
    expect(parseWholeXof('')).toBeNull();
  });
});

describe('OTP limits', () => {
  it('reads the SMS and rate-limit settings of the real config.toml', () => {
    const toml = readFileSync(new URL('../../../supabase/config.toml', import.meta.url), 'utf8');
    const limits = readOtpLimits(toml);
    expect(limits).toContainEqual({ section: 'auth.sms', key: 'max_frequency', value: '60s' });
    expect(limits).toContainEqual({ section: 'auth.sms', key: 'otp_length', value: '6' });
    expect(limits.map((l) => l.key)).toContain('sms_sent');
  });
});

describe('export CSV', () => {
  const t = (key: string) =>
    key === 'ops.exports.yes' ? 'oui' : key === 'ops.exports.no' ? 'non' : key.split('.').at(-1)!;

  it('writes one line per order with integer amounts and times in GMT', () => {
    const csv = ordersCsv(
      [
        {
          order_id: 'o1',
          placed_at: '2026-11-21T14:05:09.123+00:00',
          status: 'delivered',
          store_name: 'Maquis; Chez Tantie',
          customer_name: 'Awa Koné',
          customer_phone: '+2250700001022',
          fulfilment: 'pickup',
          payment_method: 'wallet',
          subtotal_xof: 2000,
          delivery_fee_xof: 0,
          discount_xof: 0,
          total_xof: 2000,
          refunded_xof: 750,
          courier_name: null as unknown as string,
          delivered_at: null as unknown as string,
          cancellation_reason: null as unknown as string,
        },
      ],
      t,
    );
    const rows = parseCsv(csv);
    expect(rows[1]).toEqual([
      'o1',
      '2026-11-21 14:05',
      'delivered',
      'Maquis; Chez Tantie',
      'Awa Koné',
      '+2250700001022',
      'pickup',
      'wallet',
      '2000',
      '0',
      '0',
      '2000',
      '750',
      '',
      '',
      '',
    ]);
  });

  it('says yes / no for a suspended courier in the register', () => {
    const rows = parseCsv(
      couriersCsv(
        [
          {
            courier_id: 'c1',
            full_name: '=cmd',
            phone: '+2250700000201',
            vehicle_type: 'moto',
            plate: '1234 AB 01',
            municipal_registration_number: 'TSL-0001',
            vest_number: '017',
            approval_status: 'approved',
            zone_name: 'Tiassalé',
            suspended: true,
            national_id_expires_on: '2030-01-01',
            driving_licence_expires_on: '2029-06-30',
            vehicle_registration_expires_on: '2028-01-01',
            insurance_expires_on: '2027-01-01',
            municipal_card_expires_on: '2027-06-01',
            documents: 'national_id CI001 (approved, 2030-01-01)',
          },
        ],
        t,
      ),
    );
    expect(rows[1]!.slice(0, 10)).toEqual([
      "'=cmd",
      '+2250700000201',
      'moto',
      '1234 AB 01',
      'TSL-0001',
      '017',
      'approved',
      'Tiassalé',
      'oui',
      '2030-01-01',
    ]);
  });
});
