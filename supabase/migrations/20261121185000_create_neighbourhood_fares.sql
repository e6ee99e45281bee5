-- Fixed neighbourhood ride fares (issue 5, "Rides: fare quote from the zone grid (distance, time, fixed neighbourhood
-- fares)"). Moto-taxi drivers in a small town price the usual trips between quartiers at a fixed amount everybody
-- knows ("Commerce → Gare, c'est 300"); the grid's distance-and-time estimate is for everything else. A zone has named
-- neighbourhoods (a centre and a radius) and, per vehicle type, fixed fares between pairs of them (the same both
-- ways). A ride whose pickup lies in one neighbourhood of a pair and whose dropoff lies in the other costs the fixed
-- fare; any other ride costs the grid's. The quote says which (pricing: fixed | grid), and the rides trigger locks the
-- same amount at request.
--   private.neighbourhood_at(zone, lat, lng)   the neighbourhood holding a point (nearest centre), or null
--   private.ride_fare(zone, vehicle, pickup, dropoff, distance, duration)
--                                               {fare_xof, pricing, pickup_neighbourhood, dropoff_neighbourhood}
--   private.quote_ride(request)                 new version: the fare from private.ride_fare, with pricing
--   private.guard_ride()                        new version: the quote locked at request from private.ride_fare
-- Everyone reads the neighbourhoods and fares of active zones (anon too, like ride_fares); admins write.

-- Tables ---------------------------------------------------------------------------------------------------------
create table public.neighbourhoods (
  id uuid primary key default gen_random_uuid(),
  zone_id uuid not null references public.zones (id) on delete cascade,
  name text not null constraint neighbourhoods_name_length check (private.check_text_length(name, 'name', 2, 80)),
  center_lat double precision not null,
  center_lng double precision not null,
  radius_m integer not null constraint neighbourhoods_radius_m_range check (radius_m between 100 and 3000),
  updated_at timestamptz not null default now(),
  constraint neighbourhoods_name_per_zone unique (zone_id, name),
  constraint neighbourhoods_center_coordinates check (private.check_coordinates(center_lat, center_lng))
);
comment on table public.neighbourhoods is
  'Named neighbourhoods (quartiers) of a zone for fixed ride fares: a centre and a radius (100..3000 m) inside the '
  'zone (radius + 1 km). A point belongs to the nearest neighbourhood whose radius holds it. Readable like zones; '
  'admins write.';

create table public.neighbourhood_fares (
  neighbourhood_a_id uuid not null references public.neighbourhoods (id) on delete cascade,
  neighbourhood_b_id uuid not null references public.neighbourhoods (id) on delete cascade,
  vehicle_type public.vehicle_type not null,
  fare_xof integer not null constraint neighbourhood_fares_fare_xof_min check (private.check_xof(fare_xof, 'fare_xof', 1)),
  updated_at timestamptz not null default now(),
  primary key (neighbourhood_a_id, neighbourhood_b_id, vehicle_type),
  constraint neighbourhood_fares_pair_ordered check (neighbourhood_a_id < neighbourhood_b_id)
);
comment on table public.neighbourhood_fares is
  'Fixed ride fare (integer FCFA) between two neighbourhoods of one zone for a vehicle type, the same both ways (the '
  'pair is stored with the smaller id first; the trigger orders it). Replaces the grid fare when the pickup is in '
  'one and the dropoff in the other. Readable like zones; admins write.';

-- Indexes --------------------------------------------------------------------------------------------------------
create index neighbourhoods_zone_id_idx on public.neighbourhoods (zone_id);
create index neighbourhood_fares_neighbourhood_b_id_idx on public.neighbourhood_fares (neighbourhood_b_id);

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on public.neighbourhoods, public.neighbourhood_fares from anon, authenticated;
grant select on public.neighbourhoods, public.neighbourhood_fares to anon, authenticated;
grant insert (id, zone_id, name, center_lat, center_lng, radius_m),
      update (name, center_lat, center_lng, radius_m),
      delete on public.neighbourhoods to authenticated;
grant insert (neighbourhood_a_id, neighbourhood_b_id, vehicle_type, fare_xof),
      update (fare_xof),
      delete on public.neighbourhood_fares to authenticated;

-- Row level security ---------------------------------------------------------------------------------------------
alter table public.neighbourhoods enable row level security;
alter table public.neighbourhood_fares enable row level security;

-- Triggers -------------------------------------------------------------------------------------------------------
create function private.check_neighbourhood()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  -- The centre must lie in the zone (private.zone_for_place raises check_violation "… outside its … radius").
  perform private.zone_for_place(new.center_lat, new.center_lng, new.zone_id);
  return new;
