// The signed-in person's wallet: what they can spend, what is held for orders in progress, and the history (ledger
// postings of the wallet with their entry, plus top-ups not credited). All read under RLS: a person reads their own
// accounts, the postings and entries that touch them, and their own payment intents (docs/ledger.md, "Who reads").
import { useAsyncData } from '@ecom/app-kit/async-data';
import { walletHistory, type LedgerEntryKind, type WalletMovement } from '@ecom/domain/wallet';
import { supabase } from '../lib/supabase.ts';
import { useSessionStore } from '../stores/session.ts';

export interface WalletBalances {
  available_xof: number;
  on_hold_xof: number;
  /** null until the first top-up creates the account. */
  wallet_account_id: string | null;
}

const HISTORY_LIMIT = 50;

async function readBalances(owner: string): Promise<WalletBalances> {
  const { data, error } = await supabase
    .from('ledger_accounts')
    .select('id, kind, balance')
    .eq('owner_id', owner)
    .in('kind', ['customer_wallet', 'customer_hold']);
  if (error) throw new Error(error.message);
  const wallet = data.find((a) => a.kind === 'customer_wallet');
  const hold = data.find((a) => a.kind === 'customer_hold');
  return {
    available_xof: wallet?.balance ?? 0,
    on_hold_xof: hold?.balance ?? 0,
    wallet_account_id: wallet?.id ?? null,
  };
}

async function readHistory(owner: string, walletAccountId: string | null): Promise<WalletMovement[]> {
  const [postings, intents] = await Promise.all([
    walletAccountId
      ? supabase
          .from('ledger_postings')
          .select(
            'amount, balance_after, created_at, entry:ledger_entries(id, kind, order_id, ride_id, payment_intent_id)',
          )
          .eq('account_id', walletAccountId)
          .order('id', { ascending: false })
          .limit(HISTORY_LIMIT)
      : Promise.resolve({ data: [], error: null }),
    supabase
      .from('payment_intents')
      .select('id, purpose, status, failure_reason, amount_xof, operator, created_at')
      .eq('user_id', owner)
      .eq('purpose', 'wallet_topup')
      .order('created_at', { ascending: false })
      .limit(HISTORY_LIMIT),
  ]);
  if (postings.error) throw new Error(postings.error.message);
  if (intents.error) throw new Error(intents.error.message);
  // `satisfies`: a kind added to the database enum and missing from @ecom/domain/wallet fails the typecheck.
  const rows = (postings.data ?? []).map((p) => ({
    ...p,
    entry: p.entry ? { ...p.entry, kind: p.entry.kind satisfies LedgerEntryKind } : null,
  }));
  return walletHistory(rows, intents.data ?? []).slice(0, HISTORY_LIMIT);
}

export function useWallet() {
  const session = useSessionStore();
  const owner = (): string => {
    const id = session.user?.id;
    if (!id) throw new Error('not signed in');
    return id;
  };
  const balances = useAsyncData(() => readBalances(owner()));
  const history = useAsyncData(async () => {
    const b = balances.data.value ?? (await readBalances(owner()));
    return readHistory(owner(), b.wallet_account_id);
  });

  /** Balances first (the history needs the wallet's account), then the history. */
  async function refresh(): Promise<void> {
    await balances.refresh();
    await history.refresh();
  }

  return { balances, history, refresh };
}
