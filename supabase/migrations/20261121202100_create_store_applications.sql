-- Store applications (merchant app, issue 8): a signed-in person with no store applies to open one (kind, name,
-- phone, pin, landmark, description, weekly hours, the mobile-money number for payouts) through rpc
-- apply_for_store. The application creates the store pending approval, makes the applicant its owner (granting the
-- merchant role, which membership requires), its hours and payout destination, all at once or nothing. A pending
-- store is not public (stores policies show only approved stores to others); its owner may already upload its
-- photos (store-photos/<store id>/) and set logo_path / cover_path. An admin approves or rejects it with a reason
-- through rpc review_store_application; the store's approval change is audited (stores_audit_approval) and the
-- applicant gets a system notification. Errors are raised with our own SQLSTATEs, the message being the code the
-- apps switch on (as add_store_staff does).

-- Tables ---------------------------------------------------------------------------------------------------------
create table public.store_applications (
  store_id uuid primary key references public.stores (id) on delete cascade,
  applicant_id uuid not null references auth.users (id) on delete cascade,
  submitted_at timestamptz not null default now(),
  decision public.store_approval
    constraint store_applications_decision check (decision is null or decision in ('approved', 'rejected')),
  reason text constraint store_applications_reason_length check (private.check_text_length(reason, 'reason', 3, 300)),
  decided_at timestamptz,
  decided_by uuid references auth.users (id) on delete set null,
  constraint store_applications_decided check ((decision is null) = (decided_at is null)),
  constraint store_applications_rejection_reason check (decision is distinct from 'rejected' or reason is not null)
);
comment on table public.store_applications is
  'One application to open a store: the store (created pending), who applied and when, and the admin''s decision '
  '(approved or rejected, with a reason for a rejection), when and by whom. At most one undecided application per '
  'person. Written only by rpc apply_for_store and rpc review_store_application; the applicant reads theirs, admins '
  'all.';

-- Indexes --------------------------------------------------------------------------------------------------------
create unique index store_applications_one_pending_idx
  on public.store_applications (applicant_id) where decided_at is null;
create index store_applications_applicant_id_idx on public.store_applications (applicant_id);

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on public.store_applications from anon, authenticated;
grant select on public.store_applications to authenticated;
grant select on public.store_applications to service_role;

-- Row level security ---------------------------------------------------------------------------------------------
alter table public.store_applications enable row level security;

-- Policies -------------------------------------------------------------------------------------------------------
create policy "Applicants can view their applications, admins all"
  on public.store_applications for select to authenticated
  using (applicant_id = (select auth.uid()) or (select private.is_admin()));

