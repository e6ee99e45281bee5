-- The private bucket for courier KYC files (photos and scans of id, licence, carte grise, insurance, municipal
-- card): 10 MB, images and PDF. A courier reads and writes only under `<their user id>/…`; admins read everything
-- (to review); nobody else, and no public URL. courier_documents.storage_path points here.

-- Tables ---------------------------------------------------------------------------------------------------------
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('courier-documents', 'courier-documents', false, 10485760,
        array['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf'])
on conflict (id) do nothing;

-- Policies -------------------------------------------------------------------------------------------------------
create policy "Couriers can view files in their own folder, admins all files"
  on storage.objects for select to authenticated
  using (
    bucket_id = 'courier-documents'
    and (
      ((storage.foldername(name))[1] = (select auth.uid())::text and (select private.has_role('courier')))
      or (select private.is_admin())
    )
  );

create policy "Couriers can upload files into their own folder"
  on storage.objects for insert to authenticated
  with check (
    bucket_id = 'courier-documents'
    and (storage.foldername(name))[1] = (select auth.uid())::text
    and (select private.has_role('courier'))
  );

create policy "Couriers can replace files in their own folder"
  on storage.objects for update to authenticated
  using (
    bucket_id = 'courier-documents'
    and (storage.foldername(name))[1] = (select auth.uid())::text
    and (select private.has_role('courier'))
  )
  with check (
    bucket_id = 'courier-documents'
    and (storage.foldername(name))[1] = (select auth.uid())::text
    and (select private.has_role('courier'))
  );

create policy "Couriers can delete files from their own folder"
  on storage.objects for delete to authenticated
  using (
    bucket_id = 'courier-documents'
    and (storage.foldername(name))[1] = (select auth.uid())::text
    and (select private.has_role('courier'))
  );