end;
$$;
comment on function private.check_neighbourhood() is
  'Trigger before insert or update on neighbourhoods: the centre must be within the zone''s radius + 1 km '
  '(private.zone_for_place: check_violation otherwise). Never called directly.';
revoke all on function private.check_neighbourhood() from public;

create function private.order_neighbourhood_pair()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  first uuid := least(new.neighbourhood_a_id, new.neighbourhood_b_id);
  zones integer;
begin
  if new.neighbourhood_a_id = new.neighbourhood_b_id then
    raise exception using errcode = 'check_violation',
      message = 'a fixed fare joins two different neighbourhoods (a ride inside one neighbourhood uses the grid)';
  end if;
  select count(distinct n.zone_id) into zones from public.neighbourhoods n
   where n.id in (new.neighbourhood_a_id, new.neighbourhood_b_id);
  if zones > 1 then
    raise exception using errcode = 'check_violation', message = 'both neighbourhoods of a fixed fare must be in the same zone';
  end if;
  new.neighbourhood_b_id := greatest(new.neighbourhood_a_id, new.neighbourhood_b_id);
  new.neighbourhood_a_id := first;
  return new;
end;
$$;
comment on function private.order_neighbourhood_pair() is
  'Trigger before insert on neighbourhood_fares: refuses a pair of one neighbourhood with itself or of two zones '
  '(check_violation), and stores the pair smaller id first so A → B and B → A are one row. Never called directly.';
revoke all on function private.order_neighbourhood_pair() from public;

create trigger neighbourhoods_check
  before insert or update of zone_id, center_lat, center_lng on public.neighbourhoods
  for each row execute function private.check_neighbourhood();

create trigger neighbourhoods_touch_updated_at
  before update on public.neighbourhoods
  for each row execute function private.touch_updated_at();

create trigger neighbourhood_fares_order_pair
  before insert on public.neighbourhood_fares
  for each row execute function private.order_neighbourhood_pair();

create trigger neighbourhood_fares_touch_updated_at
  before update on public.neighbourhood_fares
  for each row execute function private.touch_updated_at();

-- Policies -------------------------------------------------------------------------------------------------------
create policy "Visitors can view the neighbourhoods of active zones"
  on public.neighbourhoods for select to anon
  using (zone_id in (select z.id from public.zones z where z.active));

create policy "People can view the neighbourhoods of active zones, admins all"
  on public.neighbourhoods for select to authenticated
  using (zone_id in (select z.id from public.zones z where z.active) or (select private.is_admin()));

create policy "Admins can create neighbourhoods"
  on public.neighbourhoods for insert to authenticated
  with check ((select private.is_admin()));

create policy "Admins can update neighbourhoods"
  on public.neighbourhoods for update to authenticated
  using ((select private.is_admin()))
  with check ((select private.is_admin()));

create policy "Admins can delete neighbourhoods"
  on public.neighbourhoods for delete to authenticated
  using ((select private.is_admin()));

create policy "Visitors can view the fixed fares of active zones"
  on public.neighbourhood_fares for select to anon
  using (neighbourhood_a_id in (select n.id from public.neighbourhoods n));

create policy "People can view the fixed fares of active zones, admins all"
  on public.neighbourhood_fares for select to authenticated
  using (neighbourhood_a_id in (select n.id from public.neighbourhoods n));

create policy "Admins can create fixed fares"
  on public.neighbourhood_fares for insert to authenticated
  with check ((select private.is_admin()));

create policy "Admins can update fixed fares"
  on public.neighbourhood_fares for update to authenticated
  using ((select private.is_admin()))
  with check ((select private.is_admin()));

create policy "Admins can delete fixed fares"
  on public.neighbourhood_fares for delete to authenticated
  using ((select private.is_admin()));

-- Functions ------------------------------------------------------------------------------------------------------
create function private.neighbourhood_at(zone_id uuid, lat double precision, lng double precision)
returns public.neighbourhoods
language sql
stable
security definer
set search_path = ''
as $$
  select n.* from public.neighbourhoods n
   where n.zone_id = neighbourhood_at.zone_id
     and extensions.earth_distance(extensions.ll_to_earth(n.center_lat, n.center_lng),
                                   extensions.ll_to_earth(neighbourhood_at.lat, neighbourhood_at.lng)) <= n.radius_m
   order by extensions.earth_distance(extensions.ll_to_earth(n.center_lat, n.center_lng),
                                      extensions.ll_to_earth(neighbourhood_at.lat, neighbourhood_at.lng))
   limit 1
