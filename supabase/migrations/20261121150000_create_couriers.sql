-- Couriers: the people who deliver orders and drive rides (moto-taxi, tricycle, car), their KYC documents with
-- expiry (national id, permit, carte grise, insurance, and for moto-taxis the municipal card of Tiassalé's census
-- with the vest number), an approval status only admins set, and their live presence (online flag, last position)
-- for dispatch. private.nearest_couriers answers "who is online, approved and close to this pickup?" with a partial
-- GiST index on ll_to_earth(lat, lng); dispatch (edge functions, service role) calls it.

-- Types ----------------------------------------------------------------------------------------------------------
create type public.courier_approval as enum ('pending', 'approved', 'rejected', 'suspended');
comment on type public.courier_approval is
  'Admin review of a courier: only approved couriers receive offers; suspended stops them at once. Admins only.';

create type public.courier_document_kind as enum (
  'national_id', 'driving_licence', 'vehicle_registration', 'insurance', 'municipal_card'
);
comment on type public.courier_document_kind is
  'KYC documents: national id (CNI), driving licence (permis A for motos), vehicle registration (carte grise), '
  'insurance, municipal card (moto-taxi census card of the commune, with the vest number).';

create type public.document_review as enum ('pending', 'approved', 'rejected');
comment on type public.document_review is 'Admin review of one document; a changed document goes back to pending.';

