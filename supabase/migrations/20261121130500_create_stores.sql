-- Stores: maquis, restaurants, pharmacies, shops… with their members (owner and staff, who hold the merchant role),
-- weekly opening hours and exceptions, open / busy-until / closed status, preparation time, and an approval status
-- and commission that only admins set. nearby_stores() answers "stores around me" with a GiST index on
-- ll_to_earth(lat, lng).

-- Types ----------------------------------------------------------------------------------------------------------
create type public.store_kind as enum (
  'maquis', 'restaurant', 'street_food', 'bakery', 'pharmacy', 'supermarket', 'shop', 'market'
);
comment on type public.store_kind is
  'What a store sells: maquis (Ivorian open-air eatery), restaurant, street_food (garba, alloco stands), bakery, '
  'pharmacy, supermarket, shop (general store, "boutique"), market (stall of fresh produce). UI strings translate.';

create type public.store_status as enum ('open', 'busy', 'closed');
comment on type public.store_status is
  'Set by the store: open (within its hours), busy (no new orders until busy_until), closed (until reopened).';

create type public.store_approval as enum ('pending', 'approved', 'rejected', 'suspended');
comment on type public.store_approval is
  'Admin review of a store: only approved stores are public; set by admins only.';

create type public.store_member_role as enum ('owner', 'staff');
comment on type public.store_member_role is
  'owner: manages the store and its staff; staff: manages catalogue, hours and orders.';

-- Tables ---------------------------------------------------------------------------------------------------------
create table public.stores (
  id uuid primary key default gen_random_uuid(),
  kind public.store_kind not null,
  name text not null constraint stores_name_length check (private.check_text_length(name, 'name', 2, 80)),
  slug text not null unique
    constraint stores_slug_format check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and char_length(slug) <= 80),
  description text not null default ''
    constraint stores_description_length check (private.check_text_length(description, 'description', 0, 1000)),
  phone text not null constraint stores_phone_e164 check (private.check_phone(phone)),
  lat double precision not null,
  lng double precision not null,
  landmark text not null
    constraint stores_landmark_length check (private.check_text_length(landmark, 'landmark (repère)', 3, 280)),
  zone_id uuid not null references public.zones (id) on delete restrict,
  logo_path text constraint stores_logo_path_length check (private.check_text_length(logo_path, 'logo_path', 1, 512)),
  cover_path text constraint stores_cover_path_length check (private.check_text_length(cover_path, 'cover_path', 1, 512)),
  preparation_minutes integer not null default 20
    constraint stores_preparation_minutes_range check (preparation_minutes between 1 and 240),
  status public.store_status not null default 'closed',
  busy_until timestamptz,
  approval_status public.store_approval not null default 'pending',
  commission_bps integer constraint stores_commission_bps_range check (commission_bps between 0 and 10000),
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint stores_coordinates check (private.check_coordinates(lat, lng)),
  constraint stores_busy_until_only_when_busy check ((status = 'busy') = (busy_until is not null))
);
comment on table public.stores is
  'A place that sells: kind, name, slug, phone, pin + landmark, zone, photos, preparation time, status (busy needs '
  'busy_until), approval and commission (basis points; null = the zone default), both admin-only. Anyone reads '
  'approved stores; members and the creator read theirs; members edit theirs; merchants create (pending); admins all.';

