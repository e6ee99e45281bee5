-- Input checks for orders and rides, in the style of 20261121130200_create_input_checks: each returns true or
-- raises check_violation (SQLSTATE 23514, HTTP 400) with a message a person can act on.

-- Types ----------------------------------------------------------------------------------------------------------
create type public.payment_method as enum ('wallet', 'cash', 'mobile_money');
comment on type public.payment_method is
  'wallet: held from the balance at placement; cash: paid to the courier (or at the store); mobile_money: paid '
  'through a provider before the order goes to the store.';

-- Functions ------------------------------------------------------------------------------------------------------
create function private.check_order_total(subtotal integer, delivery_fee integer, discount integer, total integer)
returns boolean
language plpgsql
immutable
set search_path = ''
as $$
begin
  if total is not distinct from subtotal + delivery_fee - discount then
    return true;
  end if;
  raise exception using errcode = 'check_violation',
    message = format('total_xof must equal subtotal_xof + delivery_fee_xof - discount_xof (%s + %s - %s = %s), got %s',
                     subtotal, delivery_fee, discount, subtotal + delivery_fee - discount, total);
end;
$$;
comment on function private.check_order_total(integer, integer, integer, integer) is
  'CHECK helper: true when total = subtotal + delivery fee - discount (integer FCFA); raises check_violation with '
  'the sum otherwise.';

create function private.check_cash_tendered(method public.payment_method, tendered integer, total integer)
returns boolean
language plpgsql
immutable
set search_path = ''
as $$
begin
  if tendered is null then
    return true;
  end if;
  if method <> 'cash' then
    raise exception using errcode = 'check_violation',
      message = format('cash_tendered_xof is only for cash payments, not %s', method);
  end if;
  if tendered < total then
    raise exception using errcode = 'check_violation',
      message = format('cash tendered (%s FCFA) must cover the total (%s FCFA)', tendered, total);
  end if;
  return true;
end;
$$;
comment on function private.check_cash_tendered(public.payment_method, integer, integer) is
  'CHECK helper for "I pay with N FCFA": null, or a cash payment with N at least the total; raises check_violation '
  'otherwise.';

create function private.check_quantity(quantity integer)
returns boolean
language plpgsql
immutable
set search_path = ''
as $$
begin
  if quantity between 1 and 50 then
    return true;
  end if;
  raise exception using errcode = 'check_violation',
    message = format('quantity must be a whole number from 1 to 50, got %s', quantity);
end;
$$;
comment on function private.check_quantity(integer) is
  'CHECK helper: true for a quantity of 1 to 50 items per line; raises check_violation otherwise.';

create function private.check_address_snapshot(address jsonb)
returns boolean
language plpgsql
immutable
set search_path = ''
as $$
begin
  if address is null then
    return true;
  end if;
  if jsonb_typeof(address) is distinct from 'object' or jsonb_typeof(address -> 'lat') is distinct from 'number'
     or jsonb_typeof(address -> 'lng') is distinct from 'number'
     or jsonb_typeof(address -> 'landmark') is distinct from 'string' then
    raise exception using errcode = 'check_violation',
      message = 'an address snapshot needs lat and lng (numbers) and landmark (text)';
  end if;
  perform private.check_coordinates((address ->> 'lat')::double precision, (address ->> 'lng')::double precision);
  perform private.check_text_length(address ->> 'landmark', 'landmark (repère)', 3, 280);
  perform private.check_phone(address ->> 'phone');
  return true;
end;
$$;
comment on function private.check_address_snapshot(jsonb) is
  'CHECK helper for the address copied into an order: null, or an object with numeric lat / lng in range, a '
  'landmark of 3 to 280 characters and an optional E.164 phone; raises check_violation otherwise.';

revoke all on function private.check_order_total(integer, integer, integer, integer) from public;
revoke all on function private.check_cash_tendered(public.payment_method, integer, integer) from public;
revoke all on function private.check_quantity(integer) from public;
revoke all on function private.check_address_snapshot(jsonb) from public;
grant execute on function private.check_order_total(integer, integer, integer, integer) to authenticated, service_role;
grant execute on function private.check_cash_tendered(public.payment_method, integer, integer) to authenticated, service_role;
grant execute on function private.check_quantity(integer) to authenticated, service_role;
grant execute on function private.check_address_snapshot(jsonb) to authenticated, service_role;
