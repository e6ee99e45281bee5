-- Rides ("courses", DESIGN.md §6): a rider asks for a moto-taxi, tricycle or car from a pickup pin to a dropoff
-- pin; the fare is quoted from the zone's ride_fares and locked at request; a driver (a courier) accepts, arrives,
-- starts the ride with the rider's 4-digit PIN and completes it. Same pattern as orders: legal moves in
-- public.ride_transitions, enforced by a trigger, recorded in ride_events, driven by private.transition_ride
-- (service role). The PIN lives in ride_start_pins, readable by the rider only.

-- Types ----------------------------------------------------------------------------------------------------------
create type public.ride_status as enum (
  'requested', 'accepted', 'arrived', 'in_progress', 'completed', 'cancelled', 'expired'
);
comment on type public.ride_status is 'Ride life cycle (DESIGN.md §6); legal moves: public.ride_transitions.';

-- Tables ---------------------------------------------------------------------------------------------------------
create table public.ride_transitions (
  from_status public.ride_status not null,
  to_status public.ride_status not null,
  actor_role public.transition_actor not null,
  primary key (from_status, to_status, actor_role),
  constraint ride_transitions_moves check (from_status <> to_status)
);
comment on table public.ride_transitions is
  'The ride state machine: a status change is legal when a row (from, to, actor role) exists ("customer" is the '
  'rider, "courier" the driver). Reference data; everyone reads it, nobody writes it through the API.';

create table public.rides (
  id uuid primary key default gen_random_uuid(),
  rider_id uuid not null references auth.users (id) on delete restrict,
  rider_first_name text not null default ''
    constraint rides_rider_first_name_length check (private.check_text_length(rider_first_name, 'rider_first_name', 0, 60)),
  zone_id uuid not null references public.zones (id) on delete restrict,
  vehicle_type public.vehicle_type not null,
  pickup_lat double precision not null,
  pickup_lng double precision not null,
  pickup_landmark text not null
    constraint rides_pickup_landmark_length check (private.check_text_length(pickup_landmark, 'pickup landmark (repère)', 3, 280)),
  dropoff_lat double precision not null,
  dropoff_lng double precision not null,
  dropoff_landmark text not null
    constraint rides_dropoff_landmark_length check (private.check_text_length(dropoff_landmark, 'dropoff landmark (repère)', 3, 280)),
  distance_m integer not null constraint rides_distance_m_range check (distance_m between 1 and 200000),
  duration_s integer not null constraint rides_duration_s_range check (duration_s between 1 and 36000),
  fare_quote_xof integer not null constraint rides_fare_quote_xof_min check (private.check_xof(fare_quote_xof, 'fare_quote_xof', 1)),
  final_fare_xof integer constraint rides_final_fare_xof_min check (private.check_xof(final_fare_xof, 'final_fare_xof', 0)),
  payment_method public.payment_method not null default 'cash',
  status public.ride_status not null default 'requested',
  courier_id uuid references public.couriers (user_id) on delete restrict,
  cancel_reason text constraint rides_cancel_reason_length check (private.check_text_length(cancel_reason, 'cancel_reason', 1, 280)),
  cancelled_by public.transition_actor,
  idempotency_key text not null constraint rides_idempotency_key_length check (private.check_text_length(idempotency_key, 'idempotency_key', 8, 100)),
  requested_at timestamptz not null default now(),
  accepted_at timestamptz,
  arrived_at timestamptz,
  started_at timestamptz,
  completed_at timestamptz,
  cancelled_at timestamptz,
  expired_at timestamptz,
  updated_at timestamptz not null default now(),
  constraint rides_idempotency_key_per_rider unique (rider_id, idempotency_key),
  constraint rides_pickup_coordinates check (private.check_coordinates(pickup_lat, pickup_lng)),
  constraint rides_dropoff_coordinates check (private.check_coordinates(dropoff_lat, dropoff_lng))
);
comment on table public.rides is
  'A ride: rider (and first name for the driver), zone (of the pickup), vehicle type, pickup and dropoff pins with '
  'landmarks, estimated distance and duration, fare quoted from ride_fares and locked at request (integer FCFA), '
  'final fare, payment method, status (only through private.transition_ride), driver (courier), cancel reason and '
  'who cancelled, one timestamp per step. Written by the edge functions; the rider, the driver and admins read it.';

