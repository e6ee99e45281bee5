-- Home in one round trip: nearby_stores() also returns each store's weekly hours and its hour exceptions of the
-- coming week, so the app can say open / closed / opens at … without a second request (on a 560 ms-RTT connection
-- that second request cost the first screen more than half a second; bench/client.ts `slow_4g`).
-- Hours are public for approved stores (policies "Visitors can view the hours of approved stores" and the
-- authenticated one), and the helper only returns approved stores, so reading them under security definer shows
-- nothing new.

alter type public.nearby_store
  add attribute hours jsonb,
  add attribute exceptions jsonb;
comment on type public.nearby_store is
  'One row of nearby_stores(): a public store summary, its distance in metres, its weekly hours '
  '([{weekday, opens, closes, closes_next_day}]) and its hour exceptions from yesterday to 7 days ahead '
  '([{on_date, closed, opens, closes, closes_next_day}]).';

create or replace function private.nearby_approved_stores(
  lat double precision,
  lng double precision,
  radius_m integer,
  kind public.store_kind
)
returns setof public.nearby_store
language sql
stable
security definer
set search_path = ''
as $$
  select s.id, s.slug, s.name, s.kind, s.landmark, s.lat, s.lng, s.status, s.busy_until, s.preparation_minutes,
         s.logo_path,
         round(extensions.earth_distance(extensions.ll_to_earth(nearby_approved_stores.lat, nearby_approved_stores.lng),
                                         extensions.ll_to_earth(s.lat, s.lng)))::integer as distance_m,
         coalesce((select jsonb_agg(jsonb_build_object('weekday', h.weekday, 'opens', h.opens, 'closes', h.closes,
                                                       'closes_next_day', h.closes_next_day)
                                    order by h.weekday, h.opens)
                     from public.store_hours h
                    where h.store_id = s.id), '[]'::jsonb) as hours,
         coalesce((select jsonb_agg(jsonb_build_object('on_date', e.on_date, 'closed', e.closed, 'opens', e.opens,
                                                       'closes', e.closes, 'closes_next_day', e.closes_next_day)
                                    order by e.on_date)
                     from public.store_hour_exceptions e
                    where e.store_id = s.id
                      and e.on_date between current_date - 1 and current_date + 7), '[]'::jsonb) as exceptions
    from public.stores s
   where extensions.earth_box(extensions.ll_to_earth(nearby_approved_stores.lat, nearby_approved_stores.lng),
                              nearby_approved_stores.radius_m)
           operator(extensions.@>) extensions.ll_to_earth(s.lat, s.lng)
     and extensions.earth_distance(extensions.ll_to_earth(nearby_approved_stores.lat, nearby_approved_stores.lng),
                                   extensions.ll_to_earth(s.lat, s.lng)) <= nearby_approved_stores.radius_m
     and s.approval_status = 'approved'
     and (nearby_approved_stores.kind is null or s.kind = nearby_approved_stores.kind)
   order by distance_m, s.name;
$$;
comment on function private.nearby_approved_stores(double precision, double precision, integer, public.store_kind) is
  'Approved stores within radius_m metres of a point, nearest first, by the GiST index on ll_to_earth(lat, lng), '
  'with their hours and the coming week''s exceptions. Security definer so the index is usable; returns only '
  'public columns and public hours of approved stores. Called by public.nearby_stores, which validates the '
  'arguments; executable by anon, authenticated and service_role.';
