-- The operations team's overview (the admin dashboard's first screen): for a period and optionally one zone, what
-- happened (orders placed / delivered / cancelled / rejected, rides, money through the platform, delivery times)
-- and what is happening now (orders in progress, couriers online, stores open), with a series per hour or per day
-- for the charts. One call, one snapshot: every figure comes from the same transaction.

create function public.admin_overview(
  from_at timestamptz,
  to_at timestamptz,
  zone uuid default null,
  bucket text default 'hour'
)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  tz text;
  result jsonb;
begin
  if not (select private.is_admin()) then
    raise exception using errcode = 'insufficient_privilege', message = 'admins only';
  end if;
  if from_at is null or to_at is null or to_at <= from_at then
    raise exception using errcode = 'check_violation', message = 'to_at must be after from_at';
  end if;
  if to_at - from_at > interval '366 days' then
    raise exception using errcode = 'check_violation', message = 'the period is longer than 366 days';
  end if;
  if bucket = 'hour' and to_at - from_at > interval '31 days' then
    raise exception using errcode = 'check_violation', message = 'hourly series cover 31 days at most';
  end if;
  if bucket not in ('hour', 'day') then
    raise exception using errcode = 'check_violation', message = format('bucket must be hour or day, got %s', bucket);
  end if;
  if zone is not null and not exists (select 1 from public.zones z where z.id = zone) then
    raise exception using errcode = 'foreign_key_violation', message = format('unknown zone %s', zone);
  end if;
  -- Buckets follow the zone's clock (the pilot's when no zone is given): a "day" is a day in Tiassalé.
  select coalesce((select z.timezone from public.zones z where z.id = zone),
                  (select z.timezone from public.zones z where z.active order by z.name limit 1),
                  'Africa/Abidjan')
    into tz;

  with o as (
    select * from public.orders
     where created_at >= from_at and created_at < to_at and (zone is null or zone_id = zone)
  ), r as (
    select * from public.rides
     where requested_at >= from_at and requested_at < to_at and (zone is null or zone_id = zone)
  ), delivery_minutes as (
    select extract(epoch from (delivered_at - coalesce(scheduled_for, created_at))) / 60 as m
      from o where status = 'delivered' and fulfilment = 'delivery' and delivered_at is not null
  ), slots as (
    select g as at
      from generate_series(date_trunc(bucket, from_at at time zone tz), date_trunc(bucket, (to_at - interval '1 microsecond') at time zone tz),
                           case bucket when 'hour' then interval '1 hour' else interval '1 day' end) g
  ), o_by as (
    select date_trunc(bucket, created_at at time zone tz) as at, count(*) as orders,
           count(*) filter (where status = 'delivered') as delivered,
           coalesce(sum(total_xof) filter (where status = 'delivered'), 0) as gmv_xof
      from o group by 1
  ), r_by as (
    select date_trunc(bucket, requested_at at time zone tz) as at, count(*) as rides from r group by 1
  ), series as (
    select s.at, coalesce(ob.orders, 0) as orders, coalesce(ob.delivered, 0) as delivered,
           coalesce(ob.gmv_xof, 0) as gmv_xof, coalesce(rb.rides, 0) as rides
      from slots s left join o_by ob on ob.at = s.at left join r_by rb on rb.at = s.at
  )
  select jsonb_build_object(
    'from_at', from_at, 'to_at', to_at, 'zone', zone, 'timezone', tz, 'bucket', bucket,
    'orders', jsonb_build_object(
      'placed', (select count(*) from o),
      'delivered', (select count(*) from o where status = 'delivered'),
      'cancelled', (select count(*) from o where status = 'cancelled'),
      'rejected', (select count(*) from o where status = 'rejected'),
      'in_progress', (select count(*) from o where status in ('pending', 'accepted', 'preparing', 'ready', 'picked_up')),
      'gmv_xof', (select coalesce(sum(total_xof), 0) from o where status = 'delivered'),
      'average_basket_xof', (select coalesce(round(avg(total_xof)), 0) from o where status = 'delivered'),
      'by_payment', (select coalesce(jsonb_object_agg(payment_method, n), '{}'::jsonb)
                       from (select payment_method, count(*) as n from o where status = 'delivered'
                              group by payment_method) p),
      'cancellation_rate', (select case when count(*) = 0 then 0
                                        else round(count(*) filter (where status in ('cancelled', 'rejected'))::numeric
                                                   / count(*), 4) end from o),
      'delivery_minutes_avg', (select round(avg(m)::numeric, 1) from delivery_minutes),
      'delivery_minutes_p90', (select round((percentile_cont(0.9) within group (order by m))::numeric, 1)
                                 from delivery_minutes)
    ),
    'rides', jsonb_build_object(
      'requested', (select count(*) from r),
      'completed', (select count(*) from r where status = 'completed'),
      'cancelled', (select count(*) from r where status = 'cancelled'),
      'expired', (select count(*) from r where status = 'expired'),
      'fares_xof', (select coalesce(sum(final_fare_xof), 0) from r where status = 'completed')
    ),
    'now', jsonb_build_object(
      'orders_in_progress', (select count(*) from public.orders x
                              where x.status in ('pending', 'accepted', 'preparing', 'ready', 'picked_up')
                                and (zone is null or x.zone_id = zone)),
      'rides_in_progress', (select count(*) from public.rides x
                             where x.status in ('requested', 'accepted', 'arrived', 'in_progress')
                               and (zone is null or x.zone_id = zone)),
      'couriers_online', (select count(*) from public.courier_presence p
                            join public.couriers c on c.user_id = p.courier_id
                           where p.online and p.updated_at > now() - interval '2 minutes'
                             and c.approval_status = 'approved' and (zone is null or c.zone_id = zone)),
      'stores_open', (select count(*) from public.stores s
                       where s.approval_status = 'approved' and s.status = 'open'
                         and (zone is null or s.zone_id = zone))
    ),
    'series', (select coalesce(jsonb_agg(jsonb_build_object('at', to_char(at, 'YYYY-MM-DD"T"HH24:MI'),
                                                            'orders', orders, 'delivered', delivered,
                                                            'gmv_xof', gmv_xof, 'rides', rides) order by at),
                               '[]'::jsonb) from series)
  ) into result;
  return result;
end;
$$;
comment on function public.admin_overview(timestamptz, timestamptz, uuid, text) is
  'The admin dashboard''s overview for [from_at, to_at) (at most 366 days), optionally one zone: orders (placed, '
  'delivered, cancelled, rejected, in progress, GMV of delivered orders, average basket, by payment method, '
  'cancellation rate, delivery minutes average and p90 from placement or scheduled time), rides, what is in '
  'progress now (orders, rides, approved couriers online in the last 2 minutes, approved stores open), and a '
  'series per hour or day in the zone''s time zone. Admins only (insufficient_privilege otherwise); check_violation '
  'on a bad period or bucket (hourly: 31 days at most), foreign_key_violation on an unknown zone.';
revoke all on function public.admin_overview(timestamptz, timestamptz, uuid, text) from public;
grant execute on function public.admin_overview(timestamptz, timestamptz, uuid, text) to authenticated, service_role;
