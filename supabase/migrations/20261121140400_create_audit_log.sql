-- Audit log: who changed what in the tables that decide power and money (roles, store membership, store approval and
-- commission, zones and fee grids, ride fares, promotions). A generic row trigger, private.audit_row(), records the
-- actor (id and role from the JWT; the SQL role when there is no JWT), the action, the table, the row's key, the
-- old and new row as jsonb with sensitive columns redacted, and the API request id when there is one. The log is
-- append-only for everyone: no grant lets anyone update, delete or truncate it, and a trigger refuses it anyway.
-- Admins read it.

-- Types ----------------------------------------------------------------------------------------------------------
create type public.audit_action as enum ('insert', 'update', 'delete');
comment on type public.audit_action is 'The change an audit_log row records.';

-- Tables ---------------------------------------------------------------------------------------------------------
create table public.audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor_id uuid,
  actor_role text not null,
  action public.audit_action not null,
  table_name text not null,
  row_id text not null,
  old_data jsonb,
  new_data jsonb,
  request_id text
);
comment on table public.audit_log is
  'Append-only record of changes to sensitive tables, written only by private.audit_row(): at, actor_id (auth.uid(), '
  'null for SQL and the service role without a user), actor_role (the JWT role: authenticated, service_role…, or '
  'the database role), action, table_name, row_id (id, or the primary key columns joined by ":"), old_data / '
  'new_data (sensitive columns replaced by "[redacted]"), request_id (x-request-id or sb-request-id of the API '
  'call). No foreign keys: the history outlives the rows and people it names. Admins read it; nobody changes it.';

-- Indexes --------------------------------------------------------------------------------------------------------
create index audit_log_at_idx on public.audit_log (at desc);
create index audit_log_table_row_idx on public.audit_log (table_name, row_id);
create index audit_log_actor_id_idx on public.audit_log (actor_id);

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on public.audit_log from anon, authenticated, service_role;
grant select on public.audit_log to authenticated, service_role;

-- Row level security ---------------------------------------------------------------------------------------------
alter table public.audit_log enable row level security;

-- Triggers -------------------------------------------------------------------------------------------------------
create function private.refuse_audit_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = 'insufficient_privilege',
    message = 'the audit log is append-only: rows cannot be changed or deleted';
end;
$$;
comment on function private.refuse_audit_change() is
  'Trigger on audit_log: refuses update, delete and truncate for every role, owner included (retention jobs must '
  'disable the trigger explicitly, which only the table owner can do and which is itself visible). Never called '
  'directly.';
revoke all on function private.refuse_audit_change() from public;

create trigger audit_log_append_only
  before update or delete on public.audit_log
  for each row execute function private.refuse_audit_change();

create trigger audit_log_no_truncate
  before truncate on public.audit_log
  for each statement execute function private.refuse_audit_change();

-- The generic audit trigger. Arguments: extra column names to redact, beside the ones redacted everywhere.
create function private.audit_row()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  redacted constant text[] := array['push_token', 'token', 'secret', 'password', 'pin', 'otp', 'delivery_code'];
  old_data jsonb;
  new_data jsonb;
  key_row jsonb;
  row_key text;
  col text;
  claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
  headers jsonb := nullif(current_setting('request.headers', true), '')::jsonb;
begin
  if tg_op in ('UPDATE', 'DELETE') then
    old_data := to_jsonb(old);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    new_data := to_jsonb(new);
  end if;
  if tg_op = 'UPDATE' and old_data = new_data then
    return null;
  end if;

  key_row := coalesce(new_data, old_data);
  if key_row ? 'id' then
    row_key := key_row ->> 'id';
  else
    select string_agg(key_row ->> a.attname, ':' order by k.ord)
      into row_key
      from pg_catalog.pg_index i
      cross join lateral unnest(i.indkey) with ordinality as k (attnum, ord)
      join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
     where i.indrelid = tg_relid and i.indisprimary;
  end if;

  foreach col in array redacted || coalesce(tg_argv, '{}'::text[]) loop
    if old_data ? col then
      old_data := jsonb_set(old_data, array[col], '"[redacted]"');
    end if;
    if new_data ? col then
      new_data := jsonb_set(new_data, array[col], '"[redacted]"');
    end if;
  end loop;

  insert into public.audit_log (actor_id, actor_role, action, table_name, row_id, old_data, new_data, request_id)
  values (
    nullif(claims ->> 'sub', '')::uuid,
    coalesce(claims ->> 'role', session_user),
    lower(tg_op)::public.audit_action,
    tg_table_name,
    coalesce(row_key, ''),
    old_data,
    new_data,
    coalesce(headers ->> 'x-request-id', headers ->> 'sb-request-id')
  );
  return null;
end;
$$;
comment on function private.audit_row() is
  'Trigger (after insert, update or delete, for each row) that appends the change to public.audit_log: actor from '
  'the JWT claims (sub, role; the session role without a JWT), row key, old / new row with push_token, token, '
  'secret, password, pin, otp, delivery_code and the columns given as trigger arguments redacted. Updates that '
  'change nothing are not logged. Runs as owner (nobody else may write the log). Never called directly.';
revoke all on function private.audit_row() from public;

create trigger user_roles_audit
  after insert or update or delete on public.user_roles
  for each row execute function private.audit_row();

create trigger store_members_audit
  after insert or update or delete on public.store_members
  for each row execute function private.audit_row();

-- Stores change often (status open / busy / closed, hours, photos): only creation, deletion and the admin-only
-- columns are audited.
create trigger stores_audit
  after insert or delete on public.stores
  for each row execute function private.audit_row();

create trigger stores_audit_approval
  after update of approval_status, commission_bps on public.stores
  for each row
  when (old.approval_status is distinct from new.approval_status or old.commission_bps is distinct from new.commission_bps)
  execute function private.audit_row();

create trigger zones_audit
  after insert or update or delete on public.zones
  for each row execute function private.audit_row();

create trigger ride_fares_audit
  after insert or update or delete on public.ride_fares
  for each row execute function private.audit_row();

create trigger promotions_audit
  after insert or update or delete on public.promotions
  for each row execute function private.audit_row();

-- Policies -------------------------------------------------------------------------------------------------------
create policy "Admins can view the audit log"
  on public.audit_log for select to authenticated
  using ((select private.is_admin()));
