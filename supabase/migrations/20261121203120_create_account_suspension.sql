-- Users for the operations team (issue 10, docs/admin-ops.md "Users"): find a person by phone or name, grant and
-- revoke roles, suspend and reinstate an account.
--
-- A suspension is three columns of profiles (suspended_at, suspension_reason, suspended_by), set only by
-- private.admin_set_suspension. While suspended a person cannot place an order, request a ride, go online or take an
-- offer: triggers on orders, rides, courier_presence and offers refuse it where it is decided, whatever the path
-- (function, SQL, Studio), with EO403 account_suspended, which the functions translate. Auth refuses their sign-in
-- and token refresh: the suspension sets auth.users.banned_until (hosted Supabase Auth and the local stand-in both
-- honour it); a token already issued lives until it expires (1 h) but every action above is refused meanwhile.
-- An admin cannot suspend himself, a courier holding an active job is reassigned first, and each change is audited
-- (trigger on profiles) and told to the person (notification kind system).

-- Tables ---------------------------------------------------------------------------------------------------------
alter table public.profiles
  add column suspended_at timestamptz,
  add column suspension_reason text
    constraint profiles_suspension_reason_length check (private.check_text_length(suspension_reason, 'suspension_reason', 3, 300)),
  add column suspended_by uuid references auth.users (id) on delete set null,
  add constraint profiles_suspension_complete check ((suspended_at is null) = (suspension_reason is null));
comment on column public.profiles.suspended_at is
  'When an admin suspended this account (null: active); with suspension_reason and suspended_by. Set only by '
  'private.admin_set_suspension (no grant lets the owner write it).';

-- Indexes --------------------------------------------------------------------------------------------------------
create index profiles_suspended_by_idx on public.profiles (suspended_by);
create index profiles_suspended_idx on public.profiles (suspended_at) where suspended_at is not null;

-- Triggers -------------------------------------------------------------------------------------------------------
create function private.is_suspended(person uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select 1 from public.profiles p where p.id = person and p.suspended_at is not null);
$$;
comment on function private.is_suspended(uuid) is
  'True when the person''s account is suspended. For triggers and the service role.';
revoke all on function private.is_suspended(uuid) from public, anon;
grant execute on function private.is_suspended(uuid) to authenticated, service_role;

create function private.refuse_suspended()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  person uuid;
begin
  -- One field access per branch: PL/pgSQL resolves every field an expression names, even in an untaken branch.
  if tg_table_name = 'orders' then
    person := new.customer_id;
  elsif tg_table_name = 'rides' then
    person := new.rider_id;
  elsif tg_table_name = 'courier_presence' then
    if not new.online then
      return new;
    end if;
    person := new.courier_id;
  else
    if new.status not in ('offered', 'accepted') then
      return new;
    end if;
    if tg_op = 'UPDATE' then
      if new.status is not distinct from old.status then
        return new;
      end if;
    end if;
    person := new.courier_id;
  end if;
  if private.is_suspended(person) then
    perform private.refuse_order(403, 'account_suspended');
  end if;
  return new;
end;
$$;
comment on function private.refuse_suspended() is
  'Trigger on orders and rides (insert), courier_presence (going or staying online) and offers (made or accepted): '
  'EO403 account_suspended when the customer, rider or courier is suspended. Never called directly.';
revoke all on function private.refuse_suspended() from public;

create trigger orders_refuse_suspended
  before insert on public.orders
  for each row execute function private.refuse_suspended();

create trigger rides_refuse_suspended
  before insert on public.rides
  for each row execute function private.refuse_suspended();

create trigger courier_presence_refuse_suspended
  before insert or update on public.courier_presence
  for each row execute function private.refuse_suspended();

create trigger offers_refuse_suspended
  before insert or update of status on public.offers
  for each row execute function private.refuse_suspended();

create trigger profiles_audit_suspension
  after update of suspended_at, suspension_reason on public.profiles
  for each row
  when (old.suspended_at is distinct from new.suspended_at or old.suspension_reason is distinct from new.suspension_reason)
  execute function private.audit_row();

