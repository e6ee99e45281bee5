-- Promotions: codes a customer types at checkout ("TIASSALE10"), for the whole platform (funded by the platform,
-- created by admins) or for one store (funded by the merchant, created by its owners). A promotion is a percentage,
-- a fixed FCFA amount or free delivery, with a minimum order, a cap, a period and usage limits. Applying one and
-- counting redemptions belong to order placement (orders slice): this table is the catalogue of offers.

-- Types ----------------------------------------------------------------------------------------------------------
create type public.promotion_kind as enum ('percent', 'fixed', 'free_delivery');
comment on type public.promotion_kind is
  'percent: value % off the subtotal (1..100); fixed: value FCFA off (integer > 0); free_delivery: no delivery fee '
  '(no value).';

-- Tables ---------------------------------------------------------------------------------------------------------
create table public.promotions (
  id uuid primary key default gen_random_uuid(),
  code text not null constraint promotions_code_format check (code ~ '^[A-Z0-9][A-Z0-9_-]{2,31}$'),
  description text not null default ''
    constraint promotions_description_length check (private.check_text_length(description, 'description', 0, 280)),
  store_id uuid references public.stores (id) on delete cascade,
  kind public.promotion_kind not null,
  value integer,
  min_order_xof integer not null default 0
    constraint promotions_min_order_xof_min check (private.check_xof(min_order_xof, 'min_order_xof', 0)),
  max_discount_xof integer
    constraint promotions_max_discount_xof_min check (private.check_xof(max_discount_xof, 'max_discount_xof', 1)),
  starts_at timestamptz not null default now(),
  ends_at timestamptz not null,
  usage_limit_total integer constraint promotions_usage_limit_total_min check (usage_limit_total >= 1),
  usage_limit_per_customer integer default 1
    constraint promotions_usage_limit_per_customer_min check (usage_limit_per_customer >= 1),
  active boolean not null default true,
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint promotions_code_key unique (code),
  constraint promotions_value_fits_kind check (private.check_promotion_value(kind::text, value)),
  constraint promotions_period check (private.check_period(starts_at, ends_at))
);
comment on table public.promotions is
  'Promotion codes: unique ignoring case (stored upper-case), store_id null = platform-wide (admins) or one store '
  '(its owners), kind + value (percent 1..100, fixed FCFA > 0, free_delivery none), minimum order, cap, period '
  '(starts_at < ends_at), usage limits (null = unlimited), active. Signed-in people read active promotions in their '
  'period (of approved stores); members read their stores'' promotions; admins all.';

-- Indexes --------------------------------------------------------------------------------------------------------
create index promotions_store_id_idx on public.promotions (store_id);
create index promotions_created_by_idx on public.promotions (created_by);
create index promotions_current_idx on public.promotions (starts_at, ends_at) where active;

-- Grants ---------------------------------------------------------------------------------------------------------
revoke all on public.promotions from anon, authenticated;
grant select, delete on public.promotions to authenticated;
grant insert (id, code, description, store_id, kind, value, min_order_xof, max_discount_xof, starts_at, ends_at,
              usage_limit_total, usage_limit_per_customer, active),
      update (code, description, store_id, kind, value, min_order_xof, max_discount_xof, starts_at, ends_at,
              usage_limit_total, usage_limit_per_customer, active)
  on public.promotions to authenticated;

-- Row level security ---------------------------------------------------------------------------------------------
alter table public.promotions enable row level security;

-- Triggers -------------------------------------------------------------------------------------------------------
create function private.prepare_promotion()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.code := upper(btrim(new.code));
  if new.store_id is not null and not exists (select 1 from public.stores s where s.id = new.store_id) then
    raise exception using errcode = 'foreign_key_violation',
      message = format('unknown store %s', new.store_id),
      hint = 'Leave store_id empty for a platform-wide promotion (admins only).';
  end if;
  return new;
end;
$$;
comment on function private.prepare_promotion() is
  'Trigger before insert or update on promotions: stores the code trimmed and upper-case (so codes are unique and '
  'looked up ignoring case) and refuses a store the caller cannot see with foreign_key_violation "unknown store '
  '<id>". Runs as the caller. Never called directly.';
revoke all on function private.prepare_promotion() from public;

create trigger promotions_prepare
  before insert or update of code, store_id on public.promotions
  for each row execute function private.prepare_promotion();

create trigger promotions_keep_store
  before update on public.promotions
  for each row execute function private.keep_columns('store_id');

create trigger promotions_touch_updated_at
  before update on public.promotions
  for each row execute function private.touch_updated_at();

-- Policies -------------------------------------------------------------------------------------------------------
create policy "People can view current promotions, members their stores', admins all"
  on public.promotions for select to authenticated
  using (
    (active and starts_at <= now() and ends_at > now()
     and (store_id is null or store_id in (select s.id from public.stores s where s.approval_status = 'approved')))
    or store_id in (select private.my_store_ids())
    or (select private.is_admin())
  );

create policy "Owners can create their stores' promotions, admins any"
  on public.promotions for insert to authenticated
  with check (store_id in (select private.my_owned_store_ids()) or (select private.is_admin()));

create policy "Owners can update their stores' promotions, admins any"
  on public.promotions for update to authenticated
  using (store_id in (select private.my_owned_store_ids()) or (select private.is_admin()))
  with check (store_id in (select private.my_owned_store_ids()) or (select private.is_admin()));

create policy "Owners can delete their stores' promotions, admins any"
  on public.promotions for delete to authenticated
  using (store_id in (select private.my_owned_store_ids()) or (select private.is_admin()));