create table public.ride_start_pins (
  ride_id uuid primary key references public.rides (id) on delete cascade,
  pin text not null default lpad((floor(random() * 10000))::int::text, 4, '0')
    constraint ride_start_pins_four_digits check (pin ~ '^[0-9]{4}$')
);
comment on table public.ride_start_pins is
  'The 4-digit PIN the rider tells the driver to start the ride (private.transition_ride checks it for '
  'in_progress). Readable by the rider and admins only.';

create table public.ride_events (
  id bigint generated always as identity primary key,
  ride_id uuid not null references public.rides (id) on delete cascade,
  from_status public.ride_status,
  to_status public.ride_status not null,
  actor_id uuid references auth.users (id) on delete set null,
  actor_role public.transition_actor not null,
  reason text,
  created_at timestamptz not null default now()
);
comment on table public.ride_events is
  'Every status change of a ride (and the request, from null): who, role, from, to, why, when. Written by the rides '
  'trigger only; readable with the ride.';

-- Indexes --------------------------------------------------------------------------------------------------------
create index rides_rider_id_idx on public.rides (rider_id, requested_at desc);
create index rides_courier_id_idx on public.rides (courier_id, status);
create index rides_zone_id_idx on public.rides (zone_id);
create index rides_requested_idx on public.rides (requested_at) where status = 'requested';
create index ride_events_ride_id_idx on public.ride_events (ride_id, id);
create index ride_events_actor_id_idx on public.ride_events (actor_id);

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on public.ride_transitions, public.rides, public.ride_start_pins, public.ride_events from anon, authenticated;
grant select on public.ride_transitions to anon, authenticated;
grant select on public.rides, public.ride_start_pins, public.ride_events to authenticated;

-- Row level security ---------------------------------------------------------------------------------------------
alter table public.ride_transitions enable row level security;
alter table public.rides enable row level security;
alter table public.ride_start_pins enable row level security;
alter table public.ride_events enable row level security;

-- Triggers -------------------------------------------------------------------------------------------------------
create function private.guard_ride()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  role public.transition_actor;
  f public.ride_fares;
begin
  if tg_op = 'INSERT' then
    if new.status <> 'requested' then
      raise exception using errcode = 'check_violation', message = format('a new ride starts requested, got %s', new.status);
    end if;
    new.zone_id := private.zone_for_place(new.pickup_lat, new.pickup_lng, new.zone_id);
    select * into f from public.ride_fares rf where rf.zone_id = new.zone_id and rf.vehicle_type = new.vehicle_type;
    if not found then
      raise exception using errcode = 'check_violation',
        message = format('no %s rides in this zone', new.vehicle_type);
    end if;
    -- The quote is the published grid's, whatever the writer sent, rounded up to 25 FCFA (the smallest coin in
    -- use); it is locked for the ride.
    new.fare_quote_xof := greatest(f.minimum_fare_xof,
      (ceil((f.base_fare_xof + f.per_km_xof * new.distance_m / 1000.0 + f.per_minute_xof * new.duration_s / 60.0)
            / 25.0) * 25)::integer);
    new.requested_at := now();
    return new;
  end if;

  if current_user in ('anon', 'authenticated') then
    raise exception using errcode = 'insufficient_privilege', message = 'rides change only through the ride functions';
  end if;
  if (new.rider_id, new.zone_id, new.vehicle_type, new.pickup_lat, new.pickup_lng, new.dropoff_lat, new.dropoff_lng,
      new.fare_quote_xof, new.idempotency_key, new.requested_at)
     is distinct from
     (old.rider_id, old.zone_id, old.vehicle_type, old.pickup_lat, old.pickup_lng, old.dropoff_lat, old.dropoff_lng,
      old.fare_quote_xof, old.idempotency_key, old.requested_at) then
    raise exception using errcode = 'insufficient_privilege',
      message = 'the rider, places, vehicle and fare quote of a ride are fixed at request';
  end if;
  if new.status is distinct from old.status then
    role := coalesce(nullif(current_setting('ecom.actor_role', true), '')::public.transition_actor, 'system');
    if not exists (select 1 from public.ride_transitions t where t.from_status = old.status and t.to_status = new.status) then
      raise exception using errcode = 'object_not_in_prerequisite_state',
        message = format('illegal transition from %s to %s', old.status, new.status);
    end if;
    if not exists (
      select 1 from public.ride_transitions t
       where t.from_status = old.status and t.to_status = new.status and t.actor_role = role
    ) then
      raise exception using errcode = 'object_not_in_prerequisite_state',
        message = format('illegal transition from %s to %s for %s', old.status, new.status, role);
    end if;
    if new.status <> 'cancelled' and new.status <> 'expired' and new.courier_id is null then
      raise exception using errcode = 'object_not_in_prerequisite_state', message = 'a ride needs its driver first';
    end if;
    case new.status
      when 'accepted' then new.accepted_at := now();
      when 'arrived' then new.arrived_at := now();
      when 'in_progress' then new.started_at := now();
      when 'completed' then new.completed_at := now(); new.final_fare_xof := coalesce(new.final_fare_xof, new.fare_quote_xof);
      when 'cancelled' then new.cancelled_at := now(); new.cancelled_by := role;
      when 'expired' then new.expired_at := now();
      else null;
    end case;
  end if;
  if new.courier_id is distinct from old.courier_id and not (old.status = 'requested' and new.status = 'accepted') then
    raise exception using errcode = 'object_not_in_prerequisite_state',
      message = 'the driver of a ride is set when it is accepted, and never changes';
  end if;
  new.updated_at := now();
  return new;
