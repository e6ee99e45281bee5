-- Tiassalé demo menus and shelves, prices in integer FCFA as found in the town (2026). Ids are md5-derived from the
-- store and the name, so they are the same on every run: categories md5('categories:<store>:<name>'), products
-- md5('products:<store>:<name>'), option groups md5('product_option_groups:<product id>:<name>'), options
-- md5('product_options:<group id>:<name>'). Photo paths are left empty for the photo step to fill.

create temporary table seed_catalogue (n serial, store_no int, category text, name text, description text,
                                       price_xof int);
insert into seed_catalogue (store_no, category, name, description, price_xof) values
  -- 1 Maquis Chez Tantie Awa
  (1, 'Plats', 'Attiéké poisson braisé', 'Carpe braisée, attiéké, tomate-oignon et piment', 2000),
  (1, 'Plats', 'Attiéké poulet braisé', 'Demi-poulet braisé, attiéké, crudités', 2500),
  (1, 'Plats', 'Poulet braisé entier', 'Poulet bicyclette entier, à partager', 5000),
  (1, 'Plats', 'Alloco poisson', 'Banane plantain frite et poisson frit', 1500),
  (1, 'Plats', 'Foutou sauce graine', 'Foutou banane, sauce graine au poisson fumé', 2000),
  (1, 'Plats', 'Placali sauce kplala', 'Placali, sauce kplala à la viande', 1500),
  (1, 'Boissons', 'Jus de bissap', 'Bouteille de 50 cl, bien frais', 500),
  (1, 'Boissons', 'Jus de gingembre', 'Bouteille de 50 cl', 500),
  (1, 'Boissons', 'Eau minérale 1,5 L', '', 500),
  -- 2 Maquis Le Bandama
  (2, 'Poissons', 'Capitaine braisé', 'Capitaine du fleuve (environ 800 g), attiéké ou alloco', 5000),
  (2, 'Poissons', 'Carpe braisée', 'Carpe entière, attiéké', 3000),
  (2, 'Plats', 'Kédjénou de poulet', 'Poulet mijoté à l''étouffée, attiéké', 3500),
  (2, 'Plats', 'Sauce agouti et foutou', 'Agouti fumé, sauce claire, foutou igname', 4000),
  (2, 'Grillades', 'Brochettes de bœuf (5)', 'Cinq brochettes, oignons, piment', 1000),
  (2, 'Boissons', 'Jus de bissap', 'Bouteille de 50 cl', 500),
  (2, 'Boissons', 'Bière Flag 65 cl', '', 800),
  (2, 'Boissons', 'Coca-Cola 33 cl', '', 500),
  -- 3 Garba Chez Issouf
  (3, 'Garba', 'Garba', 'Attiéké et thon frit, piment, oignon', 500),
  (3, 'Garba', 'Garba double', 'Double attiéké, deux morceaux de thon', 1000),
  (3, 'Garba', 'Garba complet', 'Attiéké, thon, œuf dur et alloco', 1000),
  (3, 'Suppléments', 'Œuf dur', '', 100),
  (3, 'Suppléments', 'Alloco (portion)', '', 200),
  -- 4 Alloco du Carrefour
  (4, 'Alloco', 'Alloco simple', 'Banane plantain mûre frite, piment', 300),
  (4, 'Alloco', 'Alloco œuf', 'Alloco et deux œufs durs', 500),
  (4, 'Alloco', 'Alloco poisson', 'Alloco et poisson frit', 1000),
  (4, 'Grillades', 'Brochettes de viande (3)', '', 500),
  -- 5 Restaurant La Rivière
  (5, 'Plats du jour', 'Riz sauce arachide', 'Riz blanc, sauce arachide au poulet', 1500),
  (5, 'Plats du jour', 'Riz gras', 'Riz au gras, viande de bœuf', 1500),
  (5, 'Plats du jour', 'Foutou sauce claire', 'Foutou igname, sauce claire au poisson', 2000),
  (5, 'Spécialités', 'Poulet DG', 'Poulet, plantain mûr, légumes sautés', 4000),
  (5, 'Spécialités', 'Soupe de poisson', 'Capitaine en bouillon pimenté', 2500),
  (5, 'Boissons', 'Jus de passion', 'Bouteille de 50 cl', 500),
  -- 6 Le Palmier Fast-Food
  (6, 'Sandwichs', 'Chawarma poulet', 'Pain libanais, poulet, crudités, sauce ail', 1500),
  (6, 'Sandwichs', 'Chawarma viande', 'Pain libanais, bœuf, crudités', 2000),
  (6, 'Burgers', 'Burger classique', 'Steak, fromage, frites', 2500),
  (6, 'Pizzas', 'Pizza reine', 'Jambon, champignons, fromage (30 cm)', 5000),
  (6, 'Accompagnements', 'Frites', 'Portion de frites', 1000),
  (6, 'Boissons', 'Fanta 33 cl', '', 500),
  -- 7 Boulangerie La Renaissance
  (7, 'Pains', 'Baguette', 'Baguette de 200 g, prix homologué', 150),
  (7, 'Pains', 'Pain de mie', 'Grand pain de mie tranché', 1000),
  (7, 'Viennoiseries', 'Croissant', '', 300),
  (7, 'Viennoiseries', 'Pain au chocolat', '', 350),
  (7, 'Gâteaux', 'Gâteau d''anniversaire (8 parts)', 'Sur commande la veille', 10000),
  -- 8 Pharmacie du Bandama (médicaments sans ordonnance)
  (8, 'Douleur et fièvre', 'Paracétamol 500 mg (16 comprimés)', 'Adulte : 1 à 2 comprimés, 3 fois par jour au maximum', 500),
  (8, 'Douleur et fièvre', 'Efferalgan 1 g (8 comprimés effervescents)', '', 1500),
  (8, 'Douleur et fièvre', 'Ibuprofène 400 mg (12 comprimés)', 'Pendant le repas', 1000),
  (8, 'Enfants', 'Doliprane sirop enfant 100 ml', 'Dose selon le poids, pipette incluse', 1800),
  (8, 'Enfants', 'SRO sels de réhydratation (sachet)', 'Un sachet dans un litre d''eau potable', 250),
  (8, 'Hygiène', 'Moustiquaire imprégnée 2 places', '', 3500),
  (8, 'Hygiène', 'Gel hydroalcoolique 100 ml', '', 1000),
  -- 9 Pharmacie de la Gare
  (9, 'Douleur et fièvre', 'Paracétamol 500 mg (16 comprimés)', '', 500),
  (9, 'Vitamines', 'Vitamine C 1000 (10 comprimés)', '', 1500),
  (9, 'Digestion', 'Charbon actif (30 gélules)', '', 2000),
  (9, 'Hygiène', 'Préservatifs Prudence (4)', '', 300),
  -- 10 Supermarché Bon Prix
  (10, 'Épicerie', 'Riz parfumé 5 kg', '', 4500),
  (10, 'Épicerie', 'Huile Dinor 1 L', '', 1400),
  (10, 'Épicerie', 'Sucre en poudre 1 kg', '', 800),
  (10, 'Épicerie', 'Spaghetti 500 g', '', 500),
  (10, 'Épicerie', 'Concentré de tomate (boîte 400 g)', '', 750),
  (10, 'Petit-déjeuner', 'Lait Nido 400 g', '', 3200),
  (10, 'Petit-déjeuner', 'Nescafé 50 g', '', 1500),
  (10, 'Boissons', 'Eau minérale 1,5 L (pack de 6)', '', 2400),
  (10, 'Hygiène', 'Savon de Marseille 400 g', '', 600),
  -- 11 Boutique Chez Moussa
  (11, 'Épicerie', 'Riz au détail (1 kg)', '', 550),
  (11, 'Épicerie', 'Lait concentré sucré', 'Boîte de 397 g', 600),
  (11, 'Épicerie', 'Cubes Maggi (10)', '', 250),
  (11, 'Maison', 'Sachets d''eau (paquet de 30)', '', 1000),
  (11, 'Maison', 'Bougies (paquet de 6)', '', 500),
  (11, 'Maison', 'Charbon de bois (sac de 5 kg)', '', 1500),
  -- 12 Étal de Maman Adjoua
  (12, 'Légumes', 'Tomates (le tas)', 'Environ 1 kg', 500),
  (12, 'Légumes', 'Gombo frais (le tas)', '', 300),
  (12, 'Légumes', 'Aubergines locales (le tas)', '', 300),
  (12, 'Condiments', 'Piment frais (le tas)', '', 200),
  (12, 'Condiments', 'Oignons (le tas)', '', 500),
  (12, 'Vivriers', 'Banane plantain (régime moyen)', '', 3000),
  (12, 'Vivriers', 'Igname (3 tubercules)', '', 2000),
  (12, 'Vivriers', 'Manioc (le tas)', '', 1000),
  -- 13 Maquis Le Bon Coin
  (13, 'Plats', 'Foutou sauce graine', 'Foutou banane, sauce graine', 1500),
  (13, 'Plats', 'Placali sauce gombo', '', 1500),
  (13, 'Plats', 'Attiéké poisson', '', 1500),
  -- 14 Cave Chez Ali (pending approval)
  (14, 'Boissons', 'Bière Flag 65 cl', '', 800),
  (14, 'Boissons', 'Casier de Coca-Cola (24)', '', 9000);