-- Functions ------------------------------------------------------------------------------------------------------
create function private.refuse_application(status integer, code text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  raise exception using errcode = 'EO' || status::text, message = code;
end;
$$;
comment on function private.refuse_application(integer, text) is
  'Raises SQLSTATE EO<status> with the code as message (the apps switch on it). For apply_for_store and '
  'review_store_application only.';
revoke all on function private.refuse_application(integer, text) from public;

create function private.apply_for_store(
  kind text,
  name text,
  phone text,
  lat double precision,
  lng double precision,
  landmark text,
  description text,
  hours jsonb,
  payout_phone text,
  payout_operator text
)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
  zone uuid;
  slot jsonb;
  o time;
  c time;
  next_day boolean;
  seen text[] := '{}';
  store uuid;
  base text;
begin
  if caller is null then
    perform private.refuse_application(401, 'not_signed_in');
  end if;
  if exists (select 1 from public.store_applications a where a.applicant_id = caller and a.decided_at is null) then
    perform private.refuse_application(409, 'application_pending');
  end if;
  if kind is null or kind not in (select e::text from unnest(enum_range(null::public.store_kind)) e) then
    perform private.refuse_application(400, 'kind_invalid');
  end if;
  if name is null or char_length(btrim(name)) not between 2 and 80 then
    perform private.refuse_application(400, 'name_invalid');
  end if;
  if phone is null or phone !~ '^\+(225(01|05|07|21|25|27)[0-9]{8}|228[0-9]{8})$' then
    perform private.refuse_application(400, 'phone_invalid');
  end if;
  if lat is null or lng is null or lat not between -90 and 90 or lng not between -180 and 180 then
    perform private.refuse_application(400, 'location_invalid');
  end if;
  select z.id into zone
    from public.zones z
   where z.active
     and extensions.earth_distance(extensions.ll_to_earth(z.center_lat, z.center_lng),
                                   extensions.ll_to_earth(apply_for_store.lat, apply_for_store.lng)) <= z.radius_m
   order by extensions.earth_distance(extensions.ll_to_earth(z.center_lat, z.center_lng),
                                      extensions.ll_to_earth(apply_for_store.lat, apply_for_store.lng))
   limit 1;
  if zone is null then
    perform private.refuse_application(422, 'outside_zone');
  end if;
  if landmark is null or char_length(btrim(landmark)) not between 3 and 280 then
    perform private.refuse_application(400, 'landmark_invalid');
  end if;
  if description is not null and char_length(btrim(description)) > 1000 then
    perform private.refuse_application(400, 'description_invalid');
  end if;
  if hours is null or jsonb_typeof(hours) <> 'array' or jsonb_array_length(hours) = 0
     or jsonb_array_length(hours) > 42 then
    perform private.refuse_application(400, 'hours_invalid');
  end if;
  for slot in select * from jsonb_array_elements(hours) loop
    if jsonb_typeof(slot) <> 'object'
       or coalesce(slot ->> 'weekday', '') !~ '^[1-7]$'
       or coalesce(slot ->> 'opens', '') !~ '^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$'
       or coalesce(slot ->> 'closes', '') !~ '^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$'
       or jsonb_typeof(coalesce(slot -> 'closes_next_day', 'false'::jsonb)) <> 'boolean' then
      perform private.refuse_application(400, 'hours_invalid');
    end if;
    o := (slot ->> 'opens')::time;
    c := (slot ->> 'closes')::time;
    next_day := coalesce((slot ->> 'closes_next_day')::boolean, false);
    if (not next_day and c <= o) or (next_day and c > o) then
      perform private.refuse_application(400, 'hours_closing_before_opening');
    end if;
    if (slot ->> 'weekday') || ' ' || o::text = any (seen) then
      perform private.refuse_application(400, 'hours_invalid');
    end if;
    seen := seen || ((slot ->> 'weekday') || ' ' || o::text);
  end loop;
  if payout_phone is null or payout_phone !~ '^\+(225(01|05|07|21|25|27)[0-9]{8}|228[0-9]{8})$' then
    perform private.refuse_application(400, 'payout_phone_invalid');
  end if;
  if payout_operator is null
     or payout_operator not in ('orange_ci', 'mtn_ci', 'moov_ci', 'wave_ci', 'moov_tg', 'mixx_tg')
     or not ((payout_operator like '%\_ci' and payout_phone like '+225%')
             or (payout_operator like '%\_tg' and payout_phone like '+228%')) then
    perform private.refuse_application(400, 'payout_operator_invalid');
  end if;

  -- The slug: the name in lower-case ASCII words, and a few random characters so that two "Chez Tantie" differ.
  base := btrim(regexp_replace(translate(lower(btrim(name)), 'àâäáãçéèêëíìîïñóòôöõúùûüÿœ', 'aaaaaceeeeiiiinooooouuuuyo'), '[^a-z0-9]+', '-', 'g'), '-');
  if base = '' then
    base := 'boutique';
  end if;
  base := left(base, 60) || '-' || substr(md5(gen_random_uuid()::text), 1, 6);
  base := regexp_replace(base, '-+', '-', 'g');

  insert into public.user_roles (user_id, role, granted_by) values (caller, 'merchant', caller)
  on conflict (user_id, role) do nothing;
  insert into public.stores (kind, name, slug, description, phone, lat, lng, landmark, zone_id, status,
                             approval_status, created_by)
  values (kind::public.store_kind, btrim(name), base, coalesce(btrim(description), ''), phone, lat, lng,
          btrim(landmark), zone, 'closed', 'pending', caller)
  returning id into store;
  -- private.add_store_creator made the caller its owner (they hold the merchant role now); make sure of it.
  insert into public.store_members (store_id, user_id, role) values (store, caller, 'owner')
  on conflict (store_id, user_id) do nothing;
  insert into public.store_hours (store_id, weekday, opens, closes, closes_next_day)
  select store, (s ->> 'weekday')::smallint, (s ->> 'opens')::time, (s ->> 'closes')::time,
         coalesce((s ->> 'closes_next_day')::boolean, false)
    from jsonb_array_elements(hours) s;
  insert into public.payout_destinations (store_id, phone, operator) values (store, payout_phone, payout_operator);
  insert into public.store_applications (store_id, applicant_id) values (store, caller);
  return jsonb_build_object('store_id', store, 'slug', base, 'approval_status', 'pending');
end;
$$;
comment on function private.apply_for_store(text, text, text, double precision, double precision, text, text, jsonb,
                                           text, text) is
  'The caller applies to open a store: creates it pending (closed) in the zone of its pin, makes the caller its '
  'owner (granting the merchant role), its weekly hours (array of {weekday 1-7, opens, closes "HH:MM", '
  'closes_next_day}), its payout destination and the application. Refuses (nothing written): EO401 not_signed_in, '
  'EO409 application_pending (one undecided application per person), EO400 kind_invalid, name_invalid (2-80), '
  'phone_invalid, location_invalid, landmark_invalid (3-280), description_invalid (> 1000), hours_invalid, '
  'hours_closing_before_opening, payout_phone_invalid, payout_operator_invalid (unknown or not the number''s '
  'country), EO422 outside_zone. Called by public.apply_for_store; executable by authenticated and service_role.';
revoke all on function private.apply_for_store(text, text, text, double precision, double precision, text, text, jsonb,
                                             text, text) from public, anon;
grant execute on function private.apply_for_store(text, text, text, double precision, double precision, text, text,
                                                jsonb, text, text) to authenticated, service_role;

create function private.review_store_application(store uuid, approve boolean, reason text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
  app public.store_applications;
  s public.stores;
  lang public.app_language;
  clean_reason text := nullif(btrim(coalesce(reason, '')), '');
begin
  if caller is null or not (select private.is_admin()) then
    perform private.refuse_application(403, 'not_admin');
  end if;
  select * into app from public.store_applications a where a.store_id = store for update;
  if not found then
    perform private.refuse_application(404, 'application_not_found');
  end if;
  if app.decided_at is not null then
    perform private.refuse_application(409, 'application_decided');
  end if;
  if approve is null then
    perform private.refuse_application(400, 'decision_invalid');
  end if;
  if (not approve and (clean_reason is null or char_length(clean_reason) < 3)) or char_length(clean_reason) > 300 then
    perform private.refuse_application(400, 'reason_invalid');
  end if;

  update public.stores st
     set approval_status = case when approve then 'approved' else 'rejected' end::public.store_approval
   where st.id = store
  returning * into s;
  update public.store_applications a
     set decision = s.approval_status, reason = clean_reason, decided_at = now(), decided_by = caller
   where a.store_id = store;

  select coalesce(p.language, 'fr') into lang from public.profiles p where p.id = app.applicant_id;
  lang := coalesce(lang, 'fr');
  insert into public.notifications (user_id, kind, language, title, body, data)
  values (
    app.applicant_id, 'system', lang,
    case when approve then case lang when 'en' then 'Store approved' else 'Boutique validée' end
         else case lang when 'en' then 'Store not approved' else 'Boutique refusée' end end,
    case when approve then
           case lang when 'en' then format('%s is approved. Open it from the merchant app to take orders.', s.name)
                else format('%s est validée. Ouvrez-la depuis l''app marchand pour recevoir des commandes.', s.name) end
         else
           case lang when 'en' then format('%s was not approved: %s', s.name, clean_reason)
                else format('%s n''a pas été validée : %s', s.name, clean_reason) end end,
    jsonb_build_object('event', case when approve then 'store_approved' else 'store_rejected' end,
                       'store_id', s.id, 'reason', clean_reason)
  );
  return jsonb_build_object('store_id', s.id, 'approval_status', s.approval_status, 'reason', clean_reason);
end;
$$;
comment on function private.review_store_application(uuid, boolean, text) is
  'An admin approves (approve true) or rejects (with a reason of 3-300 characters; optional note when approving) the '
  'undecided application of store: sets the store''s approval_status (audited by stores_audit_approval), records '
  'the decision and notifies the applicant (kind system, data.event store_approved / store_rejected). Refuses: '
  'EO403 not_admin, EO404 application_not_found, EO409 application_decided, EO400 decision_invalid, '
  'reason_invalid. Called by public.review_store_application; executable by authenticated and service_role.';
revoke all on function private.review_store_application(uuid, boolean, text) from public, anon;
grant execute on function private.review_store_application(uuid, boolean, text) to authenticated, service_role;

create function public.apply_for_store(
  kind text,
  name text,
  phone text,
  lat double precision,
  lng double precision,
  landmark text,
  hours jsonb,
  payout_phone text,
  payout_operator text,
  description text default ''
)
returns jsonb
language sql
volatile
security invoker
set search_path = ''
as $$
  select private.apply_for_store(kind, name, phone, lat, lng, landmark, description, hours, payout_phone,
                                 payout_operator);
$$;
comment on function public.apply_for_store(text, text, text, double precision, double precision, text, jsonb, text,
                                          text, text) is
  'rpc apply_for_store: a signed-in person applies to open a store (see private.apply_for_store for the fields and '
  'the errors). For authenticated.';
revoke all on function public.apply_for_store(text, text, text, double precision, double precision, text, jsonb, text,
                                            text, text) from public, anon;
grant execute on function public.apply_for_store(text, text, text, double precision, double precision, text, jsonb,
                                               text, text, text) to authenticated, service_role;

create function public.review_store_application(store_id uuid, approve boolean, reason text default null)
returns jsonb
language sql
volatile
security invoker
set search_path = ''
as $$
  select private.review_store_application(store_id, approve, reason);
$$;
comment on function public.review_store_application(uuid, boolean, text) is
  'rpc review_store_application: an admin approves or rejects a store application with a reason (see '
  'private.review_store_application). For authenticated (admins; others get not_admin).';
revoke all on function public.review_store_application(uuid, boolean, text) from public, anon;
grant execute on function public.review_store_application(uuid, boolean, text) to authenticated, service_role;
