-- Demo accounts: people to sign in as in the apps, with fixed ids (de000000-…-000000000NNN, NNN = the end of the
-- number) and test numbers that take the code 123456 ([auth.sms.test_otp] in supabase/config.toml; no SMS is sent).
-- Three customers, eight merchants who own the fourteen Tiassalé stores (one or two each), one admin. The users are
-- inserted as Supabase Auth stores a confirmed phone sign-up (auth.users + a phone identity); the identity
-- migration's trigger gives each a profile (name and language from the sign-up metadata) and the customer role; this
-- file then grants merchant and admin and makes the merchants owners of their stores. README.md lists them.

insert into auth.users (instance_id, id, aud, role, phone, phone_confirmed_at, raw_app_meta_data, raw_user_meta_data,
                        is_super_admin, created_at, updated_at, confirmation_token, recovery_token,
                        email_change_token_new, email_change)
select '00000000-0000-0000-0000-000000000000', p.id::uuid, 'authenticated', 'authenticated', p.phone, now(),
       '{"provider": "phone", "providers": ["phone"]}'::jsonb,
       jsonb_build_object('full_name', p.full_name, 'language', p.language), false, now(), now(), '', '', '', ''
  from (values
    ('de000000-0000-4000-8000-000000000101', '2250700000101', 'Aya Kouassi', 'fr'),
    ('de000000-0000-4000-8000-000000000102', '2250700000102', 'Koffi N''Guessan', 'fr'),
    ('de000000-0000-4000-8000-000000000103', '2250700000103', 'Grace Mensah', 'en'),
    ('de000000-0000-4000-8000-000000000111', '2250700000111', 'Awa Traoré', 'fr'),
    ('de000000-0000-4000-8000-000000000112', '2250700000112', 'Yao Brou', 'fr'),
    ('de000000-0000-4000-8000-000000000113', '2250700000113', 'Issouf Ouattara', 'fr'),
    ('de000000-0000-4000-8000-000000000114', '2250700000114', 'Marie-Claire Aka', 'fr'),
    ('de000000-0000-4000-8000-000000000115', '2250700000115', 'Jean-Baptiste Kouadio', 'fr'),
    ('de000000-0000-4000-8000-000000000116', '2250700000116', 'Dr Fatou Diabaté', 'fr'),
    ('de000000-0000-4000-8000-000000000117', '2250700000117', 'Moussa Koné', 'fr'),
    ('de000000-0000-4000-8000-000000000118', '2250700000118', 'Adjoua Yao', 'fr'),
    ('de000000-0000-4000-8000-000000000120', '2250700000120', 'Admin Ecom', 'fr')
  ) as p (id, phone, full_name, language)
on conflict (id) do nothing;

insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select u.id::text, u.id,
       jsonb_build_object('sub', u.id::text, 'phone', u.phone, 'email_verified', false, 'phone_verified', true),
       'phone', null, now(), now()
  from auth.users u
 where u.id::text like 'de000000-0000-4000-8000-%'
on conflict (provider_id, provider) do nothing;

-- Roles beyond customer (granted_by stays empty: granted by the seed, not by an admin).
insert into public.user_roles (user_id, role)
select r.user_id::uuid, r.role::public.app_role
  from (values
    ('de000000-0000-4000-8000-000000000111', 'merchant'),
    ('de000000-0000-4000-8000-000000000112', 'merchant'),
    ('de000000-0000-4000-8000-000000000113', 'merchant'),
    ('de000000-0000-4000-8000-000000000114', 'merchant'),
    ('de000000-0000-4000-8000-000000000115', 'merchant'),
    ('de000000-0000-4000-8000-000000000116', 'merchant'),
    ('de000000-0000-4000-8000-000000000117', 'merchant'),
    ('de000000-0000-4000-8000-000000000118', 'merchant'),
    ('de000000-0000-4000-8000-000000000120', 'admin')
  ) as r (user_id, role)
on conflict do nothing;

-- Each merchant owns one or two stores (store 51000000-…-0000000000NN).
insert into public.store_members (store_id, user_id, role)
select ('51000000-0000-4000-8000-' || lpad(m.store_no::text, 12, '0'))::uuid, m.user_id::uuid, 'owner'::public.store_member_role
  from (values
    ('de000000-0000-4000-8000-000000000111', 1),
    ('de000000-0000-4000-8000-000000000112', 2),
    ('de000000-0000-4000-8000-000000000112', 13),
    ('de000000-0000-4000-8000-000000000113', 3),
    ('de000000-0000-4000-8000-000000000113', 4),
    ('de000000-0000-4000-8000-000000000114', 5),
    ('de000000-0000-4000-8000-000000000114', 6),
    ('de000000-0000-4000-8000-000000000115', 7),
    ('de000000-0000-4000-8000-000000000116', 8),
    ('de000000-0000-4000-8000-000000000116', 9),
    ('de000000-0000-4000-8000-000000000117', 10),
    ('de000000-0000-4000-8000-000000000117', 11),
    ('de000000-0000-4000-8000-000000000118', 12),
    ('de000000-0000-4000-8000-000000000118', 14)
  ) as m (user_id, store_no)
on conflict do nothing;
