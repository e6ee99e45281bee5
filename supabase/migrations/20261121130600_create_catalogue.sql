-- Catalogue: a store's categories, products (integer FCFA prices, photo, available, "sold out until"), option
-- groups (min / max choices) and options (price deltas). Every row carries its store_id, checked against its parent
-- by composite foreign keys, so policies are one `store_id in (…)` test and nothing can point across stores.

-- Tables ---------------------------------------------------------------------------------------------------------
create table public.categories (
  id uuid primary key default gen_random_uuid(),
  store_id uuid not null references public.stores (id) on delete cascade,
  name text not null constraint categories_name_length check (private.check_text_length(name, 'name', 1, 60)),
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint categories_id_store_id_key unique (id, store_id)
);
comment on table public.categories is
  'Sections of a store''s menu ("Plats", "Boissons"), ordered by position. Public with an approved store; members '
  'and admins write.';

create table public.products (
  id uuid primary key default gen_random_uuid(),
  store_id uuid not null references public.stores (id) on delete cascade,
  category_id uuid,
  name text not null constraint products_name_length check (private.check_text_length(name, 'name', 1, 80)),
  description text not null default ''
    constraint products_description_length check (private.check_text_length(description, 'description', 0, 500)),
  price_xof integer not null constraint products_price_xof_min check (private.check_xof(price_xof, 'price_xof', 1)),
  photo_path text constraint products_photo_path_length check (private.check_text_length(photo_path, 'photo_path', 1, 512)),
  available boolean not null default true,
  sold_out_until timestamptz,
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint products_id_store_id_key unique (id, store_id),
  constraint products_category_in_same_store foreign key (category_id, store_id)
    references public.categories (id, store_id) on delete set null (category_id)
);
comment on table public.products is
  'What a store sells, price in integer FCFA (> 0). available = false hides it from customers; sold_out_until '
  'shows it as sold out until then. Public when available in an approved store; members and admins see and write all.';

create table public.product_option_groups (
  id uuid primary key default gen_random_uuid(),
  store_id uuid not null,
  product_id uuid not null,
  name text not null constraint product_option_groups_name_length check (private.check_text_length(name, 'name', 1, 60)),
  min_selections integer not null default 0,
  max_selections integer not null default 1,
  required boolean generated always as (min_selections > 0) stored,
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint product_option_groups_id_store_id_key unique (id, store_id),
  constraint product_option_groups_product_in_same_store foreign key (product_id, store_id)
    references public.products (id, store_id) on delete cascade,
  constraint product_option_groups_selections_range
    check (min_selections >= 0 and max_selections >= 1 and min_selections <= max_selections)
);
comment on table public.product_option_groups is
  'Choices on a product ("Accompagnement": choose 1 of attiéké, alloco, riz): min..max selections; required when '
  'min_selections > 0 (generated). store_id is filled from the product. Visible with its product; members and '
  'admins write.';

create table public.product_options (
  id uuid primary key default gen_random_uuid(),
  store_id uuid not null,
  group_id uuid not null,
  name text not null constraint product_options_name_length check (private.check_text_length(name, 'name', 1, 60)),
  price_delta_xof integer not null default 0
    constraint product_options_price_delta_xof_min check (private.check_xof(price_delta_xof, 'price_delta_xof', 0)),
  available boolean not null default true,
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint product_options_group_in_same_store foreign key (group_id, store_id)
    references public.product_option_groups (id, store_id) on delete cascade
);
comment on table public.product_options is
  'One choice of an option group and what it adds to the price (integer FCFA, 0 or more: a cheaper variant is a '
  'cheaper base price, never a negative delta). store_id is filled from the group. Visible when available with its '
  'product; members and admins see and write all.';

