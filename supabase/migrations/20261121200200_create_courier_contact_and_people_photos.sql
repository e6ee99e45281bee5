-- Calling the courier, and people's photos.
--
-- 1. job_courier_contact(): the assigned courier's first name, phone, vehicle and plate for the customer of an order
--    or the rider of a ride, only while the job is under way (a courier is assigned and the job is not finished).
--    Customers cannot read couriers' phones in the schema (auth.users, profiles are private); this narrow function is
--    the only way, and it answers nothing to anybody else or once the job is over.
-- 2. Two private Storage buckets, JPEG / PNG / WebP up to 2 MB (the apps compress to ≈ 800 px JPEG first):
--    `avatars` (profile photos, profiles.avatar_path) and `address-photos` (a photo of the door or landmark of a saved
--    place, addresses.photo_path, copied into order_contacts.address at placement). Objects live under
--    `<user id>/<file>`; the path columns hold `<bucket>/<user id>/<file>`. A person reads and writes only their own
--    folder; the courier assigned to an active delivery reads the address photo its order's snapshot names (and so
--    may ask Storage for a signed URL to it). No public URLs: the apps show them through short signed URLs.

-- Tables (Storage's own) -----------------------------------------------------------------------------------------
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values
  ('avatars', 'avatars', false, 2097152, array['image/jpeg', 'image/png', 'image/webp']),
  ('address-photos', 'address-photos', false, 2097152, array['image/jpeg', 'image/png', 'image/webp'])
on conflict (id) do nothing;

-- Functions used by the policies ---------------------------------------------------------------------------------
create function private.my_delivery_photo_paths()
returns setof text
language sql
stable
security definer
set search_path = ''
as $$
  select c.address ->> 'photo_path'
    from public.orders o
    join public.order_contacts c on c.order_id = o.id
   where o.courier_id = (select auth.uid())
     and o.fulfilment = 'delivery'
     and o.status in ('accepted', 'preparing', 'ready', 'picked_up')
     and c.address ->> 'photo_path' like 'address-photos/' || o.customer_id::text || '/%';
$$;
comment on function private.my_delivery_photo_paths() is
  'Policy helper: the address photos (`address-photos/<customer id>/<file>`) of the deliveries the caller is the '
  'assigned courier of, while they are active. A path outside the customer''s own folder is ignored, so a customer '
  'cannot point a courier at somebody else''s photo. For authenticated (inside policies).';
revoke all on function private.my_delivery_photo_paths() from public;
grant execute on function private.my_delivery_photo_paths() to authenticated;

-- Policies -------------------------------------------------------------------------------------------------------
-- The first folder of the object name is the owner's id, compared as text (storage.objects has an index on
-- (bucket_id, name)).
create policy "People can view their own photos, couriers the address photo of their active delivery"
  on storage.objects for select to authenticated
  using (
    (bucket_id in ('avatars', 'address-photos') and (storage.foldername(name))[1] = (select auth.uid())::text)
    or (bucket_id = 'address-photos' and bucket_id || '/' || name in (select private.my_delivery_photo_paths()))
  );

create policy "People can upload photos into their own folder"
  on storage.objects for insert to authenticated
  with check (
    bucket_id in ('avatars', 'address-photos') and (storage.foldername(name))[1] = (select auth.uid())::text
  );

create policy "People can replace photos in their own folder"
  on storage.objects for update to authenticated
  using (bucket_id in ('avatars', 'address-photos') and (storage.foldername(name))[1] = (select auth.uid())::text)
  with check (
    bucket_id in ('avatars', 'address-photos') and (storage.foldername(name))[1] = (select auth.uid())::text
  );

create policy "People can remove photos from their own folder"
  on storage.objects for delete to authenticated
  using (bucket_id in ('avatars', 'address-photos') and (storage.foldername(name))[1] = (select auth.uid())::text);

-- Functions ------------------------------------------------------------------------------------------------------
create function private.job_courier_contact(order_id uuid, ride_id uuid)
returns table (first_name text, phone text, vehicle_type public.vehicle_type, plate text)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  me uuid := (select auth.uid());
  courier uuid;
begin
  if (order_id is null) = (ride_id is null) then
    raise exception using errcode = 'invalid_parameter_value',
      message = 'give either p_order_id or p_ride_id, not both and not neither';
  end if;
  if me is null then
    return;
  end if;
  if order_id is not null then
    select o.courier_id into courier
      from public.orders o
     where o.id = job_courier_contact.order_id
       and o.customer_id = me
       and o.status in ('accepted', 'preparing', 'ready', 'picked_up');
  else
    select r.courier_id into courier
      from public.rides r
     where r.id = job_courier_contact.ride_id
       and r.rider_id = me
       and r.status in ('accepted', 'arrived', 'in_progress');
  end if;
  if courier is null then
    return;
  end if;
  return query
    select nullif(split_part(btrim(coalesce(p.full_name, '')), ' ', 1), ''),
           case when coalesce(u.phone, '') = '' then null else '+' || ltrim(u.phone, '+') end,
           k.vehicle_type,
           k.plate
      from public.couriers k
      join auth.users u on u.id = k.user_id
      left join public.profiles p on p.id = k.user_id
     where k.user_id = courier;
end;
$$;
comment on function private.job_courier_contact(uuid, uuid) is
  'Body of public.job_courier_contact. Runs as owner to read the courier''s phone (auth.users) and name; answers '
  'only the caller''s own active job. Raises invalid_parameter_value unless exactly one id is given.';
revoke all on function private.job_courier_contact(uuid, uuid) from public;
grant execute on function private.job_courier_contact(uuid, uuid) to authenticated;

create function public.job_courier_contact(p_order_id uuid default null, p_ride_id uuid default null)
returns table (first_name text, phone text, vehicle_type public.vehicle_type, plate text)
language sql
stable
security invoker
set search_path = ''
as $$
  select * from private.job_courier_contact(p_order_id, p_ride_id);
$$;
comment on function public.job_courier_contact(uuid, uuid) is
  'rpc job_courier_contact: how to reach the courier of the caller''s order (p_order_id) or ride (p_ride_id): one '
  'row {first_name (null when the profile has no name), phone (E.164), vehicle_type, plate} while a courier is '
  'assigned and the job is active (order accepted / preparing / ready / picked_up; ride accepted / arrived / '
  'in_progress), no row otherwise (another person''s job, no courier yet, delivered, completed, cancelled…). '
  'Raises invalid_parameter_value (400) unless exactly one id is given. For authenticated.';
revoke all on function public.job_courier_contact(uuid, uuid) from public, anon;
grant execute on function public.job_courier_contact(uuid, uuid) to authenticated;
