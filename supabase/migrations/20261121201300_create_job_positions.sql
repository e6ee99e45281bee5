-- Where the courier went during each job: the evidence the team needs for a dispute ("he never came", "he came to
-- the wrong place", "he took an hour"). courier_presence keeps only the last position; every stored position of a
-- courier holding an active order or ride is also appended here (at most one per 5 s: update_presence's throttle
-- decides when the presence row is written), by a trigger on courier_presence, so the presence code is unchanged.
-- Read by admins (the dashboard's trace on the order) and by the courier themselves; kept 90 days.

create table public.job_positions (
  id bigint generated always as identity primary key,
  courier_id uuid not null references public.couriers (user_id) on delete cascade,
  order_id uuid references public.orders (id) on delete cascade,
  ride_id uuid references public.rides (id) on delete cascade,
  lat double precision not null,
  lng double precision not null,
  heading real,
  speed_mps real,
  recorded_at timestamptz not null default now(),
  constraint job_positions_one_job check ((order_id is null) <> (ride_id is null))
);
comment on table public.job_positions is
  'The positions of a courier while holding an order (accepted → picked up) or a ride (accepted → in progress), '
  'at most one per 5 s, appended by a trigger on courier_presence: the courier''s trace for disputes. Admins read '
  'all, a courier their own; nobody writes but the trigger. Kept 90 days.';
create index job_positions_order_idx on public.job_positions (order_id, recorded_at) where order_id is not null;
create index job_positions_ride_idx on public.job_positions (ride_id, recorded_at) where ride_id is not null;
create index job_positions_courier_idx on public.job_positions (courier_id, recorded_at);

alter table public.job_positions enable row level security;
revoke all on public.job_positions from anon, authenticated;
grant select on public.job_positions to authenticated;

create policy "Couriers can view their own trace, admins all"
  on public.job_positions for select to authenticated
  using (courier_id = (select auth.uid()) or (select private.is_admin()));

-- Appending -----------------------------------------------------------------------------------------------------------
create function private.trace_job_position()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not new.online or new.lat is null or new.lng is null then
    return new;
  end if;
  if tg_op = 'UPDATE' and old.online and (old.lat, old.lng) is not distinct from (new.lat, new.lng) then
    return new; -- standing still: the last point says it
  end if;
  insert into public.job_positions (courier_id, order_id, lat, lng, heading, speed_mps, recorded_at)
  select new.courier_id, o.id, new.lat, new.lng, new.heading, new.speed_mps, new.updated_at
    from public.orders o
   where o.courier_id = new.courier_id and o.status in ('accepted', 'preparing', 'ready', 'picked_up');
  insert into public.job_positions (courier_id, ride_id, lat, lng, heading, speed_mps, recorded_at)
  select new.courier_id, r.id, new.lat, new.lng, new.heading, new.speed_mps, new.updated_at
    from public.rides r
   where r.courier_id = new.courier_id and r.status in ('accepted', 'arrived', 'in_progress');
  return new;
end;
$$;
comment on function private.trace_job_position() is
  'Trigger after insert or update on courier_presence: appends the stored position to job_positions for each '
  'active order and ride of the courier (not when standing still). Never called directly.';
revoke all on function private.trace_job_position() from public;

create trigger courier_presence_trace
  after insert or update of lat, lng, online on public.courier_presence
  for each row execute function private.trace_job_position();

-- Kept 90 days ----------------------------------------------------------------------------------------------------
create function private.purge_job_positions()
returns integer
language sql
security definer
set search_path = ''
as $$
  with gone as (delete from public.job_positions where recorded_at < now() - interval '90 days' returning 1)
  select count(*)::integer from gone;
$$;
comment on function private.purge_job_positions() is 'Deletes job positions older than 90 days. Daily by pg_cron.';
revoke all on function private.purge_job_positions() from public;

select cron.schedule('ecom-purge-job-positions', '27 3 * * *', 'select private.purge_job_positions()');
