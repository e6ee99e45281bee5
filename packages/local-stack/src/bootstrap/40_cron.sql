-- Platform bootstrap: a stand-in for the pg_cron extension's SQL surface (schema `cron`, `cron.schedule`,
-- `cron.unschedule`, the `cron.job` and `cron.job_run_details` tables), so a project migration that schedules a job
-- runs unchanged here and on Supabase (where the real extension owns the schema). src/scheduler.ts runs the jobs.
create schema cron authorization supabase_admin;
revoke all on schema cron from public;
grant usage on schema cron to postgres;

create table cron.job (
  jobid bigserial primary key,
  schedule text not null,
  command text not null,
  nodename text not null default 'localhost',
  nodeport integer not null default 5432,
  database text not null default current_database(),
  username text not null default current_user,
  active boolean not null default true,
  jobname text unique
);

create table cron.job_run_details (
  jobid bigint,
  runid bigserial primary key,
  job_pid integer,
  database text,
  username text,
  command text,
  status text,
  return_message text,
  start_time timestamptz,
  end_time timestamptz
);

grant select, insert, update, delete on cron.job, cron.job_run_details to postgres;
grant usage on all sequences in schema cron to postgres;

-- pg_cron accepts five-field cron expressions and, since 1.5, '<1-59> seconds'.
create function cron.check_schedule(schedule text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
begin
  if schedule ~ '^\s*([1-9]|[1-5][0-9])\s+seconds?\s*$'
     or schedule ~ '^\s*\S+\s+\S+\s+\S+\s+\S+\s+\S+\s*$' then
    return btrim(schedule);
  end if;
  raise exception 'invalid schedule: %', schedule using errcode = '22023';
end;
$$;

create function cron.schedule(job_name text, schedule text, command text)
returns bigint
language sql
as $$
  insert into cron.job (jobname, schedule, command)
  values (job_name, cron.check_schedule(schedule), command)
  on conflict (jobname) do update set schedule = excluded.schedule, command = excluded.command, active = true
  returning jobid;
$$;

create function cron.schedule(schedule text, command text)
returns bigint
language sql
as $$
  insert into cron.job (schedule, command) values (cron.check_schedule(schedule), command) returning jobid;
$$;

create function cron.unschedule(job_name text)
returns boolean
language sql
as $$
  with gone as (delete from cron.job where jobname = job_name returning 1) select exists (select 1 from gone);
$$;

create function cron.unschedule(job_id bigint)
returns boolean
language sql
as $$
  with gone as (delete from cron.job where jobid = job_id returning 1) select exists (select 1 from gone);
$$;

revoke all on all functions in schema cron from public;
grant execute on all functions in schema cron to postgres;
