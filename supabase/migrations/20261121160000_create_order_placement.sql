-- Order placement and moves for the `orders` edge function (DESIGN.md §2, §6, §7): one service-role entry point per
-- use case, each a single transaction that computes everything from the database and never trusts an amount from a
-- client.
--   private.place_order(customer, request, request_hash)  prices, options, fees, promotion, totals, delivery code,
--                                                         contact snapshot, idempotency (same key + same request →
--                                                         the first answer; another request → refused)
--   private.move_order(order_id, to, actor, reason, prep_minutes, code)
--                                                         picks the caller's role on the order for that move, calls
--                                                         private.transition_order, notifies the parties
--   private.order_summary(order_id)                       the JSON the function answers with
-- Business refusals are raised with SQLSTATE 'EO' + the HTTP status (EO404, EO409, EO422…), a stable code as the
-- message and the details as JSON in DETAIL, so the function maps them to its error envelope in the caller's
-- language without parsing prose. Amounts are integer FCFA.

-- Tables ---------------------------------------------------------------------------------------------------------
alter table public.orders
  add column prep_minutes integer constraint orders_prep_minutes_range check (prep_minutes between 1 and 240),
  add column released_at timestamptz,
  add column cash_collected_at timestamptz;
comment on column public.orders.prep_minutes is
  'Minutes the store announced when accepting (the store''s preparation_minutes when it gave none).';
comment on column public.orders.released_at is
  'Scheduled orders: when private.run_order_timeouts told the store to start (scheduled_for minus preparation and '
  'delivery lead); the merchant''s answer timeout counts from then.';
comment on column public.orders.cash_collected_at is
  'Cash orders: when the courier reported the cash collected (after delivery). The ledger posting comes with the '
  'payments slice.';

create table private.order_requests (
  customer_id uuid not null references auth.users (id) on delete cascade,
  idempotency_key text not null,
  request_hash text not null,
  order_id uuid not null references public.orders (id) on delete cascade,
  response jsonb not null,
  created_at timestamptz not null default now(),
  primary key (customer_id, idempotency_key)
);
comment on table private.order_requests is
  'Idempotency of order placement: the first successful answer per (customer, Idempotency-Key) with the hash of its '
  'request. A replay with the same hash gets the same answer; another request with the same key is refused. '
  'Service role only (not exposed).';

create table private.promotion_redemptions (
  order_id uuid primary key references public.orders (id) on delete cascade,
  promotion_id uuid not null references public.promotions (id) on delete cascade,
  customer_id uuid not null references auth.users (id) on delete cascade,
  discount_xof integer not null,
  created_at timestamptz not null default now()
);
comment on table private.promotion_redemptions is
  'One row per order placed with a promotion code; the usage limits count those whose order was not rejected or '
  'cancelled. Service role only (not exposed).';

-- Indexes --------------------------------------------------------------------------------------------------------
create index order_requests_order_id_idx on private.order_requests (order_id);
create index promotion_redemptions_promotion_idx on private.promotion_redemptions (promotion_id, customer_id);
create index promotion_redemptions_customer_idx on private.promotion_redemptions (customer_id);
create index orders_scheduled_idx on public.orders (scheduled_for) where scheduled_for is not null and released_at is null;

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on private.order_requests, private.promotion_redemptions from public, anon, authenticated;
grant select on private.order_requests, private.promotion_redemptions to service_role;

-- Row level security: none. Both tables live in `private` (not exposed by PostgREST) and only service_role holds a
-- privilege on them (select; the security definer functions write), so there is no row a client could reach.

-- Functions ------------------------------------------------------------------------------------------------------
create function private.refuse_order(status integer, code text, detail jsonb default '{}')
returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = 'EO' || status::text, message = code, detail = detail::text;
end;
$$;
comment on function private.refuse_order(integer, text, jsonb) is
  'Raises a business refusal: SQLSTATE EO<http status>, message = the stable code (store_closed, item_sold_out…), '
  'detail = JSON parameters. The orders function turns it into its error envelope.';
