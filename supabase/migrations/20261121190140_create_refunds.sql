-- Refunds by an admin (DESIGN.md §7, docs/API.md "POST /orders/:id/refund"): all or part of what the customer paid
-- for a delivered order goes back to their wallet, with a reason, once per Idempotency-Key. What was paid is the
-- order's total once delivered (wallet, mobile money or cash alike; a cancelled or rejected order paid nothing: its
-- hold went back when it was cancelled); refunds never pass what was paid minus the earlier refunds. The store gives
-- back its share of the refund in the proportion it was paid (its credit at settlement / the total, rounded down);
-- the platform gives the rest, and the courier keeps his delivery earnings. Each refund is one ledger entry (kind
-- refund, memo = the reason, actor = the admin) and one audit_log row.

-- Functions ------------------------------------------------------------------------------------------------------
create function private.refund_order(
  order_id uuid, admin uuid, amount_xof integer, reason text, idempotency_key text, request_hash text
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  prior jsonb;
  o public.orders;
  v_reason text := nullif(btrim(reason), '');
  paid bigint;
  refunded bigint;
  merchant_paid bigint;
  merchant_part bigint;
  merchant uuid;
  entry uuid;
begin
  if not exists (select 1 from public.user_roles r where r.user_id = admin and r.role = 'admin') then
    perform private.refuse_order(403, 'admin_only');
  end if;
  prior := private.replay_money_request('refund', admin, idempotency_key, request_hash);
  if prior is not null then
    return prior;
  end if;
  if v_reason is null or length(v_reason) > 280 then
    perform private.refuse_order(400, 'reason_required');
  end if;
  if amount_xof is null or amount_xof < 1 then
    perform private.refuse_order(400, 'validation_failed', jsonb_build_object('field', 'amount_xof'));
  end if;
  select * into o from public.orders x where x.id = refund_order.order_id for update;
  if not found then
    perform private.refuse_order(404, 'order_not_found');
  end if;
  if o.status not in ('delivered', 'cancelled', 'rejected') then
    perform private.refuse_order(409, 'not_refundable', jsonb_build_object('status', o.status));
  end if;

  paid := case when o.status = 'delivered' then o.total_xof else 0 end;
  merchant := private.ledger_account('merchant_wallet', o.store_id);
  select coalesce(sum(p.amount) filter (where e.kind = 'refund' and a.kind = 'customer_wallet'), 0),
         coalesce(sum(p.amount) filter (where e.kind in ('order_capture', 'order_cash') and p.account_id = merchant), 0)
    into refunded, merchant_paid
    from public.ledger_entries e
    join public.ledger_postings p on p.entry_id = e.id
    join public.ledger_accounts a on a.id = p.account_id
   where e.order_id = o.id;
  if amount_xof > paid - refunded then
    perform private.refuse_order(422, 'refund_exceeds_paid',
      jsonb_build_object('paid_xof', paid, 'refunded_xof', refunded, 'refundable_xof', paid - refunded));
  end if;
  -- The store's credit at settlement; none (or a debit: a cash pickup's commission) means it gives back nothing.
  merchant_part := greatest(0, floor(amount_xof * merchant_paid / paid::numeric));
  entry := private.post_entry('refund', jsonb_build_array(
             private.posting(private.ledger_account('customer_wallet', o.customer_id), amount_xof),
             private.posting(merchant, -merchant_part),
             private.posting(private.platform_revenue_account(o.id), -(amount_xof - merchant_part))),
           jsonb_build_object('order_id', o.id), v_reason, admin);
  insert into public.audit_log (actor_id, actor_role, action, table_name, row_id, new_data)
  values (admin, 'admin', 'insert', 'ledger_entries', entry::text,
          jsonb_build_object('kind', 'refund', 'order_id', o.id, 'amount_xof', amount_xof, 'merchant_xof', merchant_part,
                             'platform_xof', amount_xof - merchant_part, 'reason', v_reason));
  return private.remember_money_request('refund', admin, idempotency_key, request_hash, jsonb_build_object(
    'refund', jsonb_build_object('entry_id', entry, 'order_id', o.id, 'amount_xof', amount_xof,
                                 'merchant_xof', merchant_part, 'platform_xof', amount_xof - merchant_part,
                                 'reason', v_reason, 'refunded_xof', refunded + amount_xof,
                                 'refundable_xof', paid - refunded - amount_xof)));
end;
$$;
comment on function private.refund_order(uuid, uuid, integer, text, text, text) is
  'Refunds amount_xof of an order to its customer''s wallet, as admin (EO403 admin_only otherwise), with a reason '
  '(EO400 reason_required), idempotent per (admin, idempotency_key) through private.replay_money_request (the same '
  'request answers the first result; another body with the key is EO422 idempotency_key_reused). The order must be '
  'delivered, cancelled or rejected (EO409 not_refundable, detail status) and the amount within what was paid minus '
  'earlier refunds (EO422 refund_exceeds_paid, detail paid_xof, refunded_xof, refundable_xof). The store gives back '
  'its proportional share, the platform the rest (EO402 insufficient_funds when the store''s wallet is short). '
  'Writes the refund entry and an audit_log row. Returns {refund}. Service role only.';
revoke all on function private.refund_order(uuid, uuid, integer, text, text, text) from public, anon, authenticated;
grant execute on function private.refund_order(uuid, uuid, integer, text, text, text) to service_role;
