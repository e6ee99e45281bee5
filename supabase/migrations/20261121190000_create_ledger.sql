-- The ledger (DESIGN.md §7): double entry in integer FCFA. Every movement of money is one journal entry whose
-- postings sum to zero; each account keeps its balance, updated in the same transaction as the postings (and as the
-- business change that causes them), so a balance always equals the sum of its postings. Sign convention: a posting
-- is positive when it credits the account, i.e. raises what the platform owes its owner (a wallet) or earns
-- (revenue); the money the platform holds at a provider shows as a negative clearing balance, and the cash a courier
-- holds for the platform as a negative cash-in-hand balance.
--
-- Accounts:
--   customer_wallet    a person's spendable balance                                     owner = user,  never < 0
--   customer_hold      money held for an order or a ride until it is delivered           owner = user,  never < 0
--   merchant_wallet    a store's earnings, paid out to mobile money                      owner = store, never < 0
--   courier_wallet     a courier's earnings                                              owner = user,  never < 0
--   courier_cash       cash collected by a courier and not yet paid in (≤ 0: he owes)   owner = user
--   payout_clearing    money on its way to someone's mobile money (payout sent, not yet confirmed)
--   provider_clearing  money at a mobile-money provider, per channel '<provider>:<operator>'
--   platform_revenue   commissions and cuts, minus promotions; sharded (shard 0..7) so it is never a hot row
-- Only the privileged functions write (private.post_entry); people read their own accounts and postings.

-- Types ----------------------------------------------------------------------------------------------------------
create type public.ledger_account_kind as enum (
  'customer_wallet', 'customer_hold', 'merchant_wallet', 'courier_wallet', 'courier_cash', 'payout_clearing',
  'provider_clearing', 'platform_revenue'
);
comment on type public.ledger_account_kind is
  'What a ledger account holds (see the ledger migration header); customer_wallet, customer_hold, merchant_wallet '
  'and courier_wallet never go below zero.';

create type public.ledger_entry_kind as enum (
  'topup', 'order_hold', 'order_release', 'order_capture', 'order_cash', 'ride_hold', 'ride_release',
  'ride_capture', 'ride_cash', 'cancellation_fee', 'refund', 'cash_deposit', 'payout', 'payout_settled',
  'payout_reversal', 'adjustment'
);
comment on type public.ledger_entry_kind is
  'Why money moved: top-up by mobile money; order / ride hold, release (cancel, reject) and capture (settlement); '
  'cash settlement of a delivered order or completed ride (courier''s cash in hand); cancellation fee; refund by '
  'an admin; cash paid in by a courier (versement); payout sent, settled or reversed; manual adjustment.';

-- Tables ---------------------------------------------------------------------------------------------------------
create table public.ledger_accounts (
  id uuid primary key default gen_random_uuid(),
  kind public.ledger_account_kind not null,
  owner_id uuid,
  channel text constraint ledger_accounts_channel_length check (private.check_text_length(channel, 'channel', 3, 60)),
  shard smallint not null default 0 constraint ledger_accounts_shard_range check (shard between 0 and 63),
  balance bigint not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint ledger_accounts_identity unique nulls not distinct (kind, owner_id, channel, shard),
  constraint ledger_accounts_owner check (
    (kind in ('provider_clearing', 'platform_revenue', 'payout_clearing')) = (owner_id is null)
  ),
  constraint ledger_accounts_channel check ((kind = 'provider_clearing') = (channel is not null)),
  constraint ledger_accounts_never_negative check (
    kind not in ('customer_wallet', 'customer_hold', 'merchant_wallet', 'courier_wallet') or balance >= 0
  )
);
comment on table public.ledger_accounts is
  'Ledger accounts and their balances (integer FCFA, credit-positive: see the ledger migration). owner_id is the '
  'user (customer and courier accounts) or the store (merchant_wallet); provider_clearing accounts are per channel '
  '"<provider>:<operator>"; platform_revenue is sharded. Owners and admins read; only private.post_entry writes.';