end;
$$;
comment on function private.guard_ride() is
  'Trigger on rides: a new ride is requested, its zone comes from the pickup (private.zone_for_place) and its fare '
  'quote from ride_fares (max(minimum, base + per km + per minute rounded up to 25 FCFA), whatever was sent); anon / authenticated never '
  'update; rider, places, vehicle and quote never change; status changes must be rows of ride_transitions for the '
  'acting role (ecom.actor_role, "system" otherwise): object_not_in_prerequisite_state "illegal transition from X '
  'to Y" (or "… for <role>"); the driver is set with accepted only. Never called directly.';
revoke all on function private.guard_ride() from public;

create function private.record_ride_event()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    insert into public.ride_events (ride_id, from_status, to_status, actor_id, actor_role)
    values (new.id, null, new.status, new.rider_id, 'customer');
  elsif new.status is distinct from old.status then
    insert into public.ride_events (ride_id, from_status, to_status, actor_id, actor_role, reason)
    values (new.id, old.status, new.status, nullif(current_setting('ecom.actor_id', true), '')::uuid,
            coalesce(nullif(current_setting('ecom.actor_role', true), '')::public.transition_actor, 'system'),
            nullif(current_setting('ecom.reason', true), ''));
  end if;
  return null;
end;
$$;
comment on function private.record_ride_event() is
  'Trigger after insert or status change on rides: appends the ride_events row. Never called directly.';
revoke all on function private.record_ride_event() from public;

create trigger rides_guard
  before insert or update on public.rides
  for each row execute function private.guard_ride();

create trigger rides_record_event
  after insert or update of status on public.rides
  for each row execute function private.record_ride_event();

-- Policies -------------------------------------------------------------------------------------------------------
create policy "Everyone can view the ride state machine"
  on public.ride_transitions for select to anon
  using (true);

create policy "People can view the ride state machine"
  on public.ride_transitions for select to authenticated
  using (true);

create policy "Riders, the driver and admins can view a ride"
  on public.rides for select to authenticated
  using (rider_id = (select auth.uid()) or courier_id = (select auth.uid()) or (select private.is_admin()));

create policy "Riders and admins can view a ride's start PIN"
  on public.ride_start_pins for select to authenticated
  using (
    ride_id in (select r.id from public.rides r where r.rider_id = (select auth.uid()))
    or (select private.is_admin())
  );

create policy "Parties to a ride can view its events"
  on public.ride_events for select to authenticated
  using (ride_id in (select r.id from public.rides r));

-- Now that orders and rides exist: customers and store members also see the courier assigned to their jobs
-- (vehicle, plate, vest number: how to recognise them at the door).
drop policy "Couriers can view themselves, admins all couriers" on public.couriers;
create policy "Couriers can view themselves, parties their courier, admins all"
  on public.couriers for select to authenticated
  using (
    user_id = (select auth.uid())
    or user_id in (select o.courier_id from public.orders o)
    or user_id in (select r.courier_id from public.rides r)
    or (select private.is_admin())
  );

-- Functions ------------------------------------------------------------------------------------------------------
create function private.transition_ride(
  ride_id uuid,
  to_status public.ride_status,
  actor uuid,
  actor_role public.transition_actor,
  reason text default null,
  pin text default null
)
returns public.rides
language plpgsql
security definer
set search_path = ''
as $$
declare
  r public.rides;
