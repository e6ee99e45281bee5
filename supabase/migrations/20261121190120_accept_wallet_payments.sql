-- Wallet and mobile money accepted: private.place_order and private.request_ride, new versions. Copied from their
-- latest definitions (20261121160000_create_order_placement.sql, 20261121180000_create_ride_requests.sql) with one
-- change: the refusal of wallet / mobile_money (EO422 payment_method_unavailable) is gone. The hold itself is the
-- insert triggers' job (20261121190110_create_settlement.sql), so it commits or fails with the order or ride; a short
-- wallet is EO402 insufficient_funds (detail balance_xof, needed_xof) and nothing is written. mobile_money pays like
-- wallet: the money arrives in the wallet by a mobile-money top-up made for the order just before.

-- Functions ------------------------------------------------------------------------------------------------------
create or replace function private.place_order(customer uuid, request jsonb, request_hash text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  key text := request ->> 'idempotency_key';
  prior private.order_requests;
  s public.stores;
  z public.zones;
  a public.addresses;
  v_fulfilment public.fulfilment := (request ->> 'fulfilment')::public.fulfilment;
  v_method public.payment_method := (request ->> 'payment_method')::public.payment_method;
  v_tendered integer := (request ->> 'cash_tendered_xof')::integer;
  v_scheduled timestamptz := (request ->> 'scheduled_for')::timestamptz;
  v_code text := nullif(upper(btrim(request ->> 'promo_code')), '');
  at_time timestamptz;
  item record;
  p public.products;
  opt_ids uuid[];
  opts jsonb;
  opts_price integer;
  opts_found integer;
  bad_group text;
  lines jsonb := '[]'::jsonb;
  subtotal integer := 0;
  fee integer := 0;
  discount integer := 0;
  total integer;
  distance_m double precision;
  promo public.promotions;
  used integer;
  phone text;
  first_name text;
  o public.orders;
  body jsonb;
begin
  -- Same customer + same key: one placement at a time, and a replay answers the first result.
  perform pg_advisory_xact_lock(hashtextextended(customer::text || '/' || key, 0));
  select * into prior from private.order_requests r where r.customer_id = customer and r.idempotency_key = key;
  if found then
    if prior.request_hash is distinct from request_hash then
      perform private.refuse_order(422, 'idempotency_key_reused');
    end if;
    return prior.response;
  end if;


  select * into s from public.stores where id = (request ->> 'store_id')::uuid;
  if not found or s.approval_status <> 'approved' then
    perform private.refuse_order(404, 'store_not_found');
  end if;
  select * into z from public.zones where id = s.zone_id;
  if s.status = 'closed' or not z.active then
    perform private.refuse_order(422, 'store_closed');
  end if;
  if v_scheduled is null then
    if s.status = 'busy' and s.busy_until > now() then
      perform private.refuse_order(422, 'store_busy', jsonb_build_object('busy_until', s.busy_until));
    end if;
    if not private.store_open_at(s.id, now()) then
      perform private.refuse_order(422, 'store_closed');
    end if;
  else
    if v_scheduled < now() + interval '30 minutes' or v_scheduled > now() + interval '7 days' then
      perform private.refuse_order(422, 'scheduled_out_of_range');
    end if;
    if s.status = 'busy' and s.busy_until > v_scheduled then
      perform private.refuse_order(422, 'store_busy', jsonb_build_object('busy_until', s.busy_until));
    end if;
    if not private.store_open_at(s.id, v_scheduled) then
      perform private.refuse_order(422, 'scheduled_outside_hours');
    end if;
  end if;
  at_time := coalesce(v_scheduled, now());

  -- Items: prices and options from the catalogue; whatever the client sent about prices is not even read.
  for item in
    select value as v, ordinality::integer as position
      from jsonb_array_elements(request -> 'items') with ordinality
  loop
    select * into p from public.products where id = (item.v ->> 'product_id')::uuid and store_id = s.id;
    if not found or not p.available then
      perform private.refuse_order(422, 'item_unavailable',
        jsonb_build_object('product_id', item.v ->> 'product_id', 'name', p.name));
    end if;
    if p.sold_out_until is not null and p.sold_out_until > at_time then
      perform private.refuse_order(422, 'item_sold_out',
        jsonb_build_object('product_id', p.id, 'name', p.name, 'sold_out_until', p.sold_out_until));
    end if;
    opt_ids := array(select x::uuid from jsonb_array_elements_text(coalesce(item.v -> 'option_ids', '[]')) x);
    select coalesce(jsonb_agg(jsonb_build_object('group', g.name, 'name', po.name, 'price_delta_xof', po.price_delta_xof)
                              order by g.position, g.name, po.position, po.name), '[]'::jsonb),
           coalesce(sum(po.price_delta_xof), 0), count(*)
      into opts, opts_price, opts_found
      from public.product_options po join public.product_option_groups g on g.id = po.group_id
     where po.id = any(opt_ids) and g.product_id = p.id and po.available;
    if opts_found <> cardinality(opt_ids) then
      perform private.refuse_order(422, 'option_unavailable', jsonb_build_object('product_id', p.id, 'name', p.name));
    end if;
    select g.name into bad_group
      from public.product_option_groups g
     where g.product_id = p.id
       and (select count(*) from public.product_options po where po.group_id = g.id and po.id = any(opt_ids))
           not between g.min_selections and g.max_selections
     order by g.position limit 1;
    if bad_group is not null then
      perform private.refuse_order(422, 'options_invalid', jsonb_build_object('product_id', p.id, 'name', p.name, 'group', bad_group));
    end if;
    lines := lines || jsonb_build_object('product_id', p.id, 'name', p.name, 'unit_price_xof', p.price_xof,
                                         'options', opts, 'options_price_xof', opts_price,
                                         'quantity', (item.v ->> 'quantity')::integer, 'position', item.position);
    subtotal := subtotal + (p.price_xof + opts_price) * (item.v ->> 'quantity')::integer;
  end loop;

  if subtotal < z.min_order_xof then
    perform private.refuse_order(422, 'below_minimum', jsonb_build_object('min_order_xof', z.min_order_xof, 'subtotal_xof', subtotal));
  end if;

  if v_fulfilment = 'delivery' then
    select * into a from public.addresses where id = (request ->> 'address_id')::uuid and user_id = customer;
    if not found then
      perform private.refuse_order(404, 'address_not_found');
    end if;
    distance_m := extensions.earth_distance(extensions.ll_to_earth(s.lat, s.lng), extensions.ll_to_earth(a.lat, a.lng));
    if a.zone_id <> s.zone_id or distance_m > z.radius_m then
      perform private.refuse_order(422, 'address_outside_zone', jsonb_build_object('zone', z.name));
    end if;
    -- The zone's grid: base + per km (straight line), rounded up to the next 25 FCFA.
    fee := (ceil((z.delivery_base_fee_xof + z.delivery_fee_per_km_xof * distance_m / 1000.0) / 25.0) * 25)::integer;
  end if;

  if v_code is not null then
    select * into promo from public.promotions where code = v_code for update;
    if not found or not promo.active or (promo.store_id is not null and promo.store_id <> s.id) then
      perform private.refuse_order(422, 'promo_invalid', jsonb_build_object('code', v_code));
    end if;
    if now() < promo.starts_at or now() >= promo.ends_at then
      perform private.refuse_order(422, 'promo_expired', jsonb_build_object('code', v_code));
    end if;
    if subtotal < promo.min_order_xof then
      perform private.refuse_order(422, 'promo_min_order', jsonb_build_object('code', v_code, 'min_order_xof', promo.min_order_xof));
    end if;
    if promo.kind = 'free_delivery' and v_fulfilment <> 'delivery' then
      perform private.refuse_order(422, 'promo_invalid', jsonb_build_object('code', v_code));
    end if;
    select count(*) into used from private.promotion_redemptions r join public.orders ro on ro.id = r.order_id
     where r.promotion_id = promo.id and ro.status not in ('rejected', 'cancelled');
    if promo.usage_limit_total is not null and used >= promo.usage_limit_total then
      perform private.refuse_order(422, 'promo_exhausted', jsonb_build_object('code', v_code));
    end if;
    select count(*) into used from private.promotion_redemptions r join public.orders ro on ro.id = r.order_id
     where r.promotion_id = promo.id and r.customer_id = customer and ro.status not in ('rejected', 'cancelled');
    if promo.usage_limit_per_customer is not null and used >= promo.usage_limit_per_customer then
      perform private.refuse_order(422, 'promo_exhausted', jsonb_build_object('code', v_code));
    end if;
    discount := case promo.kind
      when 'percent' then floor(subtotal * promo.value / 100.0)::integer
      when 'fixed' then least(promo.value, subtotal)
      else fee
    end;
    discount := least(discount, coalesce(promo.max_discount_xof, discount));
  end if;

  total := subtotal + fee - discount;
  if v_tendered is not null and v_tendered < total then
    perform private.refuse_order(422, 'cash_below_total', jsonb_build_object('total_xof', total, 'cash_tendered_xof', v_tendered));
  end if;

  select nullif(u.phone, '') into phone from auth.users u where u.id = customer;
  phone := coalesce('+' || ltrim(phone, '+'), a.phone);
  if phone is null then
    perform private.refuse_order(422, 'phone_required');
  end if;
  select left(split_part(btrim(pr.full_name), ' ', 1), 60) into first_name from public.profiles pr where pr.id = customer;

  insert into public.orders (customer_id, customer_first_name, store_id, zone_id, fulfilment, subtotal_xof,
                             delivery_fee_xof, discount_xof, total_xof, payment_method, cash_tendered_xof,
                             scheduled_for, note, idempotency_key)
  values (customer, coalesce(first_name, ''), s.id, s.zone_id, v_fulfilment, subtotal, fee, discount, total, v_method,
          v_tendered, v_scheduled, nullif(btrim(request ->> 'note'), ''), key)
  returning * into o;
  insert into public.order_contacts (order_id, customer_phone, address)
  values (o.id, phone,
          case when v_fulfilment = 'delivery' then
            jsonb_strip_nulls(jsonb_build_object('label', a.label, 'lat', a.lat, 'lng', a.lng, 'landmark', a.landmark,
                                                 'phone', a.phone, 'photo_path', a.photo_path))
          end);
  insert into public.order_delivery_codes (order_id) values (o.id);
  insert into public.order_items (order_id, product_id, name, unit_price_xof, options, options_price_xof, quantity, position)
  select o.id, l.product_id, l.name, l.unit_price_xof, l.options, l.options_price_xof, l.quantity, l.position
    from jsonb_to_recordset(lines) as l (product_id uuid, name text, unit_price_xof integer, options jsonb,
                                         options_price_xof integer, quantity integer, position integer);
  if promo.id is not null then
    insert into private.promotion_redemptions (order_id, promotion_id, customer_id, discount_xof)
    values (o.id, promo.id, customer, discount);
  end if;
  perform private.notify_order(o, 'placed', customer, array['store']);

  body := jsonb_build_object('order', private.order_summary(o.id));
  insert into private.order_requests (customer_id, idempotency_key, request_hash, order_id, response)
  values (customer, key, request_hash, o.id, body);
  return body;
end;
$$;
comment on function private.place_order(uuid, jsonb, text) is
  'Places an order for customer (the verified caller) from request {store_id, items [{product_id, quantity, '
  'option_ids}], fulfilment, address_id, payment_method, cash_tendered_xof, scheduled_for, promo_code, note, '
  'idempotency_key}, in the caller''s transaction: checks the store (approved, open or busy, hours), items and '
  'options, minimum order, the address (the customer''s, in the store''s zone), the promotion and its limits, cash '
  'tendered; computes prices, the delivery fee from the zone grid and the distance, discount and total; writes the '
  'order (a wallet or mobile-money order holds its total in the same transaction: EO402 insufficient_funds with '
  'balance_xof when the wallet is short, and nothing is written), contact snapshot, delivery code, items, redemption, the store''s notifications, and the answer for the '
  'idempotency key. A replay of the same request answers the first result; another request with the key is '
  'refused. Raises EO404 / EO422 refusals (see refuse_order). Service role only.';
revoke all on function private.place_order(uuid, jsonb, text) from public, anon, authenticated;
grant execute on function private.place_order(uuid, jsonb, text) to service_role;

create or replace function private.request_ride(rider uuid, request jsonb, request_hash text)
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
  'idempotency_key_reused for another request), quotes (private.quote_ride refusals), writes the ride with the '
  'fare locked (a wallet or mobile-money ride holds the fare: EO402 insufficient_funds when the wallet is short), '
  'its start PIN and the answer, and offers it to the nearest free driver. Returns {ride, start_pin, quote}. Service role only.';
revoke all on function private.request_ride(uuid, jsonb, text) from public, anon, authenticated;
grant execute on function private.request_ride(uuid, jsonb, text) to service_role;
