-- Applied once after the migrations by `supabase db push --include-seed` (and `supabase db reset`). Kept tiny on
-- purpose: the Tiassalé demo data (stores, menus, couriers, customers) lives in seed/ with fixed UUIDs.
select 1;
