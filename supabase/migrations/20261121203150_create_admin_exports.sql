-- Exports for the operations team (issue 10, docs/admin-ops.md "Exports"): orders and payouts of a period, and the
-- couriers' register the town hall asks for (name, phone, vehicle, plate, municipal registration and vest numbers,
-- status, documents and their expiry). Each is an RPC returning rows; the admin app writes the CSV
-- (packages/domain/src/csv.ts). Reads only: admins and support (EO403 staff_only otherwise). A period is [from, to),
-- to after from, at most 366 days (EO400 period_invalid).

-- Functions ------------------------------------------------------------------------------------------------------
create function private.check_export_period(from_at timestamptz, to_at timestamptz)
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if not (select private.is_staff()) then
    perform private.refuse_order(403, 'staff_only');
  end if;
  if from_at is null or to_at is null or to_at <= from_at or to_at - from_at > interval '366 days' then
    perform private.refuse_order(400, 'period_invalid');
  end if;
end;
$$;
comment on function private.check_export_period(timestamptz, timestamptz) is
  'Refusals shared by the exports: EO403 staff_only, EO400 period_invalid. For the export functions only.';
revoke all on function private.check_export_period(timestamptz, timestamptz) from public, anon, authenticated;

create function private.admin_export_orders(from_at timestamptz, to_at timestamptz)
returns table (
  order_id uuid, placed_at timestamptz, status public.order_status, store_name text, customer_name text,
  customer_phone text, fulfilment text, payment_method public.payment_method, subtotal_xof integer,
  delivery_fee_xof integer, discount_xof integer, total_xof integer, refunded_xof bigint, courier_name text,
  delivered_at timestamptz, cancellation_reason text
)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.check_export_period(from_at, to_at);
  return query
  select o.id, o.created_at, o.status, s.name, p.full_name, c.customer_phone, o.fulfilment::text, o.payment_method,
         o.subtotal_xof, o.delivery_fee_xof, o.discount_xof, o.total_xof,
         coalesce((select sum(lp.amount) from public.ledger_entries e
                     join public.ledger_postings lp on lp.entry_id = e.id
                     join public.ledger_accounts a on a.id = lp.account_id
                    where e.order_id = o.id and e.kind = 'refund' and a.kind = 'customer_wallet'), 0)::bigint,
         cp.full_name, o.delivered_at, coalesce(o.cancellation_reason, o.rejection_reason)
    from public.orders o
    join public.stores s on s.id = o.store_id
    left join public.profiles p on p.id = o.customer_id
    left join public.order_contacts c on c.order_id = o.id
    left join public.profiles cp on cp.id = o.courier_id
   where o.created_at >= from_at and o.created_at < to_at
   order by o.created_at, o.id;
end;
$$;
comment on function private.admin_export_orders(timestamptz, timestamptz) is
  'Orders placed in [from_at, to_at), oldest first: id, time, status, store, customer name and phone, fulfilment, '
  'payment, amounts (FCFA), refunded so far, courier, delivery time, cancellation or rejection reason.';
revoke all on function private.admin_export_orders(timestamptz, timestamptz) from public, anon;
grant execute on function private.admin_export_orders(timestamptz, timestamptz) to authenticated;

create function public.admin_export_orders(p_from timestamptz, p_to timestamptz)
returns table (
  order_id uuid, placed_at timestamptz, status public.order_status, store_name text, customer_name text,
  customer_phone text, fulfilment text, payment_method public.payment_method, subtotal_xof integer,
  delivery_fee_xof integer, discount_xof integer, total_xof integer, refunded_xof bigint, courier_name text,
  delivered_at timestamptz, cancellation_reason text
)
language sql
stable
set search_path = ''
as $$ select * from private.admin_export_orders(p_from, p_to) $$;
comment on function public.admin_export_orders(timestamptz, timestamptz) is
  'rpc admin_export_orders: see private.admin_export_orders. Admins and support.';
revoke all on function public.admin_export_orders(timestamptz, timestamptz) from public, anon;
grant execute on function public.admin_export_orders(timestamptz, timestamptz) to authenticated;

create function private.admin_export_payouts(from_at timestamptz, to_at timestamptz)
returns table (
  payout_id uuid, requested_at timestamptz, payee_kind text, payee_name text, amount_xof integer, phone text,
  operator text, status public.payout_status, provider text, provider_ref text, reviewed_at timestamptz,
  resolved_at timestamptz, reason text
)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.check_export_period(from_at, to_at);
  return query
  select y.id, y.created_at, case when y.store_id is not null then 'store' else 'courier' end,
         coalesce(s.name, p.full_name), y.amount_xof, y.phone, y.operator, y.status, y.provider, y.provider_ref,
         y.reviewed_at, y.resolved_at, coalesce(y.rejection_reason, y.failure_reason)
    from public.payouts y
    left join public.stores s on s.id = y.store_id
    left join public.profiles p on p.id = y.courier_id
   where y.created_at >= from_at and y.created_at < to_at
   order by y.created_at, y.id;
