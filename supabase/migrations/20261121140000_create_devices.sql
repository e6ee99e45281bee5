-- Devices: the phones and browsers a person uses, with the push token their app registered (FCM for Android and the
-- web, APNs for iOS), which app it is (client, merchant, courier, admin) and its locale. The notification fan-out
-- (next migration) queues one push per device. A push token belongs to one installation: when another person signs
-- in on the same phone, register_device() moves the token to them.

-- Types ----------------------------------------------------------------------------------------------------------
create type public.device_platform as enum ('android', 'ios', 'web');
comment on type public.device_platform is 'Where an app runs: Android (FCM), iOS (APNs) or a browser (Web Push).';

create type public.device_app as enum ('client', 'merchant', 'courier', 'admin');
comment on type public.device_app is 'Which of the four front ends registered the device (DESIGN.md §1).';

-- Tables ---------------------------------------------------------------------------------------------------------
create table public.devices (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  platform public.device_platform not null,
  push_token text not null
    constraint devices_push_token_length check (private.check_text_length(push_token, 'push_token', 16, 4096)),
  app public.device_app not null default 'client',
  locale text not null default 'fr-CI'
    constraint devices_locale_format check (locale ~ '^[a-z]{2}(-[A-Z]{2})?$'),
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  constraint devices_push_token_key unique (push_token)
);
comment on table public.devices is
  'Push targets of a person: platform, push token (unique: one installation), app, locale (fr-CI, en…), last seen. '
  'The owner registers, updates and removes their own (register_device() also takes a token over from the '
  'previous person on that phone); admins read all. The notification fan-out reads it as owner.';

-- Indexes --------------------------------------------------------------------------------------------------------
create index devices_user_id_idx on public.devices (user_id);

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on public.devices from anon, authenticated;
grant select, delete on public.devices to authenticated;
grant insert (id, user_id, platform, push_token, app, locale, last_seen_at),
      update (platform, push_token, app, locale, last_seen_at)
  on public.devices to authenticated;

-- Row level security ---------------------------------------------------------------------------------------------
alter table public.devices enable row level security;

-- Policies -------------------------------------------------------------------------------------------------------
create policy "People can view their own devices, admins all devices"
  on public.devices for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()));

create policy "People can register their own devices"
  on public.devices for insert to authenticated
  with check (user_id = (select auth.uid()));

create policy "People can update their own devices"
  on public.devices for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

create policy "People can remove their own devices"
  on public.devices for delete to authenticated
  using (user_id = (select auth.uid()));

-- Functions ------------------------------------------------------------------------------------------------------
-- A plain insert of a token that another person registered on the same phone would hit devices_push_token_key and
-- could not see or remove their row: this helper does the one privileged step (drop the token from whoever held it)
-- and upserts the caller's row.
create function private.claim_push_token(
  platform public.device_platform,
  push_token text,
  app public.device_app,
  locale text
)
returns public.devices
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  me uuid := (select auth.uid());
  result public.devices;
begin
  if me is null then
    raise exception using errcode = 'insufficient_privilege', message = 'sign in to register a device';
  end if;
  delete from public.devices d where d.push_token = claim_push_token.push_token and d.user_id <> me;
  insert into public.devices as d (user_id, platform, push_token, app, locale)
  values (me, claim_push_token.platform, claim_push_token.push_token, claim_push_token.app,
          coalesce(claim_push_token.locale, 'fr-CI'))
  on conflict (push_token) do update
    set platform = excluded.platform, app = excluded.app, locale = excluded.locale, last_seen_at = now()
  returning * into result;
  return result;
end;
$$;
comment on function private.claim_push_token(public.device_platform, text, public.device_app, text) is
  'Registers the caller''s device: removes the push token from any other person (the phone changed hands), then '
  'inserts or refreshes the caller''s row. Raises insufficient_privilege for anon; the table''s checks apply. Called '
  'by public.register_device; executable by authenticated and service_role.';
revoke all on function private.claim_push_token(public.device_platform, text, public.device_app, text) from public, anon;
grant execute on function private.claim_push_token(public.device_platform, text, public.device_app, text)
  to authenticated, service_role;

create function public.register_device(
  platform public.device_platform,
  push_token text,
  app public.device_app default 'client',
  locale text default 'fr-CI'
)
returns public.devices
language sql
volatile
security invoker
set search_path = ''
as $$
  select * from private.claim_push_token(platform, push_token, app, locale);
$$;
comment on function public.register_device(public.device_platform, text, public.device_app, text) is
  'rpc register_device: the app calls it at start and whenever its push token changes. Returns the caller''s device '
  'row (last_seen_at refreshed). Raises check_violation on a bad token or locale. For authenticated.';
revoke all on function public.register_device(public.device_platform, text, public.device_app, text) from public, anon;
grant execute on function public.register_device(public.device_platform, text, public.device_app, text)
  to authenticated, service_role;
