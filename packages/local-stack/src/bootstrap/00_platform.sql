-- Platform bootstrap, part 1: what the Supabase platform creates before any project migration runs
-- (supabase/postgres init scripts): the API roles, the platform schemas and extensions, default privileges, the
-- realtime publication. Runs once, as the cluster superuser, on a fresh data directory. The auth schema's
-- contents follow in 10_auth.sql.

-- Roles -----------------------------------------------------------------------------------------------------------
create role supabase_admin login superuser createdb createrole replication bypassrls password 'postgres';
create role anon nologin noinherit;
create role authenticated nologin noinherit;
create role service_role nologin noinherit bypassrls;
create role authenticator login noinherit password 'postgres';
grant anon, authenticated, service_role to authenticator;
create role supabase_auth_admin login noinherit createrole password 'postgres';
create role supabase_storage_admin login noinherit createrole password 'postgres';
create role supabase_realtime_admin nologin noinherit;
create role supabase_replication_admin login replication password 'postgres';
create role supabase_read_only_user login bypassrls password 'postgres';
create role dashboard_user nosuperuser createdb createrole replication;
create role pgbouncer login password 'postgres';
grant supabase_auth_admin, supabase_storage_admin, supabase_realtime_admin to postgres;
grant pg_read_all_data to supabase_read_only_user;

-- Timeouts as the platform sets them: a runaway query from the API cannot hold the database.
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';

-- Schemas ---------------------------------------------------------------------------------------------------------
create schema extensions;
grant usage on schema extensions to postgres, anon, authenticated, service_role;
alter default privileges in schema extensions grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges in schema extensions grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges in schema extensions grant all on sequences to postgres, anon, authenticated, service_role;

create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgcrypto with schema extensions;
create extension if not exists pg_stat_statements with schema extensions;

create schema auth authorization supabase_auth_admin;
create schema storage authorization supabase_storage_admin;
create schema realtime authorization supabase_admin;
create schema graphql_public;
create schema graphql;
grant usage on schema auth, storage, realtime, graphql_public, graphql to postgres, anon, authenticated, service_role;
grant all on schema auth to postgres;

-- public: what `auto_expose_new_tables = true` gives (the hosted default). RLS decides what rows a role sees.
grant usage on schema public to postgres, anon, authenticated, service_role;
grant all on schema public to postgres, service_role;
alter default privileges for role postgres in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public grant all on sequences to anon, authenticated, service_role;

alter role postgres set search_path = "$user", public, extensions;
alter role authenticator set search_path = "$user", public, extensions;
alter database postgres set search_path = "$user", public, extensions;

-- Realtime: the publication Supabase creates empty; tables join it with `alter publication … add table`.
create publication supabase_realtime;

-- Settings PostgREST and Auth read at request time.
alter database postgres set "app.settings.jwt_exp" to '3600';