$$;
comment on function private.neighbourhood_at(uuid, double precision, double precision) is
  'The neighbourhood of the zone holding the point (within its radius; the nearest centre when several do), or '
  'null. Service role only.';
revoke all on function private.neighbourhood_at(uuid, double precision, double precision) from public, anon, authenticated;
grant execute on function private.neighbourhood_at(uuid, double precision, double precision) to service_role;

create function private.ride_fare(
  zone_id uuid, vehicle public.vehicle_type,
  pickup_lat double precision, pickup_lng double precision,
  dropoff_lat double precision, dropoff_lng double precision,
  distance_m integer, duration_s integer
)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  f public.ride_fares;
  a public.neighbourhoods := private.neighbourhood_at(zone_id, pickup_lat, pickup_lng);
  b public.neighbourhoods := private.neighbourhood_at(zone_id, dropoff_lat, dropoff_lng);
  fixed integer;
begin
  if a.id is not null and b.id is not null and a.id <> b.id then
    select nf.fare_xof into fixed from public.neighbourhood_fares nf
     where nf.neighbourhood_a_id = least(a.id, b.id) and nf.neighbourhood_b_id = greatest(a.id, b.id)
       and nf.vehicle_type = vehicle;
  end if;
  if fixed is null then
    select * into f from public.ride_fares rf where rf.zone_id = ride_fare.zone_id and rf.vehicle_type = vehicle;
    if not found then
      return null;
    end if;
    -- The grid: max(minimum, base + per km + per minute), rounded up to 25 FCFA (the smallest coin in use).
    return jsonb_build_object(
      'fare_xof', greatest(f.minimum_fare_xof,
        (ceil((f.base_fare_xof + f.per_km_xof * distance_m / 1000.0 + f.per_minute_xof * duration_s / 60.0) / 25.0) * 25)::integer),
      'pricing', 'grid', 'pickup_neighbourhood', a.name, 'dropoff_neighbourhood', b.name);
  end if;
  return jsonb_build_object('fare_xof', fixed, 'pricing', 'fixed', 'pickup_neighbourhood', a.name,
                            'dropoff_neighbourhood', b.name);
end;
$$;
comment on function private.ride_fare(uuid, public.vehicle_type, double precision, double precision, double precision, double precision, integer, integer) is
  'The fare of a ride in a zone: the fixed neighbourhood fare for the vehicle when the pickup and the dropoff lie in '
  'the two neighbourhoods of a pair (pricing "fixed"), else the zone grid on the estimated distance and duration '
  '(max(minimum, base + per km + per minute) rounded up to 25 FCFA, pricing "grid"). Returns {fare_xof, pricing, '
  'pickup_neighbourhood, dropoff_neighbourhood} (names or null), or null when the zone has no grid for the vehicle '
  'and no fixed fare applies. Used by private.quote_ride and the rides trigger. Service role only.';
revoke all on function private.ride_fare(uuid, public.vehicle_type, double precision, double precision, double precision, double precision, integer, integer)
  from public, anon, authenticated;
grant execute on function private.ride_fare(uuid, public.vehicle_type, double precision, double precision, double precision, double precision, integer, integer)
  to service_role;

-- The quote, new version (was 20261121180000_create_ride_requests): the fare comes from private.ride_fare, and the
-- answer says how it was priced (pricing, neighbourhoods).
create or replace function private.quote_ride(request jsonb)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_vehicle text := request ->> 'vehicle_type';
  p_lat double precision := (request -> 'pickup' ->> 'lat')::double precision;
  p_lng double precision := (request -> 'pickup' ->> 'lng')::double precision;
  d_lat double precision := (request -> 'dropoff' ->> 'lat')::double precision;
  d_lng double precision := (request -> 'dropoff' ->> 'lng')::double precision;
  road_factor constant numeric := 1.3;
  speed_kmh integer;
  z public.zones;
  f public.ride_fares;
  straight double precision;
  v_distance integer;
  v_duration integer;
  fare jsonb;
