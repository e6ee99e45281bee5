// The `payments` edge function (docs/API.md): top-ups by mobile money and the payer's intents. Same conventions and
// failure kinds as the orders function (functionCall): refusals carry the server's code and message in the
// language on screen; a timeout or a dropped connection leaves the outcome of a POST unknown.
import type { MobileMoneyOperator, PaymentIntentStatus } from '@ecom/domain/wallet';
import { functionCall } from './orders-api.ts';

export interface PaymentIntent {
  id: string;
  purpose: 'wallet_topup' | 'cash_deposit';
  status: PaymentIntentStatus;
  failure_reason: string | null;
  amount_xof: number;
  operator: MobileMoneyOperator;
  phone: string;
  provider: string;
  expires_at: string;
  created_at: string;
  settled_at?: string | null;
}

export interface TopUpBody {
  amount_xof: number;
  operator: MobileMoneyOperator;
  phone: string;
}

export interface TopUpAnswer {
  payment_intent: PaymentIntent;
  instructions: string | null;
  payment_url?: string | null;
  replayed?: boolean;
}

export function createTopUp(body: TopUpBody, idempotencyKey: string): Promise<TopUpAnswer> {
  return functionCall<TopUpAnswer>('payments', '/top-ups', { method: 'POST', body, idempotencyKey });
}

export async function readIntent(id: string): Promise<PaymentIntent> {
  const { payment_intent } = await functionCall<{ payment_intent: PaymentIntent }>(
    'payments',
    `/intents/${encodeURIComponent(id)}`,
    { timeoutMs: 10_000 },
  );
  return payment_intent;
}
