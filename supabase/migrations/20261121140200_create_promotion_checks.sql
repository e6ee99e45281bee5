-- Input checks for promotions, in the style of 20261121130200_create_input_checks: each returns true or raises
-- check_violation (SQLSTATE 23514, HTTP 400 through PostgREST) with a message a person can act on. They are created
-- before the table whose named CHECK constraints call them. check_period is generic (any starts_at / ends_at pair).

-- Functions ------------------------------------------------------------------------------------------------------
create function private.check_promotion_value(kind text, value integer)
returns boolean
language plpgsql
immutable
set search_path = ''
as $$
begin
  if kind = 'percent' and (value is null or value not between 1 and 100) then
    raise exception using errcode = 'check_violation',
      message = format('a percent promotion needs a value from 1 to 100, got %s', coalesce(value::text, 'none'));
  end if;
  if kind = 'fixed' and (value is null or value < 1) then
    raise exception using errcode = 'check_violation',
      message = format('a fixed promotion needs a value in whole FCFA of at least 1, got %s',
                       coalesce(value::text, 'none'));
  end if;
  if kind = 'free_delivery' and value is not null then
    raise exception using errcode = 'check_violation',
      message = format('a free_delivery promotion takes no value, got %s', value);
  end if;
  return true;
end;
$$;
comment on function private.check_promotion_value(text, integer) is
  'CHECK helper for promotions: percent needs a value 1..100, fixed a whole FCFA amount >= 1, free_delivery no '
  'value; raises check_violation naming the kind and the value otherwise.';

create function private.check_period(starts_at timestamptz, ends_at timestamptz)
returns boolean
language plpgsql
immutable
set search_path = ''
as $$
begin
  if starts_at is null or ends_at is null or ends_at > starts_at then
    return true;
  end if;
  raise exception using errcode = 'check_violation',
    message = format('ends_at (%s UTC) must be after starts_at (%s UTC)',
                     to_char(ends_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI'),
                     to_char(starts_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI'));
end;
$$;
comment on function private.check_period(timestamptz, timestamptz) is
  'CHECK helper: true when ends_at is after starts_at (or either is null); raises check_violation with both times '
  'in UTC otherwise.';

-- CHECK constraints run as the writer, who needs EXECUTE.
revoke all on function private.check_promotion_value(text, integer) from public;
revoke all on function private.check_period(timestamptz, timestamptz) from public;
grant execute on function private.check_promotion_value(text, integer)
  to anon, authenticated, service_role;
grant execute on function private.check_period(timestamptz, timestamptz) to anon, authenticated, service_role;
