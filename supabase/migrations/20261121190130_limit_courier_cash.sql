-- Couriers who hold too much cash get no cash job (DESIGN.md §7). A courier's cash in hand is minus his courier_cash
-- balance (cash collected on delivered orders and completed rides, not yet paid in); dispatch leaves him out of a
-- cash job when cash in hand + the job's total > the zone's limit (private.courier_cash_limit: courier_cash_limits,
-- else 50 000 FCFA). Non-cash jobs are offered to him as before.
--
-- Only private.available_couriers changes (copied from 20261121170100_create_dispatch.sql, the latest definition;
-- dispatch_order and dispatch_ride, which call it, are untouched). Its signature says where the job is, not which
-- job it is, so the guard finds the job from the place: dispatch_order asks around the store (vehicle_type null) and
-- dispatch_ride around the pickup (with the ride's vehicle type); private.cash_job_at takes the largest cash job
-- waiting for a courier there (a cash delivery of a store at exactly that pin, accepted / preparing / ready and
-- unassigned; or a requested cash ride from exactly that pickup with that vehicle). When a store has a cash and a
-- wallet order waiting at once, the wallet one is dispatched under the cash rule too: the safe side.

-- Functions ------------------------------------------------------------------------------------------------------
create function private.cash_job_at(lat double precision, lng double precision, vehicle_type public.vehicle_type)
returns table (cash_xof integer, zone_id uuid)
language sql
stable
security definer
set search_path = ''
as $$
  select j.cash_xof, j.zone_id
    from (select o.total_xof as cash_xof, o.zone_id
            from public.orders o
            join public.stores s on s.id = o.store_id
           where cash_job_at.vehicle_type is null
             and s.lat = cash_job_at.lat and s.lng = cash_job_at.lng
             and o.status in ('accepted', 'preparing', 'ready') and o.fulfilment = 'delivery'
             and o.courier_id is null and o.payment_method = 'cash'
          union all
          select r.fare_quote_xof, r.zone_id
            from public.rides r
           where r.vehicle_type = cash_job_at.vehicle_type
             and r.pickup_lat = cash_job_at.lat and r.pickup_lng = cash_job_at.lng
             and r.status = 'requested' and r.courier_id is null and r.payment_method = 'cash') j
   order by j.cash_xof desc
   limit 1;
$$;
comment on function private.cash_job_at(double precision, double precision, public.vehicle_type) is
  'The largest cash job waiting for a courier at a place: with vehicle_type null, a cash delivery of a store at '
  'exactly (lat, lng), accepted / preparing / ready, unassigned; with a vehicle type, a requested cash ride from '
  'exactly that pickup. Returns its cash total and zone, or no row. For private.available_couriers. Service role only.';
revoke all on function private.cash_job_at(double precision, double precision, public.vehicle_type)
  from public, anon, authenticated;
grant execute on function private.cash_job_at(double precision, double precision, public.vehicle_type) to service_role;

create function private.courier_cash_allows(courier uuid, zone uuid, cash_xof integer)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select -a.balance from public.ledger_accounts a
                    where a.kind = 'courier_cash' and a.owner_id = courier and a.channel is null and a.shard = 0), 0)
         + cash_xof <= private.courier_cash_limit(zone);
$$;
comment on function private.courier_cash_allows(uuid, uuid, integer) is
  'True when the courier''s cash in hand (minus his courier_cash balance) plus cash_xof stays within the zone''s '
  'limit (private.courier_cash_limit). Service role only.';
revoke all on function private.courier_cash_allows(uuid, uuid, integer) from public, anon, authenticated;
grant execute on function private.courier_cash_allows(uuid, uuid, integer) to service_role;

create or replace function private.available_couriers(
  lat double precision,
  lng double precision,
  radius_m integer,
  vehicle_type public.vehicle_type default null,
  max_age interval default '30 seconds',
  lim integer default 10
)
returns setof public.nearby_courier
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  job record;
begin
  perform private.check_coordinates(lat, lng);
  if radius_m is null or radius_m not between 1 and 50000 then
    raise exception using errcode = 'check_violation',
      message = format('radius_m must be between 1 and 50000 metres, got %s', radius_m);
  end if;
  select * into job from private.cash_job_at(lat, lng, vehicle_type);
  return query
    select p.courier_id, c.vehicle_type,
           round(extensions.earth_distance(extensions.ll_to_earth(available_couriers.lat, available_couriers.lng),
                                           extensions.ll_to_earth(p.lat, p.lng)))::integer as distance_m,
           p.updated_at
      from public.courier_presence p
      join public.couriers c on c.user_id = p.courier_id
     where p.online
       and extensions.earth_box(extensions.ll_to_earth(available_couriers.lat, available_couriers.lng),
                                available_couriers.radius_m)
             operator(extensions.@>) extensions.ll_to_earth(p.lat, p.lng)
       and extensions.earth_distance(extensions.ll_to_earth(available_couriers.lat, available_couriers.lng),
                                     extensions.ll_to_earth(p.lat, p.lng)) <= available_couriers.radius_m
       and p.updated_at >= now() - available_couriers.max_age
       and c.approval_status = 'approved'
       and (available_couriers.vehicle_type is null or c.vehicle_type = available_couriers.vehicle_type)
       and not private.courier_is_busy(p.courier_id)
       and (job.cash_xof is null or private.courier_cash_allows(p.courier_id, job.zone_id, job.cash_xof))
     order by extensions.ll_to_earth(p.lat, p.lng)
                operator(extensions.<->) extensions.ll_to_earth(available_couriers.lat, available_couriers.lng)
     limit greatest(1, least(coalesce(available_couriers.lim, 10), 100));
end;
$$;
comment on function private.available_couriers(double precision, double precision, integer, public.vehicle_type, interval, integer) is
  'private.nearest_couriers without the busy couriers (private.courier_is_busy: an active job or an open offer) and, '
  'when a cash job waits at (lat, lng) (private.cash_job_at), without the couriers whose cash in hand plus its total '
  'would pass the zone''s limit (private.courier_cash_allows): online, approved, position fresher than max_age, '
  'within radius_m (1..50000), nearest first, at most lim (1..100). Raises check_violation on bad coordinates or '
  'radius. Dispatch only: executable by service_role.';
revoke all on function private.available_couriers(double precision, double precision, integer, public.vehicle_type, interval, integer)
  from public, anon, authenticated;
grant execute on function private.available_couriers(double precision, double precision, integer, public.vehicle_type, interval, integer)
  to service_role;
