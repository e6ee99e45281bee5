import { describe, expect, it } from 'vitest';
import {
  checkTopUpAmount,
  likelyOperator,
  movementLabelKey,
  operatorsFor,
  shortReference,
  TOPUP_QUICK_AMOUNTS,
  topUpNeeded,
  topUpOutcome,
  topUpSettled,
  walletHistory,
  type PaymentIntentRow,
  type WalletPostingRow,
} from '../src/wallet.ts';

const posting = (over: Partial<WalletPostingRow> & { kind: NonNullable<WalletPostingRow['entry']>['kind'] }) => ({
  amount: over.amount ?? 1000,
  balance_after: over.balance_after ?? 1000,
  created_at: over.created_at ?? '2026-11-21T10:00:00Z',
  entry: {
    id: over.entry?.id ?? `e-${over.kind}`,
    kind: over.kind,
    order_id: over.entry?.order_id ?? null,
    ride_id: null,
    payment_intent_id: over.entry?.payment_intent_id ?? null,
  },
});
const intent = (over: Partial<PaymentIntentRow>): PaymentIntentRow => ({
  id: 'pi-1',
  purpose: 'wallet_topup',
  status: 'pending',
  failure_reason: null,
  amount_xof: 5000,
  operator: 'orange_ci',
  created_at: '2026-11-21T11:00:00Z',
  ...over,
});

describe('operators', () => {
  it('offers the four Ivorian operators for +225 and the two Togolese ones for +228', () => {
    expect(operatorsFor('CI')).toEqual(['orange_ci', 'mtn_ci', 'moov_ci', 'wave_ci']);
    expect(operatorsFor('TG')).toEqual(['moov_tg', 'mixx_tg']);
  });

  it('guesses the operator of an Ivorian number from its prefix, never a Togolese one', () => {
    expect(likelyOperator('+2250700000321')).toBe('orange_ci');
    expect(likelyOperator('2250500000321')).toBe('mtn_ci');
    expect(likelyOperator('+225 01 00 00 03 21')).toBe('moov_ci');
    expect(likelyOperator('+2252700000321')).toBeNull();
    expect(likelyOperator('+22890000001')).toBeNull();
  });
});

describe('top-up amounts', () => {
  it('accepts the quick amounts and typed amounts within the bounds', () => {
    for (const a of TOPUP_QUICK_AMOUNTS) expect(checkTopUpAmount(a)).toEqual({ ok: true, value: a });
    expect(checkTopUpAmount('2 500')).toEqual({ ok: true, value: 2500 });
    expect(checkTopUpAmount('100')).toEqual({ ok: true, value: 100 });
    expect(checkTopUpAmount('500 000 FCFA')).toEqual({ ok: true, value: 500_000 });
  });

  it('refuses what is below the minimum, above the maximum, empty, fractional or not a number', () => {
    expect(checkTopUpAmount('99')).toEqual({ ok: false, reason: 'below_min' });
    expect(checkTopUpAmount(0)).toEqual({ ok: false, reason: 'below_min' });
    expect(checkTopUpAmount('500 005')).toEqual({ ok: false, reason: 'above_max' });
    expect(checkTopUpAmount('')).toEqual({ ok: false, reason: 'empty' });
    expect(checkTopUpAmount('12,5')).toEqual({ ok: false, reason: 'fraction' });
    expect(checkTopUpAmount(12.5)).toEqual({ ok: false, reason: 'fraction' });
    expect(checkTopUpAmount('-100')).toEqual({ ok: false, reason: 'negative' });
    expect(checkTopUpAmount('mille')).toEqual({ ok: false, reason: 'not_a_number' });
    expect(checkTopUpAmount(Number.NaN)).toEqual({ ok: false, reason: 'not_a_number' });
  });

  it('tops up what an order misses, at least the minimum, nothing when the balance is enough', () => {
    expect(topUpNeeded(0, 3825)).toBe(3825);
    expect(topUpNeeded(1000, 3825)).toBe(2825);
    expect(topUpNeeded(3800, 3825)).toBe(100);
    expect(topUpNeeded(3825, 3825)).toBe(0);
    expect(topUpNeeded(9000, 3825)).toBe(0);
  });
});