begin
  select * into r from public.rides where id = transition_ride.ride_id for update;
  if not found then
    raise exception using errcode = 'no_data_found', message = format('ride %s not found', ride_id);
  end if;
  if actor_role = 'customer' and actor is distinct from r.rider_id then
    raise exception using errcode = 'insufficient_privilege', message = 'only the rider of this ride can do this';
  elsif actor_role = 'courier' and to_status = 'accepted' and r.courier_id is null then
    -- Accepting assigns the driver: an approved courier with the ride's vehicle type.
    if not exists (
      select 1 from public.couriers c
       where c.user_id = actor and c.approval_status = 'approved' and c.vehicle_type = r.vehicle_type
    ) then
      raise exception using errcode = 'insufficient_privilege',
        message = format('only an approved %s driver can accept this ride', r.vehicle_type);
    end if;
  elsif actor_role = 'courier' and actor is distinct from r.courier_id then
    raise exception using errcode = 'insufficient_privilege', message = 'only the driver of this ride can do this';
  elsif actor_role = 'merchant' then
    raise exception using errcode = 'insufficient_privilege', message = 'merchants have no part in rides';
  elsif actor_role = 'admin' and not exists (
    select 1 from public.user_roles ur where ur.user_id = actor and ur.role = 'admin'
  ) then
    raise exception using errcode = 'insufficient_privilege', message = 'only an admin can do this';
  end if;
  if not exists (
    select 1 from public.ride_transitions t where t.from_status = r.status and t.to_status = transition_ride.to_status
  ) then
    raise exception using errcode = 'object_not_in_prerequisite_state',
      message = format('illegal transition from %s to %s', r.status, to_status);
  end if;
  if to_status = 'cancelled' and actor_role <> 'system' and nullif(btrim(reason), '') is null then
    raise exception using errcode = 'check_violation', message = 'a reason is required to cancel a ride';
  end if;
  if to_status = 'in_progress' and r.status is distinct from 'in_progress' then
    if pin is null or not exists (
      select 1 from public.ride_start_pins p where p.ride_id = r.id and p.pin = transition_ride.pin
    ) then
      raise exception using errcode = 'check_violation', message = 'wrong start PIN';
    end if;
  end if;

  perform set_config('ecom.actor_id', coalesce(actor::text, ''), true);
  perform set_config('ecom.actor_role', actor_role::text, true);
  perform set_config('ecom.reason', coalesce(reason, ''), true);
  update public.rides u
     set status = to_status,
         courier_id = case when to_status = 'accepted' and u.courier_id is null then actor else u.courier_id end,
         cancel_reason = case when to_status = 'cancelled' then reason else u.cancel_reason end
   where u.id = r.id
  returning * into r;
  perform set_config('ecom.actor_id', '', true);
  perform set_config('ecom.actor_role', '', true);
  perform set_config('ecom.reason', '', true);
  return r;
end;
$$;
comment on function private.transition_ride(uuid, public.ride_status, uuid, public.transition_actor, text, text) is
  'Moves a ride to to_status as actor in actor_role, in the caller''s transaction: the rider, the driver (accepting '
  'assigns an approved courier of the ride''s vehicle type), an admin or the system; a reason to cancel; the '
  'rider''s PIN to start (check_violation "wrong start PIN"). The rides trigger refuses illegal moves '
  '(object_not_in_prerequisite_state "illegal transition from X to Y") and records the event. Edge functions only: '
  'executable by service_role.';
revoke all on function private.transition_ride(uuid, public.ride_status, uuid, public.transition_actor, text, text)
  from public, anon, authenticated;
grant execute on function private.transition_ride(uuid, public.ride_status, uuid, public.transition_actor, text, text)
  to service_role;

-- Reference data: the ride state machine (DESIGN.md §6).
insert into public.ride_transitions (from_status, to_status, actor_role)
values ('requested', 'accepted', 'courier'),
       ('requested', 'cancelled', 'customer'),
       ('requested', 'cancelled', 'admin'),
       ('requested', 'expired', 'system'),
       ('accepted', 'arrived', 'courier'),
       ('accepted', 'cancelled', 'customer'),
       ('accepted', 'cancelled', 'courier'),
       ('accepted', 'cancelled', 'admin'),
       ('arrived', 'in_progress', 'courier'),
       ('arrived', 'cancelled', 'customer'),
       ('arrived', 'cancelled', 'courier'),
       ('arrived', 'cancelled', 'admin'),
       ('in_progress', 'completed', 'courier'),
       ('in_progress', 'cancelled', 'admin');
