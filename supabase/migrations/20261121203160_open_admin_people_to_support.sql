-- The dashboard's phone book (public.admin_people, 20261121203010) is a read: the read-only support role uses it like
-- admins (orders, rides and disputes show names and phones through it). Re-created from its own definition with
-- private.is_staff() as its check; the refusal for everyone else (EO403 not_admin) is unchanged.

-- Functions ------------------------------------------------------------------------------------------------------
do $$
declare
  def text := pg_catalog.pg_get_functiondef('private.admin_people(uuid[], text)'::regprocedure);
begin
  if def not like '%private.is_admin()%' then
    raise exception 'private.admin_people no longer checks private.is_admin()';
  end if;
  execute replace(def, 'private.is_admin()', 'private.is_staff()');
end;
$$;
comment on function private.admin_people(uuid[], text) is
  'For staff (admins and support): id, phone (E.164 with +), full name, language and roles of the people whose id is '
  'in person_ids (200 at most) or whose phone is person_phone (spaces and + ignored). Others: EO403 not_admin; too '
  'many ids: EO400 too_many_ids. Called by public.admin_people.';
