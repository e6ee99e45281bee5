-- The configuration the operations team edits (issue 10, docs/admin-ops.md "Configuration"): the fare grid
-- (ride_fares, already audited; neighbourhoods and their fixed fares), the commissions (order_rates, ride_rates),
-- the couriers' cash limits and the payout settings are now all written to the audit log like zones and promotions.
-- Bad values were already refused by named CHECK constraints (negative amounts through private.check_xof with the
-- field and value in words, commissions over 10 000 bps = 100 %, promotions' percent / period / codes); a cash limit
-- above 10 000 000 FCFA is now refused too (a typo of zeros would let a courier carry a fortune).

-- Tables ---------------------------------------------------------------------------------------------------------
alter table public.courier_cash_limits
  add constraint courier_cash_limits_limit_xof_max check (limit_xof <= 10000000);

-- Triggers -------------------------------------------------------------------------------------------------------
create trigger order_rates_audit
  after insert or update or delete on public.order_rates
  for each row execute function private.audit_row();

create trigger ride_rates_audit
  after insert or update or delete on public.ride_rates
  for each row execute function private.audit_row();

create trigger courier_cash_limits_audit
  after insert or update or delete on public.courier_cash_limits
  for each row execute function private.audit_row();

create trigger neighbourhoods_audit
  after insert or update or delete on public.neighbourhoods
  for each row execute function private.audit_row();

create trigger neighbourhood_fares_audit
  after insert or update or delete on public.neighbourhood_fares
  for each row execute function private.audit_row();

create trigger payout_settings_audit
  after update on public.payout_settings
  for each row execute function private.audit_row();