-- Functions ------------------------------------------------------------------------------------------------------
-- Placement and ride requests say "suspended" before anything else (a closed store, an address out of the zone…):
-- the landed functions are renamed *_unchecked and the names now check the suspension first, then hand over. The
-- triggers above still hold for any other path.
alter function private.place_order(uuid, jsonb, text) rename to place_order_unchecked;
alter function private.request_ride(uuid, jsonb, text) rename to request_ride_unchecked;
comment on function private.place_order_unchecked(uuid, jsonb, text) is
  'The order placement of 20261121190120_accept_wallet_payments, called by private.place_order once the customer is '
  'known not to be suspended. Service role only.';
comment on function private.request_ride_unchecked(uuid, jsonb, text) is
  'The ride request of 20261121190120_accept_wallet_payments, called by private.request_ride once the rider is '
  'known not to be suspended. Service role only.';

create function private.place_order(customer uuid, request jsonb, request_hash text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  if private.is_suspended(customer) then
    perform private.refuse_order(403, 'account_suspended');
  end if;
  return private.place_order_unchecked(customer, request, request_hash);
end;
$$;
comment on function private.place_order(uuid, jsonb, text) is
  'Places an order (see private.place_order_unchecked for the request and every refusal) unless the customer is '
  'suspended: EO403 account_suspended first. Service role only.';
revoke all on function private.place_order(uuid, jsonb, text) from public, anon, authenticated;
grant execute on function private.place_order(uuid, jsonb, text) to service_role;

create function private.request_ride(rider uuid, request jsonb, request_hash text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  if private.is_suspended(rider) then
    perform private.refuse_order(403, 'account_suspended');
  end if;
  return private.request_ride_unchecked(rider, request, request_hash);
end;
$$;
comment on function private.request_ride(uuid, jsonb, text) is
  'Requests a ride (see private.request_ride_unchecked for the request and every refusal) unless the rider is '
  'suspended: EO403 account_suspended first. Service role only.';
revoke all on function private.request_ride(uuid, jsonb, text) from public, anon, authenticated;
grant execute on function private.request_ride(uuid, jsonb, text) to service_role;

create function private.admin_set_suspension(person uuid, suspend boolean, reason text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  admin uuid := (select auth.uid());
  p public.profiles;
  clean_reason text := nullif(btrim(reason), '');
  lang text;
begin
  if not (select private.is_admin()) then
    perform private.refuse_order(403, 'admin_only');
  end if;
  if suspend is null then
    perform private.refuse_order(400, 'validation_failed', jsonb_build_object('field', 'p_suspended'));
  end if;
  select * into p from public.profiles x where x.id = person for update;
  if not found then
    perform private.refuse_order(404, 'person_not_found');
  end if;
  if suspend then
    if person = admin then
      perform private.refuse_order(409, 'cannot_suspend_self');
    end if;
    if clean_reason is null or char_length(clean_reason) not between 3 and 300 then
      perform private.refuse_order(400, 'reason_required');
    end if;
    if exists (select 1 from public.orders o
                where o.courier_id = person and o.status in ('accepted', 'preparing', 'ready', 'picked_up'))
       or exists (select 1 from public.rides r
                   where r.courier_id = person and r.status in ('accepted', 'arrived', 'in_progress')) then
      perform private.refuse_order(409, 'courier_on_job');
    end if;
    if p.suspended_at is not null then
      return jsonb_build_object('user_id', person, 'suspended', true, 'suspended_at', p.suspended_at,
                                'reason', p.suspension_reason, 'changed', false);
    end if;
    update public.profiles x
       set suspended_at = now(), suspension_reason = clean_reason, suspended_by = admin
     where x.id = person
    returning * into p;
    update auth.users u set banned_until = now() + interval '100 years' where u.id = person;
    update public.courier_presence c set online = false where c.courier_id = person and c.online;
  else
    if p.suspended_at is null then
      return jsonb_build_object('user_id', person, 'suspended', false, 'changed', false);
    end if;
    update public.profiles x
       set suspended_at = null, suspension_reason = null, suspended_by = null
     where x.id = person
    returning * into p;
    update auth.users u set banned_until = null where u.id = person;
  end if;

  lang := coalesce(p.language::text, 'fr');
  insert into public.notifications (user_id, kind, language, title, body, data)
  values (
    person, 'system', lang::public.app_language,
    case when suspend then case lang when 'en' then 'Account suspended' else 'Compte suspendu' end
         else case lang when 'en' then 'Account reinstated' else 'Compte rétabli' end end,
    case when suspend then
           case lang when 'en' then format('Your account is suspended: %s. Call support to talk about it.', clean_reason)
                else format('Votre compte est suspendu : %s. Appelez le support pour en parler.', clean_reason) end
         else
           case lang when 'en' then 'Your account is active again: you can order, ride and work as before.'
                else 'Votre compte est de nouveau actif : vous pouvez commander, voyager et travailler comme avant.' end
    end,
    jsonb_build_object('event', case when suspend then 'account_suspended' else 'account_reinstated' end,
                       'reason', clean_reason));
  return jsonb_build_object('user_id', person, 'suspended', suspend, 'suspended_at', p.suspended_at,
                            'reason', p.suspension_reason, 'changed', true);
end;
$$;
comment on function private.admin_set_suspension(uuid, boolean, text) is
  'Suspends (suspend = true, reason 3–300 characters) or reinstates a person, as admin: profiles.suspended_*, '
  'auth.users.banned_until (+100 years / null), the courier taken offline; audited by the profiles trigger; the '
  'person notified in their language. Refusals (SQLSTATE EO<status>, message = code): EO403 admin_only, EO404 '
  'person_not_found, EO409 cannot_suspend_self, EO400 reason_required, EO409 courier_on_job (reassign first). '
  'Suspending a suspended person or reinstating an active one changes nothing ({changed: false}).';
revoke all on function private.admin_set_suspension(uuid, boolean, text) from public, anon;
grant execute on function private.admin_set_suspension(uuid, boolean, text) to authenticated;

create function public.admin_set_suspension(p_user_id uuid, p_suspended boolean, p_reason text default null)
returns jsonb
language sql
set search_path = ''
as $$ select private.admin_set_suspension(p_user_id, p_suspended, p_reason) $$;
comment on function public.admin_set_suspension(uuid, boolean, text) is
  'rpc admin_set_suspension: see private.admin_set_suspension. Admins only.';
revoke all on function public.admin_set_suspension(uuid, boolean, text) from public, anon;
grant execute on function public.admin_set_suspension(uuid, boolean, text) to authenticated;

create function private.admin_set_role(person uuid, role public.app_role, grant_it boolean)
returns public.app_role[]
language plpgsql
security definer
set search_path = ''
as $$
declare
  roles public.app_role[];
begin
  if not (select private.is_admin()) then
    perform private.refuse_order(403, 'admin_only');
  end if;
  if role is null or grant_it is null then
    perform private.refuse_order(400, 'validation_failed', jsonb_build_object('field', 'p_role'));
  end if;
  if not exists (select 1 from public.profiles p where p.id = person) then
    perform private.refuse_order(404, 'person_not_found');
  end if;
  if not grant_it and person = (select auth.uid()) and role = 'admin' then
    perform private.refuse_order(409, 'cannot_change_own_admin');
  end if;
  if grant_it then
    insert into public.user_roles (user_id, role) values (person, admin_set_role.role) on conflict do nothing;
  else
    delete from public.user_roles r where r.user_id = person and r.role = admin_set_role.role;
  end if;
  select coalesce(array_agg(r.role order by r.role), '{}') into roles from public.user_roles r where r.user_id = person;
  return roles;
end;
$$;
comment on function private.admin_set_role(uuid, public.app_role, boolean) is
  'Grants (grant_it) or revokes one role of a person, as admin; returns the person''s roles afterwards. Granting a '
  'held role or revoking a missing one changes nothing. Audited by the user_roles trigger (granted_by = the admin). '
  'Refusals: EO403 admin_only, EO400 validation_failed, EO404 person_not_found, EO409 cannot_change_own_admin (an '
  'admin never removes his own admin role: another admin does).';
revoke all on function private.admin_set_role(uuid, public.app_role, boolean) from public, anon;
grant execute on function private.admin_set_role(uuid, public.app_role, boolean) to authenticated;

create function public.admin_set_role(p_user_id uuid, p_role public.app_role, p_grant boolean)
returns public.app_role[]
language sql
set search_path = ''
as $$ select private.admin_set_role(p_user_id, p_role, p_grant) $$;
comment on function public.admin_set_role(uuid, public.app_role, boolean) is
  'rpc admin_set_role: see private.admin_set_role. Admins only.';
revoke all on function public.admin_set_role(uuid, public.app_role, boolean) from public, anon;
grant execute on function public.admin_set_role(uuid, public.app_role, boolean) to authenticated;

create function private.admin_users(query text, role public.app_role, lim integer, skip integer)
returns table (
  id uuid, phone text, full_name text, roles public.app_role[], created_at timestamptz, suspended boolean,
  suspended_at timestamptz, suspension_reason text, last_order_at timestamptz, last_ride_at timestamptz,
  wallet_balance_xof bigint, total_count bigint
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  q text := nullif(btrim(coalesce(query, '')), '');
  digits text := nullif(regexp_replace(coalesce(query, ''), '[^0-9]', '', 'g'), '');
begin
  if not (select private.is_staff()) then
    perform private.refuse_order(403, 'staff_only');
  end if;
  if lim is null or lim not between 1 and 100 or skip is null or skip < 0 then
    perform private.refuse_order(400, 'validation_failed', jsonb_build_object('field', 'p_limit'));
  end if;
  -- A query of digits and phone punctuation is a phone number (its last digits are enough); anything else a name.
  if q is not null and q !~ '^[0-9 +().-]+$' then
    digits := null;
  end if;
  return query
  with found as (
    select p.id, u.phone, p.full_name, p.created_at, p.suspended_at, p.suspension_reason
      from public.profiles p
      join auth.users u on u.id = p.id
     where (q is null
            or (digits is not null and u.phone like '%' || digits || '%')
            or (digits is null and p.full_name ilike '%' || replace(replace(q, '%', '\%'), '_', '\_') || '%'))
       and (admin_users.role is null
            or exists (select 1 from public.user_roles r where r.user_id = p.id and r.role = admin_users.role))
  )
  select f.id,
         case when f.phone is null or f.phone = '' then null else '+' || ltrim(f.phone, '+') end,
         f.full_name,
         coalesce((select array_agg(r.role order by r.role) from public.user_roles r where r.user_id = f.id), '{}'),
         f.created_at,
         f.suspended_at is not null,
         f.suspended_at,
         f.suspension_reason,
         (select max(o.created_at) from public.orders o where o.customer_id = f.id),
         (select max(r.requested_at) from public.rides r where r.rider_id = f.id),
         coalesce((select a.balance from public.ledger_accounts a
                    where a.kind = 'customer_wallet' and a.owner_id = f.id and a.shard = 0), 0),
         count(*) over ()
    from found f
   order by f.created_at desc, f.id
   limit lim offset skip;
end;
$$;
comment on function private.admin_users(text, public.app_role, integer, integer) is
  'The people the operations team looks for: query = a phone number (digits, any of its last digits) or part of a '
  'name (case-insensitive), optionally only holders of one role; newest first, lim 1–100 from skip; each row with '
  'phone (E.164), name, roles, sign-up date, suspension, last order and ride, wallet balance (FCFA) and the total '
  'number of matches. Admins and support (EO403 staff_only otherwise; EO400 validation_failed for a bad page).';
revoke all on function private.admin_users(text, public.app_role, integer, integer) from public, anon;
grant execute on function private.admin_users(text, public.app_role, integer, integer) to authenticated;

create function public.admin_users(
  p_query text default null, p_role public.app_role default null, p_limit integer default 50,
  p_offset integer default 0
)
returns table (
  id uuid, phone text, full_name text, roles public.app_role[], created_at timestamptz, suspended boolean,
  suspended_at timestamptz, suspension_reason text, last_order_at timestamptz, last_ride_at timestamptz,
  wallet_balance_xof bigint, total_count bigint
)
language sql
stable
set search_path = ''
as $$ select * from private.admin_users(p_query, p_role, p_limit, p_offset) $$;
comment on function public.admin_users(text, public.app_role, integer, integer) is
  'rpc admin_users: see private.admin_users. Admins and support.';
revoke all on function public.admin_users(text, public.app_role, integer, integer) from public, anon;
grant execute on function public.admin_users(text, public.app_role, integer, integer) to authenticated;
