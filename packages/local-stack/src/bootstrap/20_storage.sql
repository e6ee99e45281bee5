-- Platform bootstrap, part 3: the `storage` schema's contents as Supabase Storage's own migrations leave them
-- (supabase/storage migrations/tenant, single-version era): buckets, objects, the helper functions project policies
-- use (`storage.foldername`, `storage.filename`, `storage.extension`), the listing function, RLS on, and the
-- grants Supabase gives. The schema itself exists already (00_platform.sql, owned by supabase_storage_admin).
-- The Storage stand-in (src/storage/) reads and writes these tables as the caller, so the project's policies on
-- storage.objects and storage.buckets decide, exactly as on hosted projects.

-- Types -----------------------------------------------------------------------------------------------------------
create type storage.buckettype as enum ('STANDARD', 'ANALYTICS', 'VECTOR');
alter type storage.buckettype owner to supabase_storage_admin;

-- Tables ----------------------------------------------------------------------------------------------------------
create table storage.migrations (
  id integer primary key,
  name varchar(100) unique not null,
  hash varchar(40) not null,
  executed_at timestamp default current_timestamp
);
comment on table storage.migrations is 'Storage''s own migration log (kept for schema compatibility; the stand-in does not use it).';

create table storage.buckets (
  id text not null primary key,
  name text not null,
  owner uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  public boolean default false,
  avif_autodetection boolean default false,
  file_size_limit bigint,
  allowed_mime_types text[],
  owner_id text,
  type storage.buckettype not null default 'STANDARD'
);
comment on table storage.buckets is
  'Storage buckets. Who may list, create, update or delete them is decided by RLS policies (the service role bypasses).';
comment on column storage.buckets.owner is 'Field is deprecated, use owner_id instead';
create unique index bname on storage.buckets using btree (name);

create table storage.objects (
  id uuid not null default gen_random_uuid() primary key,
  bucket_id text references storage.buckets (id),
  name text,
  owner uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  last_accessed_at timestamptz default now(),
  metadata jsonb,
  path_tokens text[] generated always as (string_to_array(name, '/')) stored,
  version text,
  owner_id text,
  user_metadata jsonb,
  level integer
);
comment on table storage.objects is
  'One row per stored file. Rows are written and read as the calling role, so RLS policies decide who may upload, '
  'read, overwrite, move or remove which object.';
comment on column storage.objects.owner is 'Field is deprecated, use owner_id instead';
create unique index bucketid_objname on storage.objects using btree (bucket_id, name);
create index name_prefix_search on storage.objects (name text_pattern_ops);
create index idx_objects_bucket_id_name on storage.objects (bucket_id, name collate "C");

-- Grants: Supabase gives the API roles every table privilege; the policies decide.
alter table storage.migrations owner to supabase_storage_admin;
alter table storage.buckets owner to supabase_storage_admin;
alter table storage.objects owner to supabase_storage_admin;
grant all on all tables in schema storage to postgres, anon, authenticated, service_role with grant option;
grant all on schema storage to postgres with grant option;
alter default privileges for role supabase_storage_admin in schema storage
  grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_storage_admin in schema storage
  grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_storage_admin in schema storage
  grant all on sequences to postgres, anon, authenticated, service_role;
alter role supabase_storage_admin set search_path = storage;

alter table storage.migrations enable row level security;
alter table storage.buckets enable row level security;
alter table storage.objects enable row level security;

-- Triggers --------------------------------------------------------------------------------------------------------
create or replace function storage.update_updated_at_column() returns trigger
  language plpgsql
as $$
begin
  new.updated_at = now();
  return new;
end;
$$;

create trigger update_objects_updated_at before update on storage.objects
  for each row execute function storage.update_updated_at_column();

-- Functions -------------------------------------------------------------------------------------------------------
-- Path helpers for policies: for 'a/b/c.jpg', foldername → {a,b}, filename → 'c.jpg', extension → 'jpg'.
create or replace function storage.foldername(name text) returns text[]
  language sql immutable
as $$
  select (string_to_array(name, '/'))[1:array_length(string_to_array(name, '/'), 1) - 1]
