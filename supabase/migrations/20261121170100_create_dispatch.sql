-- Dispatch and courier presence (DESIGN.md §6, §8). A delivery order accepted by its store and without a courier is
-- offered to one courier at a time: the nearest online, approved courier with a fresh position and a fitting
-- vehicle, who holds no active job and no open offer and was not offered this order recently. The offer lives
-- 20 seconds; on decline or expiry the next courier gets it. Accepting assigns the courier in the same transaction;
-- the unique index offers_one_accepted_per_job lets exactly one acceptance of a job through, and a per-courier lock
-- keeps a courier from accepting two jobs at once. A courier assigned to an order who goes offline or silent for
-- more than 2 minutes before pickup is released and the order offered again. When nobody can take an order for a
-- minute, its customer and store are told, once.
--   private.dispatch_order(order_id)          offer one dispatchable order to the next courier (idempotent)
--   private.answer_offer(offer_id, courier, accept)   the courier's answer, with refusals the courier function maps
--   private.run_dispatch()                    the dispatch clock, every 5 s (pg_cron on Supabase, the local worker here)
--   private.update_presence(courier, …)       online / offline and position, stored at most every 5 s, broadcast on
--                                             order:<id> of the courier's active job
-- Functions are service role only; the `courier` edge function checks the caller, then calls them.

-- Tables ---------------------------------------------------------------------------------------------------------
create table private.dispatch_notices (
  order_id uuid primary key references public.orders (id) on delete cascade,
  notified_at timestamptz not null default now()
);
comment on table private.dispatch_notices is
  'Orders whose customer and store were told that no courier is available yet: one row per order, so they are told '
  'once. Written by private.run_dispatch only.';

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on private.dispatch_notices from public, anon, authenticated;
grant select on private.dispatch_notices to service_role;

-- Row level security: none. The table lives in `private` (not exposed by PostgREST) and only service_role can read
-- it; the security definer functions write it.

-- Triggers -------------------------------------------------------------------------------------------------------
-- The offers guard, new version: an accepted offer may also become released (dispatch takes the job back), which
-- frees the job for another acceptance under offers_one_accepted_per_job.
create or replace function private.guard_offer()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    if new.status <> 'offered' then
      raise exception using errcode = 'check_violation', message = format('a new offer starts offered, got %s', new.status);
    end if;
    return new;
  end if;
  if (new.job_kind, new.order_id, new.ride_id, new.courier_id, new.created_at)
     is distinct from (old.job_kind, old.order_id, old.ride_id, old.courier_id, old.created_at) then
    raise exception using errcode = 'insufficient_privilege', message = 'the job and courier of an offer never change';
  end if;
  if new.status is distinct from old.status then
    if old.status = 'accepted' and new.status::text = 'released' then
      return new; -- responded_at keeps the time of acceptance
    end if;
    if old.status <> 'offered' or new.status::text = 'released' then
      raise exception using errcode = 'object_not_in_prerequisite_state',
        message = format('this offer was already %s', old.status);
    end if;
    if new.status in ('accepted', 'declined') and now() > old.expires_at then
      raise exception using errcode = 'object_not_in_prerequisite_state', message = 'this offer has expired';
    end if;
    new.responded_at := now();
  end if;
  return new;
end;
$$;
comment on function private.guard_offer() is
  'Trigger on offers: a new offer is offered; job and courier never change; only an open offer is answered, and '
  'not after expires_at (object_not_in_prerequisite_state "this offer has expired" / "this offer was already X"); '
  'an accepted offer may be released by dispatch; stamps responded_at. Never called directly.';

-- Functions ------------------------------------------------------------------------------------------------------
create function private.courier_is_busy(courier uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select 1 from public.orders o
                  where o.courier_id = courier and o.status in ('accepted', 'preparing', 'ready', 'picked_up'))
      or exists (select 1 from public.rides r
                  where r.courier_id = courier and r.status in ('accepted', 'arrived', 'in_progress'))
      or exists (select 1 from public.offers f
                  where f.courier_id = courier and f.status = 'offered' and f.expires_at > now())
$$;
comment on function private.courier_is_busy(uuid) is
  'True when the courier holds an active job (an order before delivery, a ride before completion) or an open, '
  'unexpired offer: dispatch offers them nothing else. Service role only.';
