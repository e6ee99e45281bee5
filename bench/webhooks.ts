// Payment webhook acknowledgement (issue 6, performance-and-reliability.md R6: 2xx ack p99 ≤ 500 ms), through the
// gateway to the real `payment-webhooks` function and the sandbox provider:
//   authentic_callbacks   signed `collection.succeeded` callbacks (each a new event id) for top-ups the payer has
//                         confirmed: signature check, the evidence row, the status call to the provider, the
//                         idempotent credit; `concurrency` at a time. Checks that no wallet was credited twice.
//   reference_forged      the same endpoint and body with a wrong signature: refused (401) before any database or
//                         provider work, the function's own floor.
// `node bench/webhooks.ts` prints JSON; bench/run.ts includes it as `webhooks`.
import { createHmac } from 'node:crypto';
import pg from 'pg';
import { asService, signInByPhone } from '../e2e/lib/api.ts';
import { startTestStack } from '../e2e/lib/stack.ts';
import { confirmOnPhone } from '../e2e/lib/wallet-api.ts';
import { SANDBOX_PAY_WEBHOOK_SECRET } from '../packages/local-stack/src/sandbox-pay.ts';

const round = (n: number): number => Math.round(n * 100) / 100;
const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const stats = (xs: number[]) => ({
  p50_ms: round(pct(xs, 50)),
  p95_ms: round(pct(xs, 95)),
  p99_ms: round(pct(xs, 99)),
});

// A payer number with no magic ending (docs/payments.md): the collection waits for the PIN on the phone.
const PAYER = { phone: '+2250700001150', msisdn: '2250700001150' };
const AMOUNT = 1000;

function signed(body: string, secret: string): string {
  const t = Math.floor(Date.now() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** Sends `bodies` to the webhook, `concurrency` at a time; the time of each answer and its status. */
async function deliver(url: string, bodies: string[], secret: string, concurrency: number) {
  const times: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const t = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Sandbox-Signature': signed(body, secret) },
        body,
      });
      await res.arrayBuffer();
      times.push(performance.now() - t);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const secs = (performance.now() - t0) / 1000;
  return { times, statuses: Object.fromEntries(statuses), per_s: round(bodies.length / secs) };
}

export async function webhooksBench(opts: { topUps?: number; callbacks?: number; concurrency?: number } = {}) {
  const topUps = opts.topUps ?? 10;
  const callbacks = opts.callbacks ?? 300;
  const concurrency = opts.concurrency ?? 10;
  const { stack, stop } = await startTestStack({ functions: true });
  try {
    const token = await signInByPhone(stack, PAYER.phone);
    const userId = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub;
    const db = new pg.Client({ connectionString: stack.dbUrl });
    await db.connect();
    const wallet = async () =>
      Number(
        (
          await db.query<{ balance: string }>(
            `select coalesce(sum(balance), 0) as balance from public.ledger_accounts
              where owner_id = $1 and kind = 'customer_wallet'`,
            [userId],
          )
        ).rows[0]!.balance,
      );
    // Top-ups the payer confirms with the PIN; the sandbox's own callback credits each one once.
    const paid: { reference: string; providerRef: string }[] = [];
    for (let i = 0; i < topUps; i += 1) {
      const res = await fetch(`${stack.apiUrl}/functions/v1/payments/top-ups`, {
        method: 'POST',
        headers: {
          apikey: stack.anonKey,
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': `bench-webhooks-${i}-${crypto.randomUUID()}`,
        },
        body: JSON.stringify({ amount_xof: AMOUNT, operator: 'orange_ci', phone: PAYER.phone }),
      });
      const body = (await res.json()) as { payment_intent?: { id: string } };
      const intentId = body.payment_intent?.id;
      if (!res.ok || !intentId) throw new Error(`top-up: ${res.status} ${JSON.stringify(body)}`);
      const request = await confirmOnPhone(stack, PAYER.msisdn, intentId);
      paid.push({ reference: intentId, providerRef: request.id });
      // One at a time: a payer may have only 5 payments pending.
      for (const end = Date.now() + 20_000; (await wallet()) < (i + 1) * AMOUNT && Date.now() < end;)
        await new Promise((r) => setTimeout(r, 100));
    }
    for (const end = Date.now() + 20_000; (await wallet()) < topUps * AMOUNT && Date.now() < end;)
      await new Promise((r) => setTimeout(r, 200));
    const credited = await wallet();
    if (credited !== topUps * AMOUNT) throw new Error(`the top-ups credited ${credited}, not ${topUps * AMOUNT}`);

    const url = `${stack.apiUrl}/functions/v1/payment-webhooks/sandbox`;
    const bodies = Array.from({ length: callbacks }, (_, i) => {
      const p = paid[i % paid.length]!;
      return JSON.stringify({
        id: `evt_bench_${i}_${crypto.randomUUID()}`,
        type: 'collection.succeeded',
        created_at: new Date().toISOString(),
        data: { id: p.providerRef, reference: p.reference, amount: AMOUNT, currency: 'XOF', status: 'succeeded' },
      });
    });
    // Warm-up: the function's first requests open its pool.
    await deliver(url, bodies.slice(0, concurrency), SANDBOX_PAY_WEBHOOK_SECRET, concurrency);
    const authentic = await deliver(url, bodies, SANDBOX_PAY_WEBHOOK_SECRET, concurrency);
    const forged = await deliver(url, bodies, 'not-the-secret', concurrency);
    const after = await wallet();
    const intents = (await asService(stack, `payment_intents?select=status&user_id=eq.${userId}`)) as {
      status: string;
    }[];
    await db.end();
    return {
      top_ups: topUps,
      callbacks,
      concurrency,
      authentic_callbacks: { acks_per_s: authentic.per_s, ...stats(authentic.times), statuses: authentic.statuses },
      reference_forged_signature: { acks_per_s: forged.per_s, ...stats(forged.times), statuses: forged.statuses },
      double_credits: (after - credited) / AMOUNT,
      intents_succeeded: intents.filter((i) => i.status === 'succeeded').length,
      target_ack_p99_ms: 500,
    };
  } finally {
    await stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await webhooksBench(), null, 2));
}
