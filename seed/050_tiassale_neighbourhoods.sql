-- Tiassalé demo neighbourhoods (quartiers) and their fixed ride fares (migration
-- 20261121185000_create_neighbourhood_fares). Fixed ids 5a1e0100-…-00000000000N. Centres are a few hundred metres to
-- a kilometre from the zone centre (the market crossroads), radii 300–400 m; the zone centre itself lies in none of
-- them, so a ride from the centre is priced by the grid. Fares are what moto-taxi drivers ask for these usual trips
-- (integer FCFA, the same both ways); a pair without a fare, or a ride inside one quartier, uses the grid.
insert into public.neighbourhoods (id, zone_id, name, center_lat, center_lng, radius_m) values
  ('5a1e0100-0000-4000-8000-000000000001', '5a1e0000-0000-4000-8000-000000000001', 'Commerce', 5.8950, -4.8190, 350),
  ('5a1e0100-0000-4000-8000-000000000002', '5a1e0000-0000-4000-8000-000000000001', 'Dioulabougou', 5.8930, -4.8290, 400),
  ('5a1e0100-0000-4000-8000-000000000003', '5a1e0000-0000-4000-8000-000000000001', 'Quartier Résidentiel', 5.9030, -4.8150, 400),
  ('5a1e0100-0000-4000-8000-000000000004', '5a1e0000-0000-4000-8000-000000000001', 'Mossikro', 5.8880, -4.8230, 400),
  ('5a1e0100-0000-4000-8000-000000000005', '5a1e0000-0000-4000-8000-000000000001', 'Gare routière', 5.9120, -4.8300, 300)
on conflict (id) do nothing;

insert into public.neighbourhood_fares (neighbourhood_a_id, neighbourhood_b_id, vehicle_type, fare_xof)
select ('5a1e0100-0000-4000-8000-00000000000' || a)::uuid, ('5a1e0100-0000-4000-8000-00000000000' || b)::uuid,
       v::public.vehicle_type, fare
  from (values
    -- Commerce ↔ Gare routière, Dioulabougou, Résidentiel, Mossikro
    (1, 5, 'moto', 300), (1, 5, 'tricycle', 400), (1, 5, 'car', 1000),
    (1, 2, 'moto', 200), (1, 2, 'tricycle', 300),
    (1, 3, 'moto', 250), (1, 3, 'tricycle', 350),
    (1, 4, 'moto', 250), (1, 4, 'tricycle', 350),
    -- Gare routière ↔ Dioulabougou, Résidentiel
    (2, 5, 'moto', 400), (2, 5, 'tricycle', 500),
    (3, 5, 'moto', 300), (3, 5, 'tricycle', 400)
  ) as f (a, b, v, fare)
on conflict do nothing;
