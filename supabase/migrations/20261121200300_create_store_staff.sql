-- Store staff (merchant app, issue 8): a store's owner adds a person as staff by phone number and sees who runs the
-- store (names and numbers). The person must have signed in to Ecom once (an account with that number); they get
-- the merchant role, which store membership requires, and become staff of that store only. Owners remove staff
-- through the Data API already ("Owners can remove staff from their stores" on store_members). Errors are raised
-- with our own SQLSTATEs, the message being the code the apps switch on (as wallet_statement does).

-- Functions ------------------------------------------------------------------------------------------------------
create function private.add_store_staff(store uuid, phone text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
  person uuid;
  person_name text;
begin
  if caller is null or store is null then
    raise exception using errcode = 'EO404', message = 'store_not_found';
  end if;
  if store not in (select private.my_owned_store_ids()) then
    if store in (select private.my_store_ids()) then
      raise exception using errcode = 'EO403', message = 'not_store_owner';
    end if;
    raise exception using errcode = 'EO404', message = 'store_not_found';
  end if;
  if phone is null or phone !~ '^\+(225(01|05|07|21|25|27)[0-9]{8}|228[0-9]{8})$' then
    raise exception using errcode = 'EO400', message = 'phone_invalid';
  end if;
  -- Auth keeps numbers without the plus sign.
  select u.id into person from auth.users u where u.phone = substr(add_store_staff.phone, 2);
  if person is null then
    raise exception using errcode = 'EO404', message = 'person_not_found';
  end if;
  if exists (select 1 from public.store_members m where m.store_id = store and m.user_id = person) then
    raise exception using errcode = 'EO409', message = 'already_member';
  end if;
  insert into public.user_roles (user_id, role, granted_by) values (person, 'merchant', caller)
  on conflict (user_id, role) do nothing;
  insert into public.store_members (store_id, user_id, role) values (store, person, 'staff');
  select p.full_name into person_name from public.profiles p where p.id = person;
  return jsonb_build_object('user_id', person, 'role', 'staff', 'full_name', coalesce(person_name, ''),
                            'phone', add_store_staff.phone);
end;
$$;
comment on function private.add_store_staff(uuid, text) is
  'The caller, owner of store, adds the account whose phone is phone (E.164) as staff: grants it the merchant role '
  '(granted_by = the owner) and the membership. EO404 store_not_found (not a member), EO403 not_store_owner (staff), '
  'EO400 phone_invalid, EO404 person_not_found (nobody signed up with that number), EO409 already_member. Called by '
  'public.add_store_staff; executable by authenticated and service_role.';
revoke all on function private.add_store_staff(uuid, text) from public, anon;
grant execute on function private.add_store_staff(uuid, text) to authenticated, service_role;

create function private.store_team(store uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if store is null or store not in (select private.my_owned_store_ids()) then
    if store in (select private.my_store_ids()) then
      raise exception using errcode = 'EO403', message = 'not_store_owner';
    end if;
    raise exception using errcode = 'EO404', message = 'store_not_found';
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object(
             'user_id', m.user_id, 'role', m.role, 'full_name', coalesce(p.full_name, ''),
             'phone', case when u.phone is null or u.phone = '' then null else '+' || u.phone end,
             'added_at', m.created_at)
           order by m.role, m.created_at)
      from public.store_members m
      join auth.users u on u.id = m.user_id
      left join public.profiles p on p.id = m.user_id
     where m.store_id = store), '[]'::jsonb);
end;
$$;
comment on function private.store_team(uuid) is
  'Who runs store (owners first): user_id, role, full_name, phone (E.164), added_at, for the store''s owners only '
  '(EO403 not_store_owner for staff, EO404 store_not_found for anyone else). Reads auth.users for the numbers, '
  'hence security definer. Called by public.store_team; executable by authenticated and service_role.';
revoke all on function private.store_team(uuid) from public, anon;
grant execute on function private.store_team(uuid) to authenticated, service_role;

create function public.add_store_staff(store_id uuid, phone text)
returns jsonb
language sql
volatile
security invoker
set search_path = ''
as $$
  select private.add_store_staff(store_id, phone);
$$;
comment on function public.add_store_staff(uuid, text) is
  'rpc add_store_staff: an owner adds staff by phone number (see private.add_store_staff for the errors). For '
  'authenticated.';
revoke all on function public.add_store_staff(uuid, text) from public, anon;
grant execute on function public.add_store_staff(uuid, text) to authenticated, service_role;

create function public.store_team(store_id uuid)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  select private.store_team(store_id);
$$;
comment on function public.store_team(uuid) is
  'rpc store_team: the people of a store with names and numbers, for its owners (see private.store_team). For '
  'authenticated.';
revoke all on function public.store_team(uuid) from public, anon;
grant execute on function public.store_team(uuid) to authenticated, service_role;