create table public.store_members (
  store_id uuid not null references public.stores (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role public.store_member_role not null default 'staff',
  created_at timestamptz not null default now(),
  primary key (store_id, user_id)
);
comment on table public.store_members is
  'Who runs a store. Members must hold the merchant role (and lose access with it). Members read their store''s '
  'members; owners add and remove staff; admins manage all. The creator of a store becomes its owner.';

create table public.store_hours (
  id uuid primary key default gen_random_uuid(),
  store_id uuid not null references public.stores (id) on delete cascade,
  weekday smallint not null constraint store_hours_weekday_iso check (weekday between 1 and 7),
  opens time not null,
  closes time not null,
  closes_next_day boolean not null default false,
  constraint store_hours_slot check (private.check_opening_slot(opens, closes, closes_next_day)),
  constraint store_hours_unique_slot unique (store_id, weekday, opens)
);
comment on table public.store_hours is
  'Weekly opening slots in the zone''s time zone: weekday 1 = Monday … 7 = Sunday (ISO), several slots a day, '
  'closes after opens or closes_next_day. Readable with the store; members and admins write.';

create table public.store_hour_exceptions (
  id uuid primary key default gen_random_uuid(),
  store_id uuid not null references public.stores (id) on delete cascade,
  on_date date not null,
  closed boolean not null default true,
  opens time,
  closes time,
  closes_next_day boolean not null default false,
  note text constraint store_hour_exceptions_note_length check (private.check_text_length(note, 'note', 1, 200)),
  constraint store_hour_exceptions_closed_or_hours check (
    case when closed then opens is null and closes is null
         else private.check_opening_slot(opens, closes, closes_next_day) end
  ),
  constraint store_hour_exceptions_unique_slot unique nulls not distinct (store_id, on_date, opens)
);
comment on table public.store_hour_exceptions is
  'Dates that override the weekly hours (Tabaski, inventory day…): closed all day, or special slots. Readable with '
  'the store; members and admins write.';

-- Indexes --------------------------------------------------------------------------------------------------------
create index stores_approval_status_idx on public.stores (approval_status);
create index stores_zone_id_idx on public.stores (zone_id);
create index stores_created_by_idx on public.stores (created_by);
create index stores_location_idx on public.stores using gist (extensions.ll_to_earth(lat, lng));
create index store_members_user_id_idx on public.store_members (user_id);

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on public.stores, public.store_members, public.store_hours, public.store_hour_exceptions
  from anon, authenticated;
grant select on public.stores, public.store_hours, public.store_hour_exceptions to anon;
grant select on public.stores, public.store_members, public.store_hours, public.store_hour_exceptions
  to authenticated;
-- approval_status and commission_bps are granted so that admins can set them; the guard trigger refuses others.
grant insert (id, kind, name, slug, description, phone, lat, lng, landmark, zone_id, logo_path, cover_path,
              preparation_minutes, status, busy_until, approval_status, commission_bps),
      update (kind, name, slug, description, phone, lat, lng, landmark, zone_id, logo_path, cover_path,
              preparation_minutes, status, busy_until, approval_status, commission_bps),
      delete on public.stores to authenticated;
grant insert (store_id, user_id, role), update (role), delete on public.store_members to authenticated;
grant insert (id, store_id, weekday, opens, closes, closes_next_day),
      update (store_id, weekday, opens, closes, closes_next_day),
      delete on public.store_hours to authenticated;
grant insert (id, store_id, on_date, closed, opens, closes, closes_next_day, note),
      update (store_id, on_date, closed, opens, closes, closes_next_day, note),
      delete on public.store_hour_exceptions to authenticated;

-- Row level security ---------------------------------------------------------------------------------------------
alter table public.stores enable row level security;
alter table public.store_members enable row level security;
alter table public.store_hours enable row level security;
alter table public.store_hour_exceptions enable row level security;

-- Triggers -------------------------------------------------------------------------------------------------------
create function private.guard_store()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user not in ('anon', 'authenticated') or (select private.is_admin()) then
    return new;
  end if;
  if tg_op = 'INSERT' then
    if new.approval_status <> 'pending' then
      raise exception using errcode = 'insufficient_privilege',
        message = 'only an admin can set approval_status: a new store starts pending';
    end if;
    if new.commission_bps is not null then
      raise exception using errcode = 'insufficient_privilege',
        message = 'only an admin can set commission_bps';
    end if;
  else
    if new.approval_status is distinct from old.approval_status then
      raise exception using errcode = 'insufficient_privilege',
        message = 'only an admin can change approval_status';
    end if;
    if new.commission_bps is distinct from old.commission_bps then
      raise exception using errcode = 'insufficient_privilege',
        message = 'only an admin can change commission_bps';
    end if;
  end if;
  return new;
end;
$$;
comment on function private.guard_store() is
  'Trigger on stores: refuses approval_status and commission_bps set or changed by anyone but an admin (through '
  'the API) with insufficient_privilege. Never called directly.';
revoke all on function private.guard_store() from public;

create trigger stores_guard
  before insert or update on public.stores
  for each row execute function private.guard_store();

create trigger stores_assign_zone
  before insert or update of lat, lng, zone_id on public.stores
  for each row execute function private.assign_zone();

create trigger stores_touch_updated_at
  before update on public.stores
  for each row execute function private.touch_updated_at();

-- The merchant who creates a store owns it.
create function private.add_store_creator()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if (select auth.uid()) is not null and exists (
    select 1 from public.user_roles r where r.user_id = (select auth.uid()) and r.role = 'merchant'
  ) then
    insert into public.store_members (store_id, user_id, role) values (new.id, (select auth.uid()), 'owner');
  end if;
  return null;
end;
$$;
comment on function private.add_store_creator() is
  'Trigger after insert on stores: a merchant who creates a store becomes its owner (admins creating one for '
  'someone add the member themselves). Never called directly.';
revoke all on function private.add_store_creator() from public;

create trigger stores_add_creator
  after insert on public.stores
  for each row execute function private.add_store_creator();

create function private.check_store_member()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not exists (select 1 from public.user_roles r where r.user_id = new.user_id and r.role = 'merchant') then
    raise exception using errcode = 'check_violation',
      message = 'a store member must hold the merchant role (an admin grants it first)';
  end if;
  return new;
end;
$$;
comment on function private.check_store_member() is
  'Trigger on store_members: refuses a member who does not hold the merchant role. Runs as owner to read that '
  'person''s roles. Never called directly.';
revoke all on function private.check_store_member() from public;

create trigger store_members_check_merchant
  before insert or update on public.store_members
  for each row execute function private.check_store_member();

create trigger store_hours_keep_store
  before update on public.store_hours
  for each row execute function private.keep_columns('store_id');

create trigger store_hour_exceptions_keep_store
  before update on public.store_hour_exceptions
  for each row execute function private.keep_columns('store_id');

-- Functions used by the policies ---------------------------------------------------------------------------------
create function private.my_store_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select m.store_id
    from public.store_members m
   where m.user_id = (select auth.uid())
     and exists (select 1 from public.user_roles r where r.user_id = m.user_id and r.role = 'merchant');
$$;
comment on function private.my_store_ids() is
  'Stores the signed-in caller is a member of, while they hold the merchant role. For RLS policies '
  '(`store_id in (select private.my_store_ids())`); executable by authenticated and service_role.';
revoke all on function private.my_store_ids() from public, anon;
grant execute on function private.my_store_ids() to authenticated, service_role;

create function private.my_owned_store_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select m.store_id
    from public.store_members m
   where m.user_id = (select auth.uid())
     and m.role = 'owner'
     and exists (select 1 from public.user_roles r where r.user_id = m.user_id and r.role = 'merchant');
$$;
comment on function private.my_owned_store_ids() is
  'Stores the signed-in caller owns, while they hold the merchant role. For RLS policies; executable by '
  'authenticated and service_role.';
revoke all on function private.my_owned_store_ids() from public, anon;
grant execute on function private.my_owned_store_ids() to authenticated, service_role;

-- Policies -------------------------------------------------------------------------------------------------------
create policy "Visitors can view approved stores"
  on public.stores for select to anon
  using (approval_status = 'approved');

create policy "People can view approved stores, members and creators theirs, admins all"
  on public.stores for select to authenticated
  using (
    approval_status = 'approved'
    or created_by = (select auth.uid())
    or id in (select private.my_store_ids())
    or (select private.is_admin())
  );

create policy "Merchants and admins can create stores"
  on public.stores for insert to authenticated
  with check ((select private.has_role('merchant')) or (select private.is_admin()));

create policy "Members can update their stores, admins all stores"
  on public.stores for update to authenticated
  using (id in (select private.my_store_ids()) or (select private.is_admin()))
  with check (id in (select private.my_store_ids()) or (select private.is_admin()));

create policy "Admins can delete stores"
  on public.stores for delete to authenticated
  using ((select private.is_admin()));

create policy "Members can view their stores' members, admins all members"
  on public.store_members for select to authenticated
  using (store_id in (select private.my_store_ids()) or (select private.is_admin()));

create policy "Owners can add staff to their stores, admins anyone"
  on public.store_members for insert to authenticated
  with check ((role = 'staff' and store_id in (select private.my_owned_store_ids())) or (select private.is_admin()));

create policy "Admins can change member roles"
  on public.store_members for update to authenticated
  using ((select private.is_admin()))
  with check ((select private.is_admin()));

create policy "Owners can remove staff from their stores, admins anyone"
  on public.store_members for delete to authenticated
  using ((role = 'staff' and store_id in (select private.my_owned_store_ids())) or (select private.is_admin()));

create policy "Visitors can view the hours of approved stores"
  on public.store_hours for select to anon
  using (store_id in (select s.id from public.stores s where s.approval_status = 'approved'));

create policy "People can view the hours of approved stores, members theirs, admins all"
  on public.store_hours for select to authenticated
  using (
    store_id in (select s.id from public.stores s where s.approval_status = 'approved')
    or store_id in (select private.my_store_ids())
    or (select private.is_admin())
  );

create policy "Members can add hours to their stores, admins to all"
  on public.store_hours for insert to authenticated
  with check (store_id in (select private.my_store_ids()) or (select private.is_admin()));

create policy "Members can update their stores' hours, admins all"
  on public.store_hours for update to authenticated
  using (store_id in (select private.my_store_ids()) or (select private.is_admin()))
  with check (store_id in (select private.my_store_ids()) or (select private.is_admin()));

create policy "Members can delete their stores' hours, admins all"
  on public.store_hours for delete to authenticated
  using (store_id in (select private.my_store_ids()) or (select private.is_admin()));

create policy "Visitors can view the hour exceptions of approved stores"
  on public.store_hour_exceptions for select to anon
  using (store_id in (select s.id from public.stores s where s.approval_status = 'approved'));

create policy "People can view the hour exceptions of approved stores, members theirs, admins all"
  on public.store_hour_exceptions for select to authenticated
  using (
    store_id in (select s.id from public.stores s where s.approval_status = 'approved')
    or store_id in (select private.my_store_ids())
    or (select private.is_admin())
  );

create policy "Members can add hour exceptions to their stores, admins to all"
  on public.store_hour_exceptions for insert to authenticated
  with check (store_id in (select private.my_store_ids()) or (select private.is_admin()));

create policy "Members can update their stores' hour exceptions, admins all"
  on public.store_hour_exceptions for update to authenticated
  using (store_id in (select private.my_store_ids()) or (select private.is_admin()))
  with check (store_id in (select private.my_store_ids()) or (select private.is_admin()));

create policy "Members can delete their stores' hour exceptions, admins all"
  on public.store_hour_exceptions for delete to authenticated
  using (store_id in (select private.my_store_ids()) or (select private.is_admin()));

-- Functions ------------------------------------------------------------------------------------------------------
create type public.nearby_store as (
  id uuid,
  slug text,
  name text,
  kind public.store_kind,
  landmark text,
  lat double precision,
  lng double precision,
  status public.store_status,
  busy_until timestamptz,
  preparation_minutes integer,
  logo_path text,
  distance_m integer
);
comment on type public.nearby_store is 'One row of nearby_stores(): a public store summary and its distance in metres.';

-- The distance query runs in a security definer helper: under RLS, Postgres may not use an index condition whose
-- operator is not leakproof before the policy's own filter, and cube's @> is not, so as the caller the GiST index
-- would be skipped for a scan of every approved store. The helper returns only what the "Visitors can view approved
-- stores" policy already shows everyone (approved stores, public columns), so it bypasses nothing.
create function private.nearby_approved_stores(
  lat double precision,
  lng double precision,
  radius_m integer,
  kind public.store_kind
)
returns setof public.nearby_store
language sql
stable
security definer
set search_path = ''
as $$
  select s.id, s.slug, s.name, s.kind, s.landmark, s.lat, s.lng, s.status, s.busy_until, s.preparation_minutes,
         s.logo_path,
         round(extensions.earth_distance(extensions.ll_to_earth(nearby_approved_stores.lat, nearby_approved_stores.lng),
                                         extensions.ll_to_earth(s.lat, s.lng)))::integer as distance_m
    from public.stores s
   where extensions.earth_box(extensions.ll_to_earth(nearby_approved_stores.lat, nearby_approved_stores.lng),
                              nearby_approved_stores.radius_m)
           operator(extensions.@>) extensions.ll_to_earth(s.lat, s.lng)
     and extensions.earth_distance(extensions.ll_to_earth(nearby_approved_stores.lat, nearby_approved_stores.lng),
                                   extensions.ll_to_earth(s.lat, s.lng)) <= nearby_approved_stores.radius_m
     and s.approval_status = 'approved'
     and (nearby_approved_stores.kind is null or s.kind = nearby_approved_stores.kind)
   order by distance_m, s.name;
$$;
comment on function private.nearby_approved_stores(double precision, double precision, integer, public.store_kind) is
  'Approved stores within radius_m metres of a point, nearest first, by the GiST index on ll_to_earth(lat, lng). '
  'Security definer so the index is usable (see above); returns only public columns of approved stores. Called by '
  'public.nearby_stores, which validates the arguments; executable by anon, authenticated and service_role.';
revoke all on function private.nearby_approved_stores(double precision, double precision, integer, public.store_kind)
  from public;
grant execute on function private.nearby_approved_stores(double precision, double precision, integer, public.store_kind)
  to anon, authenticated, service_role;

create function public.nearby_stores(
  lat double precision,
  lng double precision,
  radius_m integer default 5000,
  kind public.store_kind default null
)
returns setof public.nearby_store
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  perform private.check_coordinates(lat, lng);
  if radius_m is null or radius_m not between 1 and 50000 then
    raise exception using errcode = 'check_violation',
      message = format('radius_m must be between 1 and 50000 metres, got %s', radius_m);
  end if;
  return query select * from private.nearby_approved_stores(lat, lng, radius_m, kind);
end;
$$;
comment on function public.nearby_stores(double precision, double precision, integer, public.store_kind) is
  'Approved stores within radius_m metres (1..50000, default 5000) of a point, nearest first, optionally of one '
  'kind, with their distance in metres. Security invoker; the indexed query is private.nearby_approved_stores. '
  'Raises check_violation on bad coordinates or radius. For anon and authenticated (rpc nearby_stores).';
revoke all on function public.nearby_stores(double precision, double precision, integer, public.store_kind) from public;
grant execute on function public.nearby_stores(double precision, double precision, integer, public.store_kind)
  to anon, authenticated, service_role;
