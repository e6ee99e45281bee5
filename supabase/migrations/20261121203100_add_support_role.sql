-- A read-only "support" role for the operations team (issue 10): people who answer customers on the phone read
-- what admins read for operations and change nothing. The value is added alone in its own migration because a new
-- enum value cannot be used in the transaction that adds it; the next migration gives it its meaning. The Custom
-- Access Token Hook copies every role of user_roles into the token, so `support` reaches the `user_roles` claim like
-- the others with no change to the hook.

-- Types ----------------------------------------------------------------------------------------------------------
alter type public.app_role add value if not exists 'support';
