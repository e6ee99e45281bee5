-- Realtime: the parts of the `realtime` schema that projects build on, as Supabase Realtime's migrations leave them
-- (squashed 2026-04 + broadcast storage), so migrations that write policies on realtime.messages or call
-- realtime.send / realtime.broadcast_changes apply here and on hosted projects alike. The schema and the
-- `supabase_realtime` publication come from 00_platform.sql. Not reproduced: realtime.subscription and the
-- wal2json helpers (apply_rls, list_changes…): the stand-in keeps subscriptions in memory and reads pgoutput.

-- Messages: the Broadcast-from-database queue and the table Realtime Authorization policies are written on.
create table realtime.messages (
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp without time zone not null default now(),
  inserted_at timestamp without time zone not null default now(),
  id uuid not null default gen_random_uuid(),
  binary_payload bytea,
  constraint messages_pkey primary key (id, inserted_at)
);
comment on table realtime.messages is
  'Realtime: rows inserted here (realtime.send, realtime.broadcast_changes) are broadcast to their topic; RLS '
  'policies on this table authorise private channels (select = read, insert = write), with realtime.topic().';

create index messages_inserted_at_topic_index on realtime.messages (inserted_at desc, topic)
  where extension = 'broadcast' and private is true;

alter table realtime.messages owner to supabase_realtime_admin;
grant select, insert, update on realtime.messages to postgres, anon, authenticated, service_role;
grant delete, truncate, references, trigger on realtime.messages to postgres;
grant usage, create on schema realtime to supabase_realtime_admin;

alter table realtime.messages enable row level security;

-- Broadcast from the database reaches the server through its own publication, as on the platform.
create publication supabase_realtime_messages_publication for table realtime.messages;

-- The topic of the channel being authorised (set by Realtime while it evaluates policies, and by realtime.send).
create function realtime.topic() returns text
  language sql stable
as $$
  select nullif(current_setting('realtime.topic', true), '')::text;
$$;

-- Broadcasts `payload` (given an `id` when it has none) as `event` on `topic`; private by default. Runs as the
-- caller, so the caller needs insert on realtime.messages (policies apply). Never raises: a failure is a warning.
create function realtime.send(payload jsonb, event text, topic text, private boolean default true) returns void
  language plpgsql
as $$
declare
  generated_id uuid;
  final_payload jsonb;
begin
  begin
    generated_id := gen_random_uuid();
    if payload ? 'id' then
      final_payload := payload;
    else
      final_payload := jsonb_set(payload, '{id}', to_jsonb(generated_id));
    end if;
    execute format('set local realtime.topic to %L', topic);
    insert into realtime.messages (id, payload, event, topic, private, extension)
    values (generated_id, final_payload, event, topic, private, 'broadcast');
  exception
    when others then
      raise warning 'ErrorSendingBroadcastMessage: %', sqlerrm;
  end;
end;
$$;

-- Same as realtime.send for raw bytes (delivered as a binary broadcast).
create function realtime.send_binary(payload bytea, event text, topic text, private boolean default true) returns void
  language plpgsql
as $$
begin
  begin
    execute format('set local realtime.topic to %L', topic);
    insert into realtime.messages (binary_payload, event, topic, private, extension)
    values (payload, event, topic, private, 'broadcast');
  exception
    when others then
      raise warning 'ErrorSendingBroadcastMessage: %', sqlerrm;
  end;
end;
$$;

-- Trigger helper: broadcasts {record, old_record, operation, table, schema} of a row change on `topic_name`.
create function realtime.broadcast_changes(
  topic_name text, event_name text, operation text, table_name text, table_schema text,
  new record, old record, level text default 'ROW'
) returns void
  language plpgsql
as $$
declare
  row_data jsonb := '{}'::jsonb;
begin
  if level = 'STATEMENT' then
    raise exception 'function can only be triggered for each row, not for each statement';
  end if;
  if operation = 'INSERT' or operation = 'UPDATE' or operation = 'DELETE' then
    row_data := jsonb_build_object('old_record', old, 'record', new, 'operation', operation, 'table', table_name,
                                   'schema', table_schema);
    perform realtime.send(row_data, event_name, topic_name);
  else
    raise exception 'Unexpected operation type: %', operation;
  end if;
exception
  when others then
    raise exception 'Failed to process the row: %', sqlerrm;
end;
$$;

alter function realtime.topic() owner to supabase_realtime_admin;
alter function realtime.send(jsonb, text, text, boolean) owner to supabase_realtime_admin;
alter function realtime.send_binary(bytea, text, text, boolean) owner to supabase_realtime_admin;
alter function realtime.broadcast_changes(text, text, text, text, text, record, record, text)
  owner to supabase_realtime_admin;
grant all on all functions in schema realtime to supabase_realtime_admin;
