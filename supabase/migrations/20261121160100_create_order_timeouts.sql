-- Order timeouts, run without a person: every 30 s by pg_cron on Supabase
--   select cron.schedule('ecom-order-timeouts', '30 seconds', 'select private.run_order_timeouts()');
-- and by the local stack's scheduler (packages/local-stack/src/scheduler.ts). Both call the same SQL entry point.
--   1. Due scheduled orders: a scheduled order (pending or accepted) is released when its time comes near
--      (scheduled_for minus the store's preparation minutes, minus 15 minutes for a delivery): the store's merchants
--      are told to start, and for a pending one the merchant's answer clock starts.
--   2. Unanswered orders: a pending order the merchant has not accepted or rejected within 10 minutes (from
--      placement, or from release for a scheduled order) is cancelled by the system actor, with its event and the
--      notifications of the customer and the store.

-- Functions ------------------------------------------------------------------------------------------------------
create function private.run_order_timeouts(answer_within interval default interval '10 minutes')
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  o public.orders;
  released integer := 0;
  cancelled integer := 0;
begin
  for o in
    select ord.* from public.orders ord join public.stores s on s.id = ord.store_id
     where ord.scheduled_for is not null and ord.released_at is null
       and ord.status in ('pending', 'accepted')
       and ord.scheduled_for - make_interval(mins => s.preparation_minutes
                                              + case when ord.fulfilment = 'delivery' then 15 else 0 end) <= now()
     order by ord.scheduled_for
       for update of ord skip locked
  loop
    update public.orders u set released_at = now() where u.id = o.id returning * into o;
    perform private.notify_order(o, 'due', null, array['store']);
    released := released + 1;
  end loop;

  for o in
    select ord.* from public.orders ord
     where ord.status = 'pending'
       and ((ord.scheduled_for is null and ord.created_at <= now() - answer_within)
            or ord.released_at <= now() - answer_within)
     order by ord.created_at
       for update skip locked
  loop
    begin
      o := private.transition_order(o.id, 'cancelled', null, 'system', 'merchant did not answer in time', null);
      perform private.notify_order(o, 'timed_out', null, array['customer', 'store']);
      cancelled := cancelled + 1;
    exception when object_not_in_prerequisite_state then
      null; -- answered in the meantime
    end;
  end loop;
  return jsonb_build_object('released', released, 'cancelled', cancelled);
end;
$$;
comment on function private.run_order_timeouts(interval) is
  'The order clock: releases due scheduled orders (store notified) and cancels, as the system actor, pending '
  'orders unanswered for answer_within (default 10 minutes, from placement or release), notifying customer and '
  'store. Rows being moved by someone else are skipped until the next run. Returns {released, cancelled}. Called '
  'every 30 s by pg_cron on Supabase and by the local stack''s scheduler. Service role only.';
revoke all on function private.run_order_timeouts(interval) from public, anon, authenticated;
grant execute on function private.run_order_timeouts(interval) to service_role;
