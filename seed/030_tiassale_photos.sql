-- Photos of the Tiassalé demo stores and products: the files are rendered by seed/photos/generate.ts into
-- seed/photos/<bucket>/<store_id>/… and uploaded at start to the public buckets store-photos and product-photos
-- ([storage.buckets.*] objects_path in supabase/config.toml). The path columns hold `<bucket>/<object name>`, so
-- `<SUPABASE_URL>/storage/v1/object/public/<path>` is the photo. Replaces the provisional `stores/<slug>/…` paths
-- of 010 for every demo store: a logo and a cover each, and one photo per product.

update public.stores
   set logo_path = 'store-photos/' || id || '/logo.png',
       cover_path = 'store-photos/' || id || '/cover.png'
 where id::text like '51000000-0000-4000-8000-%';

update public.products
   set photo_path = 'product-photos/' || store_id || '/' || id || '.png'
 where store_id::text like '51000000-0000-4000-8000-%';
