-- Realtime (DESIGN.md §8): Broadcast from the database to private topics, authorised by RLS on realtime.messages.
--   order:<order id>    order status and events        customer, store members, assigned courier, admins (read and write)
--   ride:<ride id>      ride status and events         rider, driver, admins (read and write)
--   store:<store id>    the store's order queue        members, admins (read)
--   courier:<user id>   offers made to that courier    that courier, admins (read)
--   user:<user id>      personal notifications         that person, admins (read)
-- Clients may broadcast only on order: and ride: topics they belong to (the courier's live position while on the
-- job). Payloads carry only what every listener of the topic may read: no delivery code or PIN anywhere, no phone
-- on store topics, and offers tell a courier the job (places, landmarks, amounts to collect), never who the
-- customer is or their history.

-- Triggers -------------------------------------------------------------------------------------------------------
create function private.broadcast_order()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  payload jsonb;
begin
  if tg_op = 'UPDATE' and (new.status, new.courier_id) is not distinct from (old.status, old.courier_id) then
    return null;
  end if;
  payload := jsonb_build_object(
    'id', new.id, 'store_id', new.store_id, 'status', new.status, 'fulfilment', new.fulfilment,
    'courier_id', new.courier_id, 'customer_first_name', new.customer_first_name, 'total_xof', new.total_xof,
    'payment_method', new.payment_method, 'scheduled_for', new.scheduled_for,
    'rejection_reason', new.rejection_reason, 'cancellation_reason', new.cancellation_reason,
    'updated_at', new.updated_at, 'operation', tg_op);
  perform realtime.send(payload, 'order', 'order:' || new.id);
  perform realtime.send(payload, 'order', 'store:' || new.store_id);
  return null;
end;
$$;
comment on function private.broadcast_order() is
  'Trigger after insert or a status / courier change on orders: broadcasts the order summary (no contact, no '
  'code) as event "order" on order:<id> and store:<store_id>. Never called directly.';
revoke all on function private.broadcast_order() from public;

create function private.broadcast_order_event()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform realtime.send(
    jsonb_build_object('order_id', new.order_id, 'from_status', new.from_status, 'to_status', new.to_status,
                       'actor_role', new.actor_role, 'reason', new.reason, 'created_at', new.created_at),
    'order_event', 'order:' || new.order_id);
  return null;
end;
$$;
comment on function private.broadcast_order_event() is
  'Trigger after insert on order_events: broadcasts the transition as event "order_event" on order:<id>. Never '
  'called directly.';
revoke all on function private.broadcast_order_event() from public;

create function private.broadcast_ride()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and (new.status, new.courier_id) is not distinct from (old.status, old.courier_id) then
    return null;
  end if;
  perform realtime.send(
    jsonb_build_object('id', new.id, 'status', new.status, 'courier_id', new.courier_id,
                       'vehicle_type', new.vehicle_type, 'fare_quote_xof', new.fare_quote_xof,
                       'final_fare_xof', new.final_fare_xof, 'cancel_reason', new.cancel_reason,
                       'cancelled_by', new.cancelled_by, 'updated_at', new.updated_at, 'operation', tg_op),
    'ride', 'ride:' || new.id);
  return null;
end;
$$;
comment on function private.broadcast_ride() is
  'Trigger after insert or a status / driver change on rides: broadcasts the ride summary (no PIN) as event "ride" '
  'on ride:<id>. Never called directly.';
revoke all on function private.broadcast_ride() from public;

create function private.broadcast_offer()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  job jsonb;
begin
  if tg_op = 'UPDATE' and new.status is not distinct from old.status then
    return null;
  end if;
  if new.job_kind = 'order' then
    select jsonb_build_object(
             'store_name', s.name, 'pickup', jsonb_build_object('lat', s.lat, 'lng', s.lng, 'landmark', s.landmark),
             'dropoff', case when c.address is null then null
                             else jsonb_build_object('lat', c.address -> 'lat', 'lng', c.address -> 'lng',
                                                     'landmark', c.address -> 'landmark') end,
             'delivery_fee_xof', o.delivery_fee_xof, 'total_xof', o.total_xof, 'payment_method', o.payment_method)
      into job
      from public.orders o
      join public.stores s on s.id = o.store_id
      left join public.order_contacts c on c.order_id = o.id
     where o.id = new.order_id;
  else
    select jsonb_build_object(
             'vehicle_type', r.vehicle_type,
             'pickup', jsonb_build_object('lat', r.pickup_lat, 'lng', r.pickup_lng, 'landmark', r.pickup_landmark),
             'dropoff', jsonb_build_object('lat', r.dropoff_lat, 'lng', r.dropoff_lng, 'landmark', r.dropoff_landmark),
             'distance_m', r.distance_m, 'fare_quote_xof', r.fare_quote_xof, 'payment_method', r.payment_method)
      into job
      from public.rides r
     where r.id = new.ride_id;
  end if;
  perform realtime.send(
    jsonb_build_object('id', new.id, 'job_kind', new.job_kind, 'job_id', new.job_id, 'status', new.status,
                       'distance_m', new.distance_m, 'expires_at', new.expires_at, 'job', job),
    'offer', 'courier:' || new.courier_id);
  return null;
