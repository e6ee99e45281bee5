-- Statements (DESIGN.md §7): what happened on a store's or a courier's wallet over a day or a month: the opening
-- balance, every movement (order and ride settlements with the gross amount and the commission kept, payouts and
-- their reversals, refunds, adjustments) with the running balance, and the closing balance. Days and months are
-- those of Africa/Abidjan (UTC+0, as Lomé). The functions run as the caller (security invoker): the ledger's
-- row-level security already limits the postings to the owner's accounts, and the functions refuse any other payee
-- first, so nobody reads another's statement. Callable through PostgREST (`rpc/wallet_statement`,
-- `rpc/wallet_statement_csv`) and the `payouts` function.

-- Functions ------------------------------------------------------------------------------------------------------
create function public.wallet_statement(
  payee_kind text, payee_id uuid, period text default 'day', on_date date default null
)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  tz constant text := 'Africa/Abidjan';
  day date := coalesce(on_date, (now() at time zone tz)::date);
  starts date;
  ends date;
  from_ts timestamptz;
  to_ts timestamptz;
  account uuid;
  wallet public.ledger_account_kind;
  opening bigint;
  closing bigint;
  moves jsonb;
  payee_name text;
begin
  if payee_kind = 'store' then
    if not (payee_id in (select private.my_owned_store_ids()) or (select private.is_admin())) then
      raise exception using errcode = 'EO404', message = 'statement_not_found';
    end if;
    wallet := 'merchant_wallet';
    select s.name into payee_name from public.stores s where s.id = payee_id;
  elsif payee_kind = 'courier' then
    if not ((payee_id = (select auth.uid()) or (select private.is_admin()))
            and exists (select 1 from public.couriers c where c.user_id = payee_id)) then
      raise exception using errcode = 'EO404', message = 'statement_not_found';
    end if;
    wallet := 'courier_wallet';
    select pr.full_name into payee_name from public.profiles pr where pr.id = payee_id;
  else
    raise exception using errcode = 'EO400', message = 'validation_failed',
      detail = jsonb_build_object('field', 'payee_kind')::text;
  end if;
  if period = 'day' then
    starts := day;
    ends := day + 1;
  elsif period = 'month' then
    starts := date_trunc('month', day)::date;
    ends := (date_trunc('month', day) + interval '1 month')::date;
  else
    raise exception using errcode = 'EO400', message = 'validation_failed',
      detail = jsonb_build_object('field', 'period')::text;
  end if;
  from_ts := starts::timestamp at time zone tz;
  to_ts := ends::timestamp at time zone tz;

  select a.id into account from public.ledger_accounts a where a.kind = wallet and a.owner_id = payee_id;
  select coalesce(sum(p.amount) filter (where p.created_at < from_ts), 0),
         coalesce(sum(p.amount) filter (where p.created_at < to_ts), 0)
    into opening, closing
    from public.ledger_postings p
   where p.account_id = account;

  select coalesce(jsonb_agg(m.line order by m.id), '[]'::jsonb) into moves
    from (
      select p.id, jsonb_build_object(
               'at', p.created_at,
               'entry_id', e.id,
               'kind', e.kind,
               'category', case
                 when e.kind in ('order_capture', 'order_cash', 'ride_capture', 'ride_cash', 'cancellation_fee')
                   then 'settlement'
                 when e.kind in ('payout', 'payout_reversal') then e.kind::text
                 when e.kind = 'refund' then 'refund'
                 when e.kind = 'adjustment' then 'adjustment'
                 else 'other' end,
               'amount_xof', p.amount,
               'balance_xof', opening + sum(p.amount) over (order by p.id),
               'order_id', e.order_id,
               'ride_id', e.ride_id,
               'payout_id', e.payout_id,
               'memo', e.memo,
               'gross_xof', g.gross,
               'commission_xof', case
                 when g.gross is null then null
                 when g.at_counter then -p.amount
                 else g.gross - p.amount end) as line
        from public.ledger_postings p
        join public.ledger_entries e on e.id = p.entry_id
        left join public.orders o on o.id = e.order_id
        left join public.rides r on r.id = e.ride_id
        cross join lateral (
          -- A cash order paid at the counter: the store kept the subtotal in cash and its wallet pays the commission.
          select e.kind = 'order_cash' and wallet = 'merchant_wallet' and o.courier_id is null as at_counter
        ) c
        cross join lateral (
          select c.at_counter, case
            when e.kind in ('order_capture', 'order_cash') and wallet = 'merchant_wallet' then o.subtotal_xof
            when p.amount <= 0 then null
            when e.kind in ('order_capture', 'order_cash') and wallet = 'courier_wallet' then o.delivery_fee_xof
            when e.kind in ('ride_capture', 'ride_cash') then coalesce(r.final_fare_xof, r.fare_quote_xof)
            when e.kind = 'cancellation_fee' then r.cancellation_fee_xof
          end as gross
        ) g
       where p.account_id = account and p.created_at >= from_ts and p.created_at < to_ts
    ) m;

  return jsonb_build_object(
    'payee', jsonb_build_object('kind', payee_kind, 'id', payee_id, 'name', payee_name),
    'period', jsonb_build_object('kind', period, 'from', starts, 'to', ends - 1, 'timezone', tz),
    'opening_balance_xof', opening,
    'credits_xof', coalesce((select sum((l ->> 'amount_xof')::bigint) from jsonb_array_elements(moves) l
                              where (l ->> 'amount_xof')::bigint > 0), 0),
    'debits_xof', coalesce((select -sum((l ->> 'amount_xof')::bigint) from jsonb_array_elements(moves) l
                             where (l ->> 'amount_xof')::bigint < 0), 0),
    'commission_xof', coalesce((select sum((l ->> 'commission_xof')::bigint) from jsonb_array_elements(moves) l), 0),
    'closing_balance_xof', closing,
    'movements', moves
  );