revoke all on function private.refuse_order(integer, text, jsonb) from public;

create function private.format_xof(amount integer)
returns text
language sql
immutable
set search_path = ''
as $$ select regexp_replace(amount::text, '(\d)(?=(\d{3})+$)', '\1 ', 'g') || ' FCFA' $$;
comment on function private.format_xof(integer) is 'Money as people read it: 1500 → "1 500 FCFA".';
revoke all on function private.format_xof(integer) from public;

create function private.store_open_at(store uuid, at timestamptz)
returns boolean
language plpgsql
stable
set search_path = ''
as $$
declare
  tz text;
  local_ts timestamp;
  day date;
  t time;
begin
  select z.timezone into tz from public.stores s join public.zones z on z.id = s.zone_id where s.id = store;
  local_ts := at at time zone coalesce(tz, 'UTC');
  day := local_ts::date;
  t := local_ts::time;
  -- Slots of the day itself (an exception replaces the weekly slots of its date), then the previous day's slots
  -- that run past midnight.
  return exists (
    select 1
      from (
        select h.opens, h.closes, h.closes_next_day, 0 as back
          from public.store_hours h
         where h.store_id = store and h.weekday = extract(isodow from day)
           and not exists (select 1 from public.store_hour_exceptions e where e.store_id = store and e.on_date = day)
        union all
        select e.opens, e.closes, e.closes_next_day, 0
          from public.store_hour_exceptions e
         where e.store_id = store and e.on_date = day and not e.closed and e.opens is not null
        union all
        select h.opens, h.closes, h.closes_next_day, 1
          from public.store_hours h
         where h.store_id = store and h.weekday = extract(isodow from day - 1) and h.closes_next_day
           and not exists (select 1 from public.store_hour_exceptions e where e.store_id = store and e.on_date = day - 1)
        union all
        select e.opens, e.closes, e.closes_next_day, 1
          from public.store_hour_exceptions e
         where e.store_id = store and e.on_date = day - 1 and not e.closed and e.closes_next_day
      ) slot
     where (slot.back = 0 and slot.opens <= t and (slot.closes_next_day or t < slot.closes))
        or (slot.back = 1 and t < slot.closes)
  );
end;
$$;
comment on function private.store_open_at(uuid, timestamptz) is
  'True when the store''s hours (weekly slots, or the exception of that date; slots past midnight included) cover '
  'the instant, read in its zone''s time zone. Ignores the open / busy / closed status.';
revoke all on function private.store_open_at(uuid, timestamptz) from public;
grant execute on function private.store_open_at(uuid, timestamptz) to service_role;

create function private.order_summary(order_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'id', o.id, 'status', o.status, 'store_id', o.store_id, 'store_name', s.name, 'fulfilment', o.fulfilment,
    'items', coalesce((
      select jsonb_agg(jsonb_build_object('product_id', i.product_id, 'name', i.name, 'unit_price_xof', i.unit_price_xof,
                                          'options', i.options, 'options_price_xof', i.options_price_xof,
                                          'quantity', i.quantity, 'line_total_xof', i.line_total_xof)
                       order by i.position)
        from public.order_items i where i.order_id = o.id), '[]'::jsonb),
    'subtotal_xof', o.subtotal_xof, 'delivery_fee_xof', o.delivery_fee_xof, 'discount_xof', o.discount_xof,
    'total_xof', o.total_xof,
    'promo_code', (select p.code from private.promotion_redemptions r join public.promotions p on p.id = r.promotion_id
                    where r.order_id = o.id),
    'payment_method', o.payment_method, 'cash_tendered_xof', o.cash_tendered_xof,
    'change_due_xof', case when o.cash_tendered_xof is not null then o.cash_tendered_xof - o.total_xof end,
    'scheduled_for', o.scheduled_for, 'prep_minutes', o.prep_minutes, 'courier_id', o.courier_id,
    'delivery_code', (select c.code from public.order_delivery_codes c where c.order_id = o.id),
    'created_at', o.created_at, 'updated_at', o.updated_at)
  from public.orders o join public.stores s on s.id = o.store_id
 where o.id = order_summary.order_id
