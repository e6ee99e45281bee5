-- Paying for orders and rides with the ledger (DESIGN.md §7; docs/payments.md, "Paying and settlement"). The money
-- effect of every status change runs in the transaction of the change, from triggers on orders and rides:
--   placed / requested, wallet or mobile money   hold the total / the quoted fare: customer_wallet → customer_hold
--                                                (mobile money arrives in the wallet by a top-up made for it first)
--   rejected, cancelled, expired                 release what is held back to the wallet
--   delivered (order)                            capture: the hold pays the merchant subtotal − commission, the
--                                                courier delivery fee − cut, the platform the rest (commission + cut
--                                                − discount, negative when a promotion costs more)
--   delivered cash order                         order_cash: the courier's cash in hand −total, the same split; a cash
--                                                pickup paid at the counter: the merchant owes the platform's share
--   completed (ride)                             capture the final fare (driver fare − commission, platform the
--                                                commission), release the rest of the hold; cash: ride_cash
--   cancellation fee stamped on a ride           cancellation_fee: from the rider's wallet (a wallet ride's hold went
--                                                back to it just before), the driver gets fee − commission; a cash
--                                                rider whose wallet is short is let off (no entry: waived)
-- Functions: private.hold_order_money, private.settle_order_money, private.hold_ride_money,
-- private.settle_ride_money, private.collect_ride_cancellation_fee, private.order_split, private.held_for.

-- Functions ------------------------------------------------------------------------------------------------------
create function private.posting(account uuid, amount bigint)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_object('account', account, 'amount', amount);
$$;
comment on function private.posting(uuid, bigint) is 'One posting line for private.post_entry.';
revoke all on function private.posting(uuid, bigint) from public, anon, authenticated;
grant execute on function private.posting(uuid, bigint) to service_role;

create function private.held_for(customer uuid, order_id uuid default null, ride_id uuid default null)
returns bigint
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(sum(p.amount), 0)::bigint
    from public.ledger_entries e
    join public.ledger_postings p on p.entry_id = e.id
    join public.ledger_accounts a on a.id = p.account_id
   where a.kind = 'customer_hold' and a.owner_id = customer
     and (e.order_id = held_for.order_id or e.ride_id = held_for.ride_id);
$$;
comment on function private.held_for(uuid, uuid, uuid) is
  'What is still held on the customer''s hold account for one order or ride (holds minus releases and captures). '
  'Service role only.';
revoke all on function private.held_for(uuid, uuid, uuid) from public, anon, authenticated;
grant execute on function private.held_for(uuid, uuid, uuid) to service_role;

create function private.order_split(o public.orders)
returns table (merchant_xof integer, courier_xof integer, platform_xof integer)
language sql
stable
security definer
set search_path = ''
as $$
  select x.merchant, x.courier, o.total_xof - x.merchant - x.courier
    from private.order_rate(o.store_id) r
    cross join lateral (
      select o.subtotal_xof - round(o.subtotal_xof * r.commission_bps / 10000.0)::integer as merchant,
             case when o.fulfilment = 'delivery' and o.courier_id is not null
                  then o.delivery_fee_xof - round(o.delivery_fee_xof * r.delivery_cut_bps / 10000.0)::integer
                  else 0 end as courier
    ) x;
$$;
comment on function private.order_split(public.orders) is
  'Who gets what of a delivered order (private.order_rate, amounts rounded to the franc): merchant = subtotal − '
  'commission, courier = delivery fee − the platform''s cut (nothing without a courier), platform = total − both '
  '(so the discount comes out of the platform''s part, which may be negative). Service role only.';
revoke all on function private.order_split(public.orders) from public, anon, authenticated;
grant execute on function private.order_split(public.orders) to service_role;

create function private.hold_order_money(o public.orders)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if o.payment_method = 'cash' or o.total_xof = 0 then
    return;
  end if;
  perform private.post_entry('order_hold', jsonb_build_array(
            private.posting(private.ledger_account('customer_wallet', o.customer_id), -o.total_xof),
            private.posting(private.ledger_account('customer_hold', o.customer_id), o.total_xof)),
          jsonb_build_object('order_id', o.id), null, o.customer_id);
end;
$$;
comment on function private.hold_order_money(public.orders) is
  'Holds the total of a wallet or mobile-money order (customer_wallet → customer_hold); a short wallet raises EO422 '
  'insufficient_funds (detail balance_xof, needed_xof) and nothing is written. Called by the orders insert trigger. '
  'Service role only.';
revoke all on function private.hold_order_money(public.orders) from public, anon, authenticated;
grant execute on function private.hold_order_money(public.orders) to service_role;

create function private.settle_order_money(
  o public.orders, from_status public.order_status, to_status public.order_status
)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  actor uuid := nullif(current_setting('ecom.actor_id', true), '')::uuid;
  refs jsonb := jsonb_build_object('order_id', o.id);
  held bigint;
  split record;
  merchant uuid;
  courier uuid;
  share bigint;