create table public.ledger_entries (
  id uuid primary key default gen_random_uuid(),
  kind public.ledger_entry_kind not null,
  order_id uuid,
  ride_id uuid,
  payment_intent_id uuid,
  payout_id uuid,
  memo text constraint ledger_entries_memo_length check (private.check_text_length(memo, 'memo', 1, 280)),
  actor_id uuid,
  created_at timestamptz not null default now()
);
comment on table public.ledger_entries is
  'Journal entries: why money moved (kind), what it is about (order, ride, payment intent, payout), who did it '
  '(actor, null for the system) and a memo (the reason of a refund or an adjustment). Append-only evidence: the '
  'references are ids without foreign keys, so the record outlives what it is about.';

create table public.ledger_postings (
  id bigint generated always as identity primary key,
  entry_id uuid not null references public.ledger_entries (id) on delete restrict,
  account_id uuid not null references public.ledger_accounts (id) on delete restrict,
  amount bigint not null constraint ledger_postings_amount_not_zero check (amount <> 0),
  balance_after bigint not null,
  created_at timestamptz not null default now(),
  constraint ledger_postings_one_per_account unique (entry_id, account_id)
);
comment on table public.ledger_postings is
  'The lines of an entry: amount credited (> 0) or debited (< 0) to one account and its balance afterwards; the '
  'lines of an entry sum to zero. Append-only.';

create table private.money_requests (
  scope text not null,
  owner_id uuid not null,
  idempotency_key text not null,
  request_hash text not null,
  response jsonb not null,
  created_at timestamptz not null default now(),
  primary key (scope, owner_id, idempotency_key)
);
comment on table private.money_requests is
  'Idempotency of money calls (top-up, payout, refund, cash deposit…): the first answer per (scope, caller, key) '
  'with the hash of its request; kept 7 days (private.purge_money_requests), beyond the 72 h providers retry.';

-- Indexes --------------------------------------------------------------------------------------------------------
create index ledger_accounts_owner_idx on public.ledger_accounts (owner_id) where owner_id is not null;
create index ledger_entries_order_idx on public.ledger_entries (order_id) where order_id is not null;
create index ledger_entries_ride_idx on public.ledger_entries (ride_id) where ride_id is not null;
create index ledger_entries_payment_intent_idx on public.ledger_entries (payment_intent_id)
  where payment_intent_id is not null;
create index ledger_entries_payout_idx on public.ledger_entries (payout_id) where payout_id is not null;
create index ledger_entries_actor_idx on public.ledger_entries (actor_id) where actor_id is not null;
create index ledger_entries_created_idx on public.ledger_entries (created_at);
create index ledger_postings_account_idx on public.ledger_postings (account_id, id);
create index money_requests_created_idx on private.money_requests (created_at);

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on public.ledger_accounts, public.ledger_entries, public.ledger_postings from anon, authenticated;
grant select on public.ledger_accounts, public.ledger_entries, public.ledger_postings to authenticated;
revoke insert, update, delete, truncate on public.ledger_accounts, public.ledger_entries, public.ledger_postings
  from service_role;
grant select on public.ledger_accounts, public.ledger_entries, public.ledger_postings to service_role;
revoke all on private.money_requests from public, anon, authenticated;
grant select on private.money_requests to service_role;

-- Row level security ---------------------------------------------------------------------------------------------
alter table public.ledger_accounts enable row level security;
alter table public.ledger_entries enable row level security;
alter table public.ledger_postings enable row level security;

-- Functions ------------------------------------------------------------------------------------------------------
create function private.my_ledger_accounts()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select a.id
    from public.ledger_accounts a
   where a.owner_id = (select auth.uid())
     and a.kind in ('customer_wallet', 'customer_hold', 'courier_wallet', 'courier_cash')
  union all
  select a.id
    from public.ledger_accounts a
    join public.store_members m on m.store_id = a.owner_id and m.role = 'owner' and m.user_id = (select auth.uid())
   where a.kind = 'merchant_wallet';
$$;
comment on function private.my_ledger_accounts() is
  'The ledger accounts the signed-in caller may read: their own wallet, hold, courier earnings and cash in hand, '
  'and the wallets of the stores they own (staff do not see the money). For RLS policies.';
revoke all on function private.my_ledger_accounts() from public, anon;
grant execute on function private.my_ledger_accounts() to authenticated, service_role;

