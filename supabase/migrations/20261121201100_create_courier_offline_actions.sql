-- A courier's steps taken without a connection (DESIGN.md: the courier app works offline). The phone queues
-- "picked up", "delivered" (with the customer's code), "cash collected", and for rides "arrived", "started" (with
-- the PIN), "completed", each with its own id, the phone's clock and position, and sends them when the network
-- returns (`POST /courier/sync`). Each one is applied once, in its own transaction, by the same rules as when online
-- (private.move_order / private.move_ride), and answered with its outcome: done, or refused with a reason the app
-- can say ("the order was cancelled meanwhile", "wrong code"). A replay of the same id answers the stored outcome.
--
-- Evidence for disputes: the step's event row (order_events / ride_events) keeps when and where the phone says it
-- happened (reported_at, reported_lat, reported_lng) next to when the server learnt it (created_at). The columns'
-- defaults read transaction-local settings that private.apply_courier_action sets around the move, so the existing
-- transition triggers write them without being rewritten; every other writer leaves them null.

-- Events: the phone's time and place ---------------------------------------------------------------------------------
alter table public.order_events
  add column reported_at timestamptz default nullif(current_setting('ecom.reported_at', true), '')::timestamptz,
  add column reported_lat double precision default nullif(current_setting('ecom.reported_lat', true), '')::double precision,
  add column reported_lng double precision default nullif(current_setting('ecom.reported_lng', true), '')::double precision;
comment on column public.order_events.reported_at is
  'For a step the courier took offline: when the phone says it happened (created_at is when the server learnt it).';
comment on column public.order_events.reported_lat is 'For a step taken offline: where the phone was (may be null).';
comment on column public.order_events.reported_lng is 'For a step taken offline: where the phone was (may be null).';

alter table public.ride_events
  add column reported_at timestamptz default nullif(current_setting('ecom.reported_at', true), '')::timestamptz,
  add column reported_lat double precision default nullif(current_setting('ecom.reported_lat', true), '')::double precision,
  add column reported_lng double precision default nullif(current_setting('ecom.reported_lng', true), '')::double precision;
comment on column public.ride_events.reported_at is
  'For a step the driver took offline: when the phone says it happened (created_at is when the server learnt it).';
comment on column public.ride_events.reported_lat is 'For a step taken offline: where the phone was (may be null).';
comment on column public.ride_events.reported_lng is 'For a step taken offline: where the phone was (may be null).';

-- The actions received ---------------------------------------------------------------------------------------------
create table private.courier_actions (
  id uuid primary key,
  courier_id uuid not null references auth.users (id) on delete cascade,
  job text not null constraint courier_actions_job check (job in ('order', 'ride')),
  job_id uuid not null,
  to_status text not null,
  occurred_at timestamptz not null,
  lat double precision,
  lng double precision,
  received_at timestamptz not null default now(),
  result jsonb
);
comment on table private.courier_actions is
  'Steps a courier took offline and sent later (POST /courier/sync), one row per action id chosen by the phone: what, '
  'when and where the phone says, when it arrived, and the outcome answered (replayed for the same id). Kept 30 days.';
create index courier_actions_courier_idx on private.courier_actions (courier_id, received_at desc);
revoke all on private.courier_actions from public, anon, authenticated;