begin
  if to_status in ('rejected', 'cancelled') then
    held := private.held_for(o.customer_id, o.id);
    if held <= 0 then
      return null;
    end if;
    return private.post_entry('order_release', jsonb_build_array(
             private.posting(private.ledger_account('customer_hold', o.customer_id), -held),
             private.posting(private.ledger_account('customer_wallet', o.customer_id), held)),
           refs, format('order %s', to_status), actor);
  end if;
  if to_status <> 'delivered' or o.total_xof = 0 then
    return null;
  end if;

  select * into split from private.order_split(o);
  merchant := private.ledger_account('merchant_wallet', o.store_id);
  if o.courier_id is not null then
    courier := private.ledger_account('courier_wallet', o.courier_id);
  end if;
  if o.payment_method <> 'cash' then
    held := private.held_for(o.customer_id, o.id);
    return private.post_entry('order_capture', jsonb_build_array(
             private.posting(private.ledger_account('customer_hold', o.customer_id), -held),
             private.posting(merchant, split.merchant_xof),
             private.posting(coalesce(courier, merchant), split.courier_xof), -- 0 without a courier
             private.posting(private.platform_revenue_account(o.id), held - split.merchant_xof - split.courier_xof)),
           refs, null, actor);
  end if;
  if o.courier_id is not null then
    -- The courier took the total in cash: he owes it (cash in hand) and is paid his part in his wallet.
    return private.post_entry('order_cash', jsonb_build_array(
             private.posting(private.ledger_account('courier_cash', o.courier_id), -o.total_xof),
             private.posting(merchant, split.merchant_xof),
             private.posting(courier, split.courier_xof),
             private.posting(private.platform_revenue_account(o.id), split.platform_xof)),
           refs, null, actor);
  end if;
  -- Paid at the counter: the store holds the cash and owes the platform its share, from the store's wallet as far
  -- as the wallet goes (a promotion that costs more than the commission is paid to the store).
  share := split.platform_xof;
  if share > 0 then
    select least(share, a.balance) into share from public.ledger_accounts a where a.id = merchant;
  end if;
  if share = 0 then
    return null;
  end if;
  return private.post_entry('order_cash', jsonb_build_array(
           private.posting(merchant, -share), private.posting(private.platform_revenue_account(o.id), share)),
         refs, 'cash paid at the store', actor);
end;
$$;
comment on function private.settle_order_money(public.orders, public.order_status, public.order_status) is
  'The money effect of an order moving from from_status to to_status, in the caller''s transaction: rejected / '
  'cancelled release the hold; delivered captures it (order_capture) or settles the cash (order_cash) along '
  'private.order_split. Returns the entry id (null when no money moves). Called by the orders status trigger. '
  'Service role only.';
revoke all on function private.settle_order_money(public.orders, public.order_status, public.order_status)
  from public, anon, authenticated;
grant execute on function private.settle_order_money(public.orders, public.order_status, public.order_status)
  to service_role;

create function private.hold_ride_money(r public.rides)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if r.payment_method = 'cash' then
    return;
  end if;
  perform private.post_entry('ride_hold', jsonb_build_array(
            private.posting(private.ledger_account('customer_wallet', r.rider_id), -r.fare_quote_xof),
            private.posting(private.ledger_account('customer_hold', r.rider_id), r.fare_quote_xof)),
          jsonb_build_object('ride_id', r.id), null, r.rider_id);
end;
$$;
comment on function private.hold_ride_money(public.rides) is
  'Holds the quoted fare of a wallet or mobile-money ride; EO402 insufficient_funds when the wallet is short. '
  'Called by the rides insert trigger. Service role only.';
revoke all on function private.hold_ride_money(public.rides) from public, anon, authenticated;
grant execute on function private.hold_ride_money(public.rides) to service_role;

create function private.settle_ride_money(r public.rides, from_status public.ride_status, to_status public.ride_status)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  actor uuid := nullif(current_setting('ecom.actor_id', true), '')::uuid;
  refs jsonb := jsonb_build_object('ride_id', r.id);
  held bigint := private.held_for(r.rider_id, null, r.id);
  fare integer := coalesce(r.final_fare_xof, r.fare_quote_xof);
  commission integer;