create function private.ledger_account(
  kind public.ledger_account_kind, owner uuid default null, channel text default null, shard smallint default 0
)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  found_id uuid;
begin
  select a.id into found_id
    from public.ledger_accounts a
   where a.kind = ledger_account.kind and a.owner_id is not distinct from ledger_account.owner
     and a.channel is not distinct from ledger_account.channel and a.shard = ledger_account.shard;
  if found_id is null then
    insert into public.ledger_accounts (kind, owner_id, channel, shard)
    values (ledger_account.kind, ledger_account.owner, ledger_account.channel, ledger_account.shard)
    on conflict on constraint ledger_accounts_identity do nothing
    returning id into found_id;
    if found_id is null then
      select a.id into found_id
        from public.ledger_accounts a
       where a.kind = ledger_account.kind and a.owner_id is not distinct from ledger_account.owner
         and a.channel is not distinct from ledger_account.channel and a.shard = ledger_account.shard;
    end if;
  end if;
  return found_id;
end;
$$;
comment on function private.ledger_account(public.ledger_account_kind, uuid, text, smallint) is
  'The id of an account (kind, owner, channel, shard), created on first use. Service role only.';
revoke all on function private.ledger_account(public.ledger_account_kind, uuid, text, smallint)
  from public, anon, authenticated;
grant execute on function private.ledger_account(public.ledger_account_kind, uuid, text, smallint) to service_role;

create function private.platform_revenue_account(seed uuid)
returns uuid
language sql
security definer
set search_path = ''
as $$
  select private.ledger_account('platform_revenue', null, null, (abs(hashtextextended(seed::text, 0)) % 8)::smallint);
$$;
comment on function private.platform_revenue_account(uuid) is
  'One of the 8 platform revenue shards, chosen from seed (an order, ride or entry id) so concurrent settlements '
  'do not queue on one row; revenue is the sum of the shards. Service role only.';
revoke all on function private.platform_revenue_account(uuid) from public, anon, authenticated;
grant execute on function private.platform_revenue_account(uuid) to service_role;

create function private.post_entry(
  kind public.ledger_entry_kind, postings jsonb, refs jsonb default '{}', memo text default null,
  actor uuid default null
)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  entry uuid := coalesce((refs ->> 'entry_id')::uuid, gen_random_uuid());
  ids uuid[];
  amounts bigint[];
  total bigint;
  locked integer;
  overdraft jsonb;
begin
  if jsonb_typeof(postings) is distinct from 'array' or jsonb_array_length(postings) < 2 then
    raise exception using errcode = 'check_violation', message = 'an entry needs at least two postings';
  end if;
  if exists (select 1 from jsonb_array_elements(postings) p
              where jsonb_typeof(p -> 'amount') is distinct from 'number' or (p ->> 'account') is null
                 or (p ->> 'amount')::numeric <> trunc((p ->> 'amount')::numeric)) then
    raise exception using errcode = 'check_violation',
      message = 'each posting needs an account and a whole number of FCFA';
  end if;
  -- One line per account (a settlement may credit the same account twice), zero lines dropped, in account order.
  select array_agg(l.account order by l.account), array_agg(l.amount order by l.account), sum(l.amount)
    into ids, amounts, total
    from (select (p ->> 'account')::uuid as account, sum((p ->> 'amount')::bigint) as amount
            from jsonb_array_elements(postings) p group by 1) l
   where l.amount <> 0;
  if coalesce(total, 0) <> 0 then
    raise exception using errcode = 'check_violation', message = format('postings must sum to zero, got %s', total);
  end if;
  if coalesce(cardinality(ids), 0) < 2 then
    raise exception using errcode = 'check_violation', message = 'an entry needs at least two postings';
  end if;

  insert into public.ledger_entries (id, kind, order_id, ride_id, payment_intent_id, payout_id, memo, actor_id)
  values (entry, post_entry.kind, (refs ->> 'order_id')::uuid, (refs ->> 'ride_id')::uuid,
          (refs ->> 'payment_intent_id')::uuid, (refs ->> 'payout_id')::uuid, nullif(btrim(post_entry.memo), ''),
          post_entry.actor);
  -- Lock the accounts in one order (no deadlock between two entries) and, in the same statement, find any overdraft
  -- of a user account; the locks are then held for one more statement only.
  select count(*),
         (array_agg(jsonb_build_object('balance_xof', locked_rows.balance, 'needed_xof', -d.amount,
                                       'account_kind', locked_rows.kind))
            filter (where locked_rows.kind in ('customer_wallet', 'customer_hold', 'merchant_wallet', 'courier_wallet')
                      and locked_rows.balance + d.amount < 0))[1]
    into locked, overdraft
    from (select a.id, a.kind, a.balance from public.ledger_accounts a
           where a.id = any (ids) order by a.id for no key update) locked_rows
    join unnest(ids, amounts) d (id, amount) on d.id = locked_rows.id;
  if locked <> cardinality(ids) then
    raise exception using errcode = 'foreign_key_violation', message = 'unknown ledger account';
  end if;
  if overdraft is not null then
    perform private.refuse_order(402, 'insufficient_funds', overdraft);
  end if;
  with moved as (
    update public.ledger_accounts a
       set balance = a.balance + d.amount, updated_at = now()
      from unnest(ids, amounts) d (id, amount)
     where a.id = any (ids) and a.id = d.id
    returning a.id, a.balance, d.amount
  )
  insert into public.ledger_postings (entry_id, account_id, amount, balance_after)
  select entry, m.id, m.amount, m.balance from moved m;
  return entry;
