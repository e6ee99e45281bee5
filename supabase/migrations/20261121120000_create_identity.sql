-- Identity: a profile and roles for every person who signs in by SMS, and the Custom Access Token Hook that copies
-- the roles into each access token (on sign-in and on every refresh). Authorisation reads roles from this table or
-- from the token's `user_roles` claim, never from user_metadata (which the user can edit).

-- Types ----------------------------------------------------------------------------------------------------------
create type public.app_role as enum ('customer', 'merchant', 'courier', 'admin');
comment on type public.app_role is 'What a person may do on the platform; one person may hold several roles.';

create type public.app_language as enum ('fr', 'en');
comment on type public.app_language is 'Language of the apps, the SMS and the error messages for one person.';

-- Private schema: not exposed by PostgREST (config.toml [api] schemas), home of privileged helpers.
create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to service_role, supabase_auth_admin;

-- Tables ---------------------------------------------------------------------------------------------------------
create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  full_name text not null default '' check (char_length(full_name) <= 120),
  avatar_path text check (avatar_path is null or char_length(avatar_path) <= 512),
  language public.app_language not null default 'fr',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.profiles is
  'One row per person (created with the auth user). The owner reads and edits name, photo and language.';

create table public.user_roles (
  user_id uuid not null references auth.users (id) on delete cascade,
  role public.app_role not null,
  granted_at timestamptz not null default now(),
  granted_by uuid references auth.users (id) on delete set null,
  primary key (user_id, role)
);
comment on table public.user_roles is
  'Roles held by each person. Everyone gets customer at sign-up; other roles are granted by admins (service role).';

-- Indexes --------------------------------------------------------------------------------------------------------
create index user_roles_granted_by_idx on public.user_roles (granted_by);

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on public.profiles from anon, authenticated;
grant select on public.profiles to authenticated;
grant update (full_name, avatar_path, language) on public.profiles to authenticated;

revoke all on public.user_roles from anon, authenticated;
grant select on public.user_roles to authenticated;
grant select on public.user_roles to supabase_auth_admin;

-- Row level security ---------------------------------------------------------------------------------------------
alter table public.profiles enable row level security;
alter table public.user_roles enable row level security;

-- Triggers -------------------------------------------------------------------------------------------------------
create function private.touch_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
comment on function private.touch_updated_at() is 'Trigger: keeps updated_at true on every update.';

create trigger profiles_touch_updated_at
  before update on public.profiles
  for each row execute function private.touch_updated_at();

-- Creates the profile and the customer role when Auth creates a user. The language comes from the sign-up
-- metadata when it is a known one, French otherwise.
create function private.handle_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.profiles (id, full_name, language)
  values (
    new.id,
    left(coalesce(new.raw_user_meta_data ->> 'full_name', ''), 120),
    case when new.raw_user_meta_data ->> 'language' = 'en' then 'en'::public.app_language
         else 'fr'::public.app_language end
  );
  insert into public.user_roles (user_id, role) values (new.id, 'customer');
  return new;
end;
$$;
comment on function private.handle_new_user() is
  'Trigger on auth.users: creates the profile and grants the customer role. Never called directly.';
revoke all on function private.handle_new_user() from public;

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute function private.handle_new_user();

-- Policies -------------------------------------------------------------------------------------------------------
create policy "People can view their own profile"
  on public.profiles for select to authenticated
  using (id = (select auth.uid()));

create policy "People can update their own profile"
  on public.profiles for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));

create policy "People can view their own roles"
  on public.user_roles for select to authenticated
  using (user_id = (select auth.uid()));

create policy "Auth can read roles to build access tokens"
  on public.user_roles for select to supabase_auth_admin
  using (true);

-- Functions ------------------------------------------------------------------------------------------------------
-- Custom Access Token Hook (config.toml [auth.hook.custom_access_token]). Auth calls it as supabase_auth_admin in
-- the transaction that issues every token. Adds `user_roles` (sorted role names) to the claims; it never fails
-- sign-in: a person without roles gets an empty list.
create function private.custom_access_token_hook(event jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  roles jsonb;
begin
  select coalesce(jsonb_agg(r.role order by r.role), '[]'::jsonb)
    into roles
    from public.user_roles r
   where r.user_id = (event ->> 'user_id')::uuid;
  return jsonb_build_object('claims', jsonb_set(event -> 'claims', '{user_roles}', roles));
end;
$$;
comment on function private.custom_access_token_hook(jsonb) is
  'Auth hook: copies the user''s roles into the access token claim user_roles. Executable by supabase_auth_admin only.';
revoke all on function private.custom_access_token_hook(jsonb) from public, anon, authenticated;
grant execute on function private.custom_access_token_hook(jsonb) to supabase_auth_admin;

-- The caller's own roles, for apps that want them without decoding the token.
create function public.my_roles()
returns setof public.app_role
language sql
stable
set search_path = ''
as $$
  select r.role from public.user_roles r where r.user_id = (select auth.uid()) order by r.role;
$$;
comment on function public.my_roles() is 'Roles held by the signed-in caller (empty for anon). Runs as the caller, under RLS.';
revoke all on function public.my_roles() from public, anon;
grant execute on function public.my_roles() to authenticated;
