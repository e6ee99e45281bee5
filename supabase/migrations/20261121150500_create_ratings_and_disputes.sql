-- Ratings and disputes. A customer rates the store and / or the courier of an order once it is delivered, and the
-- driver of a ride once it is completed: 1 to 5 stars and an optional comment, once per target and job. A customer
-- opens a dispute about one of their orders or rides; admins investigate and resolve it; evidence (photos in
-- storage, or text) is added by the customer who opened it and by admins.

-- Types ----------------------------------------------------------------------------------------------------------
create type public.rating_target as enum ('store', 'courier');
comment on type public.rating_target is 'What a rating is about: the store of an order, or the courier / driver.';

create type public.dispute_status as enum ('open', 'investigating', 'resolved', 'rejected');
comment on type public.dispute_status is 'Admin handling of a dispute; set by admins only.';

-- Tables ---------------------------------------------------------------------------------------------------------
create table public.ratings (
  id uuid primary key default gen_random_uuid(),
  order_id uuid references public.orders (id) on delete cascade,
  ride_id uuid references public.rides (id) on delete cascade,
  job_id uuid generated always as (coalesce(order_id, ride_id)) stored,
  rater_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  target public.rating_target not null,
  store_id uuid references public.stores (id) on delete cascade,
  courier_id uuid references public.couriers (user_id) on delete cascade,
  stars smallint not null constraint ratings_stars_range check (stars between 1 and 5),
  comment text constraint ratings_comment_length check (private.check_text_length(comment, 'comment', 1, 500)),
  created_at timestamptz not null default now(),
  constraint ratings_one_job check (num_nonnulls(order_id, ride_id) = 1),
  constraint ratings_once_per_target_and_job unique (job_id, target)
);
comment on table public.ratings is
  'A customer''s rating of the store or the courier of a delivered order, or of the driver of a completed ride: '
  '1..5 stars, comment up to 500 characters, once per target and job; store_id / courier_id are filled from the '
  'job. The rater, the rated store''s members, the rated courier and admins read it; admins delete (moderation).';

create table public.disputes (
  id uuid primary key default gen_random_uuid(),
  order_id uuid references public.orders (id) on delete cascade,
  ride_id uuid references public.rides (id) on delete cascade,
  opened_by uuid not null default auth.uid() references auth.users (id) on delete cascade,
  reason text not null constraint disputes_reason_length check (private.check_text_length(reason, 'reason', 5, 1000)),
  status public.dispute_status not null default 'open',
  resolution_note text constraint disputes_resolution_note_length check (private.check_text_length(resolution_note, 'resolution_note', 1, 1000)),
  resolved_by uuid references auth.users (id) on delete set null,
  resolved_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint disputes_one_job check (num_nonnulls(order_id, ride_id) = 1)
);
comment on table public.disputes is
  'A customer''s complaint about one of their orders or rides: reason, status open / investigating / resolved / '
  'rejected and resolution note (admins only). The customer who opened it and admins read it.';

create table public.dispute_evidence (
  id uuid primary key default gen_random_uuid(),
  dispute_id uuid not null references public.disputes (id) on delete cascade,
  added_by uuid not null default auth.uid() references auth.users (id) on delete cascade,
  storage_path text constraint dispute_evidence_storage_path_length check (private.check_text_length(storage_path, 'storage_path', 3, 512)),
  note text constraint dispute_evidence_note_length check (private.check_text_length(note, 'note', 1, 2000)),
  created_at timestamptz not null default now(),
  constraint dispute_evidence_path_or_note check (num_nonnulls(storage_path, note) >= 1)
);
comment on table public.dispute_evidence is
  'Evidence of a dispute: a file path in storage and / or a text, and who added it (the customer who opened the '
  'dispute, or an admin). Readable with the dispute; never edited; admins delete.';

-- Indexes --------------------------------------------------------------------------------------------------------
create index ratings_order_id_idx on public.ratings (order_id);
create index ratings_ride_id_idx on public.ratings (ride_id);
create index ratings_rater_id_idx on public.ratings (rater_id);
create index ratings_store_id_idx on public.ratings (store_id, created_at desc);
create index ratings_courier_id_idx on public.ratings (courier_id, created_at desc);
create index disputes_order_id_idx on public.disputes (order_id);
create index disputes_ride_id_idx on public.disputes (ride_id);
create index disputes_opened_by_idx on public.disputes (opened_by);
create index disputes_resolved_by_idx on public.disputes (resolved_by);
create index disputes_open_idx on public.disputes (created_at) where status in ('open', 'investigating');
create index dispute_evidence_dispute_id_idx on public.dispute_evidence (dispute_id);
create index dispute_evidence_added_by_idx on public.dispute_evidence (added_by);

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on public.ratings, public.disputes, public.dispute_evidence from anon, authenticated;
grant select, delete on public.ratings to authenticated;
grant insert (id, order_id, ride_id, target, stars, comment) on public.ratings to authenticated;
grant select, delete on public.disputes to authenticated;
grant insert (id, order_id, ride_id, reason), update (status, resolution_note) on public.disputes to authenticated;
grant select, delete on public.dispute_evidence to authenticated;
grant insert (id, dispute_id, storage_path, note) on public.dispute_evidence to authenticated;

