-- Platform bootstrap: a stand-in for the pg_net extension's SQL surface (schema `net`, `net.http_post`, the queue
-- `net.http_request_queue` and the answers `net._http_response`), so the SQL that schedules an HTTP call with pg_cron
-- on Supabase (docs/API.md, the notify drain) runs unchanged here. As pg_net, a call only queues the request and
-- returns its id; src/net.ts is the background worker that sends queued requests once their transaction committed,
-- and records each answer (kept 6 hours). Only http_post, the one call this project makes.
create schema net authorization supabase_admin;
revoke all on schema net from public;
grant usage on schema net to postgres;

create table net.http_request_queue (
  id bigserial primary key,
  method text not null,
  url text not null,
  headers jsonb not null,
  body bytea,
  timeout_milliseconds integer not null
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

grant select, insert, update, delete on net.http_request_queue, net._http_response to postgres;
grant usage on all sequences in schema net to postgres;

create function net.http_post(
  url text,
  body jsonb default '{}'::jsonb,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
  timeout_milliseconds integer default 5000
)
returns bigint
language plpgsql
as $$
declare
  full_url text := url;
  query text;
  request_id bigint;
begin
  if url is null or url !~ '^https?://' then
    raise exception 'net.http_post: url must start with http:// or https://, got %', url using errcode = '22023';
  end if;
  select string_agg(format('%s=%s', k, v), '&') into query from jsonb_each_text(coalesce(params, '{}')) as p (k, v);
  if query is not null then
    full_url := full_url || case when full_url like '%?%' then '&' else '?' end || query;
  end if;
  insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
  values ('POST', full_url, coalesce(headers, '{}'), convert_to(coalesce(body, '{}')::text, 'UTF8'), timeout_milliseconds)
  returning id into request_id;
  return request_id;
end;
$$;

revoke all on all functions in schema net from public;
grant execute on all functions in schema net to postgres;
