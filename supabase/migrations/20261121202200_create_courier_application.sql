-- Becoming a courier (courier app onboarding, issue 9): a signed-in person with no couriers row applies through
-- rpc apply_as_courier with their identity (full name as on the id card, national id number), vehicle (moto,
-- tricycle, car), plate, for a moto-taxi the municipal registration and vest numbers (Tiassalé's census), zone, and
-- one document per required kind (number, expiry, where its photo goes). In one transaction it grants the courier
-- role, creates the courier (pending) and its documents (pending review), sets the profile's name and notifies the
-- admins; or it writes nothing.
--
-- Photos come after the rows: the courier-documents bucket only lets a person holding the courier role write into
-- their own folder (20261121150100), and private.has_role reads user_roles, so the upload works in the same session
-- right after the call (no new token needed). The application names each photo's path (`<user id>/<file>`); the app
-- keeps the compressed photos on the phone until each upload succeeds, retrying after a lost connection, and the
-- status screen says which photo is still waiting. The admin reviews documents only once the file is there.
--
-- A retry of the same application (a lost answer) answers the first result again and writes nothing; any other call
-- by a person who already is a courier is refused (already_courier). Errors use our own SQLSTATEs (EO<status>) with
-- the code as message, as rpc apply_for_store does; a refusal about one document carries {"kind": …} as detail.

-- Functions ------------------------------------------------------------------------------------------------------
create function private.refuse_courier_application(status integer, code text, kind text default null)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if kind is null then
    raise exception using errcode = 'EO' || status::text, message = code;
  end if;
  raise exception using errcode = 'EO' || status::text, message = code,
    detail = jsonb_build_object('kind', kind)::text;
end;
$$;
comment on function private.refuse_courier_application(integer, text, text) is
  'Raises SQLSTATE EO<status> with the code as message (the courier app switches on it) and, for a refusal about '
  'one document, detail {"kind": <document kind>}. For private.apply_as_courier only.';
revoke all on function private.refuse_courier_application(integer, text, text) from public;

create function private.apply_as_courier(
  full_name text,
  national_id_number text,
  vehicle_type text,
  plate text,
  municipal_registration_number text,
  vest_number text,
  zone_id uuid,
  documents jsonb
)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
  existing public.couriers;
  vehicle public.vehicle_type;
  clean_plate text := upper(btrim(coalesce(plate, '')));
  clean_municipal text := nullif(btrim(coalesce(municipal_registration_number, '')), '');
  clean_vest text := nullif(btrim(coalesce(vest_number, '')), '');
  clean_id_number text := upper(btrim(coalesce(national_id_number, '')));
  required text[];
  doc jsonb;
  kind text;
  expiry date;
  doc_number text;
  path text;
  seen text[] := '{}';
  docs_out jsonb := '[]'::jsonb;
  doc_id uuid;
begin
  if caller is null then
    perform private.refuse_courier_application(401, 'not_signed_in');
  end if;

  -- A retry of the application already recorded answers it again; anything else from a courier is refused.
  select * into existing from public.couriers c where c.user_id = caller;
  if found then
    if existing.approval_status = 'pending'
       and existing.vehicle_type::text = apply_as_courier.vehicle_type
       and existing.plate is not distinct from nullif(clean_plate, '')
       and existing.municipal_registration_number is not distinct from clean_municipal
       and existing.vest_number is not distinct from clean_vest
       and existing.zone_id = apply_as_courier.zone_id
       and jsonb_typeof(documents) = 'array'
       and jsonb_array_length(documents) > 0
       and not exists (
         select 1 from jsonb_array_elements(documents) d
          where not exists (
            select 1 from public.courier_documents cd
             where cd.courier_id = caller and cd.kind::text = d ->> 'kind' and cd.storage_path = d ->> 'storage_path'
          )
       ) then
      return jsonb_build_object(
        'courier_id', caller,
        'approval_status', existing.approval_status,
        'replayed', true,
        'documents', (
          select jsonb_agg(jsonb_build_object('id', cd.id, 'kind', cd.kind, 'storage_path', cd.storage_path)
                           order by cd.kind)
            from public.courier_documents cd
           where cd.courier_id = caller
             and cd.storage_path in (select d ->> 'storage_path' from jsonb_array_elements(documents) d)
        )
      );
    end if;
    perform private.refuse_courier_application(409, 'already_courier');
  end if;

  if full_name is null or char_length(btrim(full_name)) not between 3 and 80 or btrim(full_name) !~ '[[:alpha:]]' then
    perform private.refuse_courier_application(400, 'full_name_invalid');
  end if;
  if clean_id_number !~ '^[A-Z0-9][A-Z0-9 -]{3,22}[A-Z0-9]$' then
    perform private.refuse_courier_application(400, 'national_id_number_invalid');
  end if;
  if vehicle_type is null or vehicle_type not in (select e::text from unnest(enum_range(null::public.vehicle_type)) e) then
    perform private.refuse_courier_application(400, 'vehicle_type_invalid');
  end if;
  vehicle := vehicle_type::public.vehicle_type;
  -- The rule of couriers_plate_format, said before the insert would fail on it.
  if clean_plate !~ '^[A-Z0-9][A-Z0-9 -]{1,14}[A-Z0-9]$' then
    perform private.refuse_courier_application(400, 'plate_invalid');
  end if;
  if vehicle = 'moto' and clean_municipal is null then
    perform private.refuse_courier_application(400, 'municipal_registration_number_required');
  end if;
  if clean_municipal is not null and char_length(clean_municipal) > 40 then
    perform private.refuse_courier_application(400, 'municipal_registration_number_invalid');
  end if;
  if vehicle = 'moto' and clean_vest is null then
    perform private.refuse_courier_application(400, 'vest_number_required');
  end if;
  if clean_vest is not null and char_length(clean_vest) > 20 then
    perform private.refuse_courier_application(400, 'vest_number_invalid');
  end if;
  if zone_id is null or not exists (select 1 from public.zones z where z.id = apply_as_courier.zone_id and z.active) then
    perform private.refuse_courier_application(400, 'zone_invalid');
  end if;

  if documents is null or jsonb_typeof(documents) <> 'array' or jsonb_array_length(documents) > 10 then
    perform private.refuse_courier_application(400, 'documents_invalid');
  end if;
  required := array['national_id', 'driving_licence', 'vehicle_registration', 'insurance']
              || case when vehicle = 'moto' then array['municipal_card'] else '{}'::text[] end;
  for doc in select * from jsonb_array_elements(documents) loop
    if jsonb_typeof(doc) <> 'object' then
      perform private.refuse_courier_application(400, 'documents_invalid');
    end if;
    kind := doc ->> 'kind';
    if kind is null or not (kind = any (required)) or kind = any (seen) then
      perform private.refuse_courier_application(400, 'document_kind_invalid', kind);
    end if;
    seen := seen || kind;
    doc_number := upper(btrim(coalesce(doc ->> 'number', '')));
    if kind = 'national_id' and doc_number = '' then
      doc_number := clean_id_number;
    end if;
    if char_length(doc_number) not between 2 and 40 then
      perform private.refuse_courier_application(400, 'document_number_invalid', kind);
    end if;
    -- Every document but the carte grise has an expiry date.
    if nullif(doc ->> 'expires_on', '') is null then
      if kind <> 'vehicle_registration' then
        perform private.refuse_courier_application(400, 'document_expiry_required', kind);
      end if;
    elsif (doc ->> 'expires_on') !~ '^\d{4}-\d{2}-\d{2}$' then
      perform private.refuse_courier_application(400, 'document_expiry_invalid', kind);
    end if;
    begin
      expiry := nullif(doc ->> 'expires_on', '')::date;
    exception when others then
      perform private.refuse_courier_application(400, 'document_expiry_invalid', kind);
    end;
    if expiry < current_date then
      perform private.refuse_courier_application(422, 'document_expired', kind);
    end if;
    if expiry > current_date + interval '30 years' then
      perform private.refuse_courier_application(422, 'document_expiry_implausible', kind);
    end if;
    path := doc ->> 'storage_path';
    if path is null or path !~ ('^' || caller::text || '/[A-Za-z0-9._-]{1,100}$') then
      perform private.refuse_courier_application(400, 'document_path_invalid', kind);
    end if;
  end loop;
  select r into kind from unnest(required) r where not (r = any (seen)) order by array_position(required, r) limit 1;
  if kind is not null then
    perform private.refuse_courier_application(400, 'document_missing', kind);
  end if;

  insert into public.user_roles (user_id, role, granted_by) values (caller, 'courier', caller)
  on conflict (user_id, role) do nothing;
  update public.profiles p set full_name = btrim(apply_as_courier.full_name) where p.id = caller;
  insert into public.couriers (user_id, vehicle_type, plate, municipal_registration_number, vest_number, zone_id)
  values (caller, vehicle, clean_plate, clean_municipal, clean_vest, apply_as_courier.zone_id);
  for doc in select * from jsonb_array_elements(documents) loop
    doc_number := upper(btrim(coalesce(doc ->> 'number', '')));
    insert into public.courier_documents (courier_id, kind, storage_path, number, expires_on)
    values (caller, (doc ->> 'kind')::public.courier_document_kind, doc ->> 'storage_path',
            case when doc_number = '' and doc ->> 'kind' = 'national_id' then clean_id_number else doc_number end,
            nullif(doc ->> 'expires_on', '')::date)
    returning id into doc_id;
    docs_out := docs_out || jsonb_build_object('id', doc_id, 'kind', doc ->> 'kind', 'storage_path',
                                               doc ->> 'storage_path');
  end loop;

  -- The admins hear of it in their language (the admin app lists pending couriers).
  insert into public.notifications (user_id, kind, language, title, body, data)
  select a.user_id, 'system', l.lang,
         case l.lang when 'en' then 'New courier application' else 'Nouvelle demande de coursier' end,
         case l.lang
           when 'en' then format('%s (%s, %s) applied to become a courier: documents to review.',
                                 btrim(apply_as_courier.full_name), vehicle::text, clean_plate)
           else format('%s (%s, %s) demande à devenir coursier : documents à vérifier.',
                       btrim(apply_as_courier.full_name),
                       case vehicle when 'moto' then 'moto' when 'tricycle' then 'tricycle' else 'voiture' end,
                       clean_plate)
         end,
         jsonb_build_object('event', 'courier_applied', 'courier_id', caller, 'vehicle_type', vehicle)
    from public.user_roles a
    cross join lateral (
      select coalesce((select p.language from public.profiles p where p.id = a.user_id), 'fr') as lang
    ) l
   where a.role = 'admin';

  return jsonb_build_object('courier_id', caller, 'approval_status', 'pending', 'replayed', false,
                            'documents', docs_out);
end;
$$;
comment on function private.apply_as_courier(text, text, text, text, text, text, uuid, jsonb) is
  'The caller applies to become a courier: grants the courier role, sets the profile''s full name, creates the '
  'courier (pending) and one pending document per element of documents ([{kind, number, expires_on "YYYY-MM-DD", '
  'storage_path "<caller id>/<file>"}]: national_id (number defaults to national_id_number), driving_licence, '
  'vehicle_registration (expiry optional), insurance, and municipal_card for a moto) and notifies the admins '
  '(kind system, data.event courier_applied). A retry of the same application answers it again (replayed true). '
  'Refuses (nothing written): EO401 not_signed_in, EO409 already_courier, EO400 full_name_invalid (3-80), '
  'national_id_number_invalid, vehicle_type_invalid, plate_invalid (couriers_plate_format), '
  'municipal_registration_number_required / _invalid, vest_number_required / _invalid (moto), zone_invalid, '
  'documents_invalid, and with detail {kind}: document_kind_invalid, document_number_invalid, '
  'document_expiry_required, document_expiry_invalid, EO422 document_expired, document_expiry_implausible, EO400 '
  'document_path_invalid, document_missing. Called by public.apply_as_courier; executable by authenticated and '
  'service_role.';
revoke all on function private.apply_as_courier(text, text, text, text, text, text, uuid, jsonb) from public, anon;
grant execute on function private.apply_as_courier(text, text, text, text, text, text, uuid, jsonb)
  to authenticated, service_role;

create function public.apply_as_courier(
  full_name text,
  national_id_number text,
  vehicle_type text,
  plate text,
  zone_id uuid,
  documents jsonb,
  municipal_registration_number text default null,
  vest_number text default null
)
returns jsonb
language sql
volatile
security invoker
set search_path = ''
as $$
  select private.apply_as_courier(full_name, national_id_number, vehicle_type, plate, municipal_registration_number,
                                  vest_number, zone_id, documents);
$$;
comment on function public.apply_as_courier(text, text, text, text, uuid, jsonb, text, text) is
  'rpc apply_as_courier: a signed-in person applies to become a courier (see private.apply_as_courier for the fields '
  'and the errors). For authenticated.';
revoke all on function public.apply_as_courier(text, text, text, text, uuid, jsonb, text, text) from public, anon;
grant execute on function public.apply_as_courier(text, text, text, text, uuid, jsonb, text, text)
  to authenticated, service_role;
