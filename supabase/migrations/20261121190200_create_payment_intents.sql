-- Mobile-money payments in (DESIGN.md §7, docs/payments.md): a payment intent is one attempt to collect money from
-- a person's mobile money, for a wallet top-up or a courier's cash deposit (versement). The `payments` function
-- creates it (private.create_payment_intent), asks the provider to collect, and the money reaches the ledger only
-- through private.settle_payment_intent, from a status the provider confirmed by a server-to-server call: once per
-- intent (row lock, final states, one ledger entry per intent), never for an amount other than the one asked.
-- Provider callbacks are kept as evidence (payment_callbacks: raw body, a subset of headers, verified or not) and
-- deduplicated on the provider's event id.
--
-- Ledger entries (credit > 0): top-up     customer_wallet(user) +N, provider_clearing('<provider>:<operator>') −N
--                              versement  courier_cash(user) +N,    provider_clearing('<provider>:<operator>') −N

-- Types ----------------------------------------------------------------------------------------------------------
create type public.payment_purpose as enum ('wallet_topup', 'cash_deposit');
comment on type public.payment_purpose is
  'What money is collected for: a top-up of the person''s wallet, or a courier paying in the cash he collected.';

create type public.payment_intent_status as enum ('pending', 'succeeded', 'failed', 'expired');
comment on type public.payment_intent_status is
  'pending: asked, the payer has not confirmed (or the provider has not told us); succeeded: confirmed by the '
  'provider and credited; failed: refused (declined, insufficient funds, cancelled, amount mismatch); expired: '
  'nobody confirmed in time. succeeded is final; a failed or expired intent the provider later confirms as paid is '
  'credited then (late success, flagged).';

-- Tables ---------------------------------------------------------------------------------------------------------
create table public.payment_intents (
  id uuid primary key default gen_random_uuid(),
  purpose public.payment_purpose not null,
  user_id uuid not null references auth.users (id) on delete restrict,
  amount_xof integer not null constraint payment_intents_amount_range check (amount_xof between 1 and 2000000),
  operator text not null constraint payment_intents_operator check (
    operator in ('orange_ci', 'mtn_ci', 'moov_ci', 'wave_ci', 'moov_tg', 'mixx_tg')
  ),
  phone text not null constraint payment_intents_phone check (phone ~ '^(225\d{10}|228\d{8})$'),
  provider text not null constraint payment_intents_provider check (provider ~ '^[a-z]{3,20}$'),
  provider_ref text constraint payment_intents_provider_ref_length check (char_length(provider_ref) between 1 and 200),
  provider_tx_id text constraint payment_intents_provider_tx_length check (char_length(provider_tx_id) between 1 and 200),
  provider_amount_xof bigint,
  status public.payment_intent_status not null default 'pending',
  failure_reason text constraint payment_intents_failure_reason check (
    failure_reason in ('insufficient_funds', 'declined', 'cancelled', 'timeout', 'unknown', 'amount_mismatch',
                       'provider_refused')
  ),
  flag text constraint payment_intents_flag check (flag in ('amount_mismatch', 'late_success')),
  ledger_entry_id uuid,
  idempotency_key text not null constraint payment_intents_key_length check (char_length(idempotency_key) between 8 and 100),
  expires_at timestamptz not null,
  check_attempts integer not null default 0,
  last_checked_at timestamptz,
  settled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint payment_intents_one_per_key unique (user_id, purpose, idempotency_key),
  constraint payment_intents_credited_when_succeeded check ((status = 'succeeded') = (ledger_entry_id is not null)),
  constraint payment_intents_reason_when_failed check ((status in ('failed', 'expired')) = (failure_reason is not null))
);
comment on table public.payment_intents is
  'One attempt to collect mobile money (a wallet top-up or a courier''s versement): who, how much, which operator, '
  'number and provider, and where it stands. Written only by the private payment functions (create, settle, '
  'expire); the payer reads their own, admins all. succeeded ⇔ exactly one ledger entry (ledger_entry_id). '
  'provider_amount_xof is what the provider confirmed; flag marks what reconciliation must look at.';

