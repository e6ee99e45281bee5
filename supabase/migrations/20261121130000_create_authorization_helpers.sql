-- Authorisation helpers for row-level security, and admin management of roles. Policies call
-- private.has_role / private.is_admin instead of reading user_roles themselves: the helpers run as their owner
-- (security definer), so a policy on user_roles that asks "is the caller an admin?" does not recurse into itself,
-- and they read the table rather than the token claim, so a revoked role stops working at once (the token's
-- user_roles claim is only a hint for the apps until it is refreshed).

-- Grants ---------------------------------------------------------------------------------------------------------
-- PL/pgSQL triggers and checks that run as the caller look up private.* by name, which needs USAGE on the schema.
-- USAGE only lets a role find objects: every function in private has EXECUTE revoked from public and granted one by
-- one, and PostgREST does not expose the schema.
grant usage on schema private to anon, authenticated;
grant insert (user_id, role) on public.user_roles to authenticated;
grant delete on public.user_roles to authenticated;

-- Triggers -------------------------------------------------------------------------------------------------------
-- Who granted a role is the caller, not what the caller says.
create function private.stamp_role_grant()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (select auth.uid()) is not null then
    new.granted_by := (select auth.uid());
  end if;
  new.granted_at := now();
  return new;
end;
$$;
comment on function private.stamp_role_grant() is
  'Trigger on user_roles: records the signed-in caller as granted_by and now() as granted_at. Never called directly.';
revoke all on function private.stamp_role_grant() from public;

create trigger user_roles_stamp_grant
  before insert on public.user_roles
  for each row execute function private.stamp_role_grant();

-- Functions ------------------------------------------------------------------------------------------------------
create function private.has_role(role public.app_role)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.user_roles r where r.user_id = (select auth.uid()) and r.role = has_role.role
  );
$$;
comment on function private.has_role(public.app_role) is
  'True when the signed-in caller holds the role (read from user_roles, so revocations apply at once). For RLS '
  'policies; executable by authenticated and service_role only. False for anon.';
revoke all on function private.has_role(public.app_role) from public, anon;
grant execute on function private.has_role(public.app_role) to authenticated, service_role;

create function private.is_admin()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select 1 from public.user_roles r where r.user_id = (select auth.uid()) and r.role = 'admin');
$$;
comment on function private.is_admin() is
  'True when the signed-in caller holds the admin role. For RLS policies (wrap it: `(select private.is_admin())`); '
  'executable by authenticated and service_role only.';
revoke all on function private.is_admin() from public, anon;
grant execute on function private.is_admin() to authenticated, service_role;

-- Policies -------------------------------------------------------------------------------------------------------
-- One select policy per table and role: the landed "own rows" policies are replaced by ones that also let admins in.
drop policy "People can view their own roles" on public.user_roles;
create policy "People can view their own roles, admins everyone's"
  on public.user_roles for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()));

create policy "Admins can grant roles"
  on public.user_roles for insert to authenticated
  with check ((select private.is_admin()));

create policy "Admins can revoke roles"
  on public.user_roles for delete to authenticated
  using ((select private.is_admin()));

drop policy "People can view their own profile" on public.profiles;
create policy "People can view their own profile, admins everyone's"
  on public.profiles for select to authenticated
  using (id = (select auth.uid()) or (select private.is_admin()));