-- Tables ---------------------------------------------------------------------------------------------------------
create table public.couriers (
  user_id uuid primary key default auth.uid() references auth.users (id) on delete cascade,
  vehicle_type public.vehicle_type not null,
  plate text constraint couriers_plate_format check (plate ~ '^[A-Z0-9][A-Z0-9 -]{1,14}[A-Z0-9]$'),
  municipal_registration_number text constraint couriers_municipal_registration_number_length
    check (private.check_text_length(municipal_registration_number, 'municipal_registration_number', 1, 40)),
  vest_number text constraint couriers_vest_number_length check (private.check_text_length(vest_number, 'vest_number', 1, 20)),
  zone_id uuid not null references public.zones (id) on delete restrict,
  approval_status public.courier_approval not null default 'pending',
  approved_at timestamptz,
  approved_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.couriers is
  'One row per courier (also ride drivers): vehicle type, plate (upper case), municipal registration and vest '
  'number (required for moto-taxis before approval), zone, approval status (admins only; approval needs every '
  'required document approved and unexpired). A courier registers and edits their own row; customers and store '
  'members read the couriers assigned to their orders and rides (to recognise them: vehicle, plate, vest); admins all.';

create table public.courier_documents (
  id uuid primary key default gen_random_uuid(),
  courier_id uuid not null default auth.uid() references public.couriers (user_id) on delete cascade,
  kind public.courier_document_kind not null,
  storage_path text not null
    constraint courier_documents_storage_path_length check (private.check_text_length(storage_path, 'storage_path', 3, 512)),
  number text constraint courier_documents_number_length check (private.check_text_length(number, 'number', 1, 40)),
  expires_on date,
  review_status public.document_review not null default 'pending',
  review_note text constraint courier_documents_review_note_length check (private.check_text_length(review_note, 'review_note', 1, 500)),
  reviewed_by uuid references auth.users (id) on delete set null,
  reviewed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint courier_documents_path_in_own_folder check (split_part(storage_path, '/', 1) = courier_id::text)
);
comment on table public.courier_documents is
  'KYC documents of a courier: kind, file in bucket courier-documents under <courier id>/…, number, expiry, review '
  'status (admins only; a document the courier changes goes back to pending). Renewals are new rows, so history '
  'stays. The courier reads and writes their own; admins all.';

-- One row per courier, updated every few seconds while online: fillfactor 70 leaves room on each page so the update
-- stays HOT (updated_at and position are not indexed except by the partial location index, see below).
create table public.courier_presence (
  courier_id uuid primary key default auth.uid() references public.couriers (user_id) on delete cascade,
  online boolean not null default false,
  lat double precision,
  lng double precision,
  heading real constraint courier_presence_heading_range check (heading >= 0 and heading < 360),
  speed_mps real constraint courier_presence_speed_range check (speed_mps >= 0 and speed_mps <= 70),
  battery_pct smallint constraint courier_presence_battery_range check (battery_pct between 0 and 100),
  updated_at timestamptz not null default now(),
  constraint courier_presence_coordinates check (private.check_coordinates(lat, lng)),
  constraint courier_presence_position_when_online check (not online or (lat is not null and lng is not null))
) with (fillfactor = 70);
comment on table public.courier_presence is
  'Live state of a courier for dispatch and the admin map: online, last position (required when online), heading '
  '(degrees), speed (m/s), battery (%), updated_at (server time). The courier writes their own row; admins read all. '
  'Customers follow a courier through Broadcast on the order topic, never this table.';

-- Indexes --------------------------------------------------------------------------------------------------------
create index couriers_zone_id_idx on public.couriers (zone_id);
create index couriers_approved_by_idx on public.couriers (approved_by);
create index couriers_approval_status_idx on public.couriers (approval_status, vehicle_type);
create index courier_documents_courier_id_idx on public.courier_documents (courier_id, kind);
create index courier_documents_reviewed_by_idx on public.courier_documents (reviewed_by);
-- Only online couriers are candidates: the partial index stays small, and going offline removes the entry.
create index courier_presence_location_idx on public.courier_presence
  using gist (extensions.ll_to_earth(lat, lng)) where online;

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on public.couriers, public.courier_documents, public.courier_presence from anon, authenticated;
grant select, delete on public.couriers to authenticated;
-- approval_status is granted so that admins can set it; the guard trigger refuses everybody else.
grant insert (user_id, vehicle_type, plate, municipal_registration_number, vest_number, zone_id, approval_status),
      update (vehicle_type, plate, municipal_registration_number, vest_number, zone_id, approval_status)
  on public.couriers to authenticated;
grant select, delete on public.courier_documents to authenticated;
grant insert (id, courier_id, kind, storage_path, number, expires_on, review_status, review_note),
      update (kind, storage_path, number, expires_on, review_status, review_note)
  on public.courier_documents to authenticated;
grant select, delete on public.courier_presence to authenticated;
grant insert (courier_id, online, lat, lng, heading, speed_mps, battery_pct),
      update (online, lat, lng, heading, speed_mps, battery_pct)
  on public.courier_presence to authenticated;

-- Row level security ---------------------------------------------------------------------------------------------
alter table public.couriers enable row level security;
alter table public.courier_documents enable row level security;
alter table public.courier_presence enable row level security;

-- Triggers -------------------------------------------------------------------------------------------------------
-- A zone given by the writer must be one the writer can see (inactive zones are unknown to non-admins).
create function private.check_zone_known()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.zone_id is not null and not exists (select 1 from public.zones z where z.id = new.zone_id) then
    raise exception using errcode = 'foreign_key_violation', message = format('unknown zone %s', new.zone_id);
  end if;
  return new;
end;
$$;
comment on function private.check_zone_known() is
  'Trigger for tables with zone_id: refuses, with foreign_key_violation "unknown zone <id>", a zone the writer '
  'cannot see. Runs as the writer. Never called directly.';
revoke all on function private.check_zone_known() from public;

-- Required documents: every courier needs id, licence, registration and insurance; moto-taxis also the municipal
-- card (Tiassalé's census), and their municipal registration and vest numbers.
create function private.courier_approval_blockers(courier uuid, vehicle public.vehicle_type)
returns text[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(array_agg(k::text order by k), '{}')
    from unnest(array['national_id', 'driving_licence', 'vehicle_registration', 'insurance']::public.courier_document_kind[]
                || case when vehicle = 'moto' then array['municipal_card']::public.courier_document_kind[]
                        else '{}'::public.courier_document_kind[] end) k
   where not exists (
     select 1 from public.courier_documents d
      where d.courier_id = courier_approval_blockers.courier and d.kind = k and d.review_status = 'approved'
        and (d.expires_on is null or d.expires_on >= current_date)
   );
$$;
comment on function private.courier_approval_blockers(uuid, public.vehicle_type) is
  'Required document kinds a courier lacks as approved and unexpired (empty when approval may proceed). For the '
  'couriers guard trigger and admin tools; executable by authenticated (the trigger runs as the admin) and service_role.';
revoke all on function private.courier_approval_blockers(uuid, public.vehicle_type) from public;
grant execute on function private.courier_approval_blockers(uuid, public.vehicle_type) to authenticated, service_role;

create function private.guard_courier()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  blockers text[];
begin
  if current_user in ('anon', 'authenticated') and not (select private.is_admin()) then
    if tg_op = 'INSERT' and new.approval_status <> 'pending' then
      raise exception using errcode = 'insufficient_privilege',
        message = 'only an admin can set approval_status: a new courier starts pending';
    end if;
    if tg_op = 'UPDATE' and new.approval_status is distinct from old.approval_status then
      raise exception using errcode = 'insufficient_privilege', message = 'only an admin can change approval_status';
    end if;
  end if;
  if new.plate is not null then
    new.plate := upper(btrim(new.plate));
  end if;
  if new.approval_status = 'approved' and (tg_op = 'INSERT' or old.approval_status <> 'approved') then
    blockers := private.courier_approval_blockers(new.user_id, new.vehicle_type);
    if new.vehicle_type = 'moto' and new.municipal_registration_number is null then
      blockers := blockers || 'municipal_registration_number'::text;
    end if;
    if new.vehicle_type = 'moto' and new.vest_number is null then
      blockers := blockers || 'vest_number'::text;
    end if;
    if cardinality(blockers) > 0 then
      raise exception using errcode = 'check_violation',
        message = format('this courier cannot be approved: missing, unapproved or expired: %s', array_to_string(blockers, ', '));
    end if;
    new.approved_at := now();
    new.approved_by := (select auth.uid());
  end if;
  return new;
end;
$$;
comment on function private.guard_courier() is
  'Trigger on couriers: approval_status is admin-only (insufficient_privilege); approval (by anyone, SQL included) '
  'needs every required document approved and unexpired, and for motos the municipal registration and vest numbers '
  '(check_violation listing what is missing); stamps approved_at / approved_by. Never called directly.';
revoke all on function private.guard_courier() from public;

create trigger couriers_guard
  before insert or update on public.couriers
  for each row execute function private.guard_courier();

create trigger couriers_check_zone
  before insert or update of zone_id on public.couriers
  for each row execute function private.check_zone_known();

create trigger couriers_keep_user
  before update on public.couriers
  for each row execute function private.keep_columns('user_id');

create trigger couriers_touch_updated_at
  before update on public.couriers
  for each row execute function private.touch_updated_at();

create function private.guard_courier_document()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('anon', 'authenticated') and not (select private.is_admin()) then
    if tg_op = 'INSERT' and new.review_status <> 'pending' then
      raise exception using errcode = 'insufficient_privilege',
        message = 'only an admin can set review_status: a new document starts pending';
    end if;
    if tg_op = 'UPDATE' then
      if new.review_status is distinct from old.review_status or new.review_note is distinct from old.review_note then
        raise exception using errcode = 'insufficient_privilege', message = 'only an admin can change review_status';
      end if;
      -- A changed document must be reviewed again.
      if (new.kind, new.storage_path, new.number, new.expires_on)
           is distinct from (old.kind, old.storage_path, old.number, old.expires_on) then
        new.review_status := 'pending';
        new.reviewed_by := null;
        new.reviewed_at := null;
      end if;
    end if;
  elsif tg_op = 'INSERT' or new.review_status is distinct from old.review_status then
    if new.review_status <> 'pending' then
      new.reviewed_by := (select auth.uid());
      new.reviewed_at := now();
    end if;
  end if;
  return new;
end;
$$;
comment on function private.guard_courier_document() is
  'Trigger on courier_documents: review_status and review_note are admin-only (insufficient_privilege); a courier '
  'changing the file, number, kind or expiry sends the document back to pending; stamps reviewer and time. Never '
  'called directly.';
revoke all on function private.guard_courier_document() from public;

create trigger courier_documents_guard
  before insert or update on public.courier_documents
  for each row execute function private.guard_courier_document();

create trigger courier_documents_keep_courier
  before update on public.courier_documents
  for each row execute function private.keep_columns('courier_id');

create trigger courier_documents_touch_updated_at
  before update on public.courier_documents
  for each row execute function private.touch_updated_at();

create trigger courier_presence_keep_courier
  before update on public.courier_presence
  for each row execute function private.keep_columns('courier_id');

create trigger courier_presence_touch_updated_at
  before insert or update on public.courier_presence
  for each row execute function private.touch_updated_at();

-- Policies -------------------------------------------------------------------------------------------------------
-- Replaced in 20261121150300_create_rides by one that also shows customers and stores their assigned courier.
create policy "Couriers can view themselves, admins all couriers"
  on public.couriers for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()));

create policy "Couriers can register themselves, admins anyone"
  on public.couriers for insert to authenticated
  with check (
    (user_id = (select auth.uid()) and (select private.has_role('courier'))) or (select private.is_admin())
  );

create policy "Couriers can update themselves, admins all couriers"
  on public.couriers for update to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()))
  with check (user_id = (select auth.uid()) or (select private.is_admin()));