end;
$$;
comment on function private.post_entry(public.ledger_entry_kind, jsonb, jsonb, text, uuid) is
  'Writes one journal entry: postings [{account, amount}] (whole FCFA, credit > 0) must sum to zero; lines on the '
  'same account are merged; accounts are locked in id order; an overdraft of a customer wallet, hold, merchant or '
  'courier wallet raises EO402 insufficient_funds (detail: balance_xof, needed_xof, account_kind) and writes '
  'nothing. refs: order_id, ride_id, payment_intent_id, payout_id, and entry_id to choose the entry''s id. Runs in the caller''s transaction, so the '
  'business change and the money move commit together. Service role only.';
revoke all on function private.post_entry(public.ledger_entry_kind, jsonb, jsonb, text, uuid)
  from public, anon, authenticated;
grant execute on function private.post_entry(public.ledger_entry_kind, jsonb, jsonb, text, uuid) to service_role;

create function private.ledger_violations()
returns table (violation text, subject uuid, detail jsonb)
language sql
stable
security definer
set search_path = ''
as $$
  select 'unbalanced_entry', e.id, jsonb_build_object('sum', coalesce(sum(p.amount), 0), 'postings', count(p.id))
    from public.ledger_entries e
    left join public.ledger_postings p on p.entry_id = e.id
   group by e.id
  having coalesce(sum(p.amount), 0) <> 0 or count(p.id) < 2
  union all
  select 'balance_mismatch', a.id, jsonb_build_object('balance', a.balance, 'postings_sum', coalesce(s.total, 0))
    from public.ledger_accounts a
    left join (select p.account_id, sum(p.amount) as total from public.ledger_postings p group by 1) s
      on s.account_id = a.id
   where a.balance <> coalesce(s.total, 0)
  union all
  select 'negative_wallet', a.id, jsonb_build_object('kind', a.kind, 'balance', a.balance)
    from public.ledger_accounts a
   where a.kind in ('customer_wallet', 'customer_hold', 'merchant_wallet', 'courier_wallet') and a.balance < 0
  union all
  select 'money_created', null, jsonb_build_object('sum_of_balances', sum(a.balance))
    from public.ledger_accounts a
  having coalesce(sum(a.balance), 0) <> 0;
$$;
comment on function private.ledger_violations() is
  'The ledger invariants, as rows that break them (none when all is well): an entry whose postings do not sum to '
  'zero or has fewer than two, an account whose balance is not the sum of its postings, a user wallet below zero, '
  'and balances that do not sum to zero overall. Run after every test and by the reconciliation. Service role only.';
revoke all on function private.ledger_violations() from public, anon, authenticated;
grant execute on function private.ledger_violations() to service_role;

