-- The order clock: private.run_order_timeouts() every 30 seconds (merchant never answered, scheduled order due).
-- On Supabase this is pg_cron; the local stack provides the same `cron` SQL surface and runs the job itself.

do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'pg_cron') then
    create extension if not exists pg_cron;
  end if;
end
$$;

select cron.schedule('ecom-order-timeouts', '30 seconds', 'select private.run_order_timeouts()');
