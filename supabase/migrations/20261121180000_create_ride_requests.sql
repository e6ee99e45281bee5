-- Rides through the `rides` edge function (docs/API.md, "rides"): a quote, a request with an idempotency key, the
-- moves of the rider and the driver, and ride dispatch. Same pattern as orders: the function reads as the caller
-- under RLS, then calls one of these service-role functions, which check again who the caller is on the ride and
-- refuse with SQLSTATE EO<http status> (private.refuse_order).
--   private.quote_ride(request)                         the fare for pickup → dropoff by vehicle (no write)
--   private.request_ride(rider, request, request_hash)  the ride, its PIN, the idempotency record, the first offer
--   private.move_ride(ride_id, to, actor, reason, pin)  the rider's and the driver's moves, with notifications
--   private.dispatch_ride(ride_id)                      offer a requested ride to the nearest free driver
--   private.run_ride_dispatch(expire_after)             re-offer rides, expire those nobody took (run_dispatch)
--
-- Estimates (documented in docs/API.md): road distance = straight-line distance × 1.3 (the road factor: Tiassalé's
-- streets and tracks are rarely straight; 1.3 is the usual factor for small towns), duration = road distance at
-- 25 km/h by moto, 20 km/h by tricycle, 30 km/h by car. The fare is the rides trigger's formula (max(minimum,
-- base + per km × km + per minute × minutes) rounded up to 25 FCFA) on those estimates, and locked on the ride.
-- A rider who cancels once the driver has arrived owes a cancellation fee: the grid's minimum fare for the ride's
-- vehicle and zone (Tiassalé: moto 200, tricycle 300, car 1 000 FCFA), stamped on rides.cancellation_fee_xof
-- (collected with the payments slice). Cancelling before the driver arrives is free.

-- Tables ---------------------------------------------------------------------------------------------------------
alter table public.rides
  add column cancellation_fee_xof integer
    constraint rides_cancellation_fee_xof_min check (private.check_xof(cancellation_fee_xof, 'cancellation_fee_xof', 0));
comment on column public.rides.cancellation_fee_xof is
  'What the rider owes for cancelling after the driver arrived: the zone''s minimum fare for the vehicle (null when '
  'the ride was not cancelled that way). Set by private.move_ride; collected with the payments slice.';

create table private.ride_requests (
  rider_id uuid not null references auth.users (id) on delete cascade,
  idempotency_key text not null,
  request_hash text not null,
  ride_id uuid not null references public.rides (id) on delete cascade,
  response jsonb not null,
  created_at timestamptz not null default now(),
  primary key (rider_id, idempotency_key)
);
comment on table private.ride_requests is
  'Idempotency of ride requests: the first successful answer per (rider, Idempotency-Key) with the hash of its '
  'request. A replay with the same hash gets the same answer; another request with the same key is refused. '
  'Service role only (not exposed).';

-- Indexes --------------------------------------------------------------------------------------------------------
create index ride_requests_ride_id_idx on private.ride_requests (ride_id);

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on private.ride_requests from public, anon, authenticated;
grant select on private.ride_requests to service_role;

-- Row level security: none. The table lives in `private` (not exposed) and only service_role can read it.

-- Functions ------------------------------------------------------------------------------------------------------
create function private.quote_ride(request jsonb)
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
  fare integer;
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
  -- Exactly the rides trigger's formula (private.guard_ride), which recomputes and locks it at request.
  fare := greatest(f.minimum_fare_xof,
    (ceil((f.base_fare_xof + f.per_km_xof * v_distance / 1000.0 + f.per_minute_xof * v_duration / 60.0) / 25.0) * 25)::integer);
  return jsonb_build_object(
    'zone_id', z.id, 'zone', z.name, 'vehicle_type', v_vehicle,
    'straight_line_m', round(straight)::integer, 'road_factor', road_factor, 'speed_kmh', speed_kmh,
    'distance_m', v_distance, 'duration_s', v_duration, 'fare_xof', fare,
    'grid', jsonb_build_object('base_fare_xof', f.base_fare_xof, 'per_km_xof', f.per_km_xof,
                               'per_minute_xof', f.per_minute_xof, 'minimum_fare_xof', f.minimum_fare_xof),
    'cancellation_fee_xof', f.minimum_fare_xof);
