// The wallet in the customer app: its messages (both languages, one for every outcome, movement and refusal the
// domain returns), a top-up that survives a lost answer and a reload with one Idempotency-Key per attempt, polling
// that stops when the intent is settled or the page is left. The bundle: wallet-bundle.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { answer, json, sent, storage, stubStorage } from './phone.ts';
import walletEn from '../src/i18n/wallet/en.json';
import walletFr from '../src/i18n/wallet/fr.json';
import fr from '../src/i18n/fr.json';
import ordersFr from '../src/i18n/orders/fr.json';

stubStorage();

const { useTopUp, TOPUP_POLL_MS } = await import('../src/composables/useTopUp.ts');

type Tree = { [key: string]: Tree | string };
const keys = (tree: Tree, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
const get = (tree: Tree, path: string): unknown =>
  path.split('.').reduce<unknown>((node, k) => (node as Tree | undefined)?.[k], tree);

describe('wallet messages', () => {
  it('has every French key in English, and none the other catalogues already have', () => {
    expect(keys(walletEn as Tree).sort()).toEqual(keys(walletFr as Tree).sort());
    const others = new Set([...keys(fr as unknown as Tree), ...keys(ordersFr as unknown as Tree)]);
    expect(keys(walletFr as Tree).filter((k) => others.has(k))).toEqual([]);
  });

  it('names every movement, outcome and amount refusal @ecom/domain/wallet returns', () => {
    const kinds = [
      'topup',
      'topup_pending',
      'topup_failed',
      'order_hold',
      'order_release',
      'order_capture',
      'order_cash',
      'ride_hold',
      'ride_release',
      'ride_capture',
      'ride_cash',
      'cancellation_fee',
      'refund',
      'cash_deposit',
      'payout',
      'payout_settled',
      'payout_reversal',
      'adjustment',
    ];
    const outcomes = [
      'pending',
      'succeeded',
      'declined',
      'cancelled',
      'insufficient_funds',
      'expired',
      'short_payment',
      'refused',
    ];
    const refusals = ['empty', 'not_a_number', 'fraction', 'negative', 'too_large', 'below_min', 'above_max'];
    for (const tree of [walletFr, walletEn] as Tree[]) {
      for (const k of kinds) expect(typeof get(tree, `wallet.kind.${k}`), k).toBe('string');
      for (const o of outcomes) expect(typeof get(tree, `wallet.outcome.${o}`), o).toBe('string');
      for (const r of refusals) expect(typeof get(tree, `wallet.amount.${r}`), r).toBe('string');
    }
    expect(get(walletFr as Tree, 'wallet.pendingTitle')).toBe('Confirmez sur votre téléphone');
  });
});

const body = { amount_xof: 5000, operator: 'orange_ci' as const, phone: '+2250700000321' };
const intent = (status: string, failure_reason: string | null = null) => ({
  payment_intent: {
    id: 'pi-1',
    purpose: 'wallet_topup',
    status,
    failure_reason,
    amount_xof: 5000,
    operator: 'orange_ci',
    phone: '2250700000321',
    provider: 'sandbox',
    expires_at: '2026-11-21T20:00:00Z',
    created_at: '2026-11-21T19:50:00Z',
  },
});

describe('useTopUp', () => {
  beforeEach(() => {
    storage.clear();
    sent.length = 0;
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('sends a top-up whose answer was lost again with the same key, also after a reload', async () => {
    answer(
      new TypeError('Failed to fetch'),
      json(200, { ...intent('pending'), instructions: 'Confirmez', replayed: true }),
    );
    const first = useTopUp();
    await first.start(body);
    expect(first.phase.value).toBe('unknown');
    // A changed request may not go while the first one's outcome is unknown.
    await first.start({ ...body, amount_xof: 2000 });
    expect(sent).toHaveLength(1);
    expect(first.error.value?.code).toBe('outcome_unknown');
    const reloaded = useTopUp();
    expect(reloaded.unknownBody.value).toEqual(body);
    await reloaded.retryUnknown();
    expect(sent.map((c) => c.method)).toEqual(['POST', 'POST']);
    expect(sent[0]!.url).toMatch(/\/functions\/v1\/payments\/top-ups$/);
    expect(sent[1]!.key).toBe(sent[0]!.key);
    expect(reloaded.phase.value).toBe('pending');
    expect(reloaded.instructions.value).toBe('Confirmez');
    reloaded.stop();
  });

  it('asks about a pending intent every 2 s until it is settled, then reports it once', async () => {
    answer(
      json(201, { ...intent('pending'), instructions: null }),
      json(200, intent('pending')),
      new TypeError('Failed to fetch'),
      json(200, intent('succeeded')),
    );
    const settled = vi.fn();
    const t = useTopUp({ onSettled: settled });
    await t.start(body);
    for (let i = 0; i < 3; i++) await vi.advanceTimersByTimeAsync(TOPUP_POLL_MS);
    expect(sent.slice(1).every((c) => c.method === 'GET' && c.url.endsWith('/payments/intents/pi-1'))).toBe(true);
    expect(t.phase.value).toBe('succeeded');
    expect(settled).toHaveBeenCalledTimes(1);
    // Seen pending, then settled: the payer just confirmed (the checkout places the order on this one only).
    expect(settled).toHaveBeenCalledWith(expect.objectContaining({ status: 'succeeded' }), true);
    await vi.advanceTimersByTimeAsync(TOPUP_POLL_MS * 5);
    expect(sent).toHaveLength(4);
  });

  it('stops asking when the page is left, and a reload picks the pending intent up again', async () => {
    answer(json(201, { ...intent('pending'), instructions: null }));
    const t = useTopUp();
    await t.start(body);
    t.stop();
    await vi.advanceTimersByTimeAsync(TOPUP_POLL_MS * 3);
    expect(sent).toHaveLength(1);
    answer(json(200, intent('failed', 'insufficient_funds')));
    const settled = vi.fn();
    const again = useTopUp({ onSettled: settled });
    await again.resume();
    expect(again.phase.value).toBe('insufficient_funds');
    expect(settled).toHaveBeenCalledWith(expect.objectContaining({ status: 'failed' }), false);
    // Its outcome was shown: the next visit starts from the form.
    const later = useTopUp();
    await later.resume();
    expect(later.phase.value).toBe('idle');
    expect(sent).toHaveLength(2);
  });

  it('gives the next attempt a new key once the first one is settled, and shows a refusal in words', async () => {
    answer(
      json(201, { ...intent('failed', 'declined'), instructions: null }),
      json(422, {
        error: { code: 'amount_out_of_range', message: 'Le montant doit être entre 100 FCFA et 500 000 FCFA.' },
      }),
    );
    const t = useTopUp();
    await t.start(body);
    expect(t.phase.value).toBe('declined');
    t.reset();
    expect(t.phase.value).toBe('idle');
    await t.start(body);
    expect(sent[1]!.key).not.toBe(sent[0]!.key);
    expect(t.error.value?.kind).toBe('refused');
    expect(t.error.value?.message).toBe('Le montant doit être entre 100 FCFA et 500 000 FCFA.');
    expect(t.phase.value).toBe('idle');
  });
});