-- Row level security ---------------------------------------------------------------------------------------------
alter table public.ratings enable row level security;
alter table public.disputes enable row level security;
alter table public.dispute_evidence enable row level security;

-- Triggers -------------------------------------------------------------------------------------------------------
create function private.prepare_rating()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  o public.orders;
  r public.rides;
begin
  if new.order_id is not null then
    select * into o from public.orders where id = new.order_id;
    if o.status is distinct from 'delivered' then
      raise exception using errcode = 'check_violation', message = 'an order can be rated once it is delivered';
    end if;
    if new.target = 'courier' and o.courier_id is null then
      raise exception using errcode = 'check_violation', message = 'this order had no courier to rate';
    end if;
    new.store_id := case when new.target = 'store' then o.store_id end;
    new.courier_id := case when new.target = 'courier' then o.courier_id end;
  elsif new.ride_id is not null then
    select * into r from public.rides where id = new.ride_id;
    if r.status is distinct from 'completed' then
      raise exception using errcode = 'check_violation', message = 'a ride can be rated once it is completed';
    end if;
    if new.target = 'store' then
      raise exception using errcode = 'check_violation', message = 'a ride has no store to rate';
    end if;
    new.store_id := null;
    new.courier_id := r.courier_id;
  end if;
  new.created_at := now();
  return new;
end;
$$;
comment on function private.prepare_rating() is
  'Trigger before insert on ratings: the job must be delivered (order) or completed (ride), else check_violation; '
  'fills store_id / courier_id from the job (runs as owner to read it; the insert policy already checked the rater '
  'is the job''s customer). Never called directly.';
revoke all on function private.prepare_rating() from public;

create trigger ratings_prepare
  before insert on public.ratings
  for each row execute function private.prepare_rating();

create function private.guard_dispute()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('anon', 'authenticated') and not (select private.is_admin()) then
    if tg_op = 'INSERT' and (new.status <> 'open' or new.resolution_note is not null) then
      raise exception using errcode = 'insufficient_privilege', message = 'only an admin can set status: a new dispute starts open';
    end if;
    if tg_op = 'UPDATE' and (new.status, new.resolution_note) is distinct from (old.status, old.resolution_note) then
      raise exception using errcode = 'insufficient_privilege', message = 'only an admin can change status';
    end if;
  end if;
  if tg_op = 'UPDATE' and new.status is distinct from old.status and new.status in ('resolved', 'rejected') then
    new.resolved_by := (select auth.uid());
    new.resolved_at := now();
  end if;
  if tg_op = 'UPDATE' then
    new.updated_at := now();
  end if;
  return new;
end;
$$;
comment on function private.guard_dispute() is
  'Trigger on disputes: status and resolution_note are admin-only (insufficient_privilege); resolving stamps '
  'resolved_by and resolved_at. Never called directly.';
revoke all on function private.guard_dispute() from public;

create trigger disputes_guard
  before insert or update on public.disputes
  for each row execute function private.guard_dispute();

-- Policies -------------------------------------------------------------------------------------------------------
create policy "Raters, rated stores and couriers, and admins can view ratings"
  on public.ratings for select to authenticated
  using (
    rater_id = (select auth.uid())
    or courier_id = (select auth.uid())
    or store_id in (select private.my_store_ids())
    or (select private.is_admin())
  );

create policy "Customers can rate their own orders and rides"
  on public.ratings for insert to authenticated
  with check (
    rater_id = (select auth.uid())
    and (
      order_id in (select o.id from public.orders o where o.customer_id = (select auth.uid()))
      or ride_id in (select r.id from public.rides r where r.rider_id = (select auth.uid()))
    )
  );

create policy "Admins can delete ratings"
  on public.ratings for delete to authenticated
  using ((select private.is_admin()));

create policy "Customers can view their disputes, admins all disputes"
  on public.disputes for select to authenticated
  using (opened_by = (select auth.uid()) or (select private.is_admin()));

create policy "Customers can open disputes about their own orders and rides"
  on public.disputes for insert to authenticated
  with check (
    opened_by = (select auth.uid())
    and (
      order_id in (select o.id from public.orders o where o.customer_id = (select auth.uid()))
      or ride_id in (select r.id from public.rides r where r.rider_id = (select auth.uid()))
    )
  );

create policy "Admins can update disputes"
  on public.disputes for update to authenticated
  using ((select private.is_admin()))
  with check ((select private.is_admin()));

create policy "Admins can delete disputes"
  on public.disputes for delete to authenticated
  using ((select private.is_admin()));

create policy "Customers can view their disputes' evidence, admins all"
  on public.dispute_evidence for select to authenticated
  using (
    dispute_id in (select d.id from public.disputes d where d.opened_by = (select auth.uid()))
    or (select private.is_admin())
  );

create policy "Customers can add evidence to their disputes, admins to any"
  on public.dispute_evidence for insert to authenticated
  with check (
    added_by = (select auth.uid())
    and (
      dispute_id in (select d.id from public.disputes d where d.opened_by = (select auth.uid()))
      or (select private.is_admin())
    )
  );

create policy "Admins can delete evidence"
  on public.dispute_evidence for delete to authenticated
  using ((select private.is_admin()));