$$;

create or replace function storage.filename(name text) returns text
  language sql immutable
as $$
  select (string_to_array(name, '/'))[array_length(string_to_array(name, '/'), 1)]
$$;

create or replace function storage.extension(name text) returns text
  language sql immutable
as $$
  select reverse(split_part(reverse(storage.filename(name)), '.', 1))
$$;

-- The operation the Storage server is performing (set per request, e.g. 'storage.object.upload').
create or replace function storage.operation() returns text
  language sql stable
as $$
  select current_setting('storage.operation', true)
$$;

-- Total stored bytes per bucket (superuser reporting).
create or replace function storage.get_size_by_bucket() returns table (size bigint, bucket_id text)
  language sql stable
as $$
  select sum((metadata ->> 'size')::bigint)::bigint as size, objects.bucket_id
  from storage.objects
  group by objects.bucket_id
$$;

-- Tests whether the caller may insert an object (runs the insert and rolls it back by raising).
create or replace function storage.can_insert_object(bucketid text, name text, owner uuid, metadata jsonb)
  returns void
  language plpgsql
as $$
begin
  insert into storage.objects (bucket_id, name, owner, metadata) values (bucketid, name, owner, metadata);
  -- hack to rollback the successful insert
  raise sqlstate 'PT200' using message = 'ROLLBACK', detail = 'rollback successful insert';
end;
$$;

-- One level of a bucket's tree, as `list()` returns it: the folders under `prefix` (no id) first, then the files
-- directly in it. Runs as the caller (security invoker), so RLS hides what the caller may not select.
create or replace function storage.search(
  prefix text,
  bucketname text,
  limits int default 100,
  levels int default 1,
  offsets int default 0,
  search text default '',
  sortcolumn text default 'name',
  sortorder text default 'asc'
) returns table (
  name text,
  id uuid,
  updated_at timestamptz,
  created_at timestamptz,
  last_accessed_at timestamptz,
  metadata jsonb
)
  language plpgsql stable
as $$
declare
  v_order text;
  v_column text;
begin
  v_order := case lower(coalesce(sortorder, 'asc')) when 'desc' then 'desc' else 'asc' end;
  v_column := case lower(coalesce(sortcolumn, 'name'))
    when 'created_at' then 'created_at'
    when 'updated_at' then 'updated_at'
    when 'last_accessed_at' then 'last_accessed_at'
    else 'name'
  end;
  return query execute format(
    'with folders as (
       select o.path_tokens[$1] as folder
       from storage.objects o
       where o.name ilike $2 || $3 || ''%%'' and o.bucket_id = $4 and array_length(o.path_tokens, 1) <> $1
       group by folder
       order by folder %1$s
     )
     (select folder as name, null::uuid as id, null::timestamptz as updated_at, null::timestamptz as created_at,
             null::timestamptz as last_accessed_at, null::jsonb as metadata
      from folders)
     union all
     (select o.path_tokens[$1] as name, o.id, o.updated_at, o.created_at, o.last_accessed_at, o.metadata
      from storage.objects o
      where o.name ilike $2 || $3 || ''%%'' and o.bucket_id = $4 and array_length(o.path_tokens, 1) = $1
      order by %2$s %1$s)
     limit $5 offset $6',
    v_order,
    case v_column when 'name' then 'o.path_tokens[$1]' else 'o.' || v_column end
  ) using levels, prefix, search, bucketname, limits, offsets;
end;
$$;

alter function storage.update_updated_at_column() owner to supabase_storage_admin;
alter function storage.foldername(text) owner to supabase_storage_admin;
alter function storage.filename(text) owner to supabase_storage_admin;
alter function storage.extension(text) owner to supabase_storage_admin;
alter function storage.operation() owner to supabase_storage_admin;
alter function storage.get_size_by_bucket() owner to supabase_storage_admin;
alter function storage.can_insert_object(text, text, uuid, jsonb) owner to supabase_storage_admin;
alter function storage.search(text, text, int, int, int, text, text, text) owner to supabase_storage_admin;
grant all on all functions in schema storage to postgres, anon, authenticated, service_role;
