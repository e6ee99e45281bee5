-- An admin reassigns the courier of an order or the driver of a ride (issue 5, DESIGN.md §6 "admin: cancel,
-- reassign"): the current courier is released (their accepted offer becomes released, the job leaves them and they
-- are told), then the job goes either to a named courier (approved, online, free, with the ride's vehicle) at once or
-- back to dispatch, which offers it to the next courier but never again to one taken off it. The customer (and the
-- store, for an order) are told; the reassignment is an event of the job.
--   order: delivery, accepted / preparing / ready (before pickup). An order_events row of kind courier_reassigned.
--   ride:  requested / accepted / arrived (before the start). The ride goes back to requested (admin, with the
--          reason: a ride_events row), then to accepted by the named driver, or stays requested for dispatch; the
--          5-minute expiry of a requested ride counts from that return.
--   private.reassign_order(order_id, actor, courier, reason)   private.reassign_ride(ride_id, actor, courier, reason)
-- Refusals (SQLSTATE EO<status>, private.refuse_order): 404 order_not_found / ride_not_found / courier_not_found,
-- 403 admin_only, 400 reason_required, 409 cannot_reassign (detail status), 409 courier_unavailable (detail reason:
-- not_approved, offline, busy, wrong_vehicle, already_assigned). Service role only; the orders and rides functions
-- check the caller first.

-- Tables ---------------------------------------------------------------------------------------------------------
alter table public.order_events drop constraint order_events_kind_known;
alter table public.order_events
  add constraint order_events_kind_known check (kind in ('status', 'wrong_code', 'courier_reassigned'));
comment on column public.order_events.kind is
  'status: a status change (from_status → to_status); wrong_code: a wrong delivery code was typed (from_status = '
  'to_status = the status at the time; reason says which code and which try); courier_reassigned: an admin took the '
  'job off its courier (from_status = to_status; reason is the admin''s).';

-- Reference data: an admin sends a ride back to requested to change its driver (DESIGN.md §6, "admin: reassign").
insert into public.ride_transitions (from_status, to_status, actor_role)
values ('accepted', 'requested', 'admin'),
       ('arrived', 'requested', 'admin');

-- Triggers -------------------------------------------------------------------------------------------------------
-- The rides trigger, new version (was 20261121185000_create_neighbourhood_fares): a ride sent back to requested
-- loses its driver (the only driver change besides acceptance) and its accepted / arrived stamps.
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
    if new.status not in ('requested', 'cancelled', 'expired') and new.courier_id is null then
      raise exception using errcode = 'object_not_in_prerequisite_state', message = 'a ride needs its driver first';
    end if;
    if new.status = 'requested' and new.courier_id is not null then
      raise exception using errcode = 'object_not_in_prerequisite_state',
        message = 'a ride sent back to requested loses its driver';
    end if;
    case new.status
      when 'requested' then new.accepted_at := null; new.arrived_at := null;
      when 'accepted' then new.accepted_at := now();
      when 'arrived' then new.arrived_at := now();
      when 'in_progress' then new.started_at := now();
      when 'completed' then new.completed_at := now(); new.final_fare_xof := coalesce(new.final_fare_xof, new.fare_quote_xof);
      when 'cancelled' then new.cancelled_at := now(); new.cancelled_by := role;
      when 'expired' then new.expired_at := now();
      else null;
    end case;
  end if;
  if new.courier_id is distinct from old.courier_id
     and not (old.status = 'requested' and new.status = 'accepted')
     and not (old.status in ('accepted', 'arrived') and new.status = 'requested') then
    raise exception using errcode = 'object_not_in_prerequisite_state',
      message = 'the driver of a ride is set when it is accepted, and changes only when an admin sends it back to requested';
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
  '"… for <role>"); the driver is set with accepted and cleared only when an admin sends the ride back to requested '
  '(reassignment). Never called directly.';

-- Functions ------------------------------------------------------------------------------------------------------
-- Dispatch, new versions (were 20261121170100_create_dispatch and 20261121180000_create_ride_requests): a courier
-- released from a job (taken off it by an admin, or gone silent) is never offered that job again.
create or replace function private.dispatch_order(
  order_id uuid,
  offer_for interval default interval '20 seconds',
  radius_m integer default 10000,
  reoffer_after interval default interval '10 minutes'
)
returns public.offers
language plpgsql
security definer
set search_path = ''
as $$
declare
  o public.orders;
  s public.stores;
  candidate public.nearby_courier;
  f public.offers;
begin
  -- One dispatcher per order at a time: the function, the clock and a decline may race for the same order.
  select * into o from public.orders where id = dispatch_order.order_id for update;
  if not found or o.fulfilment <> 'delivery' or o.status not in ('accepted', 'preparing', 'ready')
     or o.courier_id is not null or (o.scheduled_for is not null and o.released_at is null) then
    return null;
  end if;
  if exists (select 1 from public.offers x
              where x.order_id = o.id and x.status = 'offered' and x.expires_at > now()) then
    return null; -- someone has it in hand
  end if;
  update public.offers x set status = 'expired'
   where x.order_id = o.id and x.status = 'offered' and x.expires_at <= now();

  select * into s from public.stores where id = o.store_id;
  -- Deliveries fit every vehicle type today (vehicle_type null); a store that needs a car would pass it here.
  for candidate in
    select * from private.available_couriers(s.lat, s.lng, radius_m, null, interval '30 seconds', 20)
  loop
    continue when exists (select 1 from public.offers x
                           where x.order_id = o.id and x.courier_id = candidate.courier_id
                             and (x.created_at > now() - reoffer_after or x.status = 'released'));
    -- Two orders dispatched at once must not both pick this courier: lock them, then look again.
    continue when not pg_try_advisory_xact_lock(hashtextextended('ecom.courier:' || candidate.courier_id, 0));
    continue when private.courier_is_busy(candidate.courier_id);
    insert into public.offers (job_kind, order_id, courier_id, distance_m, expires_at)
    values ('order', o.id, candidate.courier_id, candidate.distance_m, now() + offer_for)
    returning * into f;
    return f;
  end loop;
  return null;
end;
$$;
comment on function private.dispatch_order(uuid, interval, integer, interval) is
  'Offers a dispatchable order (delivery; accepted, preparing or ready; no courier; a scheduled order once released) '
  'to the nearest available courier (private.available_couriers around the store, within radius_m, default 10 km) '
  'not offered this order within reoffer_after (default 10 minutes) and never released from it, for offer_for '
  '(default 20 s). Expires its overdue open offers first. Returns the new offer, or null when the order is not '
  'dispatchable, already has an open offer, or nobody is available. Locks the order (one dispatcher at a time) and '
  'the chosen courier. Service role only.';

create or replace function private.dispatch_ride(
  ride_id uuid,
  offer_for interval default interval '20 seconds',
  radius_m integer default 10000,
  reoffer_after interval default interval '10 minutes'
)
returns public.offers
language plpgsql
security definer
set search_path = ''
as $$
declare
  r public.rides;
  candidate public.nearby_courier;
  f public.offers;
begin
  select * into r from public.rides where id = dispatch_ride.ride_id for update;
  if not found or r.status <> 'requested' or r.courier_id is not null then
    return null;
  end if;
  if exists (select 1 from public.offers x
              where x.ride_id = r.id and x.status = 'offered' and x.expires_at > now()) then
    return null;
  end if;
  update public.offers x set status = 'expired'
   where x.ride_id = r.id and x.status = 'offered' and x.expires_at <= now();
  for candidate in
    select * from private.available_couriers(r.pickup_lat, r.pickup_lng, radius_m, r.vehicle_type, interval '30 seconds', 20)
  loop
    continue when exists (select 1 from public.offers x
                           where x.ride_id = r.id and x.courier_id = candidate.courier_id
                             and (x.created_at > now() - reoffer_after or x.status = 'released'));
    continue when not pg_try_advisory_xact_lock(hashtextextended('ecom.courier:' || candidate.courier_id, 0));
    continue when private.courier_is_busy(candidate.courier_id);
    insert into public.offers (job_kind, ride_id, courier_id, distance_m, expires_at)
    values ('ride', r.id, candidate.courier_id, candidate.distance_m, now() + offer_for)
    returning * into f;
    return f;
  end loop;
  return null;
end;
$$;
comment on function private.dispatch_ride(uuid, interval, integer, interval) is
  'Offers a requested ride without a driver to the nearest available courier with the ride''s vehicle type '
  '(private.available_couriers around the pickup, within radius_m, default 10 km) not offered this ride within '
  'reoffer_after (default 10 minutes) and never released from it, for offer_for (default 20 s). Expires its overdue '
  'open offers first. Returns the offer, or null (not requested, an open offer, nobody available). Service role only.';

-- The ride half of the dispatch clock, new version (was 20261121180000_create_ride_requests): the expiry counts from
-- the last time the ride became requested (its request, or an admin's reassignment).
create or replace function private.run_ride_dispatch(expire_after interval default interval '5 minutes')
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r public.rides;
  offered integer := 0;
  expired integer := 0;
begin
  for r in
    select x.* from public.rides x where x.status = 'requested' order by x.requested_at for update skip locked
  loop
    if coalesce((select max(e.created_at) from public.ride_events e where e.ride_id = r.id and e.to_status = 'requested'),
                r.requested_at) <= now() - expire_after then
      update public.offers x set status = 'expired' where x.ride_id = r.id and x.status = 'offered';
      r := private.transition_ride(r.id, 'expired', null, 'system', 'no driver accepted in time');
      perform private.notify_ride(r, 'expired', null, array['customer']);
      expired := expired + 1;
    elsif not exists (select 1 from public.offers x
                       where x.ride_id = r.id and x.status = 'offered' and x.expires_at > now()) then
      if private.dispatch_ride(r.id) is not null then
        offered := offered + 1;
      end if;
    end if;
  end loop;
  return jsonb_build_object('offered', offered, 'expired', expired);
end;
$$;
comment on function private.run_ride_dispatch(interval) is
  'The ride half of the dispatch clock: a ride requested (at request, or again after an admin''s reassignment) more '
  'than expire_after ago (default 5 minutes) becomes expired (system; its open offer closed; the rider told), any '
  'other requested ride without a live offer goes to the next driver (private.dispatch_ride). Rows being moved are '
  'skipped until the next run. Returns {offered, expired}. Service role only.';

create function private.reassign_notice(lang public.app_language, event text, job_ref text, reason text)
returns text[]
language sql
immutable
set search_path = ''
as $$
  select case lang
    when 'en' then case event
      when 'courier_released' then array['Order taken off you', format('Ecom took order %s off you (%s). You are free for another job.', job_ref, reason)]
      when 'courier_assigned' then array['Delivery assigned', format('Ecom assigned order %s to you. Head to the store.', job_ref)]
      when 'courier_reassigned' then array['New courier', format('Another courier will deliver order %s.', job_ref)]
      when 'driver_released' then array['Ride taken off you', format('Ecom took ride %s off you (%s). You are free for another job.', job_ref, reason)]
      when 'driver_assigned' then array['Ride assigned', format('Ecom assigned ride %s to you. Head to the pickup.', job_ref)]
      when 'driver_reassigned' then array['New driver', format('Another driver will take ride %s. We will tell you when they are on the way.', job_ref)]
    end
    else case event
      when 'courier_released' then array['Commande retirée', format('Ecom vous a retiré la commande %s (%s). Vous êtes libre pour une autre course.', job_ref, reason)]
      when 'courier_assigned' then array['Livraison assignée', format('Ecom vous a assigné la commande %s. Rendez-vous à la boutique.', job_ref)]
      when 'courier_reassigned' then array['Changement de coursier', format('Un autre coursier va livrer la commande %s.', job_ref)]
      when 'driver_released' then array['Course retirée', format('Ecom vous a retiré la course %s (%s). Vous êtes libre pour une autre course.', job_ref, reason)]
      when 'driver_assigned' then array['Course assignée', format('Ecom vous a assigné la course %s. Rendez-vous au point de départ.', job_ref)]
      when 'driver_reassigned' then array['Changement de chauffeur', format('Un autre chauffeur va assurer la course %s. Nous vous prévenons dès qu''il est en route.', job_ref)]
    end
  end
$$;
comment on function private.reassign_notice(public.app_language, text, text, text) is
  'Title and body of a reassignment notification in French or English: courier_released / driver_released (to the '
  'courier taken off the job), courier_assigned / driver_assigned (to the named courier), courier_reassigned / '
  'driver_reassigned (to the customer and store).';
revoke all on function private.reassign_notice(public.app_language, text, text, text) from public;

create function private.notify_reassignment(
  notice_kind public.notification_kind, notice_data jsonb, job_id uuid, event text, recipients uuid[], reason text
)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  inserted integer;
begin
  insert into public.notifications (user_id, kind, language, title, body, data)
  select p.user_id, notice_kind, coalesce(pr.language, 'fr'), t.t[1], left(t.t[2], 500),
         notice_data || jsonb_build_object('event', event)
    from (select distinct u as user_id from unnest(recipients) u where u is not null) p
    left join public.profiles pr on pr.id = p.user_id
   cross join lateral (
     select private.reassign_notice(coalesce(pr.language, 'fr'), event, upper(left(job_id::text, 8)), coalesce(reason, '')) as t
   ) t;
  get diagnostics inserted = row_count;
  return inserted;
end;
$$;
comment on function private.notify_reassignment(public.notification_kind, jsonb, uuid, text, uuid[], text) is
  'Inserts one reassignment notification (private.reassign_notice) per recipient in their language, with '
  'notice_data + {event}; the notifications triggers broadcast and queue them.';
revoke all on function private.notify_reassignment(public.notification_kind, jsonb, uuid, text, uuid[], text) from public;

create function private.check_named_courier(
  courier uuid, previous uuid, vehicle public.vehicle_type default null
)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  c public.couriers;
begin
  select * into c from public.couriers where user_id = courier;
  if not found then
    perform private.refuse_order(404, 'courier_not_found');
  end if;
  -- Serialises with the courier's own answers and with dispatch picking them.
  perform pg_advisory_xact_lock(hashtextextended('ecom.courier:' || courier, 0));
  if courier = previous then
    perform private.refuse_order(409, 'courier_unavailable', jsonb_build_object('reason', 'already_assigned'));
  elsif c.approval_status <> 'approved' then
    perform private.refuse_order(409, 'courier_unavailable', jsonb_build_object('reason', 'not_approved'));
  elsif vehicle is not null and c.vehicle_type <> vehicle then
    perform private.refuse_order(409, 'courier_unavailable', jsonb_build_object('reason', 'wrong_vehicle'));
  elsif not exists (select 1 from public.courier_presence p where p.courier_id = courier and p.online) then
    perform private.refuse_order(409, 'courier_unavailable', jsonb_build_object('reason', 'offline'));
  elsif private.courier_is_busy(courier) then
    perform private.refuse_order(409, 'courier_unavailable', jsonb_build_object('reason', 'busy'));
  end if;
end;
$$;
comment on function private.check_named_courier(uuid, uuid, public.vehicle_type) is
  'Refuses a courier an admin names for a job: EO404 courier_not_found, EO409 courier_unavailable with detail reason '
  'already_assigned (the courier being released), not_approved, wrong_vehicle (rides), offline, busy (an active job '
  'or an open offer). Takes the courier''s lock. Service role only.';
revoke all on function private.check_named_courier(uuid, uuid, public.vehicle_type) from public, anon, authenticated;

create function private.assign_named_courier(kind public.job_kind, job_id uuid, courier uuid, lat double precision, lng double precision)
returns public.offers
language plpgsql
security definer
set search_path = ''
as $$
declare
  f public.offers;
begin
  -- An offer accepted at once keeps "one accepted offer per job" the only way a courier holds a job; it is not pushed
  -- as an offer (ecom.assigning: the courier gets the assignment notice instead).
  perform set_config('ecom.assigning', 'on', true);
  insert into public.offers (job_kind, order_id, ride_id, courier_id, distance_m)
  select kind, case when kind = 'order' then job_id end, case when kind = 'ride' then job_id end, courier,
         round(extensions.earth_distance(extensions.ll_to_earth(p.lat, p.lng),
                                         extensions.ll_to_earth(assign_named_courier.lat, assign_named_courier.lng)))::integer
    from public.courier_presence p where p.courier_id = courier
  returning * into f;
  f := private.respond_to_offer(f.id, courier, true);
  perform set_config('ecom.assigning', '', true);
  return f;
end;
$$;
comment on function private.assign_named_courier(public.job_kind, uuid, uuid, double precision, double precision) is
  'Gives a job to a courier an admin named (checked by private.check_named_courier): an offer accepted at once '
  '(private.respond_to_offer assigns the order or accepts the ride), distance from their position to lat/lng. '
  'Returns the offer. Service role only.';
revoke all on function private.assign_named_courier(public.job_kind, uuid, uuid, double precision, double precision)
  from public, anon, authenticated;

create function private.reassign_order(order_id uuid, actor uuid, courier uuid default null, reason text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  o public.orders;
  s public.stores;
  previous uuid;
  v_reason text := nullif(btrim(reason), '');
  f public.offers;
  data jsonb;
begin
  select * into o from public.orders where id = reassign_order.order_id for update;
  if not found then
    perform private.refuse_order(404, 'order_not_found');
  end if;
  if not exists (select 1 from public.user_roles r where r.user_id = actor and r.role = 'admin') then
    perform private.refuse_order(403, 'admin_only');
  end if;
  if o.fulfilment <> 'delivery' or o.status not in ('accepted', 'preparing', 'ready') then
    perform private.refuse_order(409, 'cannot_reassign', jsonb_build_object('status', o.status));
  end if;
  if v_reason is null then
    perform private.refuse_order(400, 'reason_required');
  end if;
  previous := o.courier_id;
  update public.offers x set status = 'released'::text::public.offer_status where x.order_id = o.id and x.status = 'accepted';
  update public.offers x set status = 'expired' where x.order_id = o.id and x.status = 'offered';
  if courier is not null then
    -- After this job's open offer is closed: holding it does not make the named courier busy.
    perform private.check_named_courier(courier, previous);
  end if;
  if previous is not null then
    update public.orders u set courier_id = null where u.id = o.id returning * into o;
  end if;
  insert into public.order_events (order_id, from_status, to_status, actor_id, actor_role, reason, kind)
  values (o.id, o.status, o.status, actor, 'admin', v_reason, 'courier_reassigned');

  data := jsonb_build_object('order_id', o.id, 'status', o.status);
  perform private.notify_reassignment('order_update', data, o.id, 'courier_released', array[previous], v_reason);
  if courier is not null then
    select * into s from public.stores where id = o.store_id;
    f := private.assign_named_courier('order', o.id, courier, s.lat, s.lng);
    perform private.notify_reassignment('order_update', data, o.id, 'courier_assigned', array[courier], v_reason);
  else
    f := private.dispatch_order(o.id);
  end if;
  perform private.notify_reassignment('order_update', data, o.id, 'courier_reassigned',
    array(select o.customer_id union
          select m.user_id from public.store_members m
            join public.user_roles r on r.user_id = m.user_id and r.role = 'merchant'
           where m.store_id = o.store_id), v_reason);
  return jsonb_build_object('order', private.order_state(o.id), 'previous_courier_id', previous,
                            'offer', case when f.id is null then null else to_jsonb(f) end);
end;
$$;
comment on function private.reassign_order(uuid, uuid, uuid, text) is
  'An admin (actor, the verified caller) reassigns the courier of an order, in the caller''s transaction: EO404 '
  'order_not_found, EO403 admin_only, EO409 cannot_reassign (detail status) unless a delivery accepted / preparing / '
  'ready, EO400 reason_required, the named courier checked by private.check_named_courier. Releases the current '
  'courier (accepted offer released, courier_id cleared, open offers expired), writes an order_events row of kind '
  'courier_reassigned, tells the released courier, then assigns the named courier at once (told too) or offers the '
  'order to the next courier (private.dispatch_order; never the released one), and tells the customer and the '
  'store''s merchants. Returns {order, previous_courier_id, offer (the new one, or null when nobody is free yet: the '
  'dispatch clock keeps trying)}. Service role only.';
revoke all on function private.reassign_order(uuid, uuid, uuid, text) from public, anon, authenticated;
grant execute on function private.reassign_order(uuid, uuid, uuid, text) to service_role;

create function private.reassign_ride(ride_id uuid, actor uuid, courier uuid default null, reason text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r public.rides;
  previous uuid;
  v_reason text := nullif(btrim(reason), '');
  f public.offers;
  data jsonb;
begin
  select * into r from public.rides where id = reassign_ride.ride_id for update;
  if not found then
    perform private.refuse_order(404, 'ride_not_found');
  end if;
  if not exists (select 1 from public.user_roles ur where ur.user_id = actor and ur.role = 'admin') then
    perform private.refuse_order(403, 'admin_only');
  end if;
  if r.status not in ('requested', 'accepted', 'arrived') then
    perform private.refuse_order(409, 'cannot_reassign', jsonb_build_object('status', r.status));
  end if;
  if v_reason is null then
    perform private.refuse_order(400, 'reason_required');
  end if;
  previous := r.courier_id;
  update public.offers x set status = 'released'::text::public.offer_status where x.ride_id = r.id and x.status = 'accepted';
  update public.offers x set status = 'expired' where x.ride_id = r.id and x.status = 'offered';
  if courier is not null then
    -- After this job's open offer is closed: holding it does not make the named courier busy.
    perform private.check_named_courier(courier, previous, r.vehicle_type);
  end if;
  if r.status <> 'requested' then
    -- Back to requested by the admin (the rides trigger records the event with the reason, and clears the driver).
    perform set_config('ecom.actor_id', actor::text, true);
    perform set_config('ecom.actor_role', 'admin', true);
    perform set_config('ecom.reason', v_reason, true);
    update public.rides u set status = 'requested', courier_id = null where u.id = r.id returning * into r;
    perform set_config('ecom.actor_id', '', true);
    perform set_config('ecom.actor_role', '', true);
    perform set_config('ecom.reason', '', true);
  end if;

  data := jsonb_build_object('ride_id', r.id, 'status', r.status);
  perform private.notify_reassignment('ride_update', data, r.id, 'driver_released', array[previous], v_reason);
  if courier is not null then
    f := private.assign_named_courier('ride', r.id, courier, r.pickup_lat, r.pickup_lng);
    perform private.notify_reassignment('ride_update', data, r.id, 'driver_assigned', array[courier], v_reason);
  else
    f := private.dispatch_ride(r.id);
  end if;
  perform private.notify_reassignment('ride_update', data, r.id, 'driver_reassigned', array[r.rider_id], v_reason);
  return jsonb_build_object('ride', private.ride_state(r.id), 'previous_courier_id', previous,
                            'offer', case when f.id is null then null else to_jsonb(f) end);
end;
$$;
comment on function private.reassign_ride(uuid, uuid, uuid, text) is
  'An admin (actor, the verified caller) reassigns the driver of a ride, in the caller''s transaction: EO404 '
  'ride_not_found, EO403 admin_only, EO409 cannot_reassign (detail status) unless requested / accepted / arrived, '
  'EO400 reason_required, the named driver checked by private.check_named_courier (with the ride''s vehicle). '
  'Releases the driver (accepted offer released, open offers expired), sends the ride back to requested (admin, '
  'reason: its ride_events row), tells the released driver, then has the named driver accept it at once (told too) '
  'or offers it to the next driver (private.dispatch_ride; never the released one), and tells the rider. Returns '
  '{ride, previous_courier_id, offer}. Service role only.';
revoke all on function private.reassign_ride(uuid, uuid, uuid, text) from public, anon, authenticated;
grant execute on function private.reassign_ride(uuid, uuid, uuid, text) to service_role;