end;
$$;
comment on function private.admin_export_payouts(timestamptz, timestamptz) is
  'Payouts requested in [from_at, to_at), oldest first: id, time, payee (store or courier, name), amount (FCFA), '
  'number and operator, status, provider and its reference, review and resolution times, rejection or failure reason.';
revoke all on function private.admin_export_payouts(timestamptz, timestamptz) from public, anon;
grant execute on function private.admin_export_payouts(timestamptz, timestamptz) to authenticated;

create function public.admin_export_payouts(p_from timestamptz, p_to timestamptz)
returns table (
  payout_id uuid, requested_at timestamptz, payee_kind text, payee_name text, amount_xof integer, phone text,
  operator text, status public.payout_status, provider text, provider_ref text, reviewed_at timestamptz,
  resolved_at timestamptz, reason text
)
language sql
stable
set search_path = ''
as $$ select * from private.admin_export_payouts(p_from, p_to) $$;
comment on function public.admin_export_payouts(timestamptz, timestamptz) is
  'rpc admin_export_payouts: see private.admin_export_payouts. Admins and support.';
revoke all on function public.admin_export_payouts(timestamptz, timestamptz) from public, anon;
grant execute on function public.admin_export_payouts(timestamptz, timestamptz) to authenticated;

create function private.admin_courier_register()
returns table (
  courier_id uuid, full_name text, phone text, vehicle_type public.vehicle_type, plate text,
  municipal_registration_number text, vest_number text, approval_status public.courier_approval, zone_name text,
  suspended boolean, national_id_expires_on date, driving_licence_expires_on date,
  vehicle_registration_expires_on date, insurance_expires_on date, municipal_card_expires_on date,
  documents text
)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if not (select private.is_staff()) then
    perform private.refuse_order(403, 'staff_only');
  end if;
  return query
  with docs as (
    select distinct on (d.courier_id, d.kind) d.courier_id, d.kind, d.number, d.expires_on, d.review_status
      from public.courier_documents d
     order by d.courier_id, d.kind, (d.review_status = 'approved') desc, d.created_at desc
  )
  select c.user_id, p.full_name,
         case when u.phone is null or u.phone = '' then null else '+' || ltrim(u.phone, '+') end,
         c.vehicle_type, c.plate, c.municipal_registration_number, c.vest_number, c.approval_status, z.name,
         p.suspended_at is not null,
         (select x.expires_on from docs x where x.courier_id = c.user_id and x.kind = 'national_id'),
         (select x.expires_on from docs x where x.courier_id = c.user_id and x.kind = 'driving_licence'),
         (select x.expires_on from docs x where x.courier_id = c.user_id and x.kind = 'vehicle_registration'),
         (select x.expires_on from docs x where x.courier_id = c.user_id and x.kind = 'insurance'),
         (select x.expires_on from docs x where x.courier_id = c.user_id and x.kind = 'municipal_card'),
         (select string_agg(format('%s %s (%s%s)', x.kind, coalesce(x.number, ''), x.review_status,
                                   case when x.expires_on is not null then ', ' || x.expires_on::text else '' end),
                            ' | ' order by x.kind)
            from docs x where x.courier_id = c.user_id)
    from public.couriers c
    join public.zones z on z.id = c.zone_id
    left join public.profiles p on p.id = c.user_id
    left join auth.users u on u.id = c.user_id
   order by z.name, c.vehicle_type, p.full_name, c.user_id;
end;
$$;
comment on function private.admin_courier_register() is
  'The couriers'' register for the town hall: every courier with name, phone, vehicle, plate, municipal registration '
  'and vest numbers, approval status, zone, suspension, the expiry of each document kind (the approved one, else '
  'the newest) and a summary of the documents (kind, number, review status, expiry). Admins and support.';
revoke all on function private.admin_courier_register() from public, anon;
grant execute on function private.admin_courier_register() to authenticated;

create function public.admin_courier_register()
returns table (
  courier_id uuid, full_name text, phone text, vehicle_type public.vehicle_type, plate text,
  municipal_registration_number text, vest_number text, approval_status public.courier_approval, zone_name text,
  suspended boolean, national_id_expires_on date, driving_licence_expires_on date,
  vehicle_registration_expires_on date, insurance_expires_on date, municipal_card_expires_on date,
  documents text
)
language sql
stable
set search_path = ''
as $$ select * from private.admin_courier_register() $$;
comment on function public.admin_courier_register() is
  'rpc admin_courier_register: see private.admin_courier_register. Admins and support.';
revoke all on function public.admin_courier_register() from public, anon;
grant execute on function public.admin_courier_register() to authenticated;