end;
$$;
comment on function public.wallet_statement(text, uuid, text, date) is
  'A statement of a store''s wallet (payee_kind store, payee_id = store id: its owners and admins) or a courier''s '
  '(payee_kind courier, payee_id = his user id: himself and admins) for the day or the month (period) holding '
  'on_date (default today, Africa/Abidjan): opening balance, movements with running balance, gross and commission '
  'of settlements, closing balance; opening + movements = closing. Anyone else: EO404 statement_not_found; a bad '
  'payee_kind or period: EO400 validation_failed. Runs as the caller, under the ledger''s RLS.';
revoke all on function public.wallet_statement(text, uuid, text, date) from public, anon;
grant execute on function public.wallet_statement(text, uuid, text, date) to authenticated, service_role;

create function public.wallet_statement_csv(
  payee_kind text, payee_id uuid, period text default 'day', on_date date default null
)
returns text
language sql
stable
security invoker
set search_path = ''
as $$
  with s as (select public.wallet_statement(payee_kind, payee_id, period, on_date) as j)
  select concat_ws(E'\r\n',
    'date,category,kind,reference,gross_xof,commission_xof,amount_xof,balance_xof,memo',
    (select concat_ws(',', s.j #>> '{period,from}', 'opening_balance', '', '', '', '', '', s.j ->> 'opening_balance_xof', '') from s),
    (select string_agg(concat_ws(',',
              to_char((l ->> 'at')::timestamptz at time zone 'Africa/Abidjan', 'YYYY-MM-DD HH24:MI:SS'),
              l ->> 'category', l ->> 'kind',
              upper(left(coalesce(l ->> 'order_id', l ->> 'ride_id', l ->> 'payout_id', l ->> 'entry_id'), 8)),
              coalesce(l ->> 'gross_xof', ''), coalesce(l ->> 'commission_xof', ''),
              l ->> 'amount_xof', l ->> 'balance_xof',
              '"' || replace(coalesce(l ->> 'memo', ''), '"', '""') || '"'), E'\r\n' order by n)
       from s, jsonb_array_elements(s.j -> 'movements') with ordinality as m (l, n)),
    (select concat_ws(',', s.j #>> '{period,to}', 'closing_balance', '', '', '', '', '', s.j ->> 'closing_balance_xof', '') from s)
  ) || E'\r\n';
$$;
comment on function public.wallet_statement_csv(text, uuid, text, date) is
  'public.wallet_statement as CSV (RFC 4180, CRLF): a header, the opening balance, one line per movement (date '
  'Africa/Abidjan, category, entry kind, short reference, gross, commission, amount, running balance, memo), the '
  'closing balance. Same callers and refusals.';
revoke all on function public.wallet_statement_csv(text, uuid, text, date) from public, anon;
grant execute on function public.wallet_statement_csv(text, uuid, text, date) to authenticated, service_role;
