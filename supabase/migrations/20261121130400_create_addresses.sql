-- Addresses: the places a customer saves ("Maison", "Boutique de maman"). Streets have no names in Tiassalé, so an
-- address is a GPS pin, a required landmark ("repère": "derrière la mosquée, portail bleu"), an optional photo of the
-- gate and a phone the courier can call. Orders will copy the address into a snapshot, so couriers never read
-- this table.

-- Tables ---------------------------------------------------------------------------------------------------------
create table public.addresses (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  label text not null default 'Maison' constraint addresses_label_length check (private.check_text_length(label, 'label', 1, 40)),
  lat double precision not null,
  lng double precision not null,
  landmark text not null
    constraint addresses_landmark_length check (private.check_text_length(landmark, 'landmark (repère)', 3, 280)),
  photo_path text constraint addresses_photo_path_length check (private.check_text_length(photo_path, 'photo_path', 1, 512)),
  phone text not null constraint addresses_phone_e164 check (private.check_phone(phone)),
  zone_id uuid not null references public.zones (id) on delete restrict,
  is_default boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint addresses_coordinates check (private.check_coordinates(lat, lng))
);
comment on table public.addresses is
  'Saved places of a person: pin (lat, lng), landmark text (required), optional photo path, callable E.164 phone, '
  'zone (filled from the pin when omitted; must contain the pin), one default per person. The owner reads and '
  'writes their own; admins read all.';

-- Indexes --------------------------------------------------------------------------------------------------------
create index addresses_user_id_idx on public.addresses (user_id);
create index addresses_zone_id_idx on public.addresses (zone_id);
create unique index addresses_one_default_per_user on public.addresses (user_id) where is_default;

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on public.addresses from anon, authenticated;
grant select, delete on public.addresses to authenticated;
grant insert (id, user_id, label, lat, lng, landmark, photo_path, phone, zone_id, is_default),
      update (user_id, label, lat, lng, landmark, photo_path, phone, zone_id, is_default)
  on public.addresses to authenticated;

-- Row level security ---------------------------------------------------------------------------------------------
alter table public.addresses enable row level security;

-- Triggers -------------------------------------------------------------------------------------------------------
-- Rejects changes of the listed columns by anon / authenticated (service_role and SQL may still move rows).
create function private.keep_columns()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  col text;
begin
  if current_user not in ('anon', 'authenticated') then
    return new;
  end if;
  foreach col in array tg_argv loop
    if (to_jsonb(new) -> col) is distinct from (to_jsonb(old) -> col) then
      raise exception using errcode = 'insufficient_privilege',
        message = format('%s of a row in %s cannot be changed', col, tg_table_name),
        hint = 'Create a new row instead.';
    end if;
  end loop;
  return new;
end;
$$;
comment on function private.keep_columns() is
  'Trigger (before update, column names as arguments): refuses, with insufficient_privilege, a change of any listed '
  'column by anon or authenticated. Never called directly.';
revoke all on function private.keep_columns() from public;

create trigger addresses_keep_owner
  before update on public.addresses
  for each row execute function private.keep_columns('user_id');

create trigger addresses_assign_zone
  before insert or update of lat, lng, zone_id on public.addresses
  for each row execute function private.assign_zone();

-- A new default address replaces the previous one.
create function private.single_default_address()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  update public.addresses a
     set is_default = false
   where a.user_id = new.user_id and a.is_default and a.id <> new.id;
  return new;
end;
$$;
comment on function private.single_default_address() is
  'Trigger on addresses: when a row becomes the default, the person''s previous default stops being one. Runs as '
  'the caller. Never called directly.';
revoke all on function private.single_default_address() from public;

create trigger addresses_single_default
  before insert or update of is_default on public.addresses
  for each row when (new.is_default) execute function private.single_default_address();

create trigger addresses_touch_updated_at
  before update on public.addresses
  for each row execute function private.touch_updated_at();

-- Policies -------------------------------------------------------------------------------------------------------
create policy "People can view their own addresses, admins all addresses"
  on public.addresses for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()));

create policy "People can save their own addresses"
  on public.addresses for insert to authenticated
  with check (user_id = (select auth.uid()));

create policy "People can update their own addresses"
  on public.addresses for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

create policy "People can delete their own addresses"
  on public.addresses for delete to authenticated
  using (user_id = (select auth.uid()));
