-- The payments clock, SQL half: private.expire_stale_payment_intents() every minute expires pending intents more
-- than an hour past their deadline even when no provider could be asked. The other half, the `payments` sweep
-- (re-asks the provider about pending intents, settles them, expires those past their deadline), is an HTTP call
-- to the function: pg_cron + pg_net on Supabase (docs/payments.md), the local stack's function clock here.

select cron.schedule('ecom-payment-expiry', '* * * * *', 'select private.expire_stale_payment_intents()');
