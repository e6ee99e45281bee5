-- The driver card of a ride (customer app, Rides): what a rider needs to recognise the driver who accepted their
-- ride — first name, photo, vehicle, plate, vest number — and the driver's average rating. The rider may not read
-- the driver's profile or other riders' ratings under RLS (both stay private), so one narrow function answers for
-- the ride's own rider and admins only. The phone number is not part of it: riders do not read drivers' numbers.

-- Functions ------------------------------------------------------------------------------------------------------
create function private.ride_driver_card(ride uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  me uuid := (select auth.uid());
  r public.rides;
  card jsonb;
begin
  select * into r from public.rides x where x.id = ride;
  if r.id is null or not (r.rider_id = me or (select private.is_admin())) then
    raise exception using errcode = 'EO404', message = 'ride_not_found';
  end if;
  if r.courier_id is null then
    return null;
  end if;
  select jsonb_build_object(
           'courier_id', c.user_id,
           'first_name', left(split_part(btrim(coalesce(p.full_name, '')), ' ', 1), 60),
           'avatar_path', p.avatar_path,
           'vehicle_type', c.vehicle_type,
           'plate', c.plate,
           'vest_number', c.vest_number,
           'rating_avg', (select round(avg(g.stars)::numeric, 1) from public.ratings g
                           where g.courier_id = c.user_id and g.target = 'courier'),
           'rating_count', (select count(*) from public.ratings g
                             where g.courier_id = c.user_id and g.target = 'courier'))
    into card
    from public.couriers c
    left join public.profiles p on p.id = c.user_id
   where c.user_id = r.courier_id;
  return card;
end;
$$;
comment on function private.ride_driver_card(uuid) is
  'The driver of a ride as its rider sees them: { courier_id, first_name, avatar_path, vehicle_type, plate, '
  'vest_number, rating_avg (1 decimal, null before any rating), rating_count }; null while no driver has accepted. '
  'For the ride''s rider and admins; anybody else gets EO404 ride_not_found. No phone number.';
revoke all on function private.ride_driver_card(uuid) from public, anon;
grant execute on function private.ride_driver_card(uuid) to authenticated, service_role;

create function public.ride_driver(ride_id uuid)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  select private.ride_driver_card(ride_id);
$$;
comment on function public.ride_driver(uuid) is
  'rpc/ride_driver: the driver card of one of the caller''s rides (private.ride_driver_card): null before a driver '
  'accepts; someone else''s ride raises EO404 ride_not_found.';
revoke all on function public.ride_driver(uuid) from public, anon;
grant execute on function public.ride_driver(uuid) to authenticated;