create policy "Admins can delete couriers"
  on public.couriers for delete to authenticated
  using ((select private.is_admin()));

create policy "Couriers can view their own documents, admins all documents"
  on public.courier_documents for select to authenticated
  using (courier_id = (select auth.uid()) or (select private.is_admin()));

create policy "Couriers can add their own documents, admins any"
  on public.courier_documents for insert to authenticated
  with check (courier_id = (select auth.uid()) or (select private.is_admin()));

create policy "Couriers can update their own documents, admins all documents"
  on public.courier_documents for update to authenticated
  using (courier_id = (select auth.uid()) or (select private.is_admin()))
  with check (courier_id = (select auth.uid()) or (select private.is_admin()));

create policy "Couriers can delete their own documents, admins all documents"
  on public.courier_documents for delete to authenticated
  using (courier_id = (select auth.uid()) or (select private.is_admin()));

create policy "Couriers can view their own presence, admins all"
  on public.courier_presence for select to authenticated
  using (courier_id = (select auth.uid()) or (select private.is_admin()));

create policy "Couriers can publish their own presence, admins any"
  on public.courier_presence for insert to authenticated
  with check (courier_id = (select auth.uid()) or (select private.is_admin()));

create policy "Couriers can update their own presence, admins all"
  on public.courier_presence for update to authenticated
  using (courier_id = (select auth.uid()) or (select private.is_admin()))
  with check (courier_id = (select auth.uid()) or (select private.is_admin()));