create table public.payment_callbacks (
  id bigint generated always as identity primary key,
  provider text not null constraint payment_callbacks_provider check (provider ~ '^[a-z]{3,20}$'),
  event_id text constraint payment_callbacks_event_id_length check (char_length(event_id) between 1 and 200),
  reference text constraint payment_callbacks_reference_length check (char_length(reference) between 1 and 200),
  payment_intent_id uuid references public.payment_intents (id) on delete restrict,
  claimed_status text,
  verified boolean not null,
  outcome text not null default 'received',
  raw_body text not null constraint payment_callbacks_body_size check (octet_length(raw_body) <= 65536),
  headers jsonb not null default '{}'::jsonb,
  received_at timestamptz not null default now()
);
comment on table public.payment_callbacks is
  'Evidence of every callback a provider (or anyone) posted to payment-webhooks: the raw body, the headers that '
  'matter (signature, content type, event id), whether the signature verified, what it claimed and what we did '
  '(outcome). An authentic event is stored once per (provider, event id). Admins read; nobody writes through the API.';

-- Indexes --------------------------------------------------------------------------------------------------------
create index payment_intents_user_idx on public.payment_intents (user_id, created_at desc);
create index payment_intents_pending_idx on public.payment_intents (last_checked_at nulls first)
  where status = 'pending';
create index payment_intents_created_idx on public.payment_intents (created_at);
create unique index payment_callbacks_one_per_event on public.payment_callbacks (provider, event_id)
  where verified and event_id is not null;
create index payment_callbacks_intent_idx on public.payment_callbacks (payment_intent_id)
  where payment_intent_id is not null;
create index payment_callbacks_received_idx on public.payment_callbacks (received_at);
-- Exactly one credit per intent, whatever path (callback, sweep, replay) gets there first.
create unique index ledger_entries_one_credit_per_payment_intent on public.ledger_entries (payment_intent_id)
  where kind in ('topup', 'cash_deposit') and payment_intent_id is not null;

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on public.payment_intents, public.payment_callbacks from anon, authenticated;
grant select on public.payment_intents, public.payment_callbacks to authenticated;
revoke insert, update, delete, truncate on public.payment_intents, public.payment_callbacks from service_role;
grant select on public.payment_intents, public.payment_callbacks to service_role;

-- Row level security ---------------------------------------------------------------------------------------------
alter table public.payment_intents enable row level security;
alter table public.payment_callbacks enable row level security;

-- Triggers -------------------------------------------------------------------------------------------------------
create trigger payment_intents_touch_updated_at
  before update on public.payment_intents
  for each row execute function private.touch_updated_at();

-- Policies -------------------------------------------------------------------------------------------------------
create policy "People can view their own payment intents, admins all"
  on public.payment_intents for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()));

create policy "Admins can view payment callbacks"
  on public.payment_callbacks for select to authenticated
  using ((select private.is_admin()));

-- Functions ------------------------------------------------------------------------------------------------------
create function private.payment_intent_json(intent public.payment_intents)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select to_jsonb(intent) - 'idempotency_key' - 'check_attempts' - 'last_checked_at';
$$;
comment on function private.payment_intent_json(public.payment_intents) is
  'A payment intent as the API answers it (without the idempotency key and the sweep''s bookkeeping). Not security '
  'definer: callers read through RLS first.';
revoke all on function private.payment_intent_json(public.payment_intents) from public;
grant execute on function private.payment_intent_json(public.payment_intents) to authenticated, service_role;

create function private.courier_debt_xof(courier uuid)
returns bigint
language sql
stable
security definer
set search_path = ''
as $$
  select greatest(0, -coalesce((select a.balance from public.ledger_accounts a
                                 where a.kind = 'courier_cash' and a.owner_id = courier and a.shard = 0), 0));
$$;
comment on function private.courier_debt_xof(uuid) is
  'The cash a courier holds for the platform and has not paid in (−courier_cash balance, never below 0). '
  'Service role only.';
revoke all on function private.courier_debt_xof(uuid) from public, anon, authenticated;
grant execute on function private.courier_debt_xof(uuid) to service_role;