$$;
comment on function private.order_summary(uuid) is
  'The customer''s view of an order as the orders function answers placement (items, amounts, change due, delivery '
  'code). Service role only: the function answers it to the customer who placed the order.';
revoke all on function private.order_summary(uuid) from public;
grant execute on function private.order_summary(uuid) to service_role;

create function private.order_state(order_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'id', o.id, 'status', o.status, 'store_id', o.store_id, 'fulfilment', o.fulfilment, 'courier_id', o.courier_id,
    'total_xof', o.total_xof, 'payment_method', o.payment_method, 'prep_minutes', o.prep_minutes,
    'scheduled_for', o.scheduled_for, 'rejection_reason', o.rejection_reason,
    'cancellation_reason', o.cancellation_reason, 'cancelled_by', o.cancelled_by, 'accepted_at', o.accepted_at,
    'rejected_at', o.rejected_at, 'cancelled_at', o.cancelled_at, 'preparing_at', o.preparing_at,
    'ready_at', o.ready_at, 'picked_up_at', o.picked_up_at, 'delivered_at', o.delivered_at,
    'cash_collected_at', o.cash_collected_at, 'updated_at', o.updated_at)
  from public.orders o
 where o.id = order_state.order_id
$$;
comment on function private.order_state(uuid) is
  'What every party of an order may know of its state (no contact, no delivery code): the answer to a move. '
  'Service role only.';
revoke all on function private.order_state(uuid) from public;
grant execute on function private.order_state(uuid) to service_role;

create function private.order_notice(
  lang public.app_language, event text, order_ref text, store_name text, first_name text, total integer,
  reason text, prep integer, at text
)
returns text[]
language sql
immutable
set search_path = ''
as $$
  select case lang
    when 'en' then case event
      when 'placed' then array['New order', format('Order %s from %s: %s.', order_ref, first_name, private.format_xof(total))]
      when 'due' then array['Scheduled order', format('Order %s is due at %s: start preparing it now.', order_ref, at)]
      when 'accepted' then array['Order accepted', format('%s accepted order %s (ready in about %s min).', store_name, order_ref, prep)]
      when 'rejected' then array['Order rejected', format('%s rejected order %s: %s', store_name, order_ref, reason)]
      when 'cancelled' then array['Order cancelled', format('Order %s at %s is cancelled: %s', order_ref, store_name, reason)]
      when 'timed_out' then array['Order cancelled', format('%s did not answer in time: order %s is cancelled.', store_name, order_ref)]
      when 'preparing' then array['Order being prepared', format('%s is preparing order %s.', store_name, order_ref)]
      when 'ready' then array['Order ready', format('Order %s is ready at %s.', order_ref, store_name)]
      when 'picked_up' then array['Order on its way', format('The courier picked up order %s.', order_ref)]
      when 'delivered' then array['Order delivered', format('Order %s has been handed over. Enjoy!', order_ref)]
      when 'cash_collected' then array['Cash collected', format('The courier collected %s for order %s.', private.format_xof(total), order_ref)]
    end
    else case event
      when 'placed' then array['Nouvelle commande', format('Commande %s de %s : %s.', order_ref, first_name, private.format_xof(total))]
      when 'due' then array['Commande programmée', format('La commande %s est prévue à %s : à préparer maintenant.', order_ref, at)]
      when 'accepted' then array['Commande acceptée', format('%s a accepté la commande %s (prête dans environ %s min).', store_name, order_ref, prep)]
      when 'rejected' then array['Commande refusée', format('%s a refusé la commande %s : %s', store_name, order_ref, reason)]
      when 'cancelled' then array['Commande annulée', format('La commande %s chez %s est annulée : %s', order_ref, store_name, reason)]
      when 'timed_out' then array['Commande annulée', format('%s n''a pas répondu à temps : la commande %s est annulée.', store_name, order_ref)]
      when 'preparing' then array['Commande en préparation', format('%s prépare la commande %s.', store_name, order_ref)]
      when 'ready' then array['Commande prête', format('La commande %s est prête chez %s.', order_ref, store_name)]
      when 'picked_up' then array['Commande en route', format('Le coursier a récupéré la commande %s.', order_ref)]
      when 'delivered' then array['Commande livrée', format('La commande %s a été remise. Bon appétit !', order_ref)]
      when 'cash_collected' then array['Espèces encaissées', format('Le coursier a encaissé %s pour la commande %s.', private.format_xof(total), order_ref)]
    end
  end
