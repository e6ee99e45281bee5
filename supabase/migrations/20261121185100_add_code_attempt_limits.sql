-- Wrong delivery codes and ride PINs are counted (issue 5; docs/API.md said "the dispatch slice should count wrong
-- codes per order"): a code has 10 000 values, so whoever holds the job could try them all. Each wrong try is
-- recorded as an event of the job (kind wrong_code: who, when, which code was typed; evidence for disputes) and
-- counted; the 5th wrong try in a row locks that step of the job for 10 minutes, during which even the right code is
-- refused (EO429 code_locked, detail locked_until and retry_after_s). The right code clears the count.
--
-- A refusal that must still write (the event and the count) cannot be raised: raising rolls the writes back. So
-- private.move_order and private.move_ride answer a wrong code with {"refused": {status, code, detail}} in a committed
-- transaction, and the edge functions turn that answer into the error (docs/API.md).
--   private.check_job_code(order_id, ride_id, correct, actor, role)   count / lock / record; null when it may go on
--   private.move_order(…), private.move_ride(…)                         new versions, through check_job_code

-- Tables ---------------------------------------------------------------------------------------------------------
alter table public.order_events
  add column kind text not null default 'status'
    constraint order_events_kind_known check (kind in ('status', 'wrong_code'));
comment on column public.order_events.kind is
  'status: a status change (from_status → to_status); wrong_code: a wrong delivery code was typed (from_status = '
  'to_status = the status at the time; reason says which code and which try). Other kinds come with their features.';

alter table public.ride_events
  add column kind text not null default 'status'
    constraint ride_events_kind_known check (kind in ('status', 'wrong_code'));
comment on column public.ride_events.kind is
  'status: a status change; wrong_code: a wrong start PIN was typed (from_status = to_status; reason says which PIN '
  'and which try).';

create table private.code_attempts (
  id bigint generated always as identity primary key,
  order_id uuid references public.orders (id) on delete cascade,
  ride_id uuid references public.rides (id) on delete cascade,
  failures integer not null default 0 constraint code_attempts_failures_range check (failures >= 0),
  locked_until timestamptz,
  updated_at timestamptz not null default now(),
  constraint code_attempts_one_job check ((order_id is null) <> (ride_id is null))
);
comment on table private.code_attempts is
  'Wrong tries of a job''s code in a row: the delivery code of an order, the start PIN of a ride. At the 5th the '
  'step is locked until locked_until and the count starts again. Written by private.check_job_code only; service '
  'role reads it.';

-- Indexes --------------------------------------------------------------------------------------------------------
create unique index code_attempts_order_id_key on private.code_attempts (order_id);
create unique index code_attempts_ride_id_key on private.code_attempts (ride_id);

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on private.code_attempts from public, anon, authenticated;
grant select on private.code_attempts to service_role;

-- Row level security: none. The table lives in `private` (not exposed) and only service_role can read it.

-- Triggers -------------------------------------------------------------------------------------------------------
-- The order_events broadcast, new version (was 20261121150600_create_realtime_topics): the payload says the kind.
create or replace function private.broadcast_order_event()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform realtime.send(
    jsonb_build_object('order_id', new.order_id, 'from_status', new.from_status, 'to_status', new.to_status,
                       'actor_role', new.actor_role, 'reason', new.reason, 'kind', new.kind,
                       'created_at', new.created_at),
    'order_event', 'order:' || new.order_id);
  return null;
end;
$$;
comment on function private.broadcast_order_event() is
  'Trigger after insert on order_events: broadcasts the event (transition, or another kind such as wrong_code) as '
  'event "order_event" on order:<id>. Never called directly.';

-- Functions ------------------------------------------------------------------------------------------------------
create function private.check_job_code(
  order_id uuid, ride_id uuid, correct boolean, actor uuid, actor_role text, typed text,
  max_tries integer default 5, lock_for interval default interval '10 minutes'
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  a private.code_attempts;
  job_status text;
  n integer;
  wait integer;
begin
  if (order_id is null) = (ride_id is null) then
    raise exception using errcode = 'check_violation', message = 'check_job_code takes an order or a ride';
  end if;
  insert into private.code_attempts (order_id, ride_id) values (check_job_code.order_id, check_job_code.ride_id)
  on conflict do nothing;
  select * into a from private.code_attempts x
   where x.order_id is not distinct from check_job_code.order_id and x.ride_id is not distinct from check_job_code.ride_id
     for update;
  if a.locked_until > now() then
    wait := ceil(extract(epoch from a.locked_until - now()))::integer;
    perform private.refuse_order(429, 'code_locked', jsonb_build_object('locked_until', a.locked_until, 'retry_after_s', wait));
  end if;
  if correct then
    delete from private.code_attempts x where x.id = a.id;
    return null;
  end if;

  n := a.failures + 1;
  if order_id is not null then
    select o.status::text into job_status from public.orders o where o.id = check_job_code.order_id;
    insert into public.order_events (order_id, from_status, to_status, actor_id, actor_role, reason, kind)
    values (order_id, job_status::public.order_status, job_status::public.order_status, actor,
            actor_role::public.transition_actor,
            format('wrong delivery code %s (try %s of %s)', coalesce(typed, '∅'), n, max_tries), 'wrong_code');
  else
    select r.status::text into job_status from public.rides r where r.id = check_job_code.ride_id;
    insert into public.ride_events (ride_id, from_status, to_status, actor_id, actor_role, reason, kind)
    values (ride_id, job_status::public.ride_status, job_status::public.ride_status, actor,
            actor_role::public.transition_actor,
            format('wrong start PIN %s (try %s of %s)', coalesce(typed, '∅'), n, max_tries), 'wrong_code');
  end if;
  if n >= max_tries then
    update private.code_attempts x set failures = 0, locked_until = now() + lock_for, updated_at = now()
     where x.id = a.id returning * into a;
    wait := ceil(extract(epoch from lock_for))::integer;
    return jsonb_build_object('status', 429, 'code', 'code_locked',
                              'detail', jsonb_build_object('locked_until', a.locked_until, 'retry_after_s', wait));
  end if;
  update private.code_attempts x set failures = n, updated_at = now() where x.id = a.id;
  return jsonb_build_object('status', 422,
                            'code', case when order_id is not null then 'wrong_delivery_code' else 'wrong_start_pin' end,
                            'detail', jsonb_build_object('attempts_left', max_tries - n));
end;
$$;
comment on function private.check_job_code(uuid, uuid, boolean, uuid, text, text, integer, interval) is
  'Counts a try of the code of an order (delivery code) or a ride (start PIN), in the caller''s transaction: while '
  'the step is locked raises EO429 code_locked (detail locked_until, retry_after_s; nothing written); a correct code '
  'clears the count and returns null (go on); a wrong one writes an event of kind wrong_code (actor, role, the typed '
  'code, the try) and returns the refusal to answer {status 422, code wrong_delivery_code | wrong_start_pin, detail '
  '{attempts_left}}, or at the max_tries-th (default 5) wrong try in a row locks the step for lock_for (default 10 '
  'minutes) and returns {status 429, code code_locked, detail {locked_until, retry_after_s}}. Service role only.';
revoke all on function private.check_job_code(uuid, uuid, boolean, uuid, text, text, integer, interval) from public, anon, authenticated;
grant execute on function private.check_job_code(uuid, uuid, boolean, uuid, text, text, integer, interval) to service_role;

-- private.move_order, new version (was 20261121160000_create_order_placement): the delivery code goes through
-- private.check_job_code; a wrong one is answered {refused} with its event and count committed.
create or replace function private.move_order(
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
  refused jsonb;
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
  if to_status = 'delivered' then
    refused := private.check_job_code(o.id, null,
      exists (select 1 from public.order_delivery_codes c where c.order_id = o.id and c.code = move_order.code),
      actor, role, code);
    if refused is not null then
      return jsonb_build_object('refused', refused);
    end if;
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
  'delivered goes through private.check_job_code: EO429 code_locked while locked; a wrong code returns '
  '{refused: {status, code, detail}} with its wrong_code event and count written (the caller commits and answers the '
  'refusal). Then private.transition_order in the caller''s role (reason, delivery code), prep_minutes on acceptance, '
  'and notifications to the other parties, all in the caller''s transaction. to_status may also be cash_collected '
  '(the courier, on a delivered cash order, once). Service role only.';

-- private.move_ride, new version (was 20261121180000_create_ride_requests): the start PIN goes through
-- private.check_job_code; a wrong one is answered {refused} with its event and count committed.
create or replace function private.move_ride(
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
  refused jsonb;
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
  if to_status = 'in_progress' then
    refused := private.check_job_code(null, r.id,
      exists (select 1 from public.ride_start_pins p where p.ride_id = r.id and p.pin = move_ride.pin),
      actor, role, pin);
    if refused is not null then
      return jsonb_build_object('refused', refused);
    end if;
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
  'status, to); in_progress goes through private.check_job_code with the rider''s PIN: EO429 code_locked while '
  'locked, a wrong PIN returns {refused: {status, code, detail}} with its wrong_code event and count written; the '
  'driver and admins cancel with a reason (EO400 reason_required); the rider cancels free until the driver arrives, '
  'then owes the grid''s minimum fare (cancellation_fee_xof). Then private.transition_ride, open offers closed on '
  'cancel, and notifications to the other party. Returns {ride, previous_status}. Service role only.';
