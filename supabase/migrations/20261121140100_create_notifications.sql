-- Notifications: the in-app inbox of each person, written by the service role and by private functions (order and
-- ride transitions, payments, promotions), read and marked read by the person. Every new notification is broadcast
-- at once on the person's private Realtime topic `user:<id>` (event `notification`; who may listen is decided by the
-- policies on realtime.messages, written with the other topics), and queued for push (one row per registered
-- device) and SMS (when the person has no device and the news cannot wait) in notification_deliveries, which the
-- sending worker drains with the service role.

-- Types ----------------------------------------------------------------------------------------------------------
create type public.notification_kind as enum ('order_update', 'ride_update', 'offer', 'payment', 'promotion', 'system');
comment on type public.notification_kind is
  'What a notification is about: an order or a ride changed, a job offered to a courier, money moved, a promotion, '
  'or a message from the platform. The apps pick the icon and the screen from it.';

create type public.delivery_channel as enum ('push', 'sms');
comment on type public.delivery_channel is 'How a notification leaves the platform besides the in-app inbox.';

create type public.delivery_status as enum ('pending', 'sent', 'failed');
comment on type public.delivery_status is
  'State of one push or SMS: pending (queued or to retry), sent (accepted by the gateway), failed (given up).';

-- Tables ---------------------------------------------------------------------------------------------------------
create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  kind public.notification_kind not null,
  language public.app_language not null,
  title text not null constraint notifications_title_length check (private.check_text_length(title, 'title', 1, 120)),
  body text not null constraint notifications_body_length check (private.check_text_length(body, 'body', 1, 500)),
  data jsonb not null default '{}'::jsonb
    constraint notifications_data_object check (jsonb_typeof(data) = 'object' and pg_column_size(data) <= 4096),
  read_at timestamptz,
  created_at timestamptz not null default now()
);
comment on table public.notifications is
  'In-app notifications. title and body are written in the person''s language (language: taken from the profile '
  'when the writer does not give it); data holds ids for deep links ({"order_id": …}). The person reads their own '
  'and sets read_at (the only column they may change); the service role and private functions insert. Each insert '
  'is broadcast on the private topic user:<user_id> and queued for push / SMS.';

create table public.notification_deliveries (
  id uuid primary key default gen_random_uuid(),
  notification_id uuid not null references public.notifications (id) on delete cascade,
  channel public.delivery_channel not null,
  device_id uuid references public.devices (id) on delete set null,
  status public.delivery_status not null default 'pending',
  attempts integer not null default 0 constraint notification_deliveries_attempts_range check (attempts >= 0),
  last_error text
    constraint notification_deliveries_last_error_length check (char_length(last_error) <= 1000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint notification_deliveries_sms_has_no_device check (channel = 'push' or device_id is null)
);
comment on table public.notification_deliveries is
  'Push and SMS fan-out queue: one push per device of the person, one SMS when the person has no device and the '
  'kind is order_update, ride_update or payment. The worker (service role) sends pending rows, counts attempts and '
  'keeps the last error. device_id names the target of a push (null once that device is removed: not sent). '
  'Admins read it; nobody else.';

-- Indexes --------------------------------------------------------------------------------------------------------
create index notifications_user_id_created_at_idx on public.notifications (user_id, created_at desc);
create index notifications_unread_idx on public.notifications (user_id) where read_at is null;
create index notification_deliveries_notification_id_idx on public.notification_deliveries (notification_id);
create index notification_deliveries_device_id_idx on public.notification_deliveries (device_id);
create index notification_deliveries_pending_idx on public.notification_deliveries (created_at) where status = 'pending';

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on public.notifications, public.notification_deliveries from anon, authenticated;
grant select on public.notifications to authenticated;
grant update (read_at) on public.notifications to authenticated;
grant select on public.notification_deliveries to authenticated;

-- Row level security ---------------------------------------------------------------------------------------------
alter table public.notifications enable row level security;
alter table public.notification_deliveries enable row level security;

-- Triggers -------------------------------------------------------------------------------------------------------
create function private.notification_language()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  select p.language into new.language from public.profiles p where p.id = new.user_id;
  new.language := coalesce(new.language, 'fr');
  return new;
end;
$$;
comment on function private.notification_language() is
  'Trigger before insert on notifications when no language is given: the recipient''s profile language (French '
  'when the person has no profile). Never called directly.';
revoke all on function private.notification_language() from public;

create trigger notifications_language
  before insert on public.notifications
  for each row when (new.language is null) execute function private.notification_language();

create function private.broadcast_notification()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform realtime.send(
    jsonb_build_object(
      'id', new.id,
      'kind', new.kind,
      'title', new.title,
      'body', new.body,
      'data', new.data,
      'created_at', new.created_at
    ),
    'notification',
    'user:' || new.user_id,
    true
  );
  return null;
end;
$$;
comment on function private.broadcast_notification() is
  'Trigger after insert on notifications: broadcasts {id, kind, title, body, data, created_at} with realtime.send '
  'as event "notification" on the private topic user:<user_id>, in the inserting transaction (nothing is sent if it '
  'rolls back). Runs as owner, so the write to realtime.messages does not depend on the writer''s policies. Never '
  'called directly.';
revoke all on function private.broadcast_notification() from public;

create trigger notifications_broadcast
  after insert on public.notifications
  for each row execute function private.broadcast_notification();

create function private.queue_notification_deliveries()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.notification_deliveries (notification_id, channel, device_id)
  select new.id, 'push', d.id from public.devices d where d.user_id = new.user_id;
  if not found
     and new.kind in ('order_update', 'ride_update', 'payment')
     and exists (select 1 from auth.users u where u.id = new.user_id and coalesce(u.phone, '') <> '') then
    insert into public.notification_deliveries (notification_id, channel) values (new.id, 'sms');
  end if;
  return null;
end;
$$;
comment on function private.queue_notification_deliveries() is
  'Trigger after insert on notifications: queues one pending push per device of the person; when the person has '
  'no device, one pending SMS for order_update, ride_update and payment (the news a person without the app must '
  'still get), if Auth knows their phone. Runs as owner. Never called directly.';
revoke all on function private.queue_notification_deliveries() from public;

create trigger notifications_queue_deliveries
  after insert on public.notifications
  for each row execute function private.queue_notification_deliveries();

create trigger notification_deliveries_touch_updated_at
  before update on public.notification_deliveries
  for each row execute function private.touch_updated_at();

-- Policies -------------------------------------------------------------------------------------------------------
create policy "People can view their own notifications"
  on public.notifications for select to authenticated
  using (user_id = (select auth.uid()));

create policy "People can mark their own notifications read"
  on public.notifications for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

create policy "Admins can view notification deliveries"
  on public.notification_deliveries for select to authenticated
  using ((select private.is_admin()));

-- Functions ------------------------------------------------------------------------------------------------------
create function public.mark_notifications_read(ids uuid[] default null)
returns integer
language sql
volatile
security invoker
set search_path = ''
as $$
  with marked as (
    update public.notifications n
       set read_at = now()
     where n.user_id = (select auth.uid())
       and n.read_at is null
       and (mark_notifications_read.ids is null or n.id = any (mark_notifications_read.ids))
    returning 1
  )
  select count(*)::integer from marked;
$$;
comment on function public.mark_notifications_read(uuid[]) is
  'rpc mark_notifications_read: marks the caller''s unread notifications read now (all of them, or those in ids) '
  'and returns how many. Runs as the caller, under RLS. For authenticated.';
revoke all on function public.mark_notifications_read(uuid[]) from public, anon;
grant execute on function public.mark_notifications_read(uuid[]) to authenticated, service_role;
