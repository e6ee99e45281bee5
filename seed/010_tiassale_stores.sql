-- Tiassalé demo stores: fourteen places around the town centre (5.8983 N, -4.8228 W), their landmarks, weekly hours
-- and a few closed days. Loaded after the migrations by `supabase db push --include-seed` / `supabase db reset`
-- ([db.seed] sql_paths in supabase/config.toml). Fixed ids: stores 51000000-…-0000000000NN; hours and exceptions
-- take md5-derived ids, stable across runs. The zone Tiassalé and its fee and fare grids are reference data in
-- the zones migration. Photos come with the photo step: logo_path / cover_path are the paths it will fill.

insert into public.stores (id, kind, slug, name, description, phone, lat, lng, landmark, zone_id, logo_path,
                           cover_path, preparation_minutes, status, approval_status, commission_bps)
values
  ('51000000-0000-4000-8000-000000000001', 'maquis', 'maquis-chez-tantie-awa', 'Maquis Chez Tantie Awa',
   'Attiéké, poulet et poisson braisés au feu de bois depuis 1998.', '+2250707112233', 5.89910, -4.82140,
   'En face de la gare routière, sous le grand manguier', '5a1e0000-0000-4000-8000-000000000001',
   'stores/maquis-chez-tantie-awa/logo.webp', 'stores/maquis-chez-tantie-awa/cover.webp', 25, 'open', 'approved', null),
  ('51000000-0000-4000-8000-000000000002', 'maquis', 'maquis-le-bandama', 'Maquis Le Bandama',
   'Poisson du fleuve braisé, kédjénou et ambiance le soir.', '+2250505223344', 5.89480, -4.81650,
   'Au bord du fleuve Bandama, à droite avant le pont', '5a1e0000-0000-4000-8000-000000000001',
   'stores/maquis-le-bandama/logo.webp', 'stores/maquis-le-bandama/cover.webp', 35, 'open', 'approved', null),
  ('51000000-0000-4000-8000-000000000003', 'street_food', 'garba-chez-issouf', 'Garba Chez Issouf',
   'Le vrai garba : attiéké et thon frit, piment frais.', '+2250102334455', 5.90020, -4.82410,
   'Derrière le grand marché, côté des vendeuses de pagnes', '5a1e0000-0000-4000-8000-000000000001',
   null, null, 10, 'open', 'approved', 1200),
  ('51000000-0000-4000-8000-000000000004', 'street_food', 'alloco-du-carrefour', 'Alloco du Carrefour',
   'Alloco bien mûr, œufs et brochettes le soir.', '+2250708445566', 5.89760, -4.82600,
   'Au carrefour de la mairie, à côté de la cabine Orange', '5a1e0000-0000-4000-8000-000000000001',
   null, null, 10, 'open', 'approved', null),
  ('51000000-0000-4000-8000-000000000005', 'restaurant', 'restaurant-la-riviere', 'Restaurant La Rivière',
   'Cuisine ivoirienne et africaine, plats du jour à midi.', '+2250506556677', 5.89630, -4.81920,
   'Quartier Commerce, en face de la station Total', '5a1e0000-0000-4000-8000-000000000001',
   'stores/restaurant-la-riviere/logo.webp', 'stores/restaurant-la-riviere/cover.webp', 30, 'open', 'approved', null),
  ('51000000-0000-4000-8000-000000000006', 'restaurant', 'le-palmier-fast-food', 'Le Palmier Fast-Food',
   'Chawarma, burgers, frites et pizzas.', '+2250709667788', 5.90150, -4.82050,
   'À côté de la Poste, immeuble jaune', '5a1e0000-0000-4000-8000-000000000001',
   'stores/le-palmier-fast-food/logo.webp', null, 20, 'open', 'approved', null),
  ('51000000-0000-4000-8000-000000000007', 'bakery', 'boulangerie-la-renaissance', 'Boulangerie La Renaissance',
   'Pain chaud dès 6 h, viennoiseries et gâteaux sur commande.', '+2250103778899', 5.89850, -4.82330,
   'Route d''Abidjan, en face de l''école primaire publique', '5a1e0000-0000-4000-8000-000000000001',
   'stores/boulangerie-la-renaissance/logo.webp', null, 10, 'open', 'approved', 800),
  ('51000000-0000-4000-8000-000000000008', 'pharmacy', 'pharmacie-du-bandama', 'Pharmacie du Bandama',
   'Médicaments sans ordonnance, parapharmacie, conseils du pharmacien.', '+2252734501020', 5.89990, -4.82220,
   'Carrefour de la préfecture, croix verte', '5a1e0000-0000-4000-8000-000000000001',
   'stores/pharmacie-du-bandama/logo.webp', null, 10, 'open', 'approved', 500),
  ('51000000-0000-4000-8000-000000000009', 'pharmacy', 'pharmacie-de-la-gare', 'Pharmacie de la Gare',
   'Ouverte tard, de garde un dimanche sur deux.', '+2252734503040', 5.89880, -4.81990,
   'À 50 m de la gare routière, direction Divo', '5a1e0000-0000-4000-8000-000000000001',
   null, null, 10, 'open', 'approved', 500),
  ('51000000-0000-4000-8000-000000000010', 'supermarket', 'supermarche-bon-prix', 'Supermarché Bon Prix',
   'Épicerie, boissons, hygiène et produits frais.', '+2250507889900', 5.90080, -4.82280,
   'Rue du marché, grand bâtiment bleu à côté de la banque', '5a1e0000-0000-4000-8000-000000000001',
   'stores/supermarche-bon-prix/logo.webp', 'stores/supermarche-bon-prix/cover.webp', 15, 'open', 'approved', null),
  ('51000000-0000-4000-8000-000000000011', 'shop', 'boutique-chez-moussa', 'Boutique Chez Moussa',
   'Tout pour la maison, au détail, ouvert tard.', '+2250708990011', 5.89560, -4.82480,
   'Quartier Résidentiel, derrière la mosquée, portail vert', '5a1e0000-0000-4000-8000-000000000001',
   null, null, 10, 'open', 'approved', null),
  ('51000000-0000-4000-8000-000000000012', 'market', 'etal-maman-adjoua', 'Étal de Maman Adjoua',
   'Légumes, vivriers et condiments du grand marché.', '+2250104001122', 5.90040, -4.82370,
   'Grand marché, allée des vivriers, troisième étal', '5a1e0000-0000-4000-8000-000000000001',
   null, null, 20, 'open', 'approved', 800),
  ('51000000-0000-4000-8000-000000000013', 'maquis', 'maquis-le-bon-coin', 'Maquis Le Bon Coin',
   'Foutou, placali et sauces du terroir.', '+2250506112200', 5.90410, -4.82790,
   'Près du lycée moderne, après le terrain de foot', '5a1e0000-0000-4000-8000-000000000001',
   null, null, 30, 'closed', 'approved', null),
  ('51000000-0000-4000-8000-000000000014', 'shop', 'cave-chez-ali', 'Cave Chez Ali',
   'Boissons fraîches en gros et au détail (en attente de validation).', '+2250709223300', 5.89300, -4.82100,
   'Entrée de la ville, route d''Abidjan, après le péage', '5a1e0000-0000-4000-8000-000000000001',
   null, null, 10, 'closed', 'pending', null);

