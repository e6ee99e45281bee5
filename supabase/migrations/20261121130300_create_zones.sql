-- Zones: the towns we serve (Tiassalé first), each a centre and a radius, with the delivery fee grid, the minimum
-- order and the ride fare grid per vehicle type. All amounts are integer FCFA (XOF has no minor unit); rounding a
-- computed fee to 25 FCFA belongs to the pricing code. Reference data production needs, so the pilot zone and its
-- grids are inserted here with a fixed id; admins change the figures, nobody else writes.

-- Types ----------------------------------------------------------------------------------------------------------
create type public.vehicle_type as enum ('moto', 'tricycle', 'car');
comment on type public.vehicle_type is
  'Vehicles of couriers and ride drivers: moto-taxi, tricycle (covered "saloni" or cargo), car.';

-- Tables ---------------------------------------------------------------------------------------------------------
create table public.zones (
  id uuid primary key default gen_random_uuid(),
  name text not null unique constraint zones_name_length check (private.check_text_length(name, 'name', 2, 80)),
  country_code text not null constraint zones_country_code_known check (country_code in ('CI', 'TG')),
  timezone text not null default 'Africa/Abidjan'
    constraint zones_timezone_known check (timezone in ('Africa/Abidjan', 'Africa/Lome')),
  center_lat double precision not null,
  center_lng double precision not null,
  radius_m integer not null constraint zones_radius_m_range check (radius_m between 500 and 100000),
  active boolean not null default false,
  delivery_base_fee_xof integer not null
    constraint zones_delivery_base_fee_xof_min check (private.check_xof(delivery_base_fee_xof, 'delivery_base_fee_xof', 0)),
  delivery_fee_per_km_xof integer not null
    constraint zones_delivery_fee_per_km_xof_min check (private.check_xof(delivery_fee_per_km_xof, 'delivery_fee_per_km_xof', 0)),
  min_order_xof integer not null default 0
    constraint zones_min_order_xof_min check (private.check_xof(min_order_xof, 'min_order_xof', 0)),
  default_commission_bps integer not null default 1000
    constraint zones_default_commission_bps_range check (default_commission_bps between 0 and 10000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint zones_center_coordinates check (private.check_coordinates(center_lat, center_lng))
);
comment on table public.zones is
  'Served towns: centre + radius (metres), delivery fee = base + per km (FCFA), minimum order, default merchant '
  'commission (basis points). Everyone (anon too) reads active zones; admins read all and write.';

create table public.ride_fares (
  zone_id uuid not null references public.zones (id) on delete cascade,
  vehicle_type public.vehicle_type not null,
  base_fare_xof integer not null constraint ride_fares_base_fare_xof_min check (private.check_xof(base_fare_xof, 'base_fare_xof', 0)),
  per_km_xof integer not null constraint ride_fares_per_km_xof_min check (private.check_xof(per_km_xof, 'per_km_xof', 0)),
  per_minute_xof integer not null constraint ride_fares_per_minute_xof_min check (private.check_xof(per_minute_xof, 'per_minute_xof', 0)),
  minimum_fare_xof integer not null
    constraint ride_fares_minimum_fare_xof_min check (private.check_xof(minimum_fare_xof, 'minimum_fare_xof', 1)),
  updated_at timestamptz not null default now(),
  primary key (zone_id, vehicle_type)
);
comment on table public.ride_fares is
  'Published ride fare grid of a zone per vehicle type (FCFA): fare = max(minimum, base + per_km * km + '
  'per_minute * minutes), quoted and locked at request. Readable like zones; admins write.';

-- Indexes --------------------------------------------------------------------------------------------------------
create index zones_active_idx on public.zones (active);

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on public.zones, public.ride_fares from anon, authenticated;
grant select on public.zones, public.ride_fares to anon, authenticated;
grant insert (id, name, country_code, timezone, center_lat, center_lng, radius_m, active, delivery_base_fee_xof,
              delivery_fee_per_km_xof, min_order_xof, default_commission_bps),
      update (name, country_code, timezone, center_lat, center_lng, radius_m, active, delivery_base_fee_xof,
              delivery_fee_per_km_xof, min_order_xof, default_commission_bps),
      delete on public.zones to authenticated;
grant insert (zone_id, vehicle_type, base_fare_xof, per_km_xof, per_minute_xof, minimum_fare_xof),
      update (base_fare_xof, per_km_xof, per_minute_xof, minimum_fare_xof),
      delete on public.ride_fares to authenticated;

-- Row level security ---------------------------------------------------------------------------------------------
alter table public.zones enable row level security;
alter table public.ride_fares enable row level security;

-- Triggers -------------------------------------------------------------------------------------------------------
create trigger zones_touch_updated_at
  before update on public.zones
  for each row execute function private.touch_updated_at();

create trigger ride_fares_touch_updated_at
  before update on public.ride_fares
  for each row execute function private.touch_updated_at();

-- Policies -------------------------------------------------------------------------------------------------------
create policy "Visitors can view active zones"
  on public.zones for select to anon
  using (active);

create policy "People can view active zones, admins all zones"
  on public.zones for select to authenticated
  using (active or (select private.is_admin()));

create policy "Admins can create zones"
  on public.zones for insert to authenticated
  with check ((select private.is_admin()));

create policy "Admins can update zones"
  on public.zones for update to authenticated
  using ((select private.is_admin()))
  with check ((select private.is_admin()));

create policy "Admins can delete zones"
  on public.zones for delete to authenticated
  using ((select private.is_admin()));

create policy "Visitors can view the fares of active zones"
  on public.ride_fares for select to anon
  using (zone_id in (select z.id from public.zones z where z.active));

create policy "People can view the fares of active zones, admins all fares"
  on public.ride_fares for select to authenticated
  using (zone_id in (select z.id from public.zones z where z.active) or (select private.is_admin()));

create policy "Admins can create fares"
  on public.ride_fares for insert to authenticated
  with check ((select private.is_admin()));

create policy "Admins can update fares"
  on public.ride_fares for update to authenticated
  using ((select private.is_admin()))
  with check ((select private.is_admin()));

create policy "Admins can delete fares"
  on public.ride_fares for delete to authenticated
  using ((select private.is_admin()));

-- Functions ------------------------------------------------------------------------------------------------------
-- Used by the addresses and stores triggers: the zone a place belongs to.
create function private.zone_for_place(lat double precision, lng double precision, zone_id uuid)
returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
  z record;
  distance_m double precision;
begin
  perform private.check_coordinates(lat, lng);
  if zone_id is not null then
    -- Runs as the caller: a zone the caller cannot see (unknown, or inactive for a non-admin) is unknown.
    select zz.id, zz.name, zz.radius_m,
           extensions.earth_distance(extensions.ll_to_earth(zz.center_lat, zz.center_lng),
                                     extensions.ll_to_earth(lat, lng)) as d
      into z
      from public.zones zz
     where zz.id = zone_for_place.zone_id;
    if not found then
      raise exception using errcode = 'foreign_key_violation',
        message = format('unknown zone %s', zone_id),
        hint = 'Leave zone_id empty to use the zone of the location.';
    end if;
    if z.d > z.radius_m + 1000 then
      raise exception using errcode = 'check_violation',
        message = format('this place is %s km from the centre of %s, outside its %s km radius',
                         round((z.d / 1000)::numeric, 1), z.name, round((z.radius_m / 1000.0)::numeric, 1));
    end if;
    return zone_id;
  end if;
  select zz.id into zone_id
    from public.zones zz
   where zz.active
     and extensions.earth_distance(extensions.ll_to_earth(zz.center_lat, zz.center_lng),
                                   extensions.ll_to_earth(lat, lng)) <= zz.radius_m + 1000
   order by extensions.earth_distance(extensions.ll_to_earth(zz.center_lat, zz.center_lng),
                                      extensions.ll_to_earth(lat, lng))
   limit 1;
  if zone_id is null then
    raise exception using errcode = 'check_violation',
      message = format('this place (%s, %s) is outside every zone we serve', lat, lng);
  end if;
  return zone_id;
end;
$$;
comment on function private.zone_for_place(double precision, double precision, uuid) is
  'The zone of a place: checks the coordinates, then the given zone (must be visible to the caller, and the place '
  'within its radius + 1 km) or the nearest active zone containing the place. Raises foreign_key_violation '
  '"unknown zone" or check_violation "outside". Runs as the caller; for the addresses and stores triggers.';
revoke all on function private.zone_for_place(double precision, double precision, uuid) from public;
grant execute on function private.zone_for_place(double precision, double precision, uuid) to authenticated, service_role;

create function private.assign_zone()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.zone_id := private.zone_for_place(new.lat, new.lng, new.zone_id);
  return new;
end;
$$;
comment on function private.assign_zone() is
  'Trigger for tables with lat, lng, zone_id: fills zone_id from the location, or checks the given one (see '
  'private.zone_for_place). Never called directly.';
revoke all on function private.assign_zone() from public;

-- Reference data: the pilot zone, Tiassalé (Agnéby-Tiassa, Côte d'Ivoire).
insert into public.zones (id, name, country_code, timezone, center_lat, center_lng, radius_m, active,
                          delivery_base_fee_xof, delivery_fee_per_km_xof, min_order_xof, default_commission_bps)
values ('5a1e0000-0000-4000-8000-000000000001', 'Tiassalé', 'CI', 'Africa/Abidjan', 5.8983, -4.8228, 8000, true,
        300, 100, 1000, 1000);

insert into public.ride_fares (zone_id, vehicle_type, base_fare_xof, per_km_xof, per_minute_xof, minimum_fare_xof)
values ('5a1e0000-0000-4000-8000-000000000001', 'moto', 150, 100, 10, 200),
       ('5a1e0000-0000-4000-8000-000000000001', 'tricycle', 200, 100, 10, 300),
       ('5a1e0000-0000-4000-8000-000000000001', 'car', 500, 200, 25, 1000);