insert into public.categories (id, store_id, name, position)
select md5('categories:' || s.id || ':' || c.category)::uuid, s.id, c.category, c.position
  from (select store_no, category, row_number() over (partition by store_no order by min(n)) as position
          from seed_catalogue group by store_no, category) c
  join public.stores s on s.id = ('51000000-0000-4000-8000-' || lpad(c.store_no::text, 12, '0'))::uuid;

insert into public.products (id, store_id, category_id, name, description, price_xof, position)
select md5('products:' || s.id || ':' || p.name)::uuid, s.id, md5('categories:' || s.id || ':' || p.category)::uuid,
       p.name, p.description, p.price_xof, row_number() over (partition by p.store_no order by p.n)
  from seed_catalogue p
  join public.stores s on s.id = ('51000000-0000-4000-8000-' || lpad(p.store_no::text, 12, '0'))::uuid;

-- A sold-out item and a withdrawn one, to show both states.
update public.products set sold_out_until = now() + interval '3 hours'
 where id = md5('products:51000000-0000-4000-8000-000000000002:Capitaine braisé')::uuid;
update public.products set available = false
 where id = md5('products:51000000-0000-4000-8000-000000000006:Pizza reine')::uuid;

-- Option groups: (store, product, group, min, max) and their options (name, price delta).
create temporary table seed_options (n serial, store_no int, product text, grp text, min_sel int, max_sel int,
                                     option text, delta int);