update public.stores set status = 'busy', busy_until = now() + interval '30 minutes'
 where id = '51000000-0000-4000-8000-000000000006';

-- Weekly hours: (store, first weekday, last weekday, opens, closes, closes_next_day); weekday 1 = Monday.
insert into public.store_hours (id, store_id, weekday, opens, closes, closes_next_day)
select md5('store_hours:' || h.store_id || ':' || d || ':' || h.opens)::uuid, h.store_id::uuid, d, h.opens::time,
       h.closes::time, h.next_day
  from (values
    ('51000000-0000-4000-8000-000000000001', 1, 7, '10:00', '23:00', false),
    ('51000000-0000-4000-8000-000000000002', 1, 7, '11:00', '15:00', false),
    ('51000000-0000-4000-8000-000000000002', 1, 7, '18:00', '02:00', true),
    ('51000000-0000-4000-8000-000000000003', 1, 6, '06:30', '14:00', false),
    ('51000000-0000-4000-8000-000000000004', 1, 7, '16:00', '23:30', false),
    ('51000000-0000-4000-8000-000000000005', 1, 6, '11:30', '15:00', false),
    ('51000000-0000-4000-8000-000000000005', 1, 6, '19:00', '22:30', false),
    ('51000000-0000-4000-8000-000000000006', 2, 7, '12:00', '00:00', true),
    ('51000000-0000-4000-8000-000000000007', 1, 7, '06:00', '21:00', false),
    ('51000000-0000-4000-8000-000000000008', 1, 6, '08:00', '20:00', false),
    ('51000000-0000-4000-8000-000000000009', 1, 6, '08:00', '22:00', false),
    ('51000000-0000-4000-8000-000000000009', 7, 7, '09:00', '13:00', false),
    ('51000000-0000-4000-8000-000000000010', 1, 7, '08:00', '21:00', false),
    ('51000000-0000-4000-8000-000000000011', 1, 7, '07:00', '22:00', false),
    ('51000000-0000-4000-8000-000000000012', 1, 6, '06:00', '18:00', false),
    ('51000000-0000-4000-8000-000000000013', 1, 6, '11:00', '22:00', false),
    ('51000000-0000-4000-8000-000000000014', 1, 7, '09:00', '23:00', false)
  ) as h (store_id, first_day, last_day, opens, closes, next_day)
  cross join lateral generate_series(h.first_day, h.last_day) as d;

insert into public.store_hour_exceptions (id, store_id, on_date, closed, opens, closes, note)
select md5('store_hour_exceptions:' || e.store_id || ':' || e.on_date)::uuid, e.store_id::uuid, e.on_date::date,
       e.closed, e.opens::time, e.closes::time, e.note
  from (values
    ('51000000-0000-4000-8000-000000000005', '2026-12-25', true, null, null, 'Fermé pour Noël'),
    ('51000000-0000-4000-8000-000000000008', '2026-12-25', false, '09:00', '12:00', 'Noël : ouverture le matin'),
    ('51000000-0000-4000-8000-000000000012', '2027-01-01', true, null, null, 'Bonne année !'),
    ('51000000-0000-4000-8000-000000000009', '2026-12-27', false, '08:00', '20:00', 'Pharmacie de garde')
  ) as e (store_id, on_date, closed, opens, closes, note);