-- Indexes --------------------------------------------------------------------------------------------------------
create index categories_store_id_idx on public.categories (store_id, position);
create index products_store_id_idx on public.products (store_id, available);
create index products_category_id_idx on public.products (category_id, store_id);
create index product_option_groups_product_id_idx on public.product_option_groups (product_id, store_id);
create index product_option_groups_store_id_idx on public.product_option_groups (store_id);
create index product_options_group_id_idx on public.product_options (group_id, store_id);
create index product_options_store_id_idx on public.product_options (store_id, available);

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on public.categories, public.products, public.product_option_groups, public.product_options
  from anon, authenticated;
grant select on public.categories, public.products, public.product_option_groups, public.product_options
  to anon, authenticated;
grant insert (id, store_id, name, position), update (store_id, name, position), delete
  on public.categories to authenticated;
grant insert (id, store_id, category_id, name, description, price_xof, photo_path, available, sold_out_until, position),
      update (store_id, category_id, name, description, price_xof, photo_path, available, sold_out_until, position),
      delete on public.products to authenticated;
grant insert (id, store_id, product_id, name, min_selections, max_selections, position),
      update (store_id, product_id, name, min_selections, max_selections, position),
      delete on public.product_option_groups to authenticated;
grant insert (id, store_id, group_id, name, price_delta_xof, available, position),
      update (store_id, group_id, name, price_delta_xof, available, position),
      delete on public.product_options to authenticated;

-- Row level security ---------------------------------------------------------------------------------------------
alter table public.categories enable row level security;
alter table public.products enable row level security;
alter table public.product_option_groups enable row level security;
alter table public.product_options enable row level security;

-- Triggers -------------------------------------------------------------------------------------------------------
-- Option groups and options take their store from their parent (visible to the caller, or the insert fails on the
-- not-null store_id).
create function private.fill_store_id_from_parent()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.store_id is null then
    if tg_table_name = 'product_option_groups' then
      select p.store_id into new.store_id from public.products p where p.id = new.product_id;
    elsif tg_table_name = 'product_options' then
      select g.store_id into new.store_id from public.product_option_groups g where g.id = new.group_id;
    end if;
  end if;
  return new;
end;
$$;
comment on function private.fill_store_id_from_parent() is
  'Trigger on product_option_groups and product_options: fills store_id from the parent product or group when the '
  'writer leaves it out; the composite foreign keys refuse a store_id that differs from the parent''s. Never '
  'called directly.';
revoke all on function private.fill_store_id_from_parent() from public;

create trigger product_option_groups_fill_store_id
  before insert on public.product_option_groups
  for each row execute function private.fill_store_id_from_parent();

create trigger product_options_fill_store_id
  before insert on public.product_options
  for each row execute function private.fill_store_id_from_parent();

create trigger categories_keep_store
  before update on public.categories
  for each row execute function private.keep_columns('store_id');

create trigger products_keep_store
  before update on public.products
  for each row execute function private.keep_columns('store_id');

create trigger product_option_groups_keep_parent
  before update on public.product_option_groups
  for each row execute function private.keep_columns('store_id', 'product_id');

create trigger product_options_keep_parent
  before update on public.product_options
  for each row execute function private.keep_columns('store_id', 'group_id');

create trigger categories_touch_updated_at
  before update on public.categories
  for each row execute function private.touch_updated_at();

create trigger products_touch_updated_at
  before update on public.products
  for each row execute function private.touch_updated_at();

create trigger product_option_groups_touch_updated_at
  before update on public.product_option_groups
  for each row execute function private.touch_updated_at();

create trigger product_options_touch_updated_at
  before update on public.product_options
  for each row execute function private.touch_updated_at();

-- Policies -------------------------------------------------------------------------------------------------------
create policy "Visitors can view the categories of approved stores"
  on public.categories for select to anon
  using (store_id in (select s.id from public.stores s where s.approval_status = 'approved'));

create policy "People can view the categories of approved stores, members theirs, admins all"
  on public.categories for select to authenticated
  using (
    store_id in (select s.id from public.stores s where s.approval_status = 'approved')
    or store_id in (select private.my_store_ids())
    or (select private.is_admin())
  );

create policy "Members can add categories to their stores, admins to all"
  on public.categories for insert to authenticated
  with check (store_id in (select private.my_store_ids()) or (select private.is_admin()));