begin
  if to_status in ('cancelled', 'expired') then
    if held <= 0 then
      return null;
    end if;
    return private.post_entry('ride_release', jsonb_build_array(
             private.posting(private.ledger_account('customer_hold', r.rider_id), -held),
             private.posting(private.ledger_account('customer_wallet', r.rider_id), held)),
           refs, format('ride %s', to_status), actor);
  end if;
  if to_status <> 'completed' or fare = 0 then
    return null;
  end if;
  commission := round(fare * private.ride_rate(r.zone_id, r.vehicle_type) / 10000.0)::integer;
  if r.payment_method <> 'cash' then
    -- The hold pays the final fare; what is left goes back to the wallet (a dearer fare takes the difference).
    return private.post_entry('ride_capture', jsonb_build_array(
             private.posting(private.ledger_account('customer_hold', r.rider_id), -held),
             private.posting(private.ledger_account('customer_wallet', r.rider_id), held - fare),
             private.posting(private.ledger_account('courier_wallet', r.courier_id), fare - commission),
             private.posting(private.platform_revenue_account(r.id), commission)),
           refs, null, actor);
  end if;
  return private.post_entry('ride_cash', jsonb_build_array(
           private.posting(private.ledger_account('courier_cash', r.courier_id), -fare),
           private.posting(private.ledger_account('courier_wallet', r.courier_id), fare - commission),
           private.posting(private.platform_revenue_account(r.id), commission)),
         refs, null, actor);
end;
$$;
comment on function private.settle_ride_money(public.rides, public.ride_status, public.ride_status) is
  'The money effect of a ride moving to to_status, in the caller''s transaction: cancelled / expired release the '
  'hold; completed captures the final fare from the hold (ride_capture: driver fare − commission, platform the '
  'commission, the rest of the hold back to the wallet) or settles the cash (ride_cash: the driver''s cash in hand '
  '−fare). Returns the entry id or null. Called by the rides trigger. Service role only.';
revoke all on function private.settle_ride_money(public.rides, public.ride_status, public.ride_status)
  from public, anon, authenticated;
grant execute on function private.settle_ride_money(public.rides, public.ride_status, public.ride_status)
  to service_role;

create function private.collect_ride_cancellation_fee(r public.rides)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  fee integer := coalesce(r.cancellation_fee_xof, 0);
  wallet uuid := private.ledger_account('customer_wallet', r.rider_id);
  commission integer;
begin
  if fee = 0 or r.courier_id is null then
    return null;
  end if;
  -- A cash rider pays from the wallet when it holds the fee; otherwise the fee is waived (no entry is written).
  if r.payment_method = 'cash' and (select a.balance from public.ledger_accounts a where a.id = wallet) < fee then
    return null;
  end if;
  commission := round(fee * private.ride_rate(r.zone_id, r.vehicle_type) / 10000.0)::integer;
  return private.post_entry('cancellation_fee', jsonb_build_array(
           private.posting(wallet, -fee),
           private.posting(private.ledger_account('courier_wallet', r.courier_id), fee - commission),
           private.posting(private.platform_revenue_account(r.id), commission)),
         jsonb_build_object('ride_id', r.id), 'cancellation fee',
         nullif(current_setting('ecom.actor_id', true), '')::uuid);
end;
$$;
comment on function private.collect_ride_cancellation_fee(public.rides) is
  'Collects the cancellation fee stamped on a cancelled ride from the rider''s wallet (for a wallet ride the hold was '
  'released into it in the same transaction): the driver gets fee − the ride commission, the platform the '
  'commission. A cash rider whose wallet is short is let off: no entry (waived). Returns the entry id or null. '
  'Called by the rides trigger. Service role only.';
revoke all on function private.collect_ride_cancellation_fee(public.rides) from public, anon, authenticated;
grant execute on function private.collect_ride_cancellation_fee(public.rides) to service_role;

-- Trigger functions ----------------------------------------------------------------------------------------------
create function private.order_money_trigger()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    perform private.hold_order_money(new);
  else
    perform private.settle_order_money(new, old.status, new.status);
  end if;
  return null;
end;
$$;
comment on function private.order_money_trigger() is
  'Trigger on orders: the hold at placement, the money of each status change (private.settle_order_money), in the '
  'transaction of the change. Never called directly.';
revoke all on function private.order_money_trigger() from public, anon, authenticated;

create function private.ride_money_trigger()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    perform private.hold_ride_money(new);
    return null;
  end if;
  if new.status is distinct from old.status then
    perform private.settle_ride_money(new, old.status, new.status);
  end if;
  if new.status = 'cancelled' and old.cancellation_fee_xof is null and new.cancellation_fee_xof is not null then
    perform private.collect_ride_cancellation_fee(new);
  end if;
  return null;
end;
$$;
comment on function private.ride_money_trigger() is
  'Trigger on rides: the hold at request, the money of each status change (private.settle_ride_money) and the '
  'cancellation fee once stamped (private.collect_ride_cancellation_fee). Never called directly.';
revoke all on function private.ride_money_trigger() from public, anon, authenticated;

-- Triggers -------------------------------------------------------------------------------------------------------
create trigger orders_hold_money
  after insert on public.orders
  for each row execute function private.order_money_trigger();

create trigger orders_settle_money
  after update of status on public.orders
  for each row when (old.status is distinct from new.status) execute function private.order_money_trigger();

create trigger rides_hold_money
  after insert on public.rides
  for each row execute function private.ride_money_trigger();

create trigger rides_settle_money
  after update of status, cancellation_fee_xof on public.rides
  for each row execute function private.ride_money_trigger();
