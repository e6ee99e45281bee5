-- The payout limits a courier may see before asking (courier app, issue 9): payout_settings is admins-only, so the
-- money page could only learn the minimum or the day's maximum from a refusal. rpc courier_payout_limits answers the
-- limits that apply to the caller's own courier wallet and what is left to withdraw today, nothing about anybody else.

-- Functions ------------------------------------------------------------------------------------------------------
create function private.courier_payout_limits()
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
  settings public.payout_settings;
  day_start timestamptz := date_trunc('day', now() at time zone 'Africa/Abidjan') at time zone 'Africa/Abidjan';
  today_total bigint;
begin
  if caller is null or not exists (select 1 from public.couriers c where c.user_id = caller) then
    raise exception using errcode = 'EO403', message = 'not_a_courier';
  end if;
  select * into settings from public.payout_settings where id;
  select coalesce(sum(x.amount_xof), 0) into today_total
    from public.payouts x
   where x.courier_id = caller and x.store_id is null
     and x.created_at >= day_start and x.status not in ('failed', 'rejected');
  return jsonb_build_object(
    'minimum_xof', settings.minimum_xof,
    'daily_maximum_xof', settings.daily_maximum_xof,
    'approval_threshold_xof', settings.approval_threshold_xof,
    'withdrawn_today_xof', today_total,
    'remaining_today_xof', greatest(settings.daily_maximum_xof - today_total, 0)
  );
end;
$$;
comment on function private.courier_payout_limits() is
  'The payout limits for the caller''s courier wallet: {minimum_xof, daily_maximum_xof, approval_threshold_xof, '
  'withdrawn_today_xof, remaining_today_xof} (days of Africa/Abidjan, payouts not failed or rejected, as POST '
  '/payouts counts them). EO403 not_a_courier for anyone without a couriers row. Called by '
  'public.courier_payout_limits; executable by authenticated and service_role.';
revoke all on function private.courier_payout_limits() from public, anon;
grant execute on function private.courier_payout_limits() to authenticated, service_role;

create function public.courier_payout_limits()
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  select private.courier_payout_limits();
$$;
comment on function public.courier_payout_limits() is
  'rpc courier_payout_limits: the payout limits and what is left today for the calling courier (see '
  'private.courier_payout_limits). For authenticated.';
revoke all on function public.courier_payout_limits() from public, anon;
grant execute on function public.courier_payout_limits() to authenticated, service_role;