$$;
comment on function private.order_notice(public.app_language, text, text, text, text, integer, text, integer, text) is
  'Title and body of an order notification in French or English, for an event: placed, due, a status, timed_out, '
  'cash_collected.';
revoke all on function private.order_notice(public.app_language, text, text, text, text, integer, text, integer, text)
  from public;

create function private.notify_order(o public.orders, event text, actor uuid, recipients text[])
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  s public.stores;
  z public.zones;
  inserted integer;
begin
  select * into s from public.stores where id = o.store_id;
  select * into z from public.zones where id = s.zone_id;
  with people as (
    select o.customer_id as user_id where 'customer' = any(recipients)
    union
    select m.user_id from public.store_members m
      join public.user_roles r on r.user_id = m.user_id and r.role = 'merchant'
     where m.store_id = o.store_id and 'store' = any(recipients)
    union
    select o.courier_id where o.courier_id is not null and 'courier' = any(recipients)
  ), texts as (
    select p.user_id, coalesce(pr.language, 'fr') as lang,
           private.order_notice(coalesce(pr.language, 'fr'), event, upper(left(o.id::text, 8)), s.name,
                                o.customer_first_name, o.total_xof,
                                coalesce(o.rejection_reason, o.cancellation_reason, ''),
                                coalesce(o.prep_minutes, s.preparation_minutes),
                                to_char(o.scheduled_for at time zone z.timezone, 'HH24:MI')) as t
      from people p left join public.profiles pr on pr.id = p.user_id
     where p.user_id is distinct from actor
  )
  insert into public.notifications (user_id, kind, language, title, body, data)
  select t.user_id, 'order_update', t.lang, t.t[1], left(t.t[2], 500),
         jsonb_build_object('order_id', o.id, 'status', o.status, 'event', event)
    from texts t;
  get diagnostics inserted = row_count;
  return inserted;
end;
$$;
comment on function private.notify_order(public.orders, text, uuid, text[]) is
  'Inserts one order_update notification per party (customer, the store''s merchants, the assigned courier, as '
  'listed in recipients) except the actor, in each person''s language; the notifications triggers broadcast and '
  'queue them. Runs in the caller''s transaction.';
revoke all on function private.notify_order(public.orders, text, uuid, text[]) from public;

create function private.place_order(customer uuid, request jsonb, request_hash text)
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

  if v_method <> 'cash' then
    perform private.refuse_order(422, 'payment_method_unavailable', jsonb_build_object('payment_method', v_method));
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
  'order, contact snapshot, delivery code, items, redemption, the store''s notifications, and the answer for the '
  'idempotency key. A replay of the same request answers the first result; another request with the key is '
  'refused. Raises EO404 / EO422 refusals (see refuse_order). Service role only.';
revoke all on function private.place_order(uuid, jsonb, text) from public, anon, authenticated;
grant execute on function private.place_order(uuid, jsonb, text) to service_role;

