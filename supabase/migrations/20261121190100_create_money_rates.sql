-- Money rates (DESIGN.md §7): what the platform keeps, per zone and service, and how much cash a courier may hold.
--   order_rates           per zone and store kind: the merchant commission (bps of the subtotal) and the platform's
--                         cut of the delivery fee (bps of the fee)
--   ride_rates            per zone and vehicle type: the commission on the fare (bps)
--   courier_cash_limits   per zone: the cash in hand (FCFA) above which a courier gets no cash job
-- The rate of a sale, most specific first: stores.commission_bps (an admin's deal with one store), then the row for
-- (zone, store kind / vehicle), then zones.default_commission_bps for every missing figure (private.order_rate,
-- private.ride_rate). A zone without a cash limit row uses 50 000 FCFA. Admins read and write; nobody else (the
-- settlement functions are security definer).

-- Tables ---------------------------------------------------------------------------------------------------------
create table public.order_rates (
  zone_id uuid not null references public.zones (id) on delete cascade,
  store_kind public.store_kind not null,
  merchant_commission_bps integer not null
    constraint order_rates_merchant_commission_bps_range check (merchant_commission_bps between 0 and 10000),
  delivery_cut_bps integer not null
    constraint order_rates_delivery_cut_bps_range check (delivery_cut_bps between 0 and 10000),
  updated_at timestamptz not null default now(),
  primary key (zone_id, store_kind)
);
comment on table public.order_rates is
  'Order rates of a zone per store kind (basis points): the commission on the subtotal taken from the merchant and '
  'the platform''s cut of the delivery fee taken from the courier. A missing row means zones.default_commission_bps '
  'for both; stores.commission_bps overrides the commission of one store. Admins only.';

create table public.ride_rates (
  zone_id uuid not null references public.zones (id) on delete cascade,
  vehicle_type public.vehicle_type not null,
  commission_bps integer not null constraint ride_rates_commission_bps_range check (commission_bps between 0 and 10000),
  updated_at timestamptz not null default now(),
  primary key (zone_id, vehicle_type)
);
comment on table public.ride_rates is
  'Ride commission of a zone per vehicle type (basis points of the fare, and of a cancellation fee). A missing row '
  'means zones.default_commission_bps. Admins only.';

create table public.courier_cash_limits (
  zone_id uuid primary key references public.zones (id) on delete cascade,
  limit_xof integer not null constraint courier_cash_limits_limit_xof_min check (private.check_xof(limit_xof, 'limit_xof', 0)),
  updated_at timestamptz not null default now()
);
comment on table public.courier_cash_limits is
  'Cash a courier of the zone may hold (FCFA): dispatch offers no cash job to a courier whose cash in hand plus the '
  'job''s total would exceed it (private.courier_cash_allows). No row: 50 000 FCFA. Admins only.';

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on public.order_rates, public.ride_rates, public.courier_cash_limits from anon, authenticated;
grant select, delete on public.order_rates, public.ride_rates, public.courier_cash_limits to authenticated;
grant insert (zone_id, store_kind, merchant_commission_bps, delivery_cut_bps),
      update (merchant_commission_bps, delivery_cut_bps) on public.order_rates to authenticated;
grant insert (zone_id, vehicle_type, commission_bps), update (commission_bps) on public.ride_rates to authenticated;
grant insert (zone_id, limit_xof), update (limit_xof) on public.courier_cash_limits to authenticated;

-- Row level security ---------------------------------------------------------------------------------------------
alter table public.order_rates enable row level security;
alter table public.ride_rates enable row level security;
alter table public.courier_cash_limits enable row level security;

-- Triggers -------------------------------------------------------------------------------------------------------
create trigger order_rates_touch_updated_at
  before update on public.order_rates
  for each row execute function private.touch_updated_at();

create trigger ride_rates_touch_updated_at
  before update on public.ride_rates
  for each row execute function private.touch_updated_at();

create trigger courier_cash_limits_touch_updated_at
  before update on public.courier_cash_limits
  for each row execute function private.touch_updated_at();

-- Policies -------------------------------------------------------------------------------------------------------
create policy "Admins can view order rates"
  on public.order_rates for select to authenticated
  using ((select private.is_admin()));

create policy "Admins can create order rates"
  on public.order_rates for insert to authenticated
  with check ((select private.is_admin()));

create policy "Admins can update order rates"
  on public.order_rates for update to authenticated
  using ((select private.is_admin()))
  with check ((select private.is_admin()));

create policy "Admins can delete order rates"
  on public.order_rates for delete to authenticated
  using ((select private.is_admin()));

create policy "Admins can view ride rates"
  on public.ride_rates for select to authenticated
  using ((select private.is_admin()));

create policy "Admins can create ride rates"
  on public.ride_rates for insert to authenticated
  with check ((select private.is_admin()));

create policy "Admins can update ride rates"
  on public.ride_rates for update to authenticated
  using ((select private.is_admin()))
  with check ((select private.is_admin()));

create policy "Admins can delete ride rates"
  on public.ride_rates for delete to authenticated
  using ((select private.is_admin()));

create policy "Admins can view courier cash limits"
  on public.courier_cash_limits for select to authenticated
  using ((select private.is_admin()));

create policy "Admins can create courier cash limits"
  on public.courier_cash_limits for insert to authenticated
  with check ((select private.is_admin()));

create policy "Admins can update courier cash limits"
  on public.courier_cash_limits for update to authenticated
  using ((select private.is_admin()))
  with check ((select private.is_admin()));

create policy "Admins can delete courier cash limits"
  on public.courier_cash_limits for delete to authenticated
  using ((select private.is_admin()));

-- Functions ------------------------------------------------------------------------------------------------------
create function private.order_rate(store uuid)
returns table (commission_bps integer, delivery_cut_bps integer)
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(s.commission_bps, r.merchant_commission_bps, z.default_commission_bps),
         coalesce(r.delivery_cut_bps, z.default_commission_bps)
    from public.stores s
    join public.zones z on z.id = s.zone_id
    left join public.order_rates r on r.zone_id = s.zone_id and r.store_kind = s.kind
   where s.id = store;
$$;
comment on function private.order_rate(uuid) is
  'The rates of a store''s orders (bps): commission = stores.commission_bps, else order_rates for (zone, kind), '
  'else the zone default; delivery cut = order_rates for (zone, kind), else the zone default. Service role only.';
revoke all on function private.order_rate(uuid) from public, anon, authenticated;
grant execute on function private.order_rate(uuid) to service_role;

create function private.ride_rate(zone uuid, vehicle public.vehicle_type)
returns integer
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(r.commission_bps, z.default_commission_bps)
    from public.zones z
    left join public.ride_rates r on r.zone_id = z.id and r.vehicle_type = vehicle
   where z.id = zone;
$$;
comment on function private.ride_rate(uuid, public.vehicle_type) is
  'The ride commission (bps) of a vehicle type in a zone: ride_rates, else the zone default. Service role only.';
revoke all on function private.ride_rate(uuid, public.vehicle_type) from public, anon, authenticated;
grant execute on function private.ride_rate(uuid, public.vehicle_type) to service_role;

create function private.courier_cash_limit(zone uuid)
returns integer
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select l.limit_xof from public.courier_cash_limits l where l.zone_id = zone), 50000);
$$;
comment on function private.courier_cash_limit(uuid) is
  'The cash (FCFA) a courier of the zone may hold: courier_cash_limits, else 50 000. Service role only.';