create function private.replay_money_request(scope text, owner uuid, key text, request_hash text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  prior private.money_requests;
begin
  if key is null or length(key) not between 8 and 100 then
    perform private.refuse_order(422, 'invalid_idempotency_key');
  end if;
  -- Same caller and key: one request at a time; the second waits for the first to commit, then replays it.
  perform pg_advisory_xact_lock(hashtextextended(scope || '/' || owner::text || '/' || key, 0));
  select * into prior from private.money_requests r
   where r.scope = replay_money_request.scope and r.owner_id = owner and r.idempotency_key = key;
  if not found then
    return null;
  end if;
  if prior.request_hash is distinct from request_hash then
    perform private.refuse_order(422, 'idempotency_key_reused');
  end if;
  return prior.response;
end;
$$;
comment on function private.replay_money_request(text, uuid, text, text) is
  'Idempotency of a money call, first half: serialises requests with the same (scope, caller, key); answers the '
  'stored response of the first one (null when there is none yet); the key with another request body is EO422 '
  'idempotency_key_reused; a key shorter than 8 or longer than 100 characters is EO422 invalid_idempotency_key. '
  'Call private.remember_money_request in the same transaction. Service role only.';
revoke all on function private.replay_money_request(text, uuid, text, text) from public, anon, authenticated;
grant execute on function private.replay_money_request(text, uuid, text, text) to service_role;

create function private.remember_money_request(scope text, owner uuid, key text, request_hash text, response jsonb)
returns jsonb
language sql
security definer
set search_path = ''
as $$
  insert into private.money_requests (scope, owner_id, idempotency_key, request_hash, response)
  values (scope, owner, key, request_hash, response);
  select response;
$$;
comment on function private.remember_money_request(text, uuid, text, text, jsonb) is
  'Idempotency of a money call, second half: stores the response to replay (returns it). Service role only.';
revoke all on function private.remember_money_request(text, uuid, text, text, jsonb) from public, anon, authenticated;
grant execute on function private.remember_money_request(text, uuid, text, text, jsonb) to service_role;

create function private.purge_money_requests(keep interval default interval '7 days')
returns integer
language sql
security definer
set search_path = ''
as $$
  with gone as (delete from private.money_requests r where r.created_at < now() - greatest(keep, interval '72 hours')
                returning 1)
  select count(*)::integer from gone;
$$;
comment on function private.purge_money_requests(interval) is
  'Forgets idempotency keys older than keep (never less than 72 hours). Scheduled daily. Service role only.';
revoke all on function private.purge_money_requests(interval) from public, anon, authenticated;
grant execute on function private.purge_money_requests(interval) to service_role;

-- Triggers -------------------------------------------------------------------------------------------------------
create function private.refuse_ledger_rewrite()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = 'insufficient_privilege',
    message = format('%s is append-only', tg_table_name);
end;
$$;
comment on function private.refuse_ledger_rewrite() is 'Trigger: journal entries and postings are never changed.';
revoke all on function private.refuse_ledger_rewrite() from public;

create trigger ledger_entries_append_only
  before update or delete on public.ledger_entries
  for each row execute function private.refuse_ledger_rewrite();

create trigger ledger_postings_append_only
  before update or delete on public.ledger_postings
  for each row execute function private.refuse_ledger_rewrite();

-- Policies -------------------------------------------------------------------------------------------------------
create policy "Owners can view their ledger accounts, admins all"
  on public.ledger_accounts for select to authenticated
  using (id in (select private.my_ledger_accounts()) or (select private.is_admin()));

create policy "Owners can view the postings of their accounts, admins all"
  on public.ledger_postings for select to authenticated
  using (account_id in (select private.my_ledger_accounts()) or (select private.is_admin()));

create policy "Owners can view the entries that touch their accounts, admins all"
  on public.ledger_entries for select to authenticated
  using (
    id in (select p.entry_id from public.ledger_postings p where p.account_id in (select private.my_ledger_accounts()))
    or (select private.is_admin())
  );

-- Schedules ------------------------------------------------------------------------------------------------------
select cron.schedule('ecom-purge-money-requests', '17 3 * * *', 'select private.purge_money_requests()');