begin
  perform private.check_coordinates(p_lat, p_lng);
  perform private.check_coordinates(d_lat, d_lng);
  if v_vehicle is null or v_vehicle not in (select unnest(enum_range(null::public.vehicle_type))::text) then
    perform private.refuse_order(422, 'vehicle_unavailable', jsonb_build_object('vehicle_type', v_vehicle));
  end if;
  -- The pickup's zone: the nearest active zone whose radius (+ 1 km, as private.zone_for_place) holds it.
  select * into z from public.zones zz
   where zz.active
     and extensions.earth_distance(extensions.ll_to_earth(zz.center_lat, zz.center_lng),
                                   extensions.ll_to_earth(p_lat, p_lng)) <= zz.radius_m + 1000
   order by extensions.earth_distance(extensions.ll_to_earth(zz.center_lat, zz.center_lng),
                                      extensions.ll_to_earth(p_lat, p_lng))
   limit 1;
  if not found then
    perform private.refuse_order(422, 'outside_zone', jsonb_build_object('place', 'pickup'));
  end if;
  if extensions.earth_distance(extensions.ll_to_earth(z.center_lat, z.center_lng),
                               extensions.ll_to_earth(d_lat, d_lng)) > z.radius_m + 1000 then
    perform private.refuse_order(422, 'outside_zone', jsonb_build_object('place', 'dropoff', 'zone', z.name));
  end if;
  straight := extensions.earth_distance(extensions.ll_to_earth(p_lat, p_lng), extensions.ll_to_earth(d_lat, d_lng));
  if straight < 100 then
    perform private.refuse_order(422, 'same_place');
  end if;
  select * into f from public.ride_fares rf where rf.zone_id = z.id and rf.vehicle_type = v_vehicle::public.vehicle_type;
  if not found then
    perform private.refuse_order(422, 'vehicle_unavailable', jsonb_build_object('vehicle_type', v_vehicle));
  end if;
  speed_kmh := case v_vehicle when 'moto' then 25 when 'tricycle' then 20 else 30 end;
  v_distance := greatest(1, round(straight * road_factor))::integer;
  v_duration := greatest(1, ceil(v_distance * 3.6 / speed_kmh))::integer;
  -- Exactly what the rides trigger (private.guard_ride) locks at request.
  fare := private.ride_fare(z.id, v_vehicle::public.vehicle_type, p_lat, p_lng, d_lat, d_lng, v_distance, v_duration);
  return jsonb_build_object(
    'zone_id', z.id, 'zone', z.name, 'vehicle_type', v_vehicle,
    'straight_line_m', round(straight)::integer, 'road_factor', road_factor, 'speed_kmh', speed_kmh,
    'distance_m', v_distance, 'duration_s', v_duration, 'fare_xof', (fare ->> 'fare_xof')::integer,
    'pricing', fare ->> 'pricing',
    'neighbourhoods', jsonb_build_object('pickup', fare -> 'pickup_neighbourhood', 'dropoff', fare -> 'dropoff_neighbourhood'),
    'grid', jsonb_build_object('base_fare_xof', f.base_fare_xof, 'per_km_xof', f.per_km_xof,
                               'per_minute_xof', f.per_minute_xof, 'minimum_fare_xof', f.minimum_fare_xof),
    'cancellation_fee_xof', f.minimum_fare_xof);
end;
$$;
comment on function private.quote_ride(jsonb) is
  'The fare of a ride {pickup {lat, lng}, dropoff {lat, lng}, vehicle_type}: the pickup''s active zone (EO422 '
  'outside_zone, detail place pickup / dropoff when either is beyond the zone radius + 1 km), EO422 same_place under '
  '100 m, EO422 vehicle_unavailable for a vehicle without a grid in the zone; road distance = straight line × 1.3, '
  'duration at 25 (moto) / 20 (tricycle) / 30 (car) km/h; fare = private.ride_fare: the fixed neighbourhood fare '
  '(pricing "fixed") when pickup and dropoff lie in a pair''s neighbourhoods, else the grid (pricing "grid"), as the '
  'rides trigger locks it. Writes nothing. Service role only.';

-- The rides trigger, new version (was 20261121150300_create_rides): the quote locked at request is private.ride_fare
-- (the fixed neighbourhood fare when one applies, else the grid), so it always equals private.quote_ride's.
create or replace function private.guard_ride()
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
    -- The quote is the published fare's (fixed neighbourhood fare or grid), whatever the writer sent; it is locked
    -- for the ride.
    new.fare_quote_xof := (private.ride_fare(new.zone_id, new.vehicle_type, new.pickup_lat, new.pickup_lng,
                                             new.dropoff_lat, new.dropoff_lng, new.distance_m, new.duration_s)
                           ->> 'fare_xof')::integer;
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
  'quote from private.ride_fare (the fixed neighbourhood fare when one applies, else the grid: max(minimum, base + '
  'per km + per minute) rounded up to 25 FCFA), whatever was sent; anon / authenticated never update; rider, places, '
  'vehicle and quote never change; status changes must be rows of ride_transitions for the acting role '
  '(ecom.actor_role, "system" otherwise): object_not_in_prerequisite_state "illegal transition from X to Y" (or '
  '"… for <role>"); the driver is set with accepted only. Never called directly.';