revoke all on function private.courier_cash_limit(uuid) from public, anon, authenticated;
grant execute on function private.courier_cash_limit(uuid) to service_role;

-- Reference data: Tiassalé (the pilot zone). Commission 10 % on meals, 8 % on groceries and pharmacies; the platform
-- keeps 20 % of the delivery fee; 15 % on rides; a courier may hold 50 000 FCFA of cash.
insert into public.order_rates (zone_id, store_kind, merchant_commission_bps, delivery_cut_bps)
select '5a1e0000-0000-4000-8000-000000000001', k.kind,
       case when k.kind::text in ('maquis', 'restaurant', 'street_food', 'bakery') then 1000 else 800 end, 2000
  from unnest(enum_range(null::public.store_kind)) as k (kind)
 where exists (select 1 from public.zones z where z.id = '5a1e0000-0000-4000-8000-000000000001');
insert into public.ride_rates (zone_id, vehicle_type, commission_bps)
select '5a1e0000-0000-4000-8000-000000000001', v.vehicle, 1500
  from unnest(enum_range(null::public.vehicle_type)) as v (vehicle)
 where exists (select 1 from public.zones z where z.id = '5a1e0000-0000-4000-8000-000000000001');
insert into public.courier_cash_limits (zone_id, limit_xof)
select '5a1e0000-0000-4000-8000-000000000001', 50000
 where exists (select 1 from public.zones z where z.id = '5a1e0000-0000-4000-8000-000000000001');