create policy "Couriers can delete their own presence, admins all"
  on public.courier_presence for delete to authenticated
  using (courier_id = (select auth.uid()) or (select private.is_admin()));

-- Functions ------------------------------------------------------------------------------------------------------
create type public.nearby_courier as (
  courier_id uuid,
  vehicle_type public.vehicle_type,
  distance_m integer,
  updated_at timestamptz
);
comment on type public.nearby_courier is 'One row of private.nearest_couriers(): a candidate courier and its distance.';

-- Security definer for the same reason as private.nearby_approved_stores: under RLS the planner may not use the
-- GiST index (cube's @> is not leakproof). Dispatch runs as the service role, which bypasses RLS anyway.
create function private.nearest_couriers(
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
           round(extensions.earth_distance(extensions.ll_to_earth(nearest_couriers.lat, nearest_couriers.lng),
                                           extensions.ll_to_earth(p.lat, p.lng)))::integer as distance_m,
           p.updated_at
      from public.courier_presence p
      join public.couriers c on c.user_id = p.courier_id
     where p.online
       and extensions.earth_box(extensions.ll_to_earth(nearest_couriers.lat, nearest_couriers.lng),
                                nearest_couriers.radius_m)
             operator(extensions.@>) extensions.ll_to_earth(p.lat, p.lng)
       and extensions.earth_distance(extensions.ll_to_earth(nearest_couriers.lat, nearest_couriers.lng),
                                     extensions.ll_to_earth(p.lat, p.lng)) <= nearest_couriers.radius_m
       and p.updated_at >= now() - nearest_couriers.max_age
       and c.approval_status = 'approved'
       and (nearest_couriers.vehicle_type is null or c.vehicle_type = nearest_couriers.vehicle_type)
     -- Nearest first by the index itself (a GiST distance scan: cube's <-> is the straight-line distance between
     -- the points on the sphere, in the same order as the distance along it), so the scan stops after lim matches
     -- instead of sorting every courier inside the radius.
     order by extensions.ll_to_earth(p.lat, p.lng)
                operator(extensions.<->) extensions.ll_to_earth(nearest_couriers.lat, nearest_couriers.lng)
     limit greatest(1, least(coalesce(nearest_couriers.lim, 10), 100));
end;
$$;
comment on function private.nearest_couriers(double precision, double precision, integer, public.vehicle_type, interval, integer) is
  'Online, approved couriers whose position is fresher than max_age (default 30 s) within radius_m metres '
  '(1..50000) of a pickup, nearest first, optionally of one vehicle type, at most lim (1..100, default 10). Uses '
  'the partial GiST index courier_presence_location_idx (box condition and distance order). Raises check_violation on bad coordinates or radius. '
  'Dispatch only: executable by service_role.';
revoke all on function private.nearest_couriers(double precision, double precision, integer, public.vehicle_type, interval, integer)
  from public, anon, authenticated;
grant execute on function private.nearest_couriers(double precision, double precision, integer, public.vehicle_type, interval, integer)
  to service_role;
