-- Input checks shared by the tables: each returns true or raises check_violation (SQLSTATE 23514, HTTP 400 through
-- PostgREST) with a message a person can act on. Tables use them in named CHECK constraints, so the rule lives in
-- the database for every path (apps, functions, Studio, SQL) and the message is not Postgres' generic
-- "violates check constraint". The functions are immutable and read nothing.

-- Functions ------------------------------------------------------------------------------------------------------
create function private.check_phone(phone text)
returns boolean
language plpgsql
immutable
set search_path = ''
as $$
begin
  if phone is null or phone ~ '^\+(225(01|05|07|21|25|27)[0-9]{8}|228[0-9]{8})$' then
    return true;
  end if;
  raise exception using
    errcode = 'check_violation',
    message = format('phone must be an E.164 number from Côte d''Ivoire (+225 and 10 digits) or Togo (+228 and 8 digits), got %s', phone),
    hint = 'Example: +2250701020304 or +22890123456.';
end;
$$;
comment on function private.check_phone(text) is
  'CHECK helper: true for null or an E.164 phone from Côte d''Ivoire (+225, 10 digits starting 01/05/07 mobile or '
  '21/25/27 fixed) or Togo (+228, 8 digits); raises check_violation otherwise.';

create function private.check_coordinates(lat double precision, lng double precision)
returns boolean
language plpgsql
immutable
set search_path = ''
as $$
begin
  if lat is not null and not (lat between -90 and 90) then
    raise exception using errcode = 'check_violation',
      message = format('latitude must be between -90 and 90 degrees, got %s', lat);
  end if;
  if lng is not null and not (lng between -180 and 180) then
    raise exception using errcode = 'check_violation',
      message = format('longitude must be between -180 and 180 degrees, got %s', lng);
  end if;
  return true;
end;
$$;
comment on function private.check_coordinates(double precision, double precision) is
  'CHECK helper: true when latitude is within -90..90 and longitude within -180..180 (NaN refused); raises '
  'check_violation naming the bad coordinate otherwise.';

create function private.check_xof(amount integer, field text, minimum integer)
returns boolean
language plpgsql
immutable
set search_path = ''
as $$
begin
  if amount is null or amount >= minimum then
    return true;
  end if;
  raise exception using errcode = 'check_violation',
    message = format('%s must be a whole number of FCFA of at least %s, got %s', field, minimum, amount);
end;
$$;
comment on function private.check_xof(integer, text, integer) is
  'CHECK helper: true when an XOF amount (integer FCFA, the currency has no minor unit) is at least minimum; raises '
  'check_violation naming the field otherwise. Fractions never reach it: integer columns refuse them.';

create function private.check_text_length(value text, field text, minimum integer, maximum integer)
returns boolean
language plpgsql
immutable
set search_path = ''
as $$
begin
  if value is null or char_length(btrim(value)) between minimum and maximum then
    return true;
  end if;
  raise exception using errcode = 'check_violation',
    message = format('%s must have %s to %s characters, got %s', field, minimum, maximum, char_length(btrim(value)));
end;
$$;
comment on function private.check_text_length(text, text, integer, integer) is
  'CHECK helper: true when the trimmed text has between minimum and maximum characters; raises check_violation '
  'naming the field otherwise.';

create function private.check_opening_slot(opens time, closes time, closes_next_day boolean)
returns boolean
language plpgsql
immutable
set search_path = ''
as $$
begin
  if opens is null or closes is null then
    raise exception using errcode = 'check_violation',
      message = 'an opening slot needs both an opening and a closing time';
  end if;
  if not closes_next_day and closes <= opens then
    raise exception using errcode = 'check_violation',
      message = format('closing time %s must be after opening time %s (for a slot that ends after midnight, set closes_next_day)',
                       to_char(closes, 'HH24:MI'), to_char(opens, 'HH24:MI'));
  end if;
  if closes_next_day and closes > opens then
    raise exception using errcode = 'check_violation',
      message = format('a slot closing the next day must close before it opens again, got %s to %s',
                       to_char(opens, 'HH24:MI'), to_char(closes, 'HH24:MI'));
  end if;
  return true;
end;
$$;
comment on function private.check_opening_slot(time, time, boolean) is
  'CHECK helper for opening hours: closes after opens on the same day, or, with closes_next_day, at or before opens '
  '(a maquis open 18:00 to 02:00; midnight is 00:00 with closes_next_day). Raises check_violation otherwise.';

-- CHECK constraints run as the writer, who needs EXECUTE (schema usage is not needed at run time); anon too, for
-- public functions that validate their arguments with them (nearby_stores).
revoke all on function private.check_phone(text) from public;
revoke all on function private.check_coordinates(double precision, double precision) from public;
revoke all on function private.check_xof(integer, text, integer) from public;
revoke all on function private.check_text_length(text, text, integer, integer) from public;
revoke all on function private.check_opening_slot(time, time, boolean) from public;
grant execute on function private.check_phone(text) to anon, authenticated, service_role;
grant execute on function private.check_coordinates(double precision, double precision) to anon, authenticated, service_role;
grant execute on function private.check_xof(integer, text, integer) to anon, authenticated, service_role;
grant execute on function private.check_text_length(text, text, integer, integer) to anon, authenticated, service_role;
grant execute on function private.check_opening_slot(time, time, boolean) to anon, authenticated, service_role;