revoke all on function private.courier_is_busy(uuid) from public, anon, authenticated;
grant execute on function private.courier_is_busy(uuid) to service_role;

-- A new version of private.nearest_couriers for dispatch: the same index scan, without the couriers who are busy
-- (nearest_couriers itself still lists everybody online, for the admin map).
create function private.available_couriers(
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
begin
  perform private.check_coordinates(lat, lng);
  if radius_m is null or radius_m not between 1 and 50000 then
    raise exception using errcode = 'check_violation',
      message = format('radius_m must be between 1 and 50000 metres, got %s', radius_m);
  end if;
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
     order by extensions.ll_to_earth(p.lat, p.lng)
                operator(extensions.<->) extensions.ll_to_earth(available_couriers.lat, available_couriers.lng)
     limit greatest(1, least(coalesce(available_couriers.lim, 10), 100));
end;
$$;
comment on function private.available_couriers(double precision, double precision, integer, public.vehicle_type, interval, integer) is
  'private.nearest_couriers without the busy couriers (private.courier_is_busy: an active job or an open offer): '
  'online, approved, position fresher than max_age, within radius_m (1..50000), nearest first, at most lim '
  '(1..100). Raises check_violation on bad coordinates or radius. Dispatch only: executable by service_role.';
revoke all on function private.available_couriers(double precision, double precision, integer, public.vehicle_type, interval, integer)
  from public, anon, authenticated;
grant execute on function private.available_couriers(double precision, double precision, integer, public.vehicle_type, interval, integer)
  to service_role;

create function private.dispatch_order(
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
                             and x.created_at > now() - reoffer_after);
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
  'not offered this order within reoffer_after (default 10 minutes), for offer_for (default 20 s). Expires its '
  'overdue open offers first. Returns the new offer, or null when the order is not dispatchable, already has an '
  'open offer, or nobody is available. Locks the order (one dispatcher at a time) and the chosen courier. '
  'Service role only.';
revoke all on function private.dispatch_order(uuid, interval, integer, interval) from public, anon, authenticated;
grant execute on function private.dispatch_order(uuid, interval, integer, interval) to service_role;

create function private.answer_offer(offer_id uuid, courier uuid, accept boolean)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  f public.offers;
  next_offer public.offers;
begin
  -- Serialises this courier's answers: they cannot accept two jobs at once.
  perform pg_advisory_xact_lock(hashtextextended('ecom.courier:' || courier, 0));
  select * into f from public.offers where id = answer_offer.offer_id for update;
  if not found or f.courier_id is distinct from courier then
    perform private.refuse_order(404, 'offer_not_found');
  end if;
  if f.status <> 'offered' then
    perform private.refuse_order(409, 'offer_closed', jsonb_build_object('status', f.status));
  end if;
  if now() > f.expires_at then
    perform private.refuse_order(409, 'offer_expired', jsonb_build_object('status', 'expired'));
  end if;
  if accept then
    if exists (select 1 from public.orders o
                where o.courier_id = courier and o.status in ('accepted', 'preparing', 'ready', 'picked_up'))
       or exists (select 1 from public.rides r
                   where r.courier_id = courier and r.status in ('accepted', 'arrived', 'in_progress')) then
      perform private.refuse_order(409, 'courier_busy');
    end if;
    if f.job_kind = 'order' then
      -- Concurrent acceptances of offers for one order queue here; the first one assigns, the others see it.
      perform 1 from public.orders o
       where o.id = f.order_id and o.courier_id is null and o.status in ('accepted', 'preparing', 'ready')
         for update;
      if not found then
        perform private.refuse_order(409, 'offer_taken');
      end if;
    end if;
    begin
      f := private.respond_to_offer(f.id, courier, true);
    exception when unique_violation then
      perform private.refuse_order(409, 'offer_taken');
    end;
    return jsonb_build_object('offer', to_jsonb(f));
  end if;
  f := private.respond_to_offer(f.id, courier, false);
  if f.job_kind = 'order' then
    next_offer := private.dispatch_order(f.order_id);
  end if;
  return jsonb_build_object('offer', to_jsonb(f));
end;
$$;
comment on function private.answer_offer(uuid, uuid, boolean) is
  'A courier answers an offer made to them: EO404 offer_not_found when it is not theirs (or does not exist), EO409 '
  'offer_closed (detail: status) when already answered, expired or released, offer_expired after expires_at, '
  'courier_busy when accepting while holding an active job, offer_taken when the job went to someone else '
  '(including the unique index offers_one_accepted_per_job under concurrent accepts). Accepting assigns the courier '
  '(private.respond_to_offer) in the caller''s transaction; declining offers the order to the next courier at once. '
  'Returns {offer}. Service role only.';
revoke all on function private.answer_offer(uuid, uuid, boolean) from public, anon, authenticated;
grant execute on function private.answer_offer(uuid, uuid, boolean) to service_role;

create function private.dispatch_notice(lang public.app_language, order_ref text, store_name text)
returns text[]
language sql
immutable
set search_path = ''
as $$
  select case lang
    when 'en' then array['Looking for a courier',
                         format('No courier is available yet for order %s at %s. It is waiting; we keep looking.',
                                order_ref, store_name)]
    else array['Recherche d''un coursier',
               format('Aucun coursier n''est disponible pour le moment pour la commande %s chez %s. Elle est en attente : nous continuons à chercher.',
                      order_ref, store_name)]
  end
$$;
comment on function private.dispatch_notice(public.app_language, text, text) is
  'Title and body of the "no courier available yet" notification, in French or English.';
revoke all on function private.dispatch_notice(public.app_language, text, text) from public;

create function private.run_dispatch(
  silent_for interval default interval '2 minutes',
  notice_after interval default interval '1 minute'
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  o public.orders;
  offered integer := 0;
  released integer := 0;
  notified integer := 0;
begin
  -- 1. Couriers gone: an assigned order before pickup whose courier has been offline or silent for silent_for
  --    (counted from their last position, or from their acceptance if later) goes back to dispatch.
  for o in
    select ord.* from public.orders ord
      left join public.courier_presence p on p.courier_id = ord.courier_id
     where ord.fulfilment = 'delivery' and ord.status in ('accepted', 'preparing', 'ready')
       and ord.courier_id is not null
       and not coalesce(p.online and p.updated_at >= now() - silent_for, false)
       and greatest(coalesce(p.updated_at, '-infinity'),
                    coalesce((select max(x.responded_at) from public.offers x
                               where x.order_id = ord.id and x.status = 'accepted'), ord.updated_at))
           < now() - silent_for
       for update of ord skip locked
  loop
    update public.offers x set status = 'released'::text::public.offer_status
     where x.order_id = o.id and x.status = 'accepted';
    update public.orders u set courier_id = null where u.id = o.id;
    released := released + 1;
  end loop;

  -- 2. Orders without a courier and without a live offer: the next courier (expired offers are closed on the way).
  for o in
    select ord.* from public.orders ord
     where ord.fulfilment = 'delivery' and ord.status in ('accepted', 'preparing', 'ready')
       and ord.courier_id is null and (ord.scheduled_for is null or ord.released_at is not null)
       and not exists (select 1 from public.offers x
                        where x.order_id = ord.id and x.status = 'offered' and x.expires_at > now())
     order by ord.accepted_at
       for update skip locked
  loop
    if private.dispatch_order(o.id) is not null then
      offered := offered + 1;
    elsif coalesce(o.released_at, o.accepted_at) <= now() - notice_after then
      -- 3. Nobody for a while: the order waits; its customer and store merchants are told, once.
      insert into private.dispatch_notices (order_id) values (o.id) on conflict do nothing;
      if found then
        insert into public.notifications (user_id, kind, language, title, body, data)
        select people.user_id, 'order_update', coalesce(pr.language, 'fr'), t.t[1], t.t[2],
               jsonb_build_object('order_id', o.id, 'status', o.status, 'event', 'no_courier')
          from (select o.customer_id as user_id
                union
                select m.user_id from public.store_members m
                  join public.user_roles r on r.user_id = m.user_id and r.role = 'merchant'
                 where m.store_id = o.store_id) people
          left join public.profiles pr on pr.id = people.user_id
          cross join lateral (
            select private.dispatch_notice(coalesce(pr.language, 'fr'), upper(left(o.id::text, 8)), s.name) as t
              from public.stores s where s.id = o.store_id
          ) t;
        notified := notified + 1;
      end if;
    end if;
  end loop;
  return jsonb_build_object('offered', offered, 'released', released, 'notified', notified);
end;
$$;
comment on function private.run_dispatch(interval, interval) is
  'The dispatch clock: releases orders whose courier has been offline or silent for silent_for (default 2 minutes) '
  'before pickup (their accepted offer becomes released), offers every order without a courier or live offer to '
  'the next courier (private.dispatch_order), and tells the customer and store merchants once (notifications, '
  'event no_courier) when an order has found nobody for notice_after (default 1 minute) since acceptance or '
  'release. Rows being moved by someone else are skipped until the next run. Returns {offered, released, notified}. '
  'Called every 5 s by pg_cron on Supabase and by the local stack''s scheduler. Service role only.';
revoke all on function private.run_dispatch(interval, interval) from public, anon, authenticated;
grant execute on function private.run_dispatch(interval, interval) to service_role;

create function private.update_presence(
  courier uuid,
  online boolean,
  lat double precision default null,
  lng double precision default null,
  heading real default null,
  speed_mps real default null,
  store_every interval default interval '5 seconds'
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  c public.couriers;
  p public.courier_presence;
  stored boolean := false;
  job uuid;
  f public.offers;
begin
  select * into c from public.couriers where user_id = courier;
  if not found then
    perform private.refuse_order(403, 'not_a_courier');
  end if;
  if c.approval_status <> 'approved' then
    perform private.refuse_order(403, 'courier_not_approved', jsonb_build_object('approval_status', c.approval_status));
  end if;
  if online and (lat is null or lng is null) then
    perform private.refuse_order(400, 'position_required');
  end if;

  select * into p from public.courier_presence where courier_id = courier for update;
  if not found then
    insert into public.courier_presence (courier_id, online, lat, lng, heading, speed_mps)
    values (courier, online, lat, lng, heading, speed_mps)
    returning * into p;
    stored := true;
  elsif p.online is distinct from update_presence.online or p.updated_at <= now() - store_every then
    update public.courier_presence u
       set online = update_presence.online,
           lat = coalesce(update_presence.lat, u.lat), lng = coalesce(update_presence.lng, u.lng),
           heading = case when update_presence.lat is null then u.heading else update_presence.heading end,
           speed_mps = case when update_presence.lat is null then u.speed_mps else update_presence.speed_mps end
     where u.courier_id = courier
    returning * into p;
    stored := true;
  end if;

  if not online then
    -- Going offline hands back the open offers: the next courier gets them now.
    for f in
      update public.offers x set status = 'expired'
       where x.courier_id = courier and x.status = 'offered' and x.expires_at > now()
      returning x.*
    loop
      if f.job_kind = 'order' then
        perform private.dispatch_order(f.order_id);
      end if;
    end loop;
  elsif lat is not null then
    select o.id into job from public.orders o
     where o.courier_id = courier and o.status in ('accepted', 'preparing', 'ready', 'picked_up')
     order by o.accepted_at limit 1;
    if job is not null then
      perform realtime.send(
        jsonb_build_object('courier_id', courier, 'lat', lat, 'lng', lng, 'heading', heading, 'speed_mps', speed_mps,
                           'at', now()),
        'position', 'order:' || job);
    end if;
  end if;
  return jsonb_build_object('presence', to_jsonb(p) - 'battery_pct', 'stored', stored, 'order_id', job);
end;
$$;
comment on function private.update_presence(uuid, boolean, double precision, double precision, real, real, interval) is
  'A courier''s presence, from the courier function: EO403 not_a_courier / courier_not_approved, EO400 '
  'position_required (online without lat/lng). Stores the row when it is new, online changes, or the last write '
  'is older than store_every (default 5 s: the throttle, by updated_at); otherwise only broadcasts. While online '
  'with a position and an active order, broadcasts event "position" on order:<id>. Going offline expires the '
  'courier''s open offers and dispatches those orders again. Returns {presence, stored, order_id}. Service role only.';
revoke all on function private.update_presence(uuid, boolean, double precision, double precision, real, real, interval)
  from public, anon, authenticated;
grant execute on function private.update_presence(uuid, boolean, double precision, double precision, real, real, interval)
  to service_role;

-- Scheduling -----------------------------------------------------------------------------------------------------
select cron.schedule('ecom-dispatch', '5 seconds', 'select private.run_dispatch()');