create function private.create_payment_intent(
  caller uuid, purpose public.payment_purpose, amount_xof integer, operator text, phone text, provider text,
  idempotency_key text, request_hash text, ttl interval default interval '10 minutes'
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  prior jsonb;
  account_phone text;
  country text;
  debt bigint;
  pending_deposits bigint;
  intent public.payment_intents;
begin
  prior := private.replay_money_request('payment_intent:' || purpose::text, caller, idempotency_key, request_hash);
  if prior is not null then
    select * into intent from public.payment_intents i where i.id = (prior ->> 'payment_intent_id')::uuid;
    return jsonb_build_object('payment_intent', private.payment_intent_json(intent), 'replayed', true);
  end if;

  if amount_xof is null or amount_xof < 100 or amount_xof > 500000 then
    perform private.refuse_order(422, 'amount_out_of_range', jsonb_build_object('min_xof', 100, 'max_xof', 500000));
  end if;
  if provider = 'cinetpay' and amount_xof % 5 <> 0 then
    perform private.refuse_order(422, 'amount_not_multiple_of_5');
  end if;
  -- The operator must serve the country of the person account, and the paying number must be of that country.
  select u.phone into account_phone from auth.users u where u.id = caller;
  country := case when account_phone like '228%' then 'tg' else 'ci' end;
  if operator is null or right(operator, 3) <> '_' || country
     or operator not in ('orange_ci', 'mtn_ci', 'moov_ci', 'wave_ci', 'moov_tg', 'mixx_tg') then
    perform private.refuse_order(422, 'operator_not_available', jsonb_build_object('operator', operator));
  end if;
  if phone is null or phone !~ (array['^225\d{10}$', '^228\d{8}$'])[(country = 'tg')::integer + 1] then
    perform private.refuse_order(422, 'phone_not_in_country', jsonb_build_object('country', upper(country)));
  end if;
  if (select count(*) from public.payment_intents i where i.user_id = caller and i.status = 'pending') >= 5 then
    perform private.refuse_order(429, 'too_many_pending_payments');
  end if;

  if purpose = 'cash_deposit' then
    if not exists (select 1 from public.user_roles r where r.user_id = caller and r.role = 'courier') then
      perform private.refuse_order(403, 'not_a_courier');
    end if;
    -- Serialise a deposits of a courier so two at once cannot both fit under the same debt.
    perform pg_advisory_xact_lock(hashtextextended('cash_deposit/' || caller::text, 0));
    debt := private.courier_debt_xof(caller);
    select coalesce(sum(i.amount_xof), 0) into pending_deposits
      from public.payment_intents i
     where i.user_id = caller and i.purpose = 'cash_deposit' and i.status = 'pending';
    if amount_xof > debt - pending_deposits then
      perform private.refuse_order(422, 'deposit_exceeds_debt',
        jsonb_build_object('owed_xof', debt, 'pending_xof', pending_deposits,
                           'max_xof', greatest(0, debt - pending_deposits)));
    end if;
  end if;

  insert into public.payment_intents (purpose, user_id, amount_xof, operator, phone, provider, idempotency_key,
                                      expires_at)
  values (purpose, caller, amount_xof, operator, phone, provider, idempotency_key, now() + ttl)
  returning * into intent;
  perform private.remember_money_request('payment_intent:' || purpose::text, caller, idempotency_key, request_hash,
                                         jsonb_build_object('payment_intent_id', intent.id));
  return jsonb_build_object('payment_intent', private.payment_intent_json(intent), 'replayed', false);
end;
$$;
comment on function private.create_payment_intent(uuid, public.payment_purpose, integer, text, text, text, text, text, interval) is
  'Creates a pending payment intent for caller, idempotent per (caller, purpose, key): the same key and request '
  'answer the same intent ({payment_intent, replayed: true}); the key with another request is EO422 '
  'idempotency_key_reused. Refusals (EO<status>): 422 amount_out_of_range (100–500 000 FCFA), '
  'amount_not_multiple_of_5 (CinetPay), operator_not_available (not of the account''s country), '
  'phone_not_in_country, deposit_exceeds_debt (a versement above what the courier owes minus his pending ones; '
  'detail owed_xof, pending_xof, max_xof), 403 not_a_courier, 429 too_many_pending_payments (5). Service role only.';
revoke all on function private.create_payment_intent(uuid, public.payment_purpose, integer, text, text, text, text, text, interval)
  from public, anon, authenticated;
grant execute on function private.create_payment_intent(uuid, public.payment_purpose, integer, text, text, text, text, text, interval)
  to service_role;

create function private.attach_payment_provider_ref(intent_id uuid, provider_ref text)
returns jsonb
language sql
security definer
set search_path = ''
as $$
  update public.payment_intents i
     set provider_ref = coalesce(i.provider_ref, attach_payment_provider_ref.provider_ref)
   where i.id = intent_id
  returning private.payment_intent_json(i);
$$;
comment on function private.attach_payment_provider_ref(uuid, text) is
  'Records the provider''s id of the collection (kept when already set). Service role only.';
revoke all on function private.attach_payment_provider_ref(uuid, text) from public, anon, authenticated;
grant execute on function private.attach_payment_provider_ref(uuid, text) to service_role;

create function private.payment_notice(lang public.app_language, intent public.payment_intents)
returns text[]
language sql
immutable
set search_path = ''
as $$
  select case
    when lang = 'en' then case
      when intent.status = 'succeeded' and intent.purpose = 'cash_deposit' then
        array['Cash deposit received', format('Your deposit of %s is recorded.', private.format_xof(intent.amount_xof))]
      when intent.status = 'succeeded' then
        array['Wallet topped up', format('%s added to your wallet.', private.format_xof(intent.amount_xof))]
      when intent.failure_reason = 'insufficient_funds' then
        array['Payment failed', 'Your mobile money balance is too low. Nothing was charged.']
      when intent.failure_reason = 'amount_mismatch' then
        array['Payment under review', 'The amount paid does not match. Our team is checking it.']
      when intent.status = 'expired' then
        array['Payment expired', 'The payment was not confirmed in time. Nothing was charged.']
      else array['Payment failed', 'The payment was refused. Nothing was charged.']
    end
    else case
      when intent.status = 'succeeded' and intent.purpose = 'cash_deposit' then
        array['Versement reçu', format('Votre versement de %s est enregistré.', private.format_xof(intent.amount_xof))]
      when intent.status = 'succeeded' then
        array['Portefeuille rechargé', format('%s ajoutés à votre portefeuille.', private.format_xof(intent.amount_xof))]
      when intent.failure_reason = 'insufficient_funds' then
        array['Paiement échoué', 'Solde Mobile Money insuffisant. Rien n''a été débité.']
      when intent.failure_reason = 'amount_mismatch' then
        array['Paiement en vérification', 'Le montant payé ne correspond pas. Notre équipe vérifie.']
      when intent.status = 'expired' then
        array['Paiement expiré', 'Le paiement n''a pas été confirmé à temps. Rien n''a été débité.']
      else array['Paiement échoué', 'Le paiement a été refusé. Rien n''a été débité.']
    end
  end;
$$;
comment on function private.payment_notice(public.app_language, public.payment_intents) is
  'Title and body of the payment notification for an intent''s final state, in French or English.';
revoke all on function private.payment_notice(public.app_language, public.payment_intents) from public;

create function private.notify_payment(intent public.payment_intents)
returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.notifications (user_id, kind, language, title, body, data)
  select intent.user_id, 'payment', l.lang, x.t[1], x.t[2],
         jsonb_build_object('payment_intent_id', intent.id, 'status', intent.status, 'purpose', intent.purpose,
                            'amount_xof', intent.amount_xof)
    from (select coalesce((select pr.language from public.profiles pr where pr.id = intent.user_id),
                          'fr'::public.app_language) as lang) l
   cross join lateral (select private.payment_notice(l.lang, intent) as t) x;
$$;
comment on function private.notify_payment(public.payment_intents) is
  'One notification (kind payment) to the payer about the intent''s final state, in their language. Runs in the '
  'caller''s transaction.';
revoke all on function private.notify_payment(public.payment_intents) from public, anon, authenticated;

create function private.settle_payment_intent(
  intent_id uuid, status public.payment_intent_status, provider_amount_xof bigint default null,
  provider_tx_id text default null, failure_reason text default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  intent public.payment_intents;
  entry uuid;
  outcome text;
  credited_account uuid;
  was public.payment_intent_status;
begin
  -- One settlement at a time per intent: the callback, the sweep and a replay queue here. (No key update: callbacks
  -- being recorded for the intent, whose foreign key takes a key-share lock, do not wait.)
  select * into intent from public.payment_intents i where i.id = intent_id for no key update;
  if not found then
    perform private.refuse_order(404, 'payment_intent_not_found');
  end if;
  was := intent.status;

  if status = 'pending' then
    outcome := 'still_pending';
  elsif intent.status = 'succeeded' then
    -- Final: a later failed / expired / succeeded word changes nothing (duplicates, out-of-order callbacks).
    outcome := 'unchanged';
  elsif status = 'succeeded' then
    if provider_amount_xof is distinct from intent.amount_xof::bigint or intent.flag = 'amount_mismatch' then
      -- Never credit another amount than the one asked: refuse and flag for reconciliation.
      update public.payment_intents i
         set status = 'failed', failure_reason = 'amount_mismatch', flag = 'amount_mismatch',
             provider_amount_xof = settle_payment_intent.provider_amount_xof,
             provider_tx_id = coalesce(settle_payment_intent.provider_tx_id, i.provider_tx_id),
             settled_at = coalesce(i.settled_at, now())
       where i.id = intent.id
      returning * into intent;
      outcome := 'amount_mismatch';
      if was = 'pending' then
        perform private.notify_payment(intent);
      end if;
    else
      credited_account := private.ledger_account(
        (case intent.purpose when 'wallet_topup' then 'customer_wallet' else 'courier_cash' end)::public.ledger_account_kind,
        intent.user_id);
      entry := private.post_entry(
        case intent.purpose when 'wallet_topup' then 'topup' else 'cash_deposit' end::public.ledger_entry_kind,
        jsonb_build_array(
          jsonb_build_object('account', credited_account, 'amount', intent.amount_xof),
          jsonb_build_object('account',
                             private.ledger_account('provider_clearing', null, intent.provider || ':' || intent.operator),
                             'amount', -intent.amount_xof)),
        jsonb_build_object('payment_intent_id', intent.id),
        case intent.purpose when 'wallet_topup' then 'Mobile money top-up' else 'Cash deposit by mobile money' end);
      update public.payment_intents i
         set status = 'succeeded', failure_reason = null, ledger_entry_id = entry,
             flag = case when was <> 'pending' then 'late_success' else i.flag end,
             provider_amount_xof = settle_payment_intent.provider_amount_xof,
             provider_tx_id = coalesce(settle_payment_intent.provider_tx_id, i.provider_tx_id),
             settled_at = now()
       where i.id = intent.id
      returning * into intent;
      outcome := 'credited';
      perform private.notify_payment(intent);
    end if;
  elsif intent.status = 'pending' then
    update public.payment_intents i
       set status = settle_payment_intent.status,
           failure_reason = coalesce(settle_payment_intent.failure_reason,
                                     case settle_payment_intent.status when 'expired' then 'timeout' else 'unknown' end),
           settled_at = now()
     where i.id = intent.id
    returning * into intent;
    outcome := status::text;
    perform private.notify_payment(intent);
  else
    outcome := 'unchanged';
  end if;
  return jsonb_build_object('payment_intent', private.payment_intent_json(intent), 'outcome', outcome);
end;
$$;
comment on function private.settle_payment_intent(uuid, public.payment_intent_status, bigint, text, text) is
  'Moves an intent to the status its provider confirmed (by a status call, never from a callback alone) and posts '
  'its ledger entry exactly once, under a row lock on the intent. succeeded credits amount_xof (wallet top-up: '
  'customer_wallet; versement: courier_cash) against provider_clearing(''<provider>:<operator>'') only when '
  'provider_amount_xof equals it; another amount is refused: failed, amount_mismatch, flagged, nothing credited. '
  'A succeeded intent never changes again; a failed or expired one the provider confirms as paid is credited then '
  '(flag late_success). failed / expired only leave pending. Notifies the payer of each final state. Answers '
  '{payment_intent, outcome: credited | failed | expired | amount_mismatch | unchanged | still_pending}; EO404 '
  'payment_intent_not_found. Service role only.';
revoke all on function private.settle_payment_intent(uuid, public.payment_intent_status, bigint, text, text)
  from public, anon, authenticated;
grant execute on function private.settle_payment_intent(uuid, public.payment_intent_status, bigint, text, text)
  to service_role;

create function private.claim_pending_payment_intents(max_rows integer default 50, min_age interval default '5 seconds')
returns setof public.payment_intents
language sql
security definer
set search_path = ''
as $$
  update public.payment_intents i
     set check_attempts = i.check_attempts + 1, last_checked_at = now()
   where i.id in (
     select p.id from public.payment_intents p
      where p.status = 'pending'
        and p.created_at <= now() - min_age
        -- Back off per intent: 5 s, 10 s, 20 s … at most every 5 minutes.
        and (p.last_checked_at is null
             or p.last_checked_at <= now() - least(interval '5 minutes', interval '5 seconds' * power(2, least(p.check_attempts, 8))))
      order by p.last_checked_at nulls first, p.created_at
      limit max_rows
        for update skip locked)
  returning i.*;
$$;
comment on function private.claim_pending_payment_intents(integer, interval) is
  'For the payments sweep: up to max_rows pending intents older than min_age that are due for a status call '
  '(back-off per intent), marked as checked now. Two sweeps at once never claim the same intent. Service role only.';
revoke all on function private.claim_pending_payment_intents(integer, interval) from public, anon, authenticated;
grant execute on function private.claim_pending_payment_intents(integer, interval) to service_role;

create function private.expire_stale_payment_intents(grace interval default interval '1 hour')
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  stale public.payment_intents;
  n integer := 0;
begin
  for stale in
    select * from public.payment_intents i
     where i.status = 'pending' and i.expires_at < now() - grace
     order by i.expires_at
     limit 500
       for update skip locked
  loop
    perform private.settle_payment_intent(stale.id, 'expired', null, null, 'timeout');
    n := n + 1;
  end loop;
  return n;
end;
$$;
comment on function private.expire_stale_payment_intents(interval) is
  'Backstop of the payments sweep: expires pending intents past their expires_at by more than grace, even when '
  'the provider could not be asked (a provider success that arrives later is still credited, flagged '
  'late_success). Scheduled every minute. Service role only.';
revoke all on function private.expire_stale_payment_intents(interval) from public, anon, authenticated;
grant execute on function private.expire_stale_payment_intents(interval) to service_role;

create function private.record_payment_callback(
  provider text, event_id text, reference text, claimed_status text, verified boolean, raw_body text,
  headers jsonb, outcome text default 'received'
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  intent public.payment_intents;
  new_id bigint;
begin
  if reference ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    select * into intent from public.payment_intents i where i.id = reference::uuid and i.provider = record_payment_callback.provider;
  end if;
  insert into public.payment_callbacks (provider, event_id, reference, payment_intent_id, claimed_status, verified,
                                        outcome, raw_body, headers)
  values (provider, event_id, left(reference, 200), intent.id, claimed_status, verified,
          case when verified and intent.id is null and outcome = 'received' then 'unknown_reference' else outcome end,
          left(raw_body, 65536), coalesce(headers, '{}'::jsonb))
  on conflict (provider, event_id) where verified and event_id is not null do nothing
  returning id into new_id;
  return jsonb_build_object('callback_id', new_id, 'duplicate', new_id is null,
                            'payment_intent_id', intent.id, 'status', intent.status,
                            'provider_ref', intent.provider_ref);
end;
$$;
comment on function private.record_payment_callback(text, text, text, text, boolean, text, jsonb, text) is
  'Keeps a callback as evidence and says what it is about: {callback_id, duplicate (an authentic event already '
  'stored), payment_intent_id, status, provider_ref} (null intent: the reference is not an intent of this '
  'provider). Forged callbacks are stored with verified = false. Service role only.';
revoke all on function private.record_payment_callback(text, text, text, text, boolean, text, jsonb, text)
  from public, anon, authenticated;
grant execute on function private.record_payment_callback(text, text, text, text, boolean, text, jsonb, text)
  to service_role;

create function private.set_payment_callback_outcome(callback_id bigint, outcome text)
returns void
language sql
security definer
set search_path = ''
as $$
  update public.payment_callbacks c set outcome = set_payment_callback_outcome.outcome where c.id = callback_id;
$$;
comment on function private.set_payment_callback_outcome(bigint, text) is
  'Records what was done with a stored callback (settled outcome, still_pending, status_unavailable…). Service role only.';
revoke all on function private.set_payment_callback_outcome(bigint, text) from public, anon, authenticated;
grant execute on function private.set_payment_callback_outcome(bigint, text) to service_role;

create function private.payment_reconciliation(from_day date, to_day date)
returns table (
  payment_intent jsonb,
  credited_xof bigint,
  credit_entries integer
)
language sql
stable
security definer
set search_path = ''
as $$
  select private.payment_intent_json(i),
         coalesce((select sum(p.amount) from public.ledger_entries e
                     join public.ledger_postings p on p.entry_id = e.id and p.amount > 0
                    where e.payment_intent_id = i.id and e.kind in ('topup', 'cash_deposit')), 0)::bigint,
         (select count(*) from public.ledger_entries e
           where e.payment_intent_id = i.id and e.kind in ('topup', 'cash_deposit'))::integer
    from public.payment_intents i
   where i.created_at >= from_day::timestamptz and i.created_at < (to_day + 1)::timestamptz
   order by i.created_at
   limit 2000;
$$;
comment on function private.payment_reconciliation(date, date) is
  'The intents created from from_day to to_day (UTC, which is Abidjan and Lomé time) with what the ledger credited '
  'for each (sum and number of top-up / versement entries), for the reconciliation report, which adds the '
  'provider''s status. At most 2000 rows. Service role only.';
revoke all on function private.payment_reconciliation(date, date) from public, anon, authenticated;
grant execute on function private.payment_reconciliation(date, date) to service_role;