create function private.move_order(
  order_id uuid, to_status text, actor uuid, reason text default null, prep_minutes integer default null,
  code text default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  o public.orders;
  held text[];
  allowed text[];
  role text;
  previous public.order_status;
  event text;
begin
  select * into o from public.orders where id = move_order.order_id for update;
  if not found then
    perform private.refuse_order(404, 'order_not_found');
  end if;
  held := array_remove(array[
    case when o.customer_id = actor then 'customer' end,
    case when exists (select 1 from public.store_members m
                        join public.user_roles r on r.user_id = m.user_id and r.role = 'merchant'
                       where m.store_id = o.store_id and m.user_id = actor) then 'merchant' end,
    case when o.courier_id = actor then 'courier' end,
    case when exists (select 1 from public.user_roles r where r.user_id = actor and r.role = 'admin') then 'admin' end
  ], null);
  if cardinality(held) = 0 then
    perform private.refuse_order(404, 'order_not_found');
  end if;
  previous := o.status;

  if to_status = 'cash_collected' then
    if not 'courier' = any(held) then
      perform private.refuse_order(403, 'wrong_role', jsonb_build_object('status', o.status));
    end if;
    if o.payment_method <> 'cash' or o.status <> 'delivered' or o.cash_collected_at is not null then
      perform private.refuse_order(409, 'illegal_transition', jsonb_build_object('status', o.status, 'to', to_status));
    end if;
    update public.orders u set cash_collected_at = now() where u.id = o.id returning * into o;
    perform private.notify_order(o, 'cash_collected', actor, array['store']);
    return jsonb_build_object('order', private.order_state(o.id), 'previous_status', previous);
  end if;

  select array_agg(t.actor_role::text) into allowed
    from public.order_transitions t
   where t.from_status = o.status and t.to_status = move_order.to_status::public.order_status
     and (t.fulfilment is null or t.fulfilment = o.fulfilment);
  if allowed is null then
    perform private.refuse_order(409, 'illegal_transition', jsonb_build_object('status', o.status, 'to', to_status));
  end if;
  -- A person may hold several roles on one order (a merchant buying at their own store): the most specific wins.
  select r.name into role
    from unnest(array['customer', 'merchant', 'courier', 'admin']) with ordinality as r (name, rank)
   where r.name = any(held) and r.name = any(allowed)
   order by r.rank limit 1;
  if role is null then
    perform private.refuse_order(403, 'wrong_role', jsonb_build_object('status', o.status, 'to', to_status));
  end if;

  o := private.transition_order(o.id, to_status::public.order_status, actor, role::public.transition_actor,
                                nullif(btrim(reason), ''), code);
  if o.status = 'accepted' then
    update public.orders u
       set prep_minutes = coalesce(move_order.prep_minutes, (select s.preparation_minutes from public.stores s where s.id = u.store_id))
     where u.id = o.id
    returning * into o;
  end if;
  event := o.status::text;
  perform private.notify_order(o, event, actor, array['customer', 'store', 'courier']);
  return jsonb_build_object('order', private.order_state(o.id), 'previous_status', previous);
end;
$$;
comment on function private.move_order(uuid, text, uuid, text, integer, text) is
  'Moves an order for actor (the verified caller): the order must be theirs as customer, store merchant, assigned '
  'courier or admin (EO404 order_not_found otherwise, whether it exists or not); a move that does not exist from the '
  'current status is EO409 illegal_transition, one that exists for another role EO403 wrong_role (detail: status). '
  'Then private.transition_order in the caller''s role (reason, delivery code), prep_minutes on acceptance, and '
  'notifications to the other parties, all in the caller''s transaction. to_status may also be cash_collected '
  '(the courier, on a delivered cash order, once). Service role only.';
revoke all on function private.move_order(uuid, text, uuid, text, integer, text) from public, anon, authenticated;
grant execute on function private.move_order(uuid, text, uuid, text, integer, text) to service_role;