create policy "Members can update their stores' categories, admins all"
  on public.categories for update to authenticated
  using (store_id in (select private.my_store_ids()) or (select private.is_admin()))
  with check (store_id in (select private.my_store_ids()) or (select private.is_admin()));

create policy "Members can delete their stores' categories, admins all"
  on public.categories for delete to authenticated
  using (store_id in (select private.my_store_ids()) or (select private.is_admin()));

create policy "Visitors can view available products of approved stores"
  on public.products for select to anon
  using (available and store_id in (select s.id from public.stores s where s.approval_status = 'approved'));

create policy "People can view available products of approved stores, members theirs, admins all"
  on public.products for select to authenticated
  using (
    (available and store_id in (select s.id from public.stores s where s.approval_status = 'approved'))
    or store_id in (select private.my_store_ids())
    or (select private.is_admin())
  );

create policy "Members can add products to their stores, admins to all"
  on public.products for insert to authenticated
  with check (store_id in (select private.my_store_ids()) or (select private.is_admin()));

create policy "Members can update their stores' products, admins all"
  on public.products for update to authenticated
  using (store_id in (select private.my_store_ids()) or (select private.is_admin()))
  with check (store_id in (select private.my_store_ids()) or (select private.is_admin()));

create policy "Members can delete their stores' products, admins all"
  on public.products for delete to authenticated
  using (store_id in (select private.my_store_ids()) or (select private.is_admin()));

create policy "Visitors can view the option groups of public products"
  on public.product_option_groups for select to anon
  using (
    product_id in (
      select p.id from public.products p
       where p.available and p.store_id in (select s.id from public.stores s where s.approval_status = 'approved')
    )
  );

create policy "People can view the option groups of public products, members theirs, admins all"
  on public.product_option_groups for select to authenticated
  using (
    product_id in (
      select p.id from public.products p
       where p.available and p.store_id in (select s.id from public.stores s where s.approval_status = 'approved')
    )
    or store_id in (select private.my_store_ids())
    or (select private.is_admin())
  );

create policy "Members can add option groups to their stores' products, admins to all"
  on public.product_option_groups for insert to authenticated
  with check (store_id in (select private.my_store_ids()) or (select private.is_admin()));

create policy "Members can update their stores' option groups, admins all"
  on public.product_option_groups for update to authenticated
  using (store_id in (select private.my_store_ids()) or (select private.is_admin()))
  with check (store_id in (select private.my_store_ids()) or (select private.is_admin()));

create policy "Members can delete their stores' option groups, admins all"
  on public.product_option_groups for delete to authenticated
  using (store_id in (select private.my_store_ids()) or (select private.is_admin()));

create policy "Visitors can view available options of public products"
  on public.product_options for select to anon
  using (
    available
    and group_id in (
      select g.id from public.product_option_groups g
       where g.product_id in (
         select p.id from public.products p
          where p.available and p.store_id in (select s.id from public.stores s where s.approval_status = 'approved')
       )
    )
  );

create policy "People can view available options of public products, members theirs, admins all"
  on public.product_options for select to authenticated
  using (
    (available and group_id in (
      select g.id from public.product_option_groups g
       where g.product_id in (
         select p.id from public.products p
          where p.available and p.store_id in (select s.id from public.stores s where s.approval_status = 'approved')
       )
    ))
    or store_id in (select private.my_store_ids())
    or (select private.is_admin())
  );

create policy "Members can add options to their stores' groups, admins to all"
  on public.product_options for insert to authenticated
  with check (store_id in (select private.my_store_ids()) or (select private.is_admin()));

create policy "Members can update their stores' options, admins all"
  on public.product_options for update to authenticated
  using (store_id in (select private.my_store_ids()) or (select private.is_admin()))
  with check (store_id in (select private.my_store_ids()) or (select private.is_admin()));

create policy "Members can delete their stores' options, admins all"
  on public.product_options for delete to authenticated
  using (store_id in (select private.my_store_ids()) or (select private.is_admin()));
