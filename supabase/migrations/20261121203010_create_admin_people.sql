-- Who is who, for the admin dashboard: the operations team answers a customer on the phone and must call the courier,
-- the store or the customer back, and find a rider by the number he calls from. Phones live in auth.users, which the
-- Data API never exposes; this narrow function gives admins (only) the phone, name, language and roles of the people
-- it is asked about, by id or by phone number.

-- Functions ------------------------------------------------------------------------------------------------------
create function private.admin_people(person_ids uuid[], person_phone text)
returns table (id uuid, phone text, full_name text, language public.app_language, roles public.app_role[])
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  digits text := nullif(regexp_replace(coalesce(person_phone, ''), '\D', '', 'g'), '');
begin
  if (select auth.uid()) is null or not (select private.is_admin()) then
    raise exception using errcode = 'EO403', message = 'not_admin';
  end if;
  if cardinality(person_ids) > 200 then
    raise exception using errcode = 'EO400', message = 'too_many_ids';
  end if;
  return query
    select u.id, '+' || u.phone, p.full_name, p.language,
           coalesce((select array_agg(r.role order by r.role) from public.user_roles r where r.user_id = u.id),
                    '{}'::public.app_role[])
      from auth.users u
      left join public.profiles p on p.id = u.id
     where (person_ids is not null and u.id = any (person_ids))
        or (digits is not null and u.phone = digits)
     order by u.phone;
end;
$$;
comment on function private.admin_people(uuid[], text) is
  'For admins: id, phone (E.164 with +), full name, language and roles of the people whose id is in person_ids (200 '
  'at most) or whose phone is person_phone (spaces and + ignored). Others: EO403 not_admin; too many ids: EO400 too_many_ids. '
  'Called by public.admin_people.';
revoke all on function private.admin_people(uuid[], text) from public, anon;
grant execute on function private.admin_people(uuid[], text) to authenticated, service_role;

create function public.admin_people(p_ids uuid[] default null, p_phone text default null)
returns table (id uuid, phone text, full_name text, language public.app_language, roles public.app_role[])
language sql
stable
security invoker
set search_path = ''
as $$
  select * from private.admin_people(p_ids, p_phone);
$$;
comment on function public.admin_people(uuid[], text) is
  'rpc admin_people: the admin dashboard''s phone book (see private.admin_people). For authenticated (admins; others '
  'get not_admin).';
revoke all on function public.admin_people(uuid[], text) from public, anon;
grant execute on function public.admin_people(uuid[], text) to authenticated, service_role;
