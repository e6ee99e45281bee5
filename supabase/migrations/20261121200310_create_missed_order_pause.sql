-- Automatic pause after missed orders (merchant app, issue 8): when a store lets orders go unanswered (the order
-- timeouts cancel them, actor `system`), customers should stop ordering from a phone nobody watches. The second
-- order of an open store cancelled that way within 30 minutes puts the store in busy mode for 30 minutes (status
-- busy, busy_until), as if its merchant had pressed "busy 30 min", and its merchants get a system notification
-- telling them so. A busy or closed store is left as it is; the merchant reopens from the app.

-- Triggers -------------------------------------------------------------------------------------------------------
create function private.pause_store_after_missed_orders()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  missed integer;
  s public.stores;
  until_at timestamptz := now() + interval '30 minutes';
begin
  if not (old.status = 'pending' and new.status = 'cancelled' and new.cancelled_by = 'system') then
    return null;
  end if;
  select count(*) into missed
    from public.orders o
   where o.store_id = new.store_id
     and o.status = 'cancelled'
     and o.cancelled_by = 'system'
     and o.accepted_at is null
     and o.cancelled_at > now() - interval '30 minutes';
  if missed < 2 then
    return null;
  end if;
  update public.stores st set status = 'busy', busy_until = until_at
   where st.id = new.store_id and st.status = 'open'
  returning * into s;
  if s.id is null then
    return null;
  end if;
  insert into public.notifications (user_id, kind, language, title, body, data)
  select m.user_id, 'system', coalesce(pr.language, 'fr'),
         case coalesce(pr.language, 'fr') when 'en' then 'Store paused' else 'Boutique en pause' end,
         case coalesce(pr.language, 'fr')
           when 'en' then format('%s orders went unanswered: %s takes no orders for 30 minutes. Reopen it from the app when you are there.',
                                 missed, s.name)
           else format('%s commandes sont restées sans réponse : %s ne reçoit plus de commandes pendant 30 minutes. Rouvrez-la depuis l''app quand vous êtes là.',
                       missed, s.name) end,
         jsonb_build_object('event', 'store_paused', 'store_id', s.id, 'busy_until', s.busy_until, 'missed', missed)
    from public.store_members m
    join public.user_roles r on r.user_id = m.user_id and r.role = 'merchant'
    left join public.profiles pr on pr.id = m.user_id
   where m.store_id = s.id;
  return null;
end;
$$;
comment on function private.pause_store_after_missed_orders() is
  'Trigger after update of status on orders: the second pending order of a store cancelled by the system (no answer) '
  'within 30 minutes sets an open store busy for 30 minutes and notifies its merchants (kind system, data.event '
  'store_paused). Never called directly.';
revoke all on function private.pause_store_after_missed_orders() from public;

create trigger orders_pause_store_after_missed
  after update of status on public.orders
  for each row execute function private.pause_store_after_missed_orders();