end;
$$;
comment on function private.broadcast_offer() is
  'Trigger after insert or a status change on offers: broadcasts the offer with what the courier needs to decide '
  '(pickup and dropoff pins and landmarks, store name, amounts) as event "offer" on courier:<courier_id>; never the '
  'customer''s identity, phone or history. Never called directly.';
revoke all on function private.broadcast_offer() from public;

create trigger orders_broadcast
  after insert or update on public.orders
  for each row execute function private.broadcast_order();

create trigger order_events_broadcast
  after insert on public.order_events
  for each row execute function private.broadcast_order_event();

create trigger rides_broadcast
  after insert or update on public.rides
  for each row execute function private.broadcast_ride();

create trigger offers_broadcast
  after insert or update on public.offers
  for each row execute function private.broadcast_offer();

-- Functions ------------------------------------------------------------------------------------------------------
-- Defined before the policies that call it (a policy needs its function to exist).
create function private.can_access_topic(topic text, for_write boolean)
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  me uuid := (select auth.uid());
  prefix text := split_part(topic, ':', 1);
  rest text := substr(topic, length(split_part(topic, ':', 1)) + 2);
  topic_id uuid;
begin
  if me is null or topic is null
     or rest !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    return false;
  end if;
  topic_id := rest::uuid;
  if prefix in ('order', 'ride') then
    if exists (select 1 from public.user_roles r where r.user_id = me and r.role = 'admin') then
      return true;
    end if;
    if prefix = 'order' then
      return exists (
        select 1 from public.orders o
         where o.id = topic_id
           and (o.customer_id = me or o.courier_id = me
                or o.store_id in (select m.store_id from public.store_members m
                                   join public.user_roles r on r.user_id = m.user_id and r.role = 'merchant'
                                  where m.user_id = me))
      );
    end if;
    return exists (select 1 from public.rides r where r.id = topic_id and (r.rider_id = me or r.courier_id = me));
  end if;
  -- The other topics are fed by the database only.
  if for_write then
    return false;
  end if;
  if exists (select 1 from public.user_roles r where r.user_id = me and r.role = 'admin') then
    return prefix in ('store', 'courier', 'user');
  end if;
  return case prefix
    when 'user' then topic_id = me
    when 'courier' then topic_id = me and exists (select 1 from public.couriers c where c.user_id = me)
    when 'store' then exists (
      select 1 from public.store_members m join public.user_roles r on r.user_id = m.user_id and r.role = 'merchant'
       where m.store_id = topic_id and m.user_id = me)
    else false
  end;
end;
$$;
comment on function private.can_access_topic(text, boolean) is
  'Realtime Authorization: may the signed-in caller read (for_write false) or broadcast on this private topic? '
  'order:<id> (customer, store members, assigned courier, admins; read and write), ride:<id> (rider, driver, '
  'admins; read and write), store:<id> (members, admins), courier:<user id> (that courier, admins), user:<user id> '
  '(that person, admins), all three read-only; anything else (or an id that is not a uuid) false. For the '
  'realtime.messages policies; executable by authenticated.';
revoke all on function private.can_access_topic(text, boolean) from public, anon;
grant execute on function private.can_access_topic(text, boolean) to authenticated, service_role;

-- Policies -------------------------------------------------------------------------------------------------------
create policy "Parties can read the private topics they belong to"
  on realtime.messages for select to authenticated
  using ((select private.can_access_topic((select realtime.topic()), false)));

create policy "Parties can broadcast on their order and ride topics"
  on realtime.messages for insert to authenticated
  with check ((select private.can_access_topic((select realtime.topic()), true)));
