-- Offers: dispatch proposes a job (an order to deliver or a ride to drive) to one courier at a time, who has about
-- 20 seconds to accept or decline; on decline or expiry dispatch offers it to the next nearest courier. A partial
-- unique index makes "at most one accepted offer per job" a database fact: a second courier accepting the same job
-- is refused, whatever races happen in the functions. Created and answered through the dispatch functions (service
-- role); a courier reads only the offers made to them.

-- Types ----------------------------------------------------------------------------------------------------------
create type public.job_kind as enum ('order', 'ride');
comment on type public.job_kind is 'What an offer is for: delivering an order, or driving a ride.';

create type public.offer_status as enum ('offered', 'accepted', 'declined', 'expired');
comment on type public.offer_status is 'offered (waiting for the courier), accepted, declined, expired (no answer in time).';

-- Tables ---------------------------------------------------------------------------------------------------------
create table public.offers (
  id uuid primary key default gen_random_uuid(),
  job_kind public.job_kind not null,
  order_id uuid references public.orders (id) on delete cascade,
  ride_id uuid references public.rides (id) on delete cascade,
  job_id uuid generated always as (coalesce(order_id, ride_id)) stored,
  courier_id uuid not null references public.couriers (user_id) on delete cascade,
  status public.offer_status not null default 'offered',
  distance_m integer constraint offers_distance_m_range check (distance_m >= 0),
  expires_at timestamptz not null default now() + interval '20 seconds',
  responded_at timestamptz,
  created_at timestamptz not null default now(),
  constraint offers_one_job check (
    (job_kind = 'order' and order_id is not null and ride_id is null)
    or (job_kind = 'ride' and ride_id is not null and order_id is null)
  ),
  constraint offers_expiry_after_creation check (expires_at > created_at)
);
comment on table public.offers is
  'A job (order or ride, job_id = its id) offered to one courier until expires_at (about 20 s): offered, then '
  'accepted, declined or expired. At most one accepted offer per job (offers_one_accepted_per_job). Written by '
  'dispatch (service role, private.respond_to_offer); the courier reads the offers made to them; admins all.';

-- Indexes --------------------------------------------------------------------------------------------------------
create unique index offers_one_accepted_per_job on public.offers (job_id) where status = 'accepted';
create unique index offers_one_open_per_job_and_courier on public.offers (job_id, courier_id) where status = 'offered';
create index offers_courier_id_idx on public.offers (courier_id, created_at desc);
create index offers_order_id_idx on public.offers (order_id);
create index offers_ride_id_idx on public.offers (ride_id);
create index offers_open_idx on public.offers (expires_at) where status = 'offered';

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on public.offers from anon, authenticated;
grant select on public.offers to authenticated;

-- Row level security ---------------------------------------------------------------------------------------------
alter table public.offers enable row level security;

-- Triggers -------------------------------------------------------------------------------------------------------
create function private.guard_offer()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    if new.status <> 'offered' then
      raise exception using errcode = 'check_violation', message = format('a new offer starts offered, got %s', new.status);
    end if;
    return new;
  end if;
  if (new.job_kind, new.order_id, new.ride_id, new.courier_id, new.created_at)
     is distinct from (old.job_kind, old.order_id, old.ride_id, old.courier_id, old.created_at) then
    raise exception using errcode = 'insufficient_privilege', message = 'the job and courier of an offer never change';
  end if;
  if new.status is distinct from old.status then
    if old.status <> 'offered' then
      raise exception using errcode = 'object_not_in_prerequisite_state',
        message = format('this offer was already %s', old.status);
    end if;
    if new.status in ('accepted', 'declined') and now() > old.expires_at then
      raise exception using errcode = 'object_not_in_prerequisite_state', message = 'this offer has expired';
    end if;
    new.responded_at := now();
  end if;
  return new;
end;
$$;
comment on function private.guard_offer() is
  'Trigger on offers: a new offer is offered; job and courier never change; only an open offer is answered, and '
  'not after expires_at (object_not_in_prerequisite_state "this offer has expired" / "this offer was already X"); '
  'stamps responded_at. Never called directly.';
revoke all on function private.guard_offer() from public;

create trigger offers_guard
  before insert or update on public.offers
  for each row execute function private.guard_offer();

-- Policies -------------------------------------------------------------------------------------------------------
create policy "Couriers can view the offers made to them, admins all offers"
  on public.offers for select to authenticated
  using (courier_id = (select auth.uid()) or (select private.is_admin()));

-- Functions ------------------------------------------------------------------------------------------------------
create function private.respond_to_offer(offer_id uuid, courier uuid, accept boolean)
returns public.offers
language plpgsql
security definer
set search_path = ''
as $$
declare
  f public.offers;
begin
  select * into f from public.offers where id = respond_to_offer.offer_id for update;
  if not found or f.courier_id is distinct from courier then
    raise exception using errcode = 'no_data_found', message = format('offer %s not found', offer_id);
  end if;
  if f.status <> 'offered' then
    raise exception using errcode = 'object_not_in_prerequisite_state', message = format('this offer was already %s', f.status);
  end if;
  update public.offers u set status = case when accept then 'accepted' else 'declined' end::public.offer_status
   where u.id = f.id
  returning * into f;
  if accept and f.job_kind = 'order' then
    update public.orders o set courier_id = f.courier_id where o.id = f.order_id;
  elsif accept and f.job_kind = 'ride' then
    perform private.transition_ride(f.ride_id, 'accepted', f.courier_id, 'courier');
  end if;
  return f;
end;
$$;
comment on function private.respond_to_offer(uuid, uuid, boolean) is
  'A courier answers an offer made to them (no_data_found otherwise). Accepting assigns them to the order, or '
  'accepts the ride (private.transition_ride); a second acceptance of the same job fails on the unique index '
  'offers_one_accepted_per_job (unique_violation), an expired or answered offer with '
  'object_not_in_prerequisite_state. Dispatch only: executable by service_role.';
revoke all on function private.respond_to_offer(uuid, uuid, boolean) from public, anon, authenticated;
grant execute on function private.respond_to_offer(uuid, uuid, boolean) to service_role;
