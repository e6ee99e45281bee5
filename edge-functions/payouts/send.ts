// Hands approved payouts to their provider and resolves sent ones, never paying twice:
//   send(id)  claims the payout (approved → sent, committed: private.claim_payout_send lets one caller win), then
//             makes ONE provider call with the payout id as reference and idempotency key, and records the answer:
//             succeeded → settled, failed → money back, pending → stays sent. Nothing reached the provider
//             (config) → back to approved; refused before sending (rejected) → failed, money back; an unknown
//             outcome (timeout, 5xx, unreadable answer) → stays sent, for the sweep.
//   sweep()   asks the provider about every payout sent for more than a minute (fetchPayoutStatus, never a second
//             send) and records the answer once (private.record_payout_outcome changes a sent payout only); sends
//             approved payouts nobody sent (a crash between approval and sending, a provider not configured then).
import { type Operator, PaymentError, type PaymentProvider, type PayoutResult } from '../_shared/payments/index.ts';
import type { Log } from '../_shared/request.ts';
import type { PayoutProviders } from './providers.ts';

/** The columns of a payout the sender needs. */
export interface PayoutRow {
  id: string;
  status: string;
  amount_xof: number;
  phone: string;
  operator: Operator;
  provider: string | null;
  provider_ref: string | null;
}

export type Outcome = 'succeeded' | 'failed' | 'pending';

/** The service-role calls of the sender (db.ts implements them over SQL; tests fake them). */
export interface SenderDb {
  payoutForSend(id: string): Promise<PayoutRow | null>;
  claimSend(id: string, provider: string): Promise<PayoutRow | null>;
  releaseSend(id: string, error: string): Promise<void>;
  recordOutcome(
    id: string,
    outcome: Outcome,
    detail: { providerRef?: string; failureReason?: string; error?: string },
  ): Promise<{ changed: boolean }>;
  dueForSweep(): Promise<PayoutRow[]>;
}

export interface SweepResult {
  checked: number;
  sent: number;
  succeeded: number;
  failed: number;
  pending: number;
  errors: number;
}

export interface PayoutSender {
  /** Sends one approved payout; returns what became of it (`skipped` when it was not approved or not ours). */
  send(id: string): Promise<Outcome | 'skipped' | 'released'>;
  sweep(): Promise<SweepResult>;
  /**
   * An authentic payout callback from `provider` names payout `id`: a hint only. Asks that provider for the status
   * (never a send) and records it once; `ignored` when the payout is not sent, or was sent through another provider.
   */
  confirm(id: string, provider: PaymentProvider): Promise<Outcome | 'ignored'>;
}

const describe = (error: unknown) =>
  error instanceof PaymentError
    ? `${error.provider} ${error.kind}: ${error.message}`
    : error instanceof Error
      ? error.message
      : String(error);

function outcomeOf(result: PayoutResult): Outcome {
  if (result.status === 'succeeded') return 'succeeded';
  if (result.status === 'failed' || result.status === 'expired') return 'failed';
  return 'pending';
}

export function createPayoutSender(deps: {
  db: SenderDb;
  providers: PayoutProviders;
  /** Where a provider posts its payout notifications (the payment-webhooks function; a hint, confirmed by a status call). */
  callbackUrl: (provider: string) => string;
  log: Log;
}): PayoutSender {
  const { db, providers, log } = deps;

  async function record(id: string, result: PayoutResult): Promise<Outcome> {
    const outcome = outcomeOf(result);
    await db.recordOutcome(id, outcome, {
      providerRef: result.providerRef,
      ...(outcome === 'failed' ? { failureReason: result.failureReason ?? 'unknown' } : {}),
    });
    return outcome;
  }

  async function send(id: string): Promise<Outcome | 'skipped' | 'released'> {
    const payout = await db.payoutForSend(id);
    if (!payout || payout.status !== 'approved') return 'skipped';
    let name: string;
    try {
      name = providers.nameFor(payout.operator);
    } catch (error) {
      log('payouts: no provider for the operator', { payout: id, error: describe(error) });
      return 'skipped';
    }
    const claimed = await db.claimSend(id, name);
    if (!claimed) return 'skipped';
    try {
      const provider = providers.get(name);
      if (!provider.payout) throw new PaymentError('config', name, 'this provider does not pay out');
      const result = await provider.payout({
        reference: claimed.id,
        amountXof: claimed.amount_xof,
        operator: claimed.operator,
        phone: claimed.phone.replace(/^\+/, ''),
        callbackUrl: deps.callbackUrl(name),
      });
      return await record(id, result);
    } catch (error) {
      const reason = describe(error);
      log('payouts: send failed', { payout: id, error: reason });
      if (error instanceof PaymentError && error.kind === 'config') {
        await db.releaseSend(id, reason);
        return 'released';
      }
      if (error instanceof PaymentError && error.kind === 'rejected') {
        await db.recordOutcome(id, 'failed', { failureReason: 'rejected', error: reason });
        return 'failed';
      }
      // Timeout, unavailable, protocol or anything else: the provider may have it. Stay sent; the sweep asks.
      await db.recordOutcome(id, 'pending', { error: reason });
      return 'pending';
    }
  }

  async function sweep(): Promise<SweepResult> {
    const result: SweepResult = { checked: 0, sent: 0, succeeded: 0, failed: 0, pending: 0, errors: 0 };
    for (const payout of await db.dueForSweep()) {
      result.checked += 1;
      if (payout.status === 'approved') {
        const outcome = await send(payout.id);
        if (outcome !== 'skipped' && outcome !== 'released') {
          result.sent += 1;
          result[outcome] += 1;
        }
        continue;
      }
      try {
        const provider = providers.get(payout.provider ?? '');
        if (!provider.fetchPayoutStatus) throw new PaymentError('config', provider.name, 'no payout status call');
        result[
          await record(payout.id, await provider.fetchPayoutStatus(payout.id, payout.provider_ref ?? undefined))
        ] += 1;
      } catch (error) {
        // Unknown at the provider, unreachable, unreadable: it stays sent (never re-sent), checked again later.
        result.errors += 1;
        log('payouts: status check failed', { payout: payout.id, error: describe(error) });
        await db.recordOutcome(payout.id, 'pending', { error: describe(error) });
      }
    }
    return result;
  }

  async function confirm(id: string, provider: PaymentProvider): Promise<Outcome | 'ignored'> {
    const payout = await db.payoutForSend(id);
    if (!payout || payout.status !== 'sent' || payout.provider !== provider.name || !provider.fetchPayoutStatus) {
      return 'ignored';
    }
    return await record(id, await provider.fetchPayoutStatus(id, payout.provider_ref ?? undefined));
  }

  return { send, sweep, confirm };
}
