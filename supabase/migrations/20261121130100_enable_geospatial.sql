-- Geospatial groundwork without PostGIS (neither our embedded Postgres nor every Supabase plan has it): the cube and
-- earthdistance contrib extensions, in schema extensions (never public). Points are (lat, lng) in degrees, distances
-- in metres on a sphere of radius 6 378 168 m; "within R metres" is an indexed query:
--   extensions.earth_box(extensions.ll_to_earth(lat0, lng0), R) operator(extensions.@>) extensions.ll_to_earth(lat, lng)
-- (a GiST index on extensions.ll_to_earth(lat, lng) answers it) refined by extensions.earth_distance(...) <= R.
-- earthdistance 1.2 (PostgreSQL 16+) qualifies its internals, so these index expressions survive the restricted
-- search_path of maintenance commands and dumps.
create extension if not exists cube with schema extensions;
create extension if not exists earthdistance with schema extensions;
