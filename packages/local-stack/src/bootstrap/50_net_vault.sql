-- Platform bootstrap: stand-ins for the SQL surface of two Supabase extensions a scheduled job needs to call an
-- Edge Function, so the same migration runs here and on Supabase (where the real extensions own the schemas):
--   pg_net     `net.http_post(url, body, params, headers, timeout_milliseconds)` queues a request and returns its id;
--              src/scheduler.ts sends the queue (as pg_net's background worker does) and writes `net._http_response`.
--   Vault      `vault.create_secret(secret, name, description)` and the view `vault.decrypted_secrets`. Secrets are
--              kept in clear here (a local stack's demo keys); Supabase encrypts them.
create schema net authorization supabase_admin;
revoke all on schema net from public;
grant usage on schema net to postgres;

create table net.http_request_queue (
  id bigserial primary key,
  method text not null,
  url text not null,
  headers jsonb not null default '{}',
  body bytea,
  timeout_milliseconds integer not null,
  created timestamptz not null default now()
);

create table net._http_response (
  id bigint,
  status_code integer,
  content_type text,
  headers jsonb,
  content text,
  timed_out boolean,
  error_msg text,
  created timestamptz not null default now()
);

create function net.http_post(
  url text, body jsonb default '{}'::jsonb, params jsonb default '{}'::jsonb,
  headers jsonb default '{"Content-Type": "application/json"}'::jsonb, timeout_milliseconds integer default 5000
)
returns bigint
language sql
security definer
set search_path = ''
as $$
  insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
  values ('POST',
          url || coalesce('?' || nullif((select string_agg(format('%s=%s', k, v), '&') from jsonb_each_text(params) as p (k, v)), ''), ''),
          headers, convert_to(body::text, 'UTF8'), timeout_milliseconds)
  returning id;
$$;

grant select, insert, update, delete on net.http_request_queue, net._http_response to postgres;
grant usage on all sequences in schema net to postgres;
revoke all on all functions in schema net from public;
grant execute on all functions in schema net to postgres;

create schema vault authorization supabase_admin;
revoke all on schema vault from public;
grant usage on schema vault to postgres;

create table vault.secrets (
  id uuid primary key default gen_random_uuid(),
  name text unique,
  description text not null default '',
  secret text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create view vault.decrypted_secrets as
  select s.id, s.name, s.description, s.secret, s.secret as decrypted_secret, s.created_at, s.updated_at
    from vault.secrets s;

create function vault.create_secret(new_secret text, new_name text default null, new_description text default '')
returns uuid
language sql
set search_path = ''
as $$
  insert into vault.secrets (secret, name, description) values (new_secret, new_name, new_description) returning id;
$$;

grant select, insert, update, delete on vault.secrets to postgres;
grant select on vault.decrypted_secrets to postgres;
revoke all on all functions in schema vault from public;
grant execute on all functions in schema vault to postgres;
