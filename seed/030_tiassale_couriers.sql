-- Tiassalé demo couriers, customers and a few orders and rides. Loaded after the migrations and the stores and
-- catalogue seeds ([db.seed] sql_paths in supabase/config.toml). Fixed ids: couriers c1000000-…-000000000NNN and
-- customers c2000000-…-000000000NNN where NNN ends their phone number; orders, rides and offers c3…, c4…, c5….
--
-- Every demo person signs in with the fixed code 123456 ([auth.sms.test_otp] of supabase/config.toml):
--   +225 07 00 00 02 01 … 02 09 and 02 15   moto-taxi couriers (02 15 awaits approval: documents under review)
--   +225 07 00 00 02 10 … 02 12             tricycle ("saloni") couriers
--   +225 07 00 00 02 13, 02 14              car couriers
--   +225 07 00 00 02 21, 02 22              customers (Aminata Kouyaté, Kouadio Brou)
-- The document files are not in storage yet: storage_path says where the courier app puts them.
-- Positions are stamped at load time: nearest_couriers only returns positions fresher than 30 seconds, so dispatch
-- sees these couriers once their app (or a demo script) refreshes courier_presence.

-- People: auth users with a confirmed phone and a phone identity, as Supabase Auth creates them. The
-- on_auth_user_created trigger gives each a profile and the customer role.
create temporary table seed_people (id uuid, phone text, full_name text, is_courier boolean);
insert into seed_people (id, phone, full_name, is_courier) values
  ('c1000000-0000-4000-8000-000000000201', '2250700000201', 'Yacouba Traoré', true),
  ('c1000000-0000-4000-8000-000000000202', '2250700000202', 'Koffi Kouassi', true),
  ('c1000000-0000-4000-8000-000000000203', '2250700000203', 'Seydou Ouattara', true),
  ('c1000000-0000-4000-8000-000000000204', '2250700000204', 'Arouna Diabaté', true),
  ('c1000000-0000-4000-8000-000000000205', '2250700000205', 'Jean-Marc Yao', true),
  ('c1000000-0000-4000-8000-000000000206', '2250700000206', 'Moussa Coulibaly', true),
  ('c1000000-0000-4000-8000-000000000207', '2250700000207', 'Éric NGuessan', true),
  ('c1000000-0000-4000-8000-000000000208', '2250700000208', 'Ibrahim Konaté', true),
  ('c1000000-0000-4000-8000-000000000209', '2250700000209', 'Drissa Sanogo', true),
  ('c1000000-0000-4000-8000-000000000210', '2250700000210', 'Adama Koné', true),
  ('c1000000-0000-4000-8000-000000000211', '2250700000211', 'Brahima Touré', true),
  ('c1000000-0000-4000-8000-000000000212', '2250700000212', 'Lassina Bamba', true),
  ('c1000000-0000-4000-8000-000000000213', '2250700000213', 'Serge Kouamé', true),
  ('c1000000-0000-4000-8000-000000000214', '2250700000214', 'Patrice Aka', true),
  ('c1000000-0000-4000-8000-000000000215', '2250700000215', 'Fousseni Dembélé', true),
  ('c2000000-0000-4000-8000-000000000221', '2250700000221', 'Aminata Kouyaté', false),
  ('c2000000-0000-4000-8000-000000000222', '2250700000222', 'Kouadio Brou', false);

insert into auth.users (instance_id, id, aud, role, phone, phone_confirmed_at, raw_app_meta_data, raw_user_meta_data,
                        created_at, updated_at)
select '00000000-0000-0000-0000-000000000000', p.id, 'authenticated', 'authenticated', p.phone, now(),
       '{"provider": "phone", "providers": ["phone"]}',
       jsonb_build_object('full_name', p.full_name, 'language', 'fr'), now(), now()
  from seed_people p
on conflict (id) do nothing;

insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
select p.id::text, p.id,
       jsonb_build_object('sub', p.id::text, 'phone', p.phone, 'phone_verified', true, 'email_verified', false),
       'phone', now(), now()
  from seed_people p
on conflict (provider_id, provider) do nothing;

insert into public.user_roles (user_id, role)
select p.id, 'courier' from seed_people p where p.is_courier
on conflict do nothing;