end;
$$;
comment on function private.quote_ride(jsonb) is
  'The fare of a ride {pickup {lat, lng}, dropoff {lat, lng}, vehicle_type}: the pickup''s active zone (EO422 '
  'outside_zone, detail place pickup / dropoff when either is beyond the zone radius + 1 km), EO422 same_place under '
  '100 m, EO422 vehicle_unavailable for a vehicle without a grid in the zone; road distance = straight line × 1.3, '
  'duration at 25 (moto) / 20 (tricycle) / 30 (car) km/h, fare = the rides trigger''s formula. Writes nothing. '
  'Service role only.';
revoke all on function private.quote_ride(jsonb) from public, anon, authenticated;
grant execute on function private.quote_ride(jsonb) to service_role;

create function private.ride_state(ride_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select to_jsonb(r) - 'idempotency_key' from public.rides r where r.id = ride_state.ride_id
$$;
comment on function private.ride_state(uuid) is 'A ride as every party may read it (no PIN, no idempotency key).';
revoke all on function private.ride_state(uuid) from public, anon, authenticated;

create function private.ride_notice(lang public.app_language, event text, ride_ref text, amount integer, reason text)
returns text[]
language sql
immutable
set search_path = ''
as $$
  select case lang
    when 'en' then case event
      when 'accepted' then array['Driver on the way', format('Your driver accepted ride %s and is coming to the pickup.', ride_ref)]
      when 'arrived' then array['Your driver is here', format('Your driver is waiting at the pickup (ride %s). Give them your PIN to start.', ride_ref)]
      when 'in_progress' then array['Ride started', format('Ride %s has started. Have a good trip.', ride_ref)]
      when 'completed' then array['Ride completed', format('Ride %s is over: %s to pay.', ride_ref, private.format_xof(amount))]
      when 'cancelled_by_rider' then array['Ride cancelled', format('The rider cancelled ride %s.', ride_ref)
                                           || case when amount > 0 then format(' Cancellation fee: %s.', private.format_xof(amount)) else '' end]
      when 'cancelled_by_driver' then array['Ride cancelled', format('Your driver cancelled ride %s (%s). Request a new ride.', ride_ref, reason)]
      when 'cancelled_by_admin' then array['Ride cancelled', format('Ride %s was cancelled by Ecom (%s).', ride_ref, reason)]
      when 'expired' then array['No driver available', format('No driver accepted ride %s. Please try again in a few minutes.', ride_ref)]
      else array['Ride update', format('Ride %s changed.', ride_ref)]
    end
    else case event
      when 'accepted' then array['Chauffeur en route', format('Votre chauffeur a accepté la course %s et arrive au point de départ.', ride_ref)]
      when 'arrived' then array['Votre chauffeur est arrivé', format('Votre chauffeur vous attend au point de départ (course %s). Donnez-lui votre code PIN pour démarrer.', ride_ref)]
      when 'in_progress' then array['Course démarrée', format('La course %s a démarré. Bon trajet.', ride_ref)]
      when 'completed' then array['Course terminée', format('La course %s est terminée : %s à payer.', ride_ref, private.format_xof(amount))]
      when 'cancelled_by_rider' then array['Course annulée', format('Le passager a annulé la course %s.', ride_ref)
                                           || case when amount > 0 then format(' Frais d''annulation : %s.', private.format_xof(amount)) else '' end]
      when 'cancelled_by_driver' then array['Course annulée', format('Votre chauffeur a annulé la course %s (%s). Demandez une nouvelle course.', ride_ref, reason)]
      when 'cancelled_by_admin' then array['Course annulée', format('La course %s a été annulée par Ecom (%s).', ride_ref, reason)]
      when 'expired' then array['Aucun chauffeur disponible', format('Aucun chauffeur n''a accepté la course %s. Réessayez dans quelques minutes.', ride_ref)]
      else array['Course mise à jour', format('La course %s a changé.', ride_ref)]
    end
  end
$$;
comment on function private.ride_notice(public.app_language, text, text, integer, text) is
  'Title and body of a ride_update notification, in French or English, per event (accepted, arrived, in_progress, '
  'completed, cancelled_by_rider / _driver / _admin, expired).';
revoke all on function private.ride_notice(public.app_language, text, text, integer, text) from public;

create function private.notify_ride(r public.rides, event text, actor uuid, recipients text[])
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  inserted integer;
begin
  insert into public.notifications (user_id, kind, language, title, body, data)
  select p.user_id, 'ride_update', coalesce(pr.language, 'fr'), t.t[1], left(t.t[2], 500),
         jsonb_build_object('ride_id', r.id, 'status', r.status, 'event', event)
    from (select r.rider_id as user_id where 'customer' = any(recipients)
          union
          select r.courier_id where r.courier_id is not null and 'courier' = any(recipients)) p
    left join public.profiles pr on pr.id = p.user_id
   cross join lateral (
     select private.ride_notice(coalesce(pr.language, 'fr'), event, upper(left(r.id::text, 8)),
                                case when event = 'completed' then coalesce(r.final_fare_xof, r.fare_quote_xof)
                                     else coalesce(r.cancellation_fee_xof, 0) end,
                                coalesce(r.cancel_reason, '')) as t
   ) t
   where p.user_id is distinct from actor;
  get diagnostics inserted = row_count;
  return inserted;
end;
$$;
comment on function private.notify_ride(public.rides, text, uuid, text[]) is
  'Inserts one ride_update notification per party (the rider "customer", the driver "courier", as listed) except '
  'the actor, in each person''s language; the notifications triggers broadcast and queue them.';
revoke all on function private.notify_ride(public.rides, text, uuid, text[]) from public;

create function private.dispatch_ride(
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
                             and x.created_at > now() - reoffer_after);
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
  'reoffer_after (default 10 minutes), for offer_for (default 20 s). Expires its overdue open offers first. Returns '
  'the offer, or null (not requested, an open offer, nobody available). Service role only.';
revoke all on function private.dispatch_ride(uuid, interval, integer, interval) from public, anon, authenticated;
grant execute on function private.dispatch_ride(uuid, interval, integer, interval) to service_role;

create function private.request_ride(rider uuid, request jsonb, request_hash text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  key text := request ->> 'idempotency_key';
  prior private.ride_requests;
  v_method public.payment_method := coalesce(request ->> 'payment_method', 'cash')::public.payment_method;
  q jsonb;
  first_name text;
  r public.rides;
  v_pin text;
  body jsonb;
begin
  perform pg_advisory_xact_lock(hashtextextended(rider::text || '/ride/' || key, 0));
  select * into prior from private.ride_requests x where x.rider_id = rider and x.idempotency_key = key;
  if found then
    if prior.request_hash is distinct from request_hash then
      perform private.refuse_order(422, 'idempotency_key_reused');
    end if;
    return prior.response;
  end if;
  if v_method <> 'cash' then
    perform private.refuse_order(422, 'payment_method_unavailable', jsonb_build_object('payment_method', v_method));
  end if;
  q := private.quote_ride(request);
  select left(split_part(btrim(pr.full_name), ' ', 1), 60) into first_name from public.profiles pr where pr.id = rider;
  insert into public.rides (rider_id, rider_first_name, zone_id, vehicle_type, pickup_lat, pickup_lng, pickup_landmark,
                            dropoff_lat, dropoff_lng, dropoff_landmark, distance_m, duration_s, fare_quote_xof,
                            payment_method, idempotency_key)
  values (rider, coalesce(first_name, ''), (q ->> 'zone_id')::uuid, (q ->> 'vehicle_type')::public.vehicle_type,
          (request -> 'pickup' ->> 'lat')::double precision, (request -> 'pickup' ->> 'lng')::double precision,
          btrim(request -> 'pickup' ->> 'landmark'),
          (request -> 'dropoff' ->> 'lat')::double precision, (request -> 'dropoff' ->> 'lng')::double precision,
          btrim(request -> 'dropoff' ->> 'landmark'),
          (q ->> 'distance_m')::integer, (q ->> 'duration_s')::integer, (q ->> 'fare_xof')::integer, v_method, key)
  returning * into r;
  insert into public.ride_start_pins (ride_id) values (r.id) returning pin into v_pin;
  perform private.dispatch_ride(r.id);
  body := jsonb_build_object('ride', private.ride_state(r.id), 'start_pin', v_pin,
                             'quote', q - 'zone_id');
  insert into private.ride_requests (rider_id, idempotency_key, request_hash, ride_id, response)
  values (rider, key, request_hash, r.id, body);
  return body;
end;
$$;
comment on function private.request_ride(uuid, jsonb, text) is
  'Requests a ride for rider (the verified caller) from {pickup {lat, lng, landmark}, dropoff {…}, vehicle_type, '
  'payment_method, idempotency_key}: replays the first answer for the same key and request (EO422 '
  'idempotency_key_reused for another request), refuses wallet / mobile money (EO422 payment_method_unavailable), '
  'quotes (private.quote_ride refusals), writes the ride with the fare locked, its start PIN and the answer, and '
  'offers it to the nearest free driver. Returns {ride, start_pin, quote}. Service role only.';
revoke all on function private.request_ride(uuid, jsonb, text) from public, anon, authenticated;
grant execute on function private.request_ride(uuid, jsonb, text) to service_role;

-- The courier's answer to an offer, new version: a ride offer is checked against the ride (still requested, no
-- driver: else offer_taken), its rider is told on acceptance, and declining offers the ride to the next driver.
create or replace function private.answer_offer(offer_id uuid, courier uuid, accept boolean)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  f public.offers;
  next_offer public.offers;
  r public.rides;
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
       or exists (select 1 from public.rides x
                   where x.courier_id = courier and x.status in ('accepted', 'arrived', 'in_progress')) then
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
    else
      perform 1 from public.rides x where x.id = f.ride_id and x.courier_id is null and x.status = 'requested'
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
    if f.job_kind = 'ride' then
      select * into r from public.rides where id = f.ride_id;
      perform private.notify_ride(r, 'accepted', courier, array['customer']);
    end if;
    return jsonb_build_object('offer', to_jsonb(f));
  end if;
  f := private.respond_to_offer(f.id, courier, false);
  if f.job_kind = 'order' then
    next_offer := private.dispatch_order(f.order_id);
  else
    next_offer := private.dispatch_ride(f.ride_id);
  end if;
  return jsonb_build_object('offer', to_jsonb(f));
end;
$$;
comment on function private.answer_offer(uuid, uuid, boolean) is
  'A courier answers an offer made to them: EO404 offer_not_found when it is not theirs (or does not exist), EO409 '
  'offer_closed (detail: status) when already answered, expired or released, offer_expired after expires_at, '
  'courier_busy when accepting while holding an active job, offer_taken when the job went to someone else or the '
  'ride is no longer requested (including the unique index offers_one_accepted_per_job under concurrent accepts). '
  'Accepting assigns the courier to the order or accepts the ride (private.respond_to_offer; the rider is notified) '
  'in the caller''s transaction; declining offers the order or ride to the next courier at once. Returns {offer}. '
  'Service role only.';

create function private.move_ride(
  ride_id uuid, to_status text, actor uuid, reason text default null, pin text default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r public.rides;
  offer uuid;
  held text[];
  allowed text[];
  role text;
  previous public.ride_status;
  fee integer;
  event text;
  v_reason text := nullif(btrim(reason), '');
begin
  select * into r from public.rides where id = move_ride.ride_id for update;
  if not found then
    perform private.refuse_order(404, 'ride_not_found');
  end if;
  previous := r.status;
  -- Accepting is answering the open offer this courier holds for the ride (the same path as the courier function).
  if to_status = 'accepted' and r.courier_id is distinct from actor then
    select x.id into offer from public.offers x
     where x.ride_id = r.id and x.courier_id = actor and x.status = 'offered'
     order by x.created_at desc limit 1;
    if offer is not null then
      perform private.answer_offer(offer, actor, true);
      return jsonb_build_object('ride', private.ride_state(r.id), 'previous_status', previous);
    end if;
  end if;
  held := array_remove(array[
    case when r.rider_id = actor then 'customer' end,
    case when r.courier_id = actor then 'courier' end,
    case when exists (select 1 from public.user_roles ur where ur.user_id = actor and ur.role = 'admin') then 'admin' end
  ], null);
  if cardinality(held) = 0 then
    perform private.refuse_order(404, 'ride_not_found');
  end if;
  select array_agg(t.actor_role::text) into allowed
    from public.ride_transitions t
   where t.from_status = r.status and t.to_status = move_ride.to_status::public.ride_status;
  if allowed is null then
    perform private.refuse_order(409, 'illegal_transition', jsonb_build_object('status', r.status, 'to', to_status));
  end if;
  select x.name into role
    from unnest(array['customer', 'courier', 'admin']) with ordinality as x (name, rank)
   where x.name = any(held) and x.name = any(allowed)
   order by x.rank limit 1;
  if role is null then
    perform private.refuse_order(403, 'wrong_role', jsonb_build_object('status', r.status, 'to', to_status));
  end if;
  if to_status = 'in_progress' and (pin is null or not exists (
    select 1 from public.ride_start_pins p where p.ride_id = r.id and p.pin = move_ride.pin
  )) then
    perform private.refuse_order(422, 'wrong_start_pin');
  end if;
  if to_status = 'cancelled' then
    if role <> 'customer' and v_reason is null then
      perform private.refuse_order(400, 'reason_required');
    end if;
    v_reason := coalesce(v_reason, 'annulée par le passager');
    if role = 'customer' and r.status = 'arrived' then
      select rf.minimum_fare_xof into fee from public.ride_fares rf
       where rf.zone_id = r.zone_id and rf.vehicle_type = r.vehicle_type;
    end if;
  end if;

  r := private.transition_ride(r.id, to_status::public.ride_status, actor, role::public.transition_actor, v_reason, pin);
  if to_status = 'cancelled' then
    update public.offers x set status = 'expired' where x.ride_id = r.id and x.status = 'offered';
    if fee is not null then
      update public.rides u set cancellation_fee_xof = fee where u.id = r.id returning * into r;
    end if;
    event := 'cancelled_by_' || case role when 'customer' then 'rider' when 'courier' then 'driver' else 'admin' end;
  else
    event := to_status;
  end if;
  perform private.notify_ride(r, event, actor, array['customer', 'courier']);
  return jsonb_build_object('ride', private.ride_state(r.id), 'previous_status', previous);
end;
$$;
comment on function private.move_ride(uuid, text, uuid, text, text) is
  'Moves a ride for actor (the verified caller): accepted by a courier holding its open offer (private.answer_offer); '
  'otherwise the ride must be theirs as rider, driver or admin (EO404 ride_not_found otherwise); a move that does '
  'not exist from the current status is EO409 illegal_transition, one for another role EO403 wrong_role (detail: '
  'status, to); in_progress needs the rider''s PIN (EO422 wrong_start_pin); the driver and admins cancel with a '
  'reason (EO400 reason_required); the rider cancels free until the driver arrives, then owes the grid''s minimum '
  'fare (cancellation_fee_xof). Then private.transition_ride, open offers closed on cancel, and notifications to '
  'the other party. Returns {ride, previous_status}. Service role only.';
revoke all on function private.move_ride(uuid, text, uuid, text, text) from public, anon, authenticated;
grant execute on function private.move_ride(uuid, text, uuid, text, text) to service_role;

create function private.run_ride_dispatch(expire_after interval default interval '5 minutes')
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
    if r.requested_at <= now() - expire_after then
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
  'The ride half of the dispatch clock: a requested ride older than expire_after (default 5 minutes) becomes '
  'expired (system; its open offer closed; the rider told), any other requested ride without a live offer goes to '
  'the next driver (private.dispatch_ride). Rows being moved are skipped until the next run. Returns {offered, '
  'expired}. Service role only.';
revoke all on function private.run_ride_dispatch(interval) from public, anon, authenticated;
grant execute on function private.run_ride_dispatch(interval) to service_role;

-- The dispatch clock, new version: everything the previous one did for orders, then the rides
-- (private.run_ride_dispatch). Same signature, so the cron job `ecom-dispatch` is unchanged.
create or replace function private.run_dispatch(
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
  rides jsonb;
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

  -- 4. Rides: re-offer requested rides without a live offer, expire those nobody took in time.
  rides := private.run_ride_dispatch();
  return jsonb_build_object('offered', offered, 'released', released, 'notified', notified,
                            'rides_offered', (rides ->> 'offered')::integer,
                            'rides_expired', (rides ->> 'expired')::integer);
end;
$$;
comment on function private.run_dispatch(interval, interval) is
  'The dispatch clock: releases orders whose courier has been offline or silent for silent_for (default 2 minutes) '
  'before pickup (their accepted offer becomes released), offers every order without a courier or live offer to '
  'the next courier (private.dispatch_order), and tells the customer and store merchants once (notifications, '
  'event no_courier) when an order has found nobody for notice_after (default 1 minute) since acceptance or '
  'release; then the rides (private.run_ride_dispatch: re-offered, or expired after 5 minutes). Rows being moved '
  'by someone else are skipped until the next run. Returns {offered, released, notified, rides_offered, '
  'rides_expired}. Called every 5 s by pg_cron on Supabase and by the local stack''s scheduler. Service role only.';
