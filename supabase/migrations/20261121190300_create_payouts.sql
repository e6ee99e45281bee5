-- Payouts (DESIGN.md §7): a store's owner (for the store's wallet) or a courier (for his earnings) withdraws money
-- to a mobile-money number. A request moves the money out of the wallet at once, in the same transaction as the
-- payout row: wallet −N → payout_clearing +N (entry `payout`). Then:
--   pending_approval ── admin approves ──► approved ── sent through the provider ──► sent ──► succeeded
--          │                                  ▲                                      │
--          └── admin rejects ──► rejected     └── nothing reached the provider       └──► failed
-- succeeded: payout_clearing −N → provider_clearing '<provider>:<operator>' +N (entry `payout_settled`);
-- rejected, failed: payout_clearing −N → wallet +N (entry `payout_reversal`). Amounts at or below the approval
-- threshold start approved. The `payouts` edge function drives the provider: private.claim_payout_send moves an
-- approved payout to `sent` (committed) before the one provider call, whose reference and idempotency key is the
-- payout id, so a payout is sent at most once; an unknown outcome (timeout) leaves it `sent` until the status sweep
-- records what the provider says (private.record_payout_outcome, once). Limits and the threshold live in
-- payout_settings (admins only). The payee is notified (kind `payment`) of approval, rejection, success, failure.

-- Types ----------------------------------------------------------------------------------------------------------
create type public.payout_status as enum ('pending_approval', 'approved', 'sent', 'succeeded', 'failed', 'rejected');
comment on type public.payout_status is
  'Where a payout stands: waiting for an admin, approved (not yet handed to the provider), sent (handed over, '
  'outcome not yet confirmed), succeeded, failed (money back in the wallet), rejected by an admin (money back).';

-- Tables ---------------------------------------------------------------------------------------------------------
create table public.payout_settings (
  id boolean primary key default true constraint payout_settings_single_row check (id),
  minimum_xof integer not null default 500
    constraint payout_settings_minimum_xof_min check (private.check_xof(minimum_xof, 'minimum_xof', 1)),
  daily_maximum_xof integer not null default 500000
    constraint payout_settings_daily_maximum_xof_min check (private.check_xof(daily_maximum_xof, 'daily_maximum_xof', 1)),
  approval_threshold_xof integer not null default 100000
    constraint payout_settings_approval_threshold_xof_min
      check (private.check_xof(approval_threshold_xof, 'approval_threshold_xof', 0)),
  updated_at timestamptz not null default now(),
  updated_by uuid references auth.users (id) on delete set null,
  constraint payout_settings_minimum_below_maximum check (minimum_xof <= daily_maximum_xof)
);
comment on table public.payout_settings is
  'The one row of payout limits: minimum per payout, maximum per payee and day (Africa/Abidjan days, payouts not '
  'failed or rejected), and the amount above which an admin must approve. Admins read and change it; nobody else '
  'reads it (a refusal names the limit that applies).';