-- Applying one action ----------------------------------------------------------------------------------------------
create function private.apply_courier_action(courier uuid, action jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  action_id uuid := (action ->> 'id')::uuid;
  a_job text := action ->> 'job';
  a_job_id uuid := (action ->> 'job_id')::uuid;
  a_to text := action ->> 'to';
  a_occurred timestamptz := (action ->> 'occurred_at')::timestamptz;
  a_lat double precision := (action ->> 'lat')::double precision;
  a_lng double precision := (action ->> 'lng')::double precision;
  stored private.courier_actions;
  body jsonb;
  outcome jsonb;
  state text;
  msg text;
  detail text;
  current_status text;
begin
  if a_job not in ('order', 'ride')
     or (a_job = 'order' and a_to not in ('picked_up', 'delivered', 'cash_collected'))
     or (a_job = 'ride' and a_to not in ('arrived', 'in_progress', 'completed')) then
    perform private.refuse_order(400, 'action_not_offline', jsonb_build_object('job', a_job, 'to', a_to));
  end if;

  -- Once per id: a second copy (a retry, or the same batch sent twice at once) waits for the first and answers
  -- what it answered. An id already used by someone else is not theirs to read.
  insert into private.courier_actions (id, courier_id, job, job_id, to_status, occurred_at, lat, lng)
  values (action_id, courier, a_job, a_job_id, a_to, a_occurred, a_lat, a_lng)
  on conflict (id) do nothing;
  if not found then
    select * into stored from private.courier_actions a where a.id = action_id;
    if stored.courier_id <> courier or stored.result is null then
      return jsonb_build_object('id', action_id, 'job', a_job, 'job_id', a_job_id, 'to', a_to, 'ok', false,
                                'status', 409, 'code', 'action_id_reused', 'detail', '{}'::jsonb, 'replayed', false);
    end if;
    return stored.result || jsonb_build_object('replayed', true);
  end if;

  -- The phone's clock: not in the future (2 minutes of drift allowed), not older than 2 days.
  if a_occurred > now() + interval '2 minutes' or a_occurred < now() - interval '2 days' then
    outcome := jsonb_build_object('ok', false, 'status', 422, 'code', 'device_time_invalid',
                                 'detail', jsonb_build_object('occurred_at', a_occurred, 'server_time', now()));
  else
    perform set_config('ecom.reported_at', a_occurred::text, true),
            set_config('ecom.reported_lat', coalesce(a_lat::text, ''), true),
            set_config('ecom.reported_lng', coalesce(a_lng::text, ''), true);
    begin
      if a_job = 'order' then
        body := private.move_order(a_job_id, a_to, courier, null, null, action ->> 'code');
      else
        body := private.move_ride(a_job_id, a_to, courier, null, action ->> 'pin');
      end if;
      if body ? 'refused' then
        outcome := jsonb_build_object('ok', false) || (body -> 'refused');
      else
        outcome := jsonb_build_object('ok', true, 'status_after', coalesce(body #>> '{order,status}', body #>> '{ride,status}'),
                                     'previous_status', body ->> 'previous_status');
      end if;
    exception when others then
      get stacked diagnostics state = returned_sqlstate, msg = message_text, detail = pg_exception_detail;
      if state !~ '^EO[0-9]{3}$' then
        raise;
      end if;
      outcome := jsonb_build_object('ok', false, 'status', substr(state, 3)::integer, 'code', msg,
                                   'detail', coalesce(nullif(detail, '')::jsonb, '{}'::jsonb));
    end;
    perform set_config('ecom.reported_at', '', true),
            set_config('ecom.reported_lat', '', true),
            set_config('ecom.reported_lng', '', true);

    -- Say why in the courier's words: the job ended meanwhile, or went to someone else.
    if not (outcome ->> 'ok')::boolean and outcome ->> 'code' in ('illegal_transition', 'order_not_found', 'ride_not_found') then
      if a_job = 'order' then
        select o.status::text into current_status from public.orders o where o.id = a_job_id;
        if current_status in ('cancelled', 'rejected') then
          outcome := outcome || jsonb_build_object('status', 409, 'code', 'job_cancelled',
                                                 'detail', jsonb_build_object('status', current_status));
        elsif current_status is not null and exists (
          select 1 from public.offers f
           where f.order_id = a_job_id and f.courier_id = courier and f.status in ('accepted', 'released')
        ) and not exists (select 1 from public.orders o where o.id = a_job_id and o.courier_id = courier) then
          outcome := outcome || jsonb_build_object('status', 409, 'code', 'job_reassigned', 'detail', '{}'::jsonb);
        end if;
      else
        select r.status::text into current_status from public.rides r where r.id = a_job_id;
        if current_status = 'cancelled' then
          outcome := outcome || jsonb_build_object('status', 409, 'code', 'job_cancelled',
                                                 'detail', jsonb_build_object('status', current_status));
        elsif current_status is not null and exists (
          select 1 from public.offers f
           where f.ride_id = a_job_id and f.courier_id = courier and f.status in ('accepted', 'released')
        ) and not exists (select 1 from public.rides r where r.id = a_job_id and r.courier_id = courier) then
          outcome := outcome || jsonb_build_object('status', 409, 'code', 'job_reassigned', 'detail', '{}'::jsonb);
        end if;
      end if;
    end if;
  end if;

  outcome := jsonb_build_object('id', action_id, 'job', a_job, 'job_id', a_job_id, 'to', a_to) || outcome;
  update private.courier_actions a set result = outcome where a.id = action_id;
  return outcome || jsonb_build_object('replayed', false);
end;
$$;
comment on function private.apply_courier_action(uuid, jsonb) is
  'Applies one step a courier took offline ({id, job: order|ride, job_id, to, code?, pin?, occurred_at, lat?, lng?}) '
  'once per id, as private.move_order / move_ride would online, with the phone''s time and position written on the '
  'event row. Answers {id, job, job_id, to, ok, status_after?, previous_status?} or {…, ok: false, status, code, '
  'detail} (job_cancelled, job_reassigned, device_time_invalid, or the move''s own refusal); a replayed id answers '
  'the stored outcome with replayed: true (an id another courier used: action_id_reused). Raises EO400 '
  'action_not_offline for a step that cannot be queued. Called by the courier function as service_role.';
revoke all on function private.apply_courier_action(uuid, jsonb) from public;
grant execute on function private.apply_courier_action(uuid, jsonb) to service_role;

-- Kept 30 days: a daily purge (the outcome stays on the event rows).
create function private.purge_courier_actions()
returns integer
language sql
security definer
set search_path = ''
as $$
  with gone as (
    delete from private.courier_actions where received_at < now() - interval '30 days' returning 1
  )
  select count(*)::integer from gone;
$$;
comment on function private.purge_courier_actions() is
  'Deletes courier offline actions older than 30 days (their evidence stays on the event rows). Daily by pg_cron.';
revoke all on function private.purge_courier_actions() from public;

select cron.schedule('ecom-purge-courier-actions', '17 3 * * *', 'select private.purge_courier_actions()');