describe('what a top-up came to', () => {
  it('names each final state the payer must understand', () => {
    expect(topUpOutcome({ status: 'pending' })).toBe('pending');
    expect(topUpOutcome({ status: 'succeeded' })).toBe('succeeded');
    expect(topUpOutcome({ status: 'failed', failure_reason: 'declined' })).toBe('declined');
    expect(topUpOutcome({ status: 'failed', failure_reason: 'unknown' })).toBe('declined');
    expect(topUpOutcome({ status: 'failed', failure_reason: 'insufficient_funds' })).toBe('insufficient_funds');
    expect(topUpOutcome({ status: 'failed', failure_reason: 'amount_mismatch' })).toBe('short_payment');
    expect(topUpOutcome({ status: 'failed', failure_reason: 'cancelled' })).toBe('cancelled');
    expect(topUpOutcome({ status: 'failed', failure_reason: 'provider_refused' })).toBe('refused');
    expect(topUpOutcome({ status: 'failed', failure_reason: 'timeout' })).toBe('expired');
    expect(topUpOutcome({ status: 'expired', failure_reason: 'timeout' })).toBe('expired');
  });

  it('keeps asking only while the intent is pending', () => {
    expect(topUpSettled('pending')).toBe(false);
    expect(topUpSettled('succeeded')).toBe(true);
    expect(topUpSettled('failed')).toBe(true);
    expect(topUpSettled('expired')).toBe(true);
  });
});

describe('wallet history', () => {
  it('merges movements and uncredited top-ups newest first, a credited top-up once', () => {
    const history = walletHistory(
      [
        posting({ kind: 'topup', amount: 5000, balance_after: 5000, entry: { payment_intent_id: 'pi-ok' } as never }),
        posting({
          kind: 'order_hold',
          amount: -3825,
          balance_after: 1175,
          created_at: '2026-11-21T12:00:00Z',
          entry: { id: 'e-hold', order_id: 'o-1' } as never,
        }),
      ],
      [
        intent({ id: 'pi-ok', status: 'succeeded', created_at: '2026-11-21T09:59:00Z', operator: 'wave_ci' }),
        intent({ id: 'pi-no', status: 'failed', failure_reason: 'declined', created_at: '2026-11-21T11:00:00Z' }),
        intent({ id: 'pi-wait', status: 'pending', created_at: '2026-11-21T13:00:00Z', amount_xof: 2000 }),
        intent({ id: 'pi-dep', purpose: 'cash_deposit', status: 'failed', created_at: '2026-11-21T14:00:00Z' }),
      ],
    );
    expect(history.map((m) => [m.kind, m.amount_xof, m.outcome])).toEqual([
      ['topup_pending', 2000, 'pending'],
      ['order_hold', -3825, null],
      ['topup_failed', 5000, 'declined'],
      ['topup', 5000, 'succeeded'],
    ]);
    expect(history[1]).toMatchObject({ order_id: 'o-1', balance_after_xof: 1175, id: 'entry:e-hold' });
    expect(history[3]).toMatchObject({ operator: 'wave_ci', payment_intent_id: 'pi-ok' });
  });

  it('is empty for a new wallet and skips postings whose entry is not readable', () => {
    expect(walletHistory([], [])).toEqual([]);
    expect(
      walletHistory([{ amount: 5, balance_after: 5, created_at: '2026-11-21T10:00:00Z', entry: null }], []),
    ).toEqual([]);
  });

  it('names movements with i18n keys and shortens references', () => {
    expect(movementLabelKey('order_release')).toBe('wallet.kind.order_release');
    expect(movementLabelKey('topup_failed')).toBe('wallet.kind.topup_failed');
    expect(shortReference('9f1c2d3e-aaaa-4bbb-8ccc-ddddeeeeffff')).toBe('9F1C2D3E');
  });
});
