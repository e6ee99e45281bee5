-- The payout clock: every 30 seconds a scheduled job asks the `payouts` function to sweep (POST
-- /functions/v1/payouts/sweep with the service-role key: resolve sent payouts by a status call, send approved ones
-- nobody sent). A job is SQL and the sweep needs the providers' HTTP APIs, so the job calls the function with pg_net;
-- the function's URL and the key come from Vault ('project_url', 'service_role_key'), never from a migration.
-- On Supabase: pg_cron and pg_net (enabled here where available) and, once per project, the two secrets:
--   select vault.create_secret('https://<project-ref>.supabase.co', 'project_url');
--   select vault.create_secret('<service-role key>', 'service_role_key');
-- Locally the stack provides the same `cron`, `net` and `vault` surfaces, writes the two secrets at start, and its
-- scheduler runs the job and sends the request (docs/local-stack.md, "Scheduler").

do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'pg_cron') then
    create extension if not exists pg_cron;
  end if;
  if exists (select 1 from pg_available_extensions where name = 'pg_net') then
    create extension if not exists pg_net;
  end if;
end
$$;

-- Functions ------------------------------------------------------------------------------------------------------
create function private.call_edge_function(path text, body jsonb default '{}'::jsonb)
returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
  base text;
  key text;
  request bigint;
begin
  -- Dynamic SQL: the function exists (and does nothing) where pg_net or Vault are missing.
  if to_regprocedure('net.http_post(text, jsonb, jsonb, jsonb, integer)') is null
     or to_regclass('vault.decrypted_secrets') is null then
    raise notice 'call_edge_function: pg_net or Vault is missing; % not called', path;
    return null;
  end if;
  execute 'select max(decrypted_secret) filter (where name = ''project_url''),
                  max(decrypted_secret) filter (where name = ''service_role_key'')
             from vault.decrypted_secrets where name in (''project_url'', ''service_role_key'')'
     into base, key;
  if base is null or key is null then
    raise notice 'call_edge_function: the Vault secrets project_url and service_role_key are not set; % not called', path;
    return null;
  end if;
  execute 'select net.http_post(url := $1, body := $2, headers := $3, timeout_milliseconds := $4)'
     into request
    using rtrim(base, '/') || '/functions/v1/' || path, body,
          jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || key), 25000;
  return request;
end;
$$;
comment on function private.call_edge_function(text, jsonb) is
  'Queues POST <project_url>/functions/v1/<path> with the service-role key (pg_net; URL and key from Vault) and '
  'returns the request id; null, doing nothing, when pg_net, Vault or the secrets are missing. For scheduled jobs '
  '(run as postgres); nobody else may call it.';
revoke all on function private.call_edge_function(text, jsonb) from public, anon, authenticated, service_role;

-- Schedules ------------------------------------------------------------------------------------------------------
select cron.schedule('ecom-payout-sweep', '30 seconds', $$select private.call_edge_function('payouts/sweep')$$);
