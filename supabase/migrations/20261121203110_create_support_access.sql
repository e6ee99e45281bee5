-- What the read-only support role may read (issue 10, docs/admin-ops.md "Support"). private.is_support() and
-- private.is_staff() (admin or support) join private.is_admin(); the SELECT policies of the operations tables, which
-- let admins read everything through `(select private.is_admin())`, are rewritten in place to call
-- private.is_staff() instead, so support reads exactly what admins read there and the rule "one policy per table,
-- command and role" holds. Insert, update and delete policies, every admin RPC and every edge-function endpoint keep
-- checking the admin role: support writes nothing. Left out on purpose: the delivery codes and ride start PINs
-- (support must not be able to read a code to a caller), the payment providers' raw callbacks, addresses.
-- public.admin_overview is re-created with the same body and private.is_staff() as its check.

-- Functions ------------------------------------------------------------------------------------------------------
create function private.is_support()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select 1 from public.user_roles r where r.user_id = (select auth.uid()) and r.role = 'support');
$$;
comment on function private.is_support() is
  'True when the signed-in caller holds the read-only support role. For RLS policies (wrap it: '
  '`(select private.is_support())`); executable by authenticated and service_role only.';
revoke all on function private.is_support() from public, anon;
grant execute on function private.is_support() to authenticated, service_role;

create function private.is_staff()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.user_roles r where r.user_id = (select auth.uid()) and r.role in ('admin', 'support')
  );
$$;
comment on function private.is_staff() is
  'True when the signed-in caller is admin or support: the operations team. For SELECT policies and read-only RPCs '
  '(wrap it: `(select private.is_staff())`); writes check private.is_admin(). Executable by authenticated and '
  'service_role only.';
revoke all on function private.is_staff() from public, anon;
grant execute on function private.is_staff() to authenticated, service_role;

-- Policies -------------------------------------------------------------------------------------------------------
-- Every SELECT policy for authenticated of these tables that lets admins in now lets staff in. A listed table
-- without such a policy is a mistake in this list: the migration fails rather than silently leave support out.
-- Tables whose policy reads through another table's RLS follow it (order_items, order_events → orders;
-- ride_events → rides; neighbourhood_fares → neighbourhoods).
do $$
declare
  t text;
  pol record;
  changed integer;
begin
  foreach t in array array[
    'profiles', 'user_roles', 'zones', 'ride_fares', 'neighbourhoods', 'order_rates',
    'ride_rates', 'courier_cash_limits', 'promotions', 'stores', 'store_members', 'store_applications', 'couriers',
    'courier_documents', 'courier_presence', 'job_positions', 'orders', 'order_contacts', 'rides', 'offers',
    'ratings', 'disputes', 'dispute_evidence', 'ledger_accounts', 'ledger_entries', 'ledger_postings',
    'payment_intents', 'payouts', 'payout_settings', 'payout_destinations', 'notification_deliveries', 'audit_log'
  ] loop
    changed := 0;
    for pol in
      select p.policyname, p.qual from pg_catalog.pg_policies p
       where p.schemaname = 'public' and p.tablename = t and p.cmd = 'SELECT' and 'authenticated' = any (p.roles)
         and p.qual like '%private.is_admin()%'
    loop
      execute format('alter policy %I on public.%I using (%s)', pol.policyname, t,
                     replace(pol.qual, 'private.is_admin()', 'private.is_staff()'));
      changed := changed + 1;
    end loop;
    if changed = 0 then
      raise exception 'no admin SELECT policy on public.% to open to support', t;
    end if;
  end loop;

  -- Files: the couriers' documents (approvals, disputes) and the address photos of deliveries (a dispute's gate
  -- photo), which admins could not read before either.
  for pol in
    select p.policyname, p.qual from pg_catalog.pg_policies p
     where p.schemaname = 'storage' and p.tablename = 'objects' and p.cmd = 'SELECT'
       and p.policyname in ('Couriers can view files in their own folder, admins all files',
                            'People can view their own photos, couriers the address photo of their active delivery')
  loop
    if pol.qual like '%private.is_admin()%' then
      execute format('alter policy %I on storage.objects using (%s)', pol.policyname,
                     replace(pol.qual, 'private.is_admin()', 'private.is_staff()'));
    else
      execute format('alter policy %I on storage.objects using ((%s) or (bucket_id = %L and (select private.is_staff())))',
                     pol.policyname, pol.qual, 'address-photos');
    end if;
  end loop;
end;
$$;

-- The overview's check: admins only → staff. Same body otherwise (re-created from its own definition).
do $$
declare
  def text := pg_catalog.pg_get_functiondef('public.admin_overview(timestamptz, timestamptz, uuid, text)'::regprocedure);
begin
  if def not like '%private.is_admin()%' then
    raise exception 'admin_overview no longer checks private.is_admin()';
  end if;
  execute replace(def, 'private.is_admin()', 'private.is_staff()');
end;
$$;
comment on function public.admin_overview(timestamptz, timestamptz, uuid, text) is
  'The operations overview for a period (see docs/database.md "Operations"); admins and support (42501 "admins only" '
  'for everyone else, the message kept from before support existed).';