insert into seed_options (store_no, product, grp, min_sel, max_sel, option, delta) values
  (1, 'Attiéké poisson braisé', 'Poisson', 1, 1, 'Carpe', 0),
  (1, 'Attiéké poisson braisé', 'Poisson', 1, 1, 'Capitaine', 1500),
  (1, 'Attiéké poisson braisé', 'Piment', 0, 1, 'Piment à part', 0),
  (1, 'Attiéké poisson braisé', 'Piment', 0, 1, 'Sans piment', 0),
  (1, 'Attiéké poulet braisé', 'Accompagnement', 1, 1, 'Attiéké', 0),
  (1, 'Attiéké poulet braisé', 'Accompagnement', 1, 1, 'Alloco', 200),
  (1, 'Attiéké poulet braisé', 'Extras', 0, 3, 'Œuf dur', 100),
  (1, 'Attiéké poulet braisé', 'Extras', 0, 3, 'Portion d''alloco', 300),
  (1, 'Attiéké poulet braisé', 'Extras', 0, 3, 'Jus de bissap 50 cl', 500),
  (2, 'Capitaine braisé', 'Accompagnement', 1, 1, 'Attiéké', 0),
  (2, 'Capitaine braisé', 'Accompagnement', 1, 1, 'Alloco', 0),
  (2, 'Capitaine braisé', 'Accompagnement', 1, 1, 'Frites d''igname', 300),
  (3, 'Garba', 'Extras', 0, 2, 'Œuf dur', 100),
  (3, 'Garba', 'Extras', 0, 2, 'Alloco', 200),
  (6, 'Chawarma poulet', 'Sauce', 1, 1, 'Ail', 0),
  (6, 'Chawarma poulet', 'Sauce', 1, 1, 'Piquante', 0),
  (6, 'Chawarma poulet', 'Supplément', 0, 2, 'Fromage', 300),
  (6, 'Chawarma poulet', 'Supplément', 0, 2, 'Frites dans le pain', 200),
  (7, 'Gâteau d''anniversaire (8 parts)', 'Parfum', 1, 1, 'Vanille', 0),
  (7, 'Gâteau d''anniversaire (8 parts)', 'Parfum', 1, 1, 'Chocolat', 1000),
  (7, 'Gâteau d''anniversaire (8 parts)', 'Inscription', 0, 1, 'Prénom et âge en sucre', 500);

insert into public.product_option_groups (id, store_id, product_id, name, min_selections, max_selections, position)
select md5('product_option_groups:' || g.product_id || ':' || g.grp)::uuid, g.store_id, g.product_id, g.grp,
       g.min_sel, g.max_sel, row_number() over (partition by g.product_id order by g.first_row)
  from (select ('51000000-0000-4000-8000-' || lpad(store_no::text, 12, '0'))::uuid as store_id,
               md5('products:51000000-0000-4000-8000-' || lpad(store_no::text, 12, '0') || ':' || product)::uuid
                 as product_id,
               grp, min(min_sel) as min_sel, max(max_sel) as max_sel, min(n) as first_row
          from seed_options group by store_no, product, grp) g;

insert into public.product_options (id, store_id, group_id, name, price_delta_xof, position)
select md5('product_options:' || o.group_id || ':' || o.option)::uuid, o.store_id, o.group_id, o.option, o.delta,
       row_number() over (partition by o.group_id order by o.n)
  from (select ('51000000-0000-4000-8000-' || lpad(store_no::text, 12, '0'))::uuid as store_id,
               md5('product_option_groups:'
                   || md5('products:51000000-0000-4000-8000-' || lpad(store_no::text, 12, '0') || ':' || product)::uuid
                   || ':' || grp)::uuid as group_id,
               option, delta, n
          from seed_options) o;

drop table seed_options;
drop table seed_catalogue;