-- Couriers: registered pending, documents approved (the last moto's still under review), then approved by the
-- same rules as an admin's approval (every required document approved and unexpired).
insert into public.couriers (user_id, vehicle_type, plate, municipal_registration_number, vest_number, zone_id)
values
  ('c1000000-0000-4000-8000-000000000201', 'moto', '2461 TS 01', 'TSL-MT-0201', '012', '5a1e0000-0000-4000-8000-000000000001'),
  ('c1000000-0000-4000-8000-000000000202', 'moto', '2462 TS 01', 'TSL-MT-0202', '027', '5a1e0000-0000-4000-8000-000000000001'),
  ('c1000000-0000-4000-8000-000000000203', 'moto', '2463 TS 01', 'TSL-MT-0203', '031', '5a1e0000-0000-4000-8000-000000000001'),
  ('c1000000-0000-4000-8000-000000000204', 'moto', '2464 TS 01', 'TSL-MT-0204', '044', '5a1e0000-0000-4000-8000-000000000001'),
  ('c1000000-0000-4000-8000-000000000205', 'moto', '2465 TS 01', 'TSL-MT-0205', '058', '5a1e0000-0000-4000-8000-000000000001'),
  ('c1000000-0000-4000-8000-000000000206', 'moto', '2466 TS 01', 'TSL-MT-0206', '063', '5a1e0000-0000-4000-8000-000000000001'),
  ('c1000000-0000-4000-8000-000000000207', 'moto', '2467 TS 01', 'TSL-MT-0207', '079', '5a1e0000-0000-4000-8000-000000000001'),
  ('c1000000-0000-4000-8000-000000000208', 'moto', '2468 TS 01', 'TSL-MT-0208', '081', '5a1e0000-0000-4000-8000-000000000001'),
  ('c1000000-0000-4000-8000-000000000209', 'moto', '2469 TS 01', 'TSL-MT-0209', '095', '5a1e0000-0000-4000-8000-000000000001'),
  ('c1000000-0000-4000-8000-000000000210', 'tricycle', '3101 TS 01', null, null, '5a1e0000-0000-4000-8000-000000000001'),
  ('c1000000-0000-4000-8000-000000000211', 'tricycle', '3102 TS 01', null, null, '5a1e0000-0000-4000-8000-000000000001'),
  ('c1000000-0000-4000-8000-000000000212', 'tricycle', '3103 TS 01', null, null, '5a1e0000-0000-4000-8000-000000000001'),
  ('c1000000-0000-4000-8000-000000000213', 'car', '4521 AB 01', null, null, '5a1e0000-0000-4000-8000-000000000001'),
  ('c1000000-0000-4000-8000-000000000214', 'car', '4522 AB 01', null, null, '5a1e0000-0000-4000-8000-000000000001'),
  ('c1000000-0000-4000-8000-000000000215', 'moto', '2470 TS 01', 'TSL-MT-0215', '102', '5a1e0000-0000-4000-8000-000000000001')
on conflict (user_id) do nothing;

insert into public.courier_documents (id, courier_id, kind, storage_path, number, expires_on, review_status)
select md5('courier_documents:' || c.user_id || ':' || k.kind)::uuid, c.user_id, k.kind::public.courier_document_kind,
       c.user_id || '/' || k.file, upper(left(k.kind, 3)) || '-' || right(c.user_id::text, 3), k.expires_on,
       case when c.user_id = 'c1000000-0000-4000-8000-000000000215' then 'pending' else 'approved' end::public.document_review
  from public.couriers c
  cross join (values ('national_id', 'cni.jpg', date '2030-06-30'),
                     ('driving_licence', 'permis.jpg', date '2031-03-31'),
                     ('vehicle_registration', 'carte-grise.pdf', null),
                     ('insurance', 'assurance.pdf', date '2027-06-30'),
                     ('municipal_card', 'carte-municipale.jpg', date '2027-12-31')) as k (kind, file, expires_on)
 where c.user_id::text like 'c1000000-%'
   and (k.kind <> 'municipal_card' or c.vehicle_type = 'moto')
on conflict (id) do nothing;

update public.couriers set approval_status = 'approved'
 where user_id::text like 'c1000000-%' and user_id <> 'c1000000-0000-4000-8000-000000000215'
   and approval_status = 'pending';

insert into public.courier_presence (courier_id, online, lat, lng, heading, speed_mps, battery_pct)
values
  ('c1000000-0000-4000-8000-000000000201', true, 5.8991, -4.8219, 0, 0.0, 90),
  ('c1000000-0000-4000-8000-000000000202', true, 5.9012, -4.825, 37, 2.5, 86),
  ('c1000000-0000-4000-8000-000000000203', true, 5.896, -4.8195, 74, 5.0, 82),
  ('c1000000-0000-4000-8000-000000000204', true, 5.8935, -4.8262, 111, 7.5, 78),
  ('c1000000-0000-4000-8000-000000000205', true, 5.904, -4.818, 148, 0.0, 74),
  ('c1000000-0000-4000-8000-000000000206', false, 5.888, -4.83, 185, 2.5, 70),
  ('c1000000-0000-4000-8000-000000000207', true, 5.9105, -4.8342, 222, 5.0, 66),
  ('c1000000-0000-4000-8000-000000000208', true, 5.8999, -4.8111, 259, 7.5, 62),
  ('c1000000-0000-4000-8000-000000000209', false, 5.885, -4.816, 296, 0.0, 58),
  ('c1000000-0000-4000-8000-000000000210', true, 5.8975, -4.824, 333, 2.5, 54),
  ('c1000000-0000-4000-8000-000000000211', true, 5.903, -4.827, 10, 5.0, 50),
  ('c1000000-0000-4000-8000-000000000212', true, 5.892, -4.8205, 47, 7.5, 46),
  ('c1000000-0000-4000-8000-000000000213', true, 5.8995, -4.829, 84, 0.0, 42),
  ('c1000000-0000-4000-8000-000000000214', true, 5.9065, -4.815, 121, 2.5, 38),
  ('c1000000-0000-4000-8000-000000000215', false, 5.894, -4.833, 158, 5.0, 34)
on conflict (courier_id) do nothing;

-- Saved addresses of the two customers.
insert into public.addresses (id, user_id, label, lat, lng, landmark, phone, is_default)
values ('c2100000-0000-4000-8000-000000000221', 'c2000000-0000-4000-8000-000000000221', 'Maison', 5.90150, -4.82050,
        'Quartier Résidentiel, portail vert après la pharmacie', '+2250700000221', true),
       ('c2100000-0000-4000-8000-000000000222', 'c2000000-0000-4000-8000-000000000222', 'Bureau', 5.89550, -4.82480,
        'Derrière la sous-préfecture, immeuble jaune', '+2250700000222', true)
on conflict (id) do nothing;

-- Wallets: the customers with sample orders topped up their wallets by mobile money (Orange Money through the
-- sandbox) before paying by wallet and mobile money; written once (fixed entry ids).
select private.post_entry('topup', jsonb_build_array(
         jsonb_build_object('account', private.ledger_account('customer_wallet', t.customer), 'amount', t.amount),
         jsonb_build_object('account', private.ledger_account('provider_clearing', null, 'sandbox:orange_ci'),
                            'amount', -t.amount)),
       jsonb_build_object('entry_id', t.entry), 'Rechargement Orange Money (démo)')
  from (values ('c7000000-0000-4000-8000-000000000221'::uuid, 'c2000000-0000-4000-8000-000000000221'::uuid, 20000),
               ('c7000000-0000-4000-8000-000000000222'::uuid, 'c2000000-0000-4000-8000-000000000222'::uuid, 10000))
       as t (entry, customer, amount)
 where not exists (select 1 from public.ledger_entries e where e.id = t.entry);

-- Orders (only on a fresh database: the state machine would refuse to replay them). The demo stores have no
-- merchant accounts yet, so their steps are recorded with the merchant role and no actor id; couriers' steps go
-- through private.transition_order like the functions' do.
create temporary table seed_orders (id uuid, customer uuid, first_name text, store_no int, fulfilment text,
                                    fee int, method text, tendered int, code text, key text);
insert into seed_orders values
  ('c3a10001-0000-4000-8000-000000000001', 'c2000000-0000-4000-8000-000000000221', 'Aminata', 1, 'delivery', 500, 'cash', 5000, '4821', 'seed-order-1'),
  ('c3b20002-0000-4000-8000-000000000002', 'c2000000-0000-4000-8000-000000000222', 'Kouadio', 3, 'delivery', 400, 'wallet', null, '1907', 'seed-order-2'),
  ('c3c30003-0000-4000-8000-000000000003', 'c2000000-0000-4000-8000-000000000221', 'Aminata', 1, 'pickup', 0, 'mobile_money', null, '3366', 'seed-order-3'),
  ('c3d40004-0000-4000-8000-000000000004', 'c2000000-0000-4000-8000-000000000222', 'Kouadio', 1, 'delivery', 500, 'cash', 10000, '5190', 'seed-order-4');
-- Their ids differ in the first 8 characters, the short number people read out (notifications, the merchant's
-- queue, the admin). A database seeded before they changed keeps its orders (same customer and key): skip them.
delete from seed_orders s
 where exists (select 1 from public.orders x where x.customer_id = s.customer and x.idempotency_key = s.key and x.id <> s.id);
create temporary table seed_order_lines (order_id uuid, product text, quantity int);
insert into seed_order_lines values
  ('c3a10001-0000-4000-8000-000000000001', 'Attiéké poulet braisé', 1),
  ('c3a10001-0000-4000-8000-000000000001', 'Jus de bissap', 2),
  ('c3b20002-0000-4000-8000-000000000002', 'Garba complet', 2),
  ('c3c30003-0000-4000-8000-000000000003', 'Poulet braisé entier', 1),
  ('c3d40004-0000-4000-8000-000000000004', 'Attiéké poisson braisé', 2),
  ('c3d40004-0000-4000-8000-000000000004', 'Jus de gingembre', 2);

insert into public.orders (id, customer_id, customer_first_name, store_id, fulfilment, subtotal_xof, delivery_fee_xof,
                           total_xof, payment_method, cash_tendered_xof, idempotency_key)
select o.id, o.customer, o.first_name, s.id, o.fulfilment::public.fulfilment, t.subtotal, o.fee, t.subtotal + o.fee,
       o.method::public.payment_method, o.tendered, o.key
  from seed_orders o
  join public.stores s on s.id = ('51000000-0000-4000-8000-' || lpad(o.store_no::text, 12, '0'))::uuid
  cross join lateral (
    select sum(p.price_xof * l.quantity)::int as subtotal
      from seed_order_lines l join public.products p on p.store_id = s.id and p.name = l.product
     where l.order_id = o.id) t
 where not exists (select 1 from public.orders x where x.id = o.id);

insert into public.order_items (id, order_id, product_id, name, unit_price_xof, quantity, position)
select md5('order_items:' || l.order_id || ':' || l.product)::uuid, l.order_id, p.id, p.name, p.price_xof, l.quantity,
       row_number() over (partition by l.order_id order by l.product)
  from seed_order_lines l
  join public.orders o on o.id = l.order_id
  join public.products p on p.store_id = o.store_id and p.name = l.product
on conflict (id) do nothing;

insert into public.order_contacts (order_id, customer_phone, address)
select o.id, '+' || u.phone,
       case when o.fulfilment = 'delivery' then
         (select jsonb_build_object('label', a.label, 'lat', a.lat, 'lng', a.lng, 'landmark', a.landmark, 'phone', a.phone)
            from public.addresses a where a.user_id = o.customer and a.is_default) end
  from seed_orders o join auth.users u on u.id = o.customer
on conflict (order_id) do nothing;

insert into public.order_delivery_codes (order_id, code)
select o.id, o.code from seed_orders o
on conflict (order_id) do nothing;

-- Steps: order 1 picked up by Yacouba (moto 02 01), order 2 waits for the store, order 3 collected at the store,
-- order 4 being prepared.
select set_config('ecom.actor_role', 'merchant', false);
update public.orders set status = 'accepted' where id in ('c3a10001-0000-4000-8000-000000000001',
  'c3c30003-0000-4000-8000-000000000003', 'c3d40004-0000-4000-8000-000000000004') and status = 'pending';
update public.orders set status = 'preparing' where id in ('c3a10001-0000-4000-8000-000000000001',
  'c3c30003-0000-4000-8000-000000000003', 'c3d40004-0000-4000-8000-000000000004') and status = 'accepted';
update public.orders set status = 'ready' where id in ('c3a10001-0000-4000-8000-000000000001',
  'c3c30003-0000-4000-8000-000000000003') and status = 'preparing';
update public.orders set status = 'delivered' where id = 'c3c30003-0000-4000-8000-000000000003' and status = 'ready';
select set_config('ecom.actor_role', '', false);

insert into public.offers (id, job_kind, order_id, courier_id, distance_m)
select 'c5000000-0000-4000-8000-000000000001', 'order', 'c3a10001-0000-4000-8000-000000000001',
       'c1000000-0000-4000-8000-000000000201', 180
 where not exists (select 1 from public.offers where id = 'c5000000-0000-4000-8000-000000000001')
   and exists (select 1 from public.orders where id = 'c3a10001-0000-4000-8000-000000000001');
select private.respond_to_offer('c5000000-0000-4000-8000-000000000001', 'c1000000-0000-4000-8000-000000000201', true)
  from public.offers where id = 'c5000000-0000-4000-8000-000000000001' and status = 'offered';
select private.transition_order('c3a10001-0000-4000-8000-000000000001', 'picked_up',
                                'c1000000-0000-4000-8000-000000000201', 'courier')
  from public.orders where id = 'c3a10001-0000-4000-8000-000000000001' and status = 'ready';

-- Rides: Kouadio on Koffi's moto (in progress), Aminata waiting for a tricycle, and a completed moto ride rated
-- five stars.
insert into public.rides (id, rider_id, rider_first_name, vehicle_type, pickup_lat, pickup_lng, pickup_landmark,
                          dropoff_lat, dropoff_lng, dropoff_landmark, distance_m, duration_s, fare_quote_xof,
                          payment_method, idempotency_key)
select * from (values
  ('c4a10001-0000-4000-8000-000000000001'::uuid, 'c2000000-0000-4000-8000-000000000222'::uuid, 'Kouadio',
   'moto'::public.vehicle_type, 5.89550, -4.82480, 'Derrière la sous-préfecture', 5.90600, -4.83100,
   'Lycée moderne de Tiassalé, grand portail', 1450, 360, 1, 'cash'::public.payment_method, 'seed-ride-1'),
  ('c4b20002-0000-4000-8000-000000000002', 'c2000000-0000-4000-8000-000000000221', 'Aminata',
   'tricycle', 5.90150, -4.82050, 'Portail vert après la pharmacie', 5.89910, -4.82140,
   'Gare routière, sous le grand manguier', 420, 180, 1, 'wallet', 'seed-ride-2'),
  ('c4c30003-0000-4000-8000-000000000003', 'c2000000-0000-4000-8000-000000000221', 'Aminata',
   'moto', 5.89910, -4.82140, 'Gare routière', 5.90150, -4.82050, 'Portail vert après la pharmacie', 420, 150, 1,
   'cash', 'seed-ride-3')) as r
 where not exists (select 1 from public.rides x where x.id = r.column1)
   -- A database seeded before the ids changed (first 8 characters now differ) keeps its rides.
   and not exists (select 1 from public.rides x where x.rider_id = r.column2 and x.idempotency_key = r.column15);

insert into public.ride_start_pins (ride_id, pin)
select p.ride_id, p.pin
  from (values ('c4a10001-0000-4000-8000-000000000001'::uuid, '2580'), ('c4b20002-0000-4000-8000-000000000002', '1470'),
               ('c4c30003-0000-4000-8000-000000000003', '3690')) as p (ride_id, pin)
 where exists (select 1 from public.rides r where r.id = p.ride_id)
on conflict (ride_id) do nothing;

select private.transition_ride('c4a10001-0000-4000-8000-000000000001', 'accepted', 'c1000000-0000-4000-8000-000000000202', 'courier')
  from public.rides where id = 'c4a10001-0000-4000-8000-000000000001' and status = 'requested';
select private.transition_ride('c4a10001-0000-4000-8000-000000000001', 'arrived', 'c1000000-0000-4000-8000-000000000202', 'courier')
  from public.rides where id = 'c4a10001-0000-4000-8000-000000000001' and status = 'accepted';
select private.transition_ride('c4a10001-0000-4000-8000-000000000001', 'in_progress', 'c1000000-0000-4000-8000-000000000202', 'courier', null, '2580')
  from public.rides where id = 'c4a10001-0000-4000-8000-000000000001' and status = 'arrived';
select private.transition_ride('c4c30003-0000-4000-8000-000000000003', 'accepted', 'c1000000-0000-4000-8000-000000000203', 'courier')
  from public.rides where id = 'c4c30003-0000-4000-8000-000000000003' and status = 'requested';
select private.transition_ride('c4c30003-0000-4000-8000-000000000003', 'arrived', 'c1000000-0000-4000-8000-000000000203', 'courier')
  from public.rides where id = 'c4c30003-0000-4000-8000-000000000003' and status = 'accepted';
select private.transition_ride('c4c30003-0000-4000-8000-000000000003', 'in_progress', 'c1000000-0000-4000-8000-000000000203', 'courier', null, '3690')
  from public.rides where id = 'c4c30003-0000-4000-8000-000000000003' and status = 'arrived';
select private.transition_ride('c4c30003-0000-4000-8000-000000000003', 'completed', 'c1000000-0000-4000-8000-000000000203', 'courier')
  from public.rides where id = 'c4c30003-0000-4000-8000-000000000003' and status = 'in_progress';

insert into public.ratings (id, ride_id, rater_id, target, stars, comment)
select 'c6000000-0000-4000-8000-000000000001', 'c4c30003-0000-4000-8000-000000000003',
       'c2000000-0000-4000-8000-000000000221', 'courier', 5, 'Rapide, casque fourni, très poli.'
 where exists (select 1 from public.rides where id = 'c4c30003-0000-4000-8000-000000000003')
on conflict (id) do nothing;

drop table seed_people, seed_orders, seed_order_lines;