create table public.payout_destinations (
  id uuid primary key default gen_random_uuid(),
  store_id uuid unique references public.stores (id) on delete cascade,
  courier_id uuid unique references public.couriers (user_id) on delete cascade,
  phone text not null constraint payout_destinations_phone check (private.check_phone(phone)),
  operator text not null constraint payout_destinations_operator
    check (operator in ('orange_ci', 'mtn_ci', 'moov_ci', 'wave_ci', 'moov_tg', 'mixx_tg')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint payout_destinations_one_payee check ((store_id is null) <> (courier_id is null)),
  constraint payout_destinations_country
    check ((operator like '%\_ci' and phone like '+225%') or (operator like '%\_tg' and phone like '+228%'))
);
comment on table public.payout_destinations is
  'The mobile-money number a store''s or a courier''s payouts go to by default (a request may name another). The '
  'store''s owners (not staff) and the courier manage their own; admins read all.';

create table public.payouts (
  id uuid primary key default gen_random_uuid(),
  store_id uuid,
  courier_id uuid,
  requested_by uuid not null,
  amount_xof integer not null constraint payouts_amount_xof_min check (private.check_xof(amount_xof, 'amount_xof', 1)),
  phone text not null constraint payouts_phone check (private.check_phone(phone)),
  operator text not null
    constraint payouts_operator check (operator in ('orange_ci', 'mtn_ci', 'moov_ci', 'wave_ci', 'moov_tg', 'mixx_tg')),
  status public.payout_status not null,
  provider text constraint payouts_provider_length check (private.check_text_length(provider, 'provider', 2, 40)),
  provider_ref text constraint payouts_provider_ref_length check (private.check_text_length(provider_ref, 'provider_ref', 1, 200)),
  failure_reason text constraint payouts_failure_reason_length check (private.check_text_length(failure_reason, 'failure_reason', 1, 80)),
  rejection_reason text
    constraint payouts_rejection_reason_length check (private.check_text_length(rejection_reason, 'rejection_reason', 1, 280)),
  reviewed_by uuid,
  reviewed_at timestamptz,
  send_attempts integer not null default 0,
  sent_at timestamptz,
  checked_at timestamptz,
  last_error text constraint payouts_last_error_length check (char_length(last_error) <= 500),
  resolved_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint payouts_one_payee check ((store_id is null) <> (courier_id is null)),
  constraint payouts_country
    check ((operator like '%\_ci' and phone like '+225%') or (operator like '%\_tg' and phone like '+228%')),
  constraint payouts_sent_has_provider check (status in ('pending_approval', 'approved', 'rejected') or provider is not null),
  constraint payouts_rejected_has_reason check (status <> 'rejected' or rejection_reason is not null)
);
comment on table public.payouts is
  'Withdrawals to mobile money, from a store''s wallet (store_id) or a courier''s (courier_id); the money left the '
  'wallet when the row was written (ledger entries refer to it by payout_id). Like the ledger, a record that '
  'outlives what it is about: store, courier and people are ids without foreign keys. Status moves only through the private '
  'payout functions. The store''s owners (not staff), the courier and admins read; nobody writes through the API.';

-- Indexes --------------------------------------------------------------------------------------------------------
create index payout_destinations_store_idx on public.payout_destinations (store_id);
create index payout_destinations_courier_idx on public.payout_destinations (courier_id);
create index payouts_store_created_idx on public.payouts (store_id, created_at desc) where store_id is not null;
create index payouts_courier_created_idx on public.payouts (courier_id, created_at desc) where courier_id is not null;
create index payouts_open_idx on public.payouts (status, updated_at) where status in ('pending_approval', 'approved', 'sent');

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on public.payout_settings, public.payout_destinations, public.payouts from anon, authenticated;
grant select, update (minimum_xof, daily_maximum_xof, approval_threshold_xof) on public.payout_settings to authenticated;
grant select, insert (id, store_id, courier_id, phone, operator), update (phone, operator), delete
  on public.payout_destinations to authenticated;
grant select on public.payouts to authenticated;
revoke insert, update, delete, truncate on public.payouts from service_role;
grant select on public.payouts, public.payout_settings, public.payout_destinations to service_role;

-- Row level security ---------------------------------------------------------------------------------------------
alter table public.payout_settings enable row level security;
alter table public.payout_destinations enable row level security;
alter table public.payouts enable row level security;

-- Triggers -------------------------------------------------------------------------------------------------------
create function private.stamp_payout_settings()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  new.updated_by := (select auth.uid());
  return new;
end;
$$;
comment on function private.stamp_payout_settings() is 'Trigger: who changed the payout settings, and when.';
revoke all on function private.stamp_payout_settings() from public;

create trigger payout_settings_stamp
  before update on public.payout_settings
  for each row execute function private.stamp_payout_settings();

create trigger payout_destinations_touch_updated_at
  before update on public.payout_destinations
  for each row execute function private.touch_updated_at();

create trigger payouts_touch_updated_at
  before update on public.payouts
  for each row execute function private.touch_updated_at();

-- Policies -------------------------------------------------------------------------------------------------------
create policy "Admins can view the payout settings"
  on public.payout_settings for select to authenticated
  using ((select private.is_admin()));

create policy "Admins can change the payout settings"
  on public.payout_settings for update to authenticated
  using ((select private.is_admin()))
  with check ((select private.is_admin()));

create policy "Store owners and couriers can view their payout number, admins all"
  on public.payout_destinations for select to authenticated
  using (
    store_id in (select private.my_owned_store_ids()) or courier_id = (select auth.uid())
    or (select private.is_admin())
  );

create policy "Store owners and couriers can set their payout number"
  on public.payout_destinations for insert to authenticated
  with check (store_id in (select private.my_owned_store_ids()) or courier_id = (select auth.uid()));

create policy "Store owners and couriers can change their payout number"
  on public.payout_destinations for update to authenticated
  using (store_id in (select private.my_owned_store_ids()) or courier_id = (select auth.uid()))
  with check (store_id in (select private.my_owned_store_ids()) or courier_id = (select auth.uid()));

create policy "Store owners and couriers can remove their payout number"
  on public.payout_destinations for delete to authenticated
  using (store_id in (select private.my_owned_store_ids()) or courier_id = (select auth.uid()));

create policy "Store owners and couriers can view their payouts, admins all"
  on public.payouts for select to authenticated
  using (
    store_id in (select private.my_owned_store_ids()) or courier_id = (select auth.uid())
    or (select private.is_admin())
  );

-- Reference data -------------------------------------------------------------------------------------------------
insert into public.payout_settings (id) values (true);

-- Functions ------------------------------------------------------------------------------------------------------
create function private.payout_wallet(p public.payouts)
returns uuid
language sql
security definer
set search_path = ''
as $$
  select case when p.store_id is not null then private.ledger_account('merchant_wallet', p.store_id)
              else private.ledger_account('courier_wallet', p.courier_id) end;
$$;
comment on function private.payout_wallet(public.payouts) is
  'The ledger account a payout is drawn from: the store''s merchant_wallet or the courier''s courier_wallet.';
revoke all on function private.payout_wallet(public.payouts) from public, anon, authenticated;
grant execute on function private.payout_wallet(public.payouts) to service_role;

create function private.payout_view(p public.payouts)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select to_jsonb(p) - 'send_attempts' - 'checked_at' - 'last_error' - 'reviewed_by';
$$;
comment on function private.payout_view(public.payouts) is 'A payout as the functions answer it to its payee.';
revoke all on function private.payout_view(public.payouts) from public, anon, authenticated;
grant execute on function private.payout_view(public.payouts) to service_role;

create function private.payout_notice(lang public.app_language, event text, amount integer, phone text, reason text)
returns text[]
language sql
immutable
set search_path = ''
as $$
  select case lang
    when 'en' then case event
      when 'approved' then array['Withdrawal approved', format('Your withdrawal of %s to %s is approved and on its way.', private.format_xof(amount), phone)]
      when 'rejected' then array['Withdrawal refused', format('Your withdrawal of %s was refused: %s. The money is back in your wallet.', private.format_xof(amount), reason)]
      when 'succeeded' then array['Withdrawal paid', format('%s has been sent to %s.', private.format_xof(amount), phone)]
      when 'failed' then array['Withdrawal failed', format('Your withdrawal of %s to %s failed. The money is back in your wallet.', private.format_xof(amount), phone)]
    end
    else case event
      when 'approved' then array['Retrait approuvé', format('Votre retrait de %s vers le %s est approuvé et en cours d''envoi.', private.format_xof(amount), phone)]
      when 'rejected' then array['Retrait refusé', format('Votre retrait de %s a été refusé : %s. L''argent est de retour dans votre portefeuille.', private.format_xof(amount), reason)]
      when 'succeeded' then array['Retrait effectué', format('%s ont été envoyés au %s.', private.format_xof(amount), phone)]
      when 'failed' then array['Retrait échoué', format('Votre retrait de %s vers le %s a échoué. L''argent est de retour dans votre portefeuille.', private.format_xof(amount), phone)]
    end
  end
$$;
comment on function private.payout_notice(public.app_language, text, integer, text, text) is
  'Title and body of a payout notification in French or English: approved, rejected, succeeded, failed.';
revoke all on function private.payout_notice(public.app_language, text, integer, text, text) from public;

create function private.notify_payout(p public.payouts, event text)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  inserted integer;
begin
  with people as (
    select p.courier_id as user_id where p.courier_id is not null
    union
    select m.user_id from public.store_members m where m.store_id = p.store_id and m.role = 'owner'
  ), texts as (
    select pe.user_id, coalesce(pr.language, 'fr') as lang,
           private.payout_notice(coalesce(pr.language, 'fr'), event, p.amount_xof, p.phone,
                                 coalesce(p.rejection_reason, '')) as t
      from people pe left join public.profiles pr on pr.id = pe.user_id
  )
  insert into public.notifications (user_id, kind, language, title, body, data)
  select t.user_id, 'payment', t.lang, t.t[1], left(t.t[2], 500),
         jsonb_build_object('payout_id', p.id, 'status', p.status, 'event', event, 'store_id', p.store_id)
    from texts t;
  get diagnostics inserted = row_count;
  return inserted;
end;
$$;
comment on function private.notify_payout(public.payouts, text) is
  'One `payment` notification per payee (the courier, or the store''s owners) in their language; the notification '
  'triggers broadcast and queue it. Runs in the caller''s transaction.';
revoke all on function private.notify_payout(public.payouts, text) from public, anon, authenticated;
grant execute on function private.notify_payout(public.payouts, text) to service_role;

create function private.request_payout(
  caller uuid, store uuid, amount integer, phone text, operator text, idempotency_key text, request_hash text
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  prior jsonb;
  settings public.payout_settings;
  payee uuid := coalesce(store, caller);
  dest public.payout_destinations;
  today_total bigint;
  day_start timestamptz := date_trunc('day', now() at time zone 'Africa/Abidjan') at time zone 'Africa/Abidjan';
  p public.payouts;
  answer jsonb;
begin
  prior := private.replay_money_request('payout', caller, idempotency_key, request_hash);
  if prior is not null then
    return prior;
  end if;

  if store is not null then
    if not exists (select 1 from public.store_members m
                     join public.user_roles r on r.user_id = m.user_id and r.role = 'merchant'
                    where m.store_id = store and m.user_id = caller and m.role = 'owner') then
      if exists (select 1 from public.store_members m where m.store_id = store and m.user_id = caller) then
        perform private.refuse_order(403, 'not_store_owner');
      end if;
      perform private.refuse_order(404, 'store_not_found');
    end if;
  elsif not exists (select 1 from public.couriers c where c.user_id = caller) then
    perform private.refuse_order(403, 'not_a_courier');
  end if;

  select * into settings from public.payout_settings where id;
  if amount is null or amount < settings.minimum_xof then
    perform private.refuse_order(422, 'below_minimum', jsonb_build_object('minimum_xof', settings.minimum_xof));
  end if;

  if phone is null then
    select * into dest from public.payout_destinations d
     where (store is not null and d.store_id = store) or (store is null and d.courier_id = caller);
    if not found then
      perform private.refuse_order(422, 'payout_destination_required');
    end if;
    phone := dest.phone;
    operator := coalesce(operator, dest.operator);
  end if;
  if operator is null then
    perform private.refuse_order(422, 'payout_destination_required');
  end if;
  if not ((operator like '%\_ci' and phone like '+225%') or (operator like '%\_tg' and phone like '+228%')) then
    perform private.refuse_order(422, 'operator_mismatch', jsonb_build_object('operator', operator));
  end if;

  -- One request per payee at a time, so the day's total cannot be overtaken by a concurrent request.
  perform pg_advisory_xact_lock(hashtextextended('payout/' || payee::text, 0));
  select coalesce(sum(x.amount_xof), 0) into today_total
    from public.payouts x
   where (x.store_id = store or (store is null and x.courier_id = caller))
     and x.created_at >= day_start and x.status not in ('failed', 'rejected');
  if today_total + amount > settings.daily_maximum_xof then
    perform private.refuse_order(422, 'daily_limit_exceeded', jsonb_build_object(
      'daily_maximum_xof', settings.daily_maximum_xof,
      'remaining_xof', greatest(settings.daily_maximum_xof - today_total, 0)));
  end if;

  insert into public.payouts (store_id, courier_id, requested_by, amount_xof, phone, operator, status)
  values (store, case when store is null then caller end, caller, amount, phone, operator,
          (case when amount > settings.approval_threshold_xof then 'pending_approval' else 'approved' end)::public.payout_status)
  returning * into p;
  perform private.post_entry('payout', jsonb_build_array(
    jsonb_build_object('account', private.payout_wallet(p), 'amount', -amount),
    jsonb_build_object('account', private.ledger_account('payout_clearing'), 'amount', amount)
  ), jsonb_build_object('payout_id', p.id), 'Retrait vers ' || phone, caller);

  answer := jsonb_build_object('payout', private.payout_view(p));
  return private.remember_money_request('payout', caller, idempotency_key, request_hash, answer);
end;
$$;
comment on function private.request_payout(uuid, uuid, integer, text, text, text, text) is
  'A payout request by caller: from store''s wallet (caller must own it and hold the merchant role: staff get EO403 '
  'not_store_owner, others EO404 store_not_found) or, store null, from the caller''s courier wallet (EO403 '
  'not_a_courier). phone/operator default to the payee''s payout_destinations row (EO422 '
  'payout_destination_required). Refuses EO422 below_minimum, operator_mismatch, daily_limit_exceeded, '
  'insufficient_funds (from the ledger). Writes the payout (approved, or pending_approval above the threshold) and '
  'the `payout` entry in one transaction; idempotent per (caller, key): the same request answers the first answer, '
  'another request EO422 idempotency_key_reused. Returns {payout}. Service role only.';
revoke all on function private.request_payout(uuid, uuid, integer, text, text, text, text) from public, anon, authenticated;
grant execute on function private.request_payout(uuid, uuid, integer, text, text, text, text) to service_role;

create function private.reverse_payout(p public.payouts, memo text, actor uuid)
returns void
language sql
security definer
set search_path = ''
as $$
  select private.post_entry('payout_reversal', jsonb_build_array(
    jsonb_build_object('account', private.ledger_account('payout_clearing'), 'amount', -p.amount_xof),
    jsonb_build_object('account', private.payout_wallet(p), 'amount', p.amount_xof)
  ), jsonb_build_object('payout_id', p.id), memo, actor);
$$;
comment on function private.reverse_payout(public.payouts, text, uuid) is
  'Puts a payout''s money back in its wallet (entry payout_reversal). Service role only.';
revoke all on function private.reverse_payout(public.payouts, text, uuid) from public, anon, authenticated;
grant execute on function private.reverse_payout(public.payouts, text, uuid) to service_role;

create function private.review_payout(
  payout_id uuid, admin uuid, approve boolean, reason text, idempotency_key text, request_hash text
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  prior jsonb;
  p public.payouts;
  answer jsonb;
begin
  if not exists (select 1 from public.user_roles r where r.user_id = admin and r.role = 'admin') then
    perform private.refuse_order(403, 'not_admin');
  end if;
  if idempotency_key is not null then
    prior := private.replay_money_request('payout_review', admin, idempotency_key, request_hash);
    if prior is not null then
      return prior;
    end if;
  end if;
  select * into p from public.payouts x where x.id = review_payout.payout_id for update;
  if not found then
    perform private.refuse_order(404, 'payout_not_found');
  end if;
  if p.status <> 'pending_approval' then
    perform private.refuse_order(409, 'payout_not_pending', jsonb_build_object('status', p.status));
  end if;
  if not approve and nullif(btrim(reason), '') is null then
    perform private.refuse_order(400, 'reason_required');
  end if;

  if approve then
    update public.payouts x set status = 'approved', reviewed_by = admin, reviewed_at = now()
     where x.id = p.id returning * into p;
  else
    update public.payouts x set status = 'rejected', reviewed_by = admin, reviewed_at = now(),
           rejection_reason = btrim(reason), resolved_at = now()
     where x.id = p.id returning * into p;
    perform private.reverse_payout(p, 'Retrait refusé : ' || btrim(reason), admin);
  end if;
  perform private.notify_payout(p, case when approve then 'approved' else 'rejected' end);

  answer := jsonb_build_object('payout', private.payout_view(p));
  if idempotency_key is not null then
    perform private.remember_money_request('payout_review', admin, idempotency_key, request_hash, answer);
  end if;
  return answer;
end;
$$;
comment on function private.review_payout(uuid, uuid, boolean, text, text, text) is
  'An admin approves or rejects (reason required: EO400 reason_required) a payout waiting for approval. Rejecting '
  'puts the money back (payout_reversal). EO403 not_admin, EO404 payout_not_found, EO409 payout_not_pending '
  '{status}. Idempotent per (admin, key) when a key is given. Notifies the payee. Returns {payout}. Service role only.';
revoke all on function private.review_payout(uuid, uuid, boolean, text, text, text) from public, anon, authenticated;
grant execute on function private.review_payout(uuid, uuid, boolean, text, text, text) to service_role;

create function private.claim_payout_send(payout_id uuid, provider text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  p public.payouts;
begin
  update public.payouts x
     set status = 'sent', provider = claim_payout_send.provider, sent_at = now(), send_attempts = x.send_attempts + 1,
         last_error = null
   where x.id = claim_payout_send.payout_id and x.status = 'approved'
  returning * into p;
  if not found then
    return null;
  end if;
  return to_jsonb(p);
end;
$$;
comment on function private.claim_payout_send(uuid, text) is
  'Moves an approved payout to sent with the provider chosen, and returns it; null when it is not approved (already '
  'sent by someone else, waiting, or resolved). Commit before calling the provider: only one caller ever wins, so a '
  'payout is handed to a provider at most once. Service role only.';
revoke all on function private.claim_payout_send(uuid, text) from public, anon, authenticated;
grant execute on function private.claim_payout_send(uuid, text) to service_role;

create function private.release_payout_send(payout_id uuid, error text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  p public.payouts;
begin
  update public.payouts x
     set status = 'approved', provider = null, sent_at = null, last_error = left(error, 500)
   where x.id = release_payout_send.payout_id and x.status = 'sent'
  returning * into p;
  return case when found then to_jsonb(p) end;
end;
$$;
comment on function private.release_payout_send(uuid, text) is
  'Puts a sent payout back to approved, with the error, when nothing reached the provider (provider not '
  'configured, credentials refused); the sweep sends it again later. Only for a send that certainly did not '
  'happen. Service role only.';
revoke all on function private.release_payout_send(uuid, text) from public, anon, authenticated;
grant execute on function private.release_payout_send(uuid, text) to service_role;

create function private.record_payout_outcome(
  payout_id uuid, outcome text, provider_ref text default null, failure_reason text default null,
  error text default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  p public.payouts;
begin
  if outcome not in ('succeeded', 'failed', 'pending') then
    raise exception using errcode = 'check_violation', message = format('unknown payout outcome %s', outcome);
  end if;
  select * into p from public.payouts x where x.id = record_payout_outcome.payout_id for update;
  if not found then
    perform private.refuse_order(404, 'payout_not_found');
  end if;
  if p.status <> 'sent' then
    -- Already resolved (or never sent): a repeated outcome changes nothing.
    return jsonb_build_object('payout', to_jsonb(p), 'changed', false);
  end if;

  if outcome = 'pending' then
    update public.payouts x
       set provider_ref = coalesce(record_payout_outcome.provider_ref, x.provider_ref), checked_at = now(),
           last_error = left(error, 500)
     where x.id = p.id returning * into p;
    return jsonb_build_object('payout', to_jsonb(p), 'changed', false);
  end if;

  update public.payouts x
     set status = outcome::public.payout_status, resolved_at = now(), checked_at = now(),
         provider_ref = coalesce(record_payout_outcome.provider_ref, x.provider_ref),
         failure_reason = case when outcome = 'failed' then coalesce(left(record_payout_outcome.failure_reason, 80), 'unknown') end,
         last_error = left(error, 500)
   where x.id = p.id returning * into p;
  if outcome = 'succeeded' then
    perform private.post_entry('payout_settled', jsonb_build_array(
      jsonb_build_object('account', private.ledger_account('payout_clearing'), 'amount', -p.amount_xof),
      jsonb_build_object('account', private.ledger_account('provider_clearing', null, p.provider || ':' || p.operator),
                         'amount', p.amount_xof)
    ), jsonb_build_object('payout_id', p.id), 'Retrait payé vers ' || p.phone);
  else
    perform private.reverse_payout(p, 'Retrait échoué : ' || p.failure_reason, null);
  end if;
  perform private.notify_payout(p, outcome);
  return jsonb_build_object('payout', to_jsonb(p), 'changed', true);
end;
$$;
comment on function private.record_payout_outcome(uuid, text, text, text, text) is
  'What the provider confirmed for a sent payout: succeeded (payout_settled to provider_clearing '
  '"<provider>:<operator>"), failed (payout_reversal to the wallet, failure_reason kept), or pending (provider_ref '
  'and the check time kept). Only a sent payout changes, once: a repeated or late outcome answers changed = false. '
  'Notifies the payee. Returns {payout, changed}. Service role only.';
revoke all on function private.record_payout_outcome(uuid, text, text, text, text) from public, anon, authenticated;
grant execute on function private.record_payout_outcome(uuid, text, text, text, text) to service_role;

create function private.payouts_to_sweep(settle_after interval default interval '1 minute', max_rows integer default 50)
returns setof public.payouts
language sql
stable
security definer
set search_path = ''
as $$
  select * from public.payouts x
   where (x.status = 'sent' and x.sent_at < now() - settle_after
          and (x.checked_at is null or x.checked_at < now() - settle_after))
      or (x.status = 'approved' and x.updated_at < now() - settle_after)
   order by x.updated_at
   limit max_rows;
$$;
comment on function private.payouts_to_sweep(interval, integer) is
  'Payouts the status sweep should look at: sent for longer than settle_after and not checked within it (ask the '
  'provider), and approved ones nobody sent within it (send them). Service role only.';
revoke all on function private.payouts_to_sweep(interval, integer) from public, anon, authenticated;
grant execute on function private.payouts_to_sweep(interval, integer) to service_role;
