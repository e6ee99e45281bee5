-- What reaches people while a job moves (issue 5, DESIGN.md §8 and the notifications design): a courier's job offer
-- is also a notification (kind offer) so it is pushed to their phone by the notify drain, not only broadcast on
-- courier:<id>; the customer is told when the courier is about to arrive (under 300 m from the dropoff with their
-- order, or from the pickup for a ride), once per job, by push and by SMS (the one message that must reach a phone
-- without data, besides the order's acceptance); and the driver's live position is broadcast on ride:<id> as the
-- courier's is on order:<id>.
--   private.notify_offer()              trigger after insert on offers: the offer notification (kind offer)
--   private.queue_notification_deliveries()   new version: data.sms = true also queues an SMS when pushes go
--   private.update_presence(…)          new version: position on ride:<id>, the "arriving" notice
-- An offer made by an admin's assignment (private.assign_named_courier, setting ecom.assigning) is not announced as
-- an offer: the courier gets the assignment notice instead.

-- Tables ---------------------------------------------------------------------------------------------------------
create table private.arrival_notices (
  id bigint generated always as identity primary key,
  order_id uuid references public.orders (id) on delete cascade,
  ride_id uuid references public.rides (id) on delete cascade,
  courier_id uuid not null references public.couriers (user_id) on delete cascade,
  distance_m integer not null,
  notified_at timestamptz not null default now(),
  constraint arrival_notices_one_job check ((order_id is null) <> (ride_id is null))
);
comment on table private.arrival_notices is
  'Jobs whose customer was told the courier is arriving (one row per order or ride: they are told once), with the '
  'courier and the distance at the time. Written by private.update_presence only; service role reads it.';

-- Indexes --------------------------------------------------------------------------------------------------------
create unique index arrival_notices_order_id_key on private.arrival_notices (order_id);
create unique index arrival_notices_ride_id_key on private.arrival_notices (ride_id);
create index arrival_notices_courier_id_idx on private.arrival_notices (courier_id);

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on private.arrival_notices from public, anon, authenticated;
grant select on private.arrival_notices to service_role;

-- Row level security: none. The table lives in `private` (not exposed) and only service_role can read it.

-- Triggers -------------------------------------------------------------------------------------------------------
create function private.offer_notice(
  lang public.app_language, kind public.job_kind, place text, amount integer, seconds integer
)
returns text[]
language sql
immutable
set search_path = ''
as $$
  select case lang
    when 'en' then case kind
      when 'order' then array['New delivery', format('%s: a delivery, %s delivery fee. Accept within %s seconds.', place, private.format_xof(amount), seconds)]
      else array['New ride', format('Pickup at %s: %s. Accept within %s seconds.', place, private.format_xof(amount), seconds)]
    end
    else case kind
      when 'order' then array['Nouvelle livraison', format('%s : une livraison, %s de frais de livraison. Acceptez dans les %s secondes.', place, private.format_xof(amount), seconds)]
      else array['Nouvelle course', format('Départ : %s, %s. Acceptez dans les %s secondes.', place, private.format_xof(amount), seconds)]
    end
  end
$$;
comment on function private.offer_notice(public.app_language, public.job_kind, text, integer, integer) is
  'Title and body of an offer notification in French or English: the store (order) or the pickup landmark (ride), '
  'the delivery fee or the fare, the seconds left to accept.';
revoke all on function private.offer_notice(public.app_language, public.job_kind, text, integer, integer) from public;

create function private.notify_offer()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if current_setting('ecom.assigning', true) = 'on' then
    return null;
  end if;
  insert into public.notifications (user_id, kind, language, title, body, data)
  select new.courier_id, 'offer', lang, t.t[1], left(t.t[2], 500),
         jsonb_build_object('offer_id', new.id, 'job_kind', new.job_kind, 'job_id', new.job_id,
                            case when new.job_kind = 'order' then 'order_id' else 'ride_id' end, new.job_id,
                            'event', 'offer', 'expires_at', new.expires_at)
    from (select coalesce((select p.language from public.profiles p where p.id = new.courier_id), 'fr') as lang) l
   cross join lateral (
     select private.offer_notice(l.lang, new.job_kind, j.place, j.amount,
                                 greatest(1, ceil(extract(epoch from new.expires_at - now())))::integer) as t
       from (select s.name as place, o.delivery_fee_xof as amount
               from public.orders o join public.stores s on s.id = o.store_id
              where new.job_kind = 'order' and o.id = new.order_id
             union all
             select r.pickup_landmark, r.fare_quote_xof
               from public.rides r
              where new.job_kind = 'ride' and r.id = new.ride_id) j
   ) t;
  return null;
end;
$$;
comment on function private.notify_offer() is
  'Trigger after insert on offers: one notification of kind offer to the courier (store or pickup, amount, seconds '
  'to accept; data {offer_id, job_kind, job_id, order_id | ride_id, event "offer", expires_at}), which the notifications triggers '
  'broadcast on user:<id> and queue as pushes for the notify drain. Skipped for an admin''s assignment (setting '
  'ecom.assigning). Never called directly.';
revoke all on function private.notify_offer() from public;

create trigger offers_notify
  after insert on public.offers
  for each row execute function private.notify_offer();

-- The push / SMS queue trigger, new version (was 20261121140100_create_notifications): a notification whose data
-- says "sms": true (the courier arriving) also goes by SMS when the person has devices: their phone may have no data.
create or replace function private.queue_notification_deliveries()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  pushed boolean;
begin
  insert into public.notification_deliveries (notification_id, channel, device_id)
  select new.id, 'push', d.id from public.devices d where d.user_id = new.user_id;
  pushed := found;
  if ((not pushed and new.kind in ('order_update', 'ride_update', 'payment')) or new.data -> 'sms' = 'true'::jsonb)
     and exists (select 1 from auth.users u where u.id = new.user_id and coalesce(u.phone, '') <> '') then
    insert into public.notification_deliveries (notification_id, channel) values (new.id, 'sms');
  end if;
  return null;
end;
$$;
comment on function private.queue_notification_deliveries() is
  'Trigger after insert on notifications: queues one pending push per device of the person; one pending SMS when '
  'the person has no device and the kind is order_update, ride_update or payment (the news a person without the app '
  'must still get), or whatever their devices when data.sms is true (the courier arriving: their phone may have no '
  'data), if Auth knows their phone. Runs as owner. Never called directly.';

-- Functions ------------------------------------------------------------------------------------------------------
create function private.arrival_notice(lang public.app_language, kind public.job_kind, job_ref text, within_m integer)
returns text[]
language sql
immutable
set search_path = ''
as $$
  select case lang
    when 'en' then case kind
      when 'order' then array['Your courier is arriving', format('Your courier is less than %s m away with order %s. Have your delivery code ready.', within_m, job_ref)]
      else array['Your driver is arriving', format('Your driver is less than %s m from the pickup (ride %s). Have your PIN ready.', within_m, job_ref)]
    end
    else case kind
      when 'order' then array['Votre coursier arrive', format('Votre coursier est à moins de %s m avec la commande %s. Préparez votre code de livraison.', within_m, job_ref)]
      else array['Votre chauffeur arrive', format('Votre chauffeur est à moins de %s m du point de départ (course %s). Préparez votre code PIN.', within_m, job_ref)]
    end
  end
$$;
comment on function private.arrival_notice(public.app_language, public.job_kind, text, integer) is
  'Title and body of the "courier / driver arriving" notification in French or English.';
revoke all on function private.arrival_notice(public.app_language, public.job_kind, text, integer) from public;

create function private.notice_arrival(
  kind public.job_kind, job_id uuid, customer uuid, courier uuid, status text, distance_m integer,
  within_m integer default 300
)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  lang public.app_language;
  t text[];
begin
  if distance_m is null or distance_m >= within_m then
    return false;
  end if;
  insert into private.arrival_notices (order_id, ride_id, courier_id, distance_m)
  values (case when kind = 'order' then job_id end, case when kind = 'ride' then job_id end, courier, distance_m)
  on conflict do nothing;
  if not found then
    return false; -- told already
  end if;
  select coalesce((select p.language from public.profiles p where p.id = customer), 'fr') into lang;
  t := private.arrival_notice(lang, kind, upper(left(job_id::text, 8)), within_m);
  insert into public.notifications (user_id, kind, language, title, body, data)
  values (customer, case when kind = 'order' then 'order_update' else 'ride_update' end::public.notification_kind,
          lang, t[1], t[2],
          jsonb_build_object(case when kind = 'order' then 'order_id' else 'ride_id' end, job_id, 'status', status,
                             'event', case when kind = 'order' then 'courier_arriving' else 'driver_arriving' end,
                             'distance_m', distance_m, 'sms', true));
  return true;
end;
$$;
comment on function private.notice_arrival(public.job_kind, uuid, uuid, uuid, text, integer, integer) is
  'Tells the customer once per job that the courier is arriving, when distance_m is under within_m (default 300): '
  'an order_update / ride_update notification (event courier_arriving / driver_arriving, data.sms true: pushed and '
  'sent by SMS), recorded in private.arrival_notices. Returns whether it told them now. Service role only.';
revoke all on function private.notice_arrival(public.job_kind, uuid, uuid, uuid, text, integer, integer) from public, anon, authenticated;

-- private.update_presence, new version (was 20261121170100_create_dispatch): the driver's position is broadcast on
-- ride:<id> as the courier's is on order:<id>, and the customer is told once when the courier is arriving.
create or replace function private.update_presence(
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
  ride uuid;
  f public.offers;
  pos jsonb;
  o record;
  r public.rides;
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
    pos := jsonb_build_object('courier_id', courier, 'lat', lat, 'lng', lng, 'heading', heading,
                                   'speed_mps', speed_mps, 'at', now());
    select ord.id, ord.status::text as status, ord.customer_id,
           round(extensions.earth_distance(
             extensions.ll_to_earth(update_presence.lat, update_presence.lng),
             extensions.ll_to_earth((ct.address ->> 'lat')::double precision, (ct.address ->> 'lng')::double precision)
           ))::integer as distance_m
      into o
      from public.orders ord left join public.order_contacts ct on ct.order_id = ord.id
     where ord.courier_id = courier and ord.status in ('accepted', 'preparing', 'ready', 'picked_up')
     order by ord.accepted_at limit 1;
    job := o.id;
    if job is not null then
      perform realtime.send(pos, 'position', 'order:' || job);
      if o.status = 'picked_up' then
        perform private.notice_arrival('order', job, o.customer_id, courier, o.status, o.distance_m);
      end if;
    end if;
    select * into r from public.rides x
     where x.courier_id = courier and x.status in ('accepted', 'arrived', 'in_progress')
     order by x.accepted_at limit 1;
    ride := r.id;
    if ride is not null then
      perform realtime.send(pos, 'position', 'ride:' || ride);
      if r.status = 'accepted' then
        perform private.notice_arrival('ride', ride, r.rider_id, courier, r.status::text,
          round(extensions.earth_distance(extensions.ll_to_earth(update_presence.lat, update_presence.lng),
                                          extensions.ll_to_earth(r.pickup_lat, r.pickup_lng)))::integer);
      end if;
    end if;
  end if;
  return jsonb_build_object('presence', to_jsonb(p) - 'battery_pct', 'stored', stored, 'order_id', job,
                            'ride_id', ride);
end;
$$;
comment on function private.update_presence(uuid, boolean, double precision, double precision, real, real, interval) is
  'A courier''s presence, from the courier function: EO403 not_a_courier / courier_not_approved, EO400 '
  'position_required (online without lat/lng). Stores the row when it is new, online changes, or the last write '
  'is older than store_every (default 5 s: the throttle, by updated_at); otherwise only broadcasts. While online '
  'with a position, broadcasts event "position" on order:<id> of their active order and on ride:<id> of their '
  'active ride, and tells the customer once (private.notice_arrival) when they are under 300 m from the dropoff of '
  'a picked-up order or from the pickup of an accepted ride. Going offline expires the courier''s open offers and '
  'dispatches those orders again. Returns {presence, stored, order_id, ride_id}. Service role only.';
