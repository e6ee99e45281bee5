-- Store and product photos: two public Storage buckets (logos and covers; dish and item photos), 2 MB at most, JPEG,
-- PNG or WebP, each object under its store's id: `<store_id>/<file>`. Anyone may read them (public buckets serve
-- `/storage/v1/object/public/<bucket>/<store_id>/<file>` to <img> tags without a token); members of a store upload,
-- replace and remove only under their store's folder; admins anywhere in these buckets. The path columns of the
-- domain (stores.logo_path, stores.cover_path, products.photo_path) hold `<bucket>/<store_id>/<file>`, so a public
-- URL is `<SUPABASE_URL>/storage/v1/object/public/<path>`.
-- The buckets are also declared in supabase/config.toml ([storage.buckets.*], same settings) so that the CLI and the
-- local stack upload the demo photos of seed/photos at start; the insert here makes them exist on hosted projects.

-- Tables (Storage's own) -----------------------------------------------------------------------------------------
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values
  ('store-photos', 'store-photos', true, 2097152, array['image/jpeg', 'image/png', 'image/webp']),
  ('product-photos', 'product-photos', true, 2097152, array['image/jpeg', 'image/png', 'image/webp'])
on conflict (id) do nothing;

-- Policies -------------------------------------------------------------------------------------------------------
-- The first folder of the object name is the store id; compared as text, so a name that is not a uuid is simply
-- no match (a cast would raise). storage.objects has an index on (bucket_id, name).
create policy "Visitors can view store and product photos"
  on storage.objects for select to anon
  using (bucket_id in ('store-photos', 'product-photos'));

create policy "People can view store and product photos"
  on storage.objects for select to authenticated
  using (bucket_id in ('store-photos', 'product-photos'));

create policy "Members can upload their stores' photos, admins any store's"
  on storage.objects for insert to authenticated
  with check (
    bucket_id in ('store-photos', 'product-photos')
    and (
      (storage.foldername(name))[1] in (select s::text from private.my_store_ids() s)
      or (select private.is_admin())
    )
  );

create policy "Members can replace their stores' photos, admins any store's"
  on storage.objects for update to authenticated
  using (
    bucket_id in ('store-photos', 'product-photos')
    and (
      (storage.foldername(name))[1] in (select s::text from private.my_store_ids() s)
      or (select private.is_admin())
    )
  )
  with check (
    bucket_id in ('store-photos', 'product-photos')
    and (
      (storage.foldername(name))[1] in (select s::text from private.my_store_ids() s)
      or (select private.is_admin())
    )
  );

create policy "Members can remove their stores' photos, admins any store's"
  on storage.objects for delete to authenticated
  using (
    bucket_id in ('store-photos', 'product-photos')
    and (
      (storage.foldername(name))[1] in (select s::text from private.my_store_ids() s)
      or (select private.is_admin())
    )
  );
