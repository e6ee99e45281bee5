-- Orders (DESIGN.md §6): what a customer buys from one store, with the items, prices and the delivery address
-- copied at placement, payment method, and a status that only moves along the legal transitions of
-- public.order_transitions, each one recorded in order_events. Orders are placed and moved by the edge functions
-- (service role) through private.transition_order; clients only read, each party what it needs:
--   customers   their orders, items, events, contact + address snapshot, delivery code
--   store       their stores' orders, items, events; the contact only for pickup orders; never the delivery code
--   courier     the orders assigned to them, items, events, contact + address; never the delivery code
--   admins      everything
-- The customer's phone and address live in order_contacts and the 4-digit code in order_delivery_codes, so row
-- policies decide who reads them (column grants cannot tell a courier from a customer: both are `authenticated`).

-- Types ----------------------------------------------------------------------------------------------------------
create type public.order_status as enum (
  'pending', 'accepted', 'rejected', 'cancelled', 'preparing', 'ready', 'picked_up', 'delivered'
);
comment on type public.order_status is
  'Order life cycle (DESIGN.md §6); legal moves and who may make them: public.order_transitions.';

create type public.fulfilment as enum ('delivery', 'pickup');
comment on type public.fulfilment is 'delivery: a courier brings it; pickup: the customer collects it at the store.';


create type public.transition_actor as enum ('customer', 'merchant', 'courier', 'admin', 'system');
comment on type public.transition_actor is
  'Who moves an order or a ride: customer (the rider for rides), merchant (a member of the store), courier (the '
  'assigned one), admin, system (timeouts, dispatch).';

-- Tables ---------------------------------------------------------------------------------------------------------
create table public.order_transitions (
  from_status public.order_status not null,
  to_status public.order_status not null,
  actor_role public.transition_actor not null,
  fulfilment public.fulfilment,
  primary key (from_status, to_status, actor_role),
  constraint order_transitions_moves check (from_status <> to_status)
);
comment on table public.order_transitions is
  'The order state machine: a status change is legal when a row (from, to, actor role) exists and its fulfilment '
  'is null or the order''s. Reference data (this migration); everyone reads it, nobody writes it through the API.';

create table public.orders (
  id uuid primary key default gen_random_uuid(),
  customer_id uuid not null references auth.users (id) on delete restrict,
  customer_first_name text not null default ''
    constraint orders_customer_first_name_length check (private.check_text_length(customer_first_name, 'customer_first_name', 0, 60)),
  store_id uuid not null references public.stores (id) on delete restrict,
  zone_id uuid not null references public.zones (id) on delete restrict,
  fulfilment public.fulfilment not null default 'delivery',
  subtotal_xof integer not null constraint orders_subtotal_xof_min check (private.check_xof(subtotal_xof, 'subtotal_xof', 1)),
  delivery_fee_xof integer not null default 0
    constraint orders_delivery_fee_xof_min check (private.check_xof(delivery_fee_xof, 'delivery_fee_xof', 0)),
  discount_xof integer not null default 0 constraint orders_discount_xof_min check (private.check_xof(discount_xof, 'discount_xof', 0)),
  total_xof integer not null constraint orders_total_xof_min check (private.check_xof(total_xof, 'total_xof', 0)),
  payment_method public.payment_method not null,
  cash_tendered_xof integer,
  status public.order_status not null default 'pending',
  courier_id uuid references public.couriers (user_id) on delete restrict,
  scheduled_for timestamptz,
  note text constraint orders_note_length check (private.check_text_length(note, 'note', 1, 280)),
  rejection_reason text constraint orders_rejection_reason_length check (private.check_text_length(rejection_reason, 'rejection_reason', 1, 280)),
  cancellation_reason text
    constraint orders_cancellation_reason_length check (private.check_text_length(cancellation_reason, 'cancellation_reason', 1, 280)),
  cancelled_by public.transition_actor,
  idempotency_key text not null constraint orders_idempotency_key_length check (private.check_text_length(idempotency_key, 'idempotency_key', 8, 100)),
  created_at timestamptz not null default now(),
  accepted_at timestamptz,
  rejected_at timestamptz,
  cancelled_at timestamptz,
  preparing_at timestamptz,
  ready_at timestamptz,
  picked_up_at timestamptz,
  delivered_at timestamptz,
  updated_at timestamptz not null default now(),
  constraint orders_idempotency_key_per_customer unique (customer_id, idempotency_key),
  constraint orders_total_is_sum check (private.check_order_total(subtotal_xof, delivery_fee_xof, discount_xof, total_xof)),
  constraint orders_cash_tendered check (private.check_cash_tendered(payment_method, cash_tendered_xof, total_xof)),
  constraint orders_pickup_has_no_delivery_fee check (fulfilment = 'delivery' or delivery_fee_xof = 0)
);
comment on table public.orders is
  'An order to one store: customer (and first name for the bag), zone, delivery or pickup, amounts in integer FCFA '
  '(total = subtotal + delivery fee - discount), payment method, cash tendered ("I pay with 5 000": at least the '
  'total, cash only), status (only through private.transition_order), assigned courier, schedule, reasons, one '
  'timestamp per step, and an idempotency key unique per customer. Written by the edge functions; customers, the '
  'store''s members, the assigned courier and admins read it.';

create table public.order_contacts (
  order_id uuid primary key references public.orders (id) on delete cascade,
  customer_phone text not null constraint order_contacts_customer_phone_e164 check (private.check_phone(customer_phone)),
  address jsonb constraint order_contacts_address_shape check (private.check_address_snapshot(address))
);
comment on table public.order_contacts is
  'How to reach the customer of an order: phone, and for deliveries the address snapshot {label, lat, lng, '
  'landmark, phone, photo_path} copied at placement. Readable by the customer, the assigned courier, admins, and '
  'the store''s members for pickup orders only (they may need to call; a delivery is the courier''s business).';

create table public.order_delivery_codes (
  order_id uuid primary key references public.orders (id) on delete cascade,
  code text not null default lpad((floor(random() * 10000))::int::text, 4, '0')
    constraint order_delivery_codes_four_digits check (code ~ '^[0-9]{4}$')
);
comment on table public.order_delivery_codes is
  'The 4-digit code the customer gives at handover (to the courier, or at the store for pickup): private.'
  'transition_order checks it for delivered. Readable by the customer and admins only, never by the courier or '
  'the store.';

create table public.order_items (
  id uuid primary key default gen_random_uuid(),
  order_id uuid not null references public.orders (id) on delete cascade,
  product_id uuid references public.products (id) on delete set null,
  name text not null constraint order_items_name_length check (private.check_text_length(name, 'name', 1, 80)),
  unit_price_xof integer not null constraint order_items_unit_price_xof_min check (private.check_xof(unit_price_xof, 'unit_price_xof', 1)),
  options jsonb not null default '[]' constraint order_items_options_is_array check (jsonb_typeof(options) = 'array'),
  options_price_xof integer not null default 0
    constraint order_items_options_price_xof_min check (private.check_xof(options_price_xof, 'options_price_xof', 0)),
  quantity integer not null constraint order_items_quantity_range check (private.check_quantity(quantity)),
  line_total_xof integer generated always as ((unit_price_xof + options_price_xof) * quantity) stored,
  position integer not null default 0
);
comment on table public.order_items is
  'What was ordered, copied at placement so later catalogue edits change nothing: product name, unit price, chosen '
  'options [{group, name, price_delta_xof}] and their total per unit, quantity 1..50, line total (generated). '
  'Readable with the order.';

create table public.order_events (
  id bigint generated always as identity primary key,
  order_id uuid not null references public.orders (id) on delete cascade,
  from_status public.order_status,
  to_status public.order_status not null,
  actor_id uuid references auth.users (id) on delete set null,
  actor_role public.transition_actor not null,
  reason text,
  created_at timestamptz not null default now()
);
comment on table public.order_events is
  'Every status change of an order (and its placement, from null): who, in which role, from, to, why, when. Written '
  'by the orders trigger only; readable with the order.';

-- Indexes --------------------------------------------------------------------------------------------------------
create index orders_customer_id_idx on public.orders (customer_id, created_at desc);
create index orders_store_id_idx on public.orders (store_id, status);
create index orders_courier_id_idx on public.orders (courier_id, status);
create index orders_zone_id_idx on public.orders (zone_id);
create index orders_pending_idx on public.orders (created_at) where status = 'pending';
create index order_items_order_id_idx on public.order_items (order_id, position);
create index order_items_product_id_idx on public.order_items (product_id);
create index order_events_order_id_idx on public.order_events (order_id, id);
create index order_events_actor_id_idx on public.order_events (actor_id);

-- Grants ---------------------------------------------------------------------------------------------------------
-- Reading only: placement, transitions and assignment are the functions' (service role) job.
revoke all on public.order_transitions, public.orders, public.order_contacts, public.order_delivery_codes,
              public.order_items, public.order_events from anon, authenticated;
grant select on public.order_transitions to anon, authenticated;
grant select on public.orders, public.order_contacts, public.order_delivery_codes, public.order_items,
                public.order_events to authenticated;

-- Row level security ---------------------------------------------------------------------------------------------
alter table public.order_transitions enable row level security;
alter table public.orders enable row level security;
alter table public.order_contacts enable row level security;
alter table public.order_delivery_codes enable row level security;
alter table public.order_items enable row level security;
alter table public.order_events enable row level security;

-- Triggers -------------------------------------------------------------------------------------------------------
create function private.guard_order()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  role public.transition_actor;
  legal boolean;
begin
  if tg_op = 'INSERT' then
    if new.status <> 'pending' then
      raise exception using errcode = 'check_violation',
        message = format('a new order starts pending, got %s', new.status);
    end if;
    if new.zone_id is null then
      select s.zone_id into new.zone_id from public.stores s where s.id = new.store_id;
    end if;
    new.created_at := now();
    return new;
  end if;

  -- Clients hold no write grant; this is the second line (SQL, Studio, a future grant).
  if current_user in ('anon', 'authenticated') then
    raise exception using errcode = 'insufficient_privilege',
      message = 'orders change only through the order functions';
  end if;
  if (new.customer_id, new.store_id, new.zone_id, new.fulfilment, new.subtotal_xof, new.delivery_fee_xof,
      new.discount_xof, new.total_xof, new.payment_method, new.idempotency_key, new.created_at)
     is distinct from
     (old.customer_id, old.store_id, old.zone_id, old.fulfilment, old.subtotal_xof, old.delivery_fee_xof,
      old.discount_xof, old.total_xof, old.payment_method, old.idempotency_key, old.created_at) then
    raise exception using errcode = 'insufficient_privilege',
      message = 'the customer, store, fulfilment and amounts of an order are fixed at placement';
  end if;

  if new.status is distinct from old.status then
    role := coalesce(nullif(current_setting('ecom.actor_role', true), '')::public.transition_actor, 'system');
    select exists (
      select 1 from public.order_transitions t
       where t.from_status = old.status and t.to_status = new.status
         and (t.fulfilment is null or t.fulfilment = old.fulfilment)
    ) into legal;
    if not legal then
      raise exception using errcode = 'object_not_in_prerequisite_state',
        message = format('illegal transition from %s to %s', old.status, new.status);
    end if;
    if not exists (
      select 1 from public.order_transitions t
       where t.from_status = old.status and t.to_status = new.status and t.actor_role = role
         and (t.fulfilment is null or t.fulfilment = old.fulfilment)
    ) then
      raise exception using errcode = 'object_not_in_prerequisite_state',
        message = format('illegal transition from %s to %s for %s', old.status, new.status, role);
    end if;
    if new.status = 'picked_up' and new.courier_id is null then
      raise exception using errcode = 'object_not_in_prerequisite_state',
        message = 'an order is picked up by its assigned courier: assign one first';
    end if;
    case new.status
      when 'accepted' then new.accepted_at := now();
      when 'rejected' then new.rejected_at := now();
      when 'cancelled' then new.cancelled_at := now(); new.cancelled_by := role;
      when 'preparing' then new.preparing_at := now();
      when 'ready' then new.ready_at := now();
      when 'picked_up' then new.picked_up_at := now();
      when 'delivered' then new.delivered_at := now();
      else null;
    end case;
  end if;
  if new.courier_id is distinct from old.courier_id
     and old.status not in ('pending', 'accepted', 'preparing', 'ready') then
    raise exception using errcode = 'object_not_in_prerequisite_state',
      message = format('the courier of an order that is %s cannot change', old.status);
  end if;
  new.updated_at := now();
  return new;
end;
$$;
comment on function private.guard_order() is
  'Trigger on orders: a new order is pending (its zone defaults to the store''s); anon / authenticated never '
  'update (insufficient_privilege); customer, store, fulfilment and amounts never change; a status change must be '
  'a row of order_transitions for the acting role (setting ecom.actor_role, set by private.transition_order; '
  '"system" otherwise), else object_not_in_prerequisite_state "illegal transition from X to Y" (no such move) or '
  '"… for <role>"; stamps the step''s timestamp. Never called directly.';
revoke all on function private.guard_order() from public;

create function private.record_order_event()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    insert into public.order_events (order_id, from_status, to_status, actor_id, actor_role, reason)
    values (new.id, null, new.status, new.customer_id, 'customer', null);
  elsif new.status is distinct from old.status then
    insert into public.order_events (order_id, from_status, to_status, actor_id, actor_role, reason)
    values (new.id, old.status, new.status, nullif(current_setting('ecom.actor_id', true), '')::uuid,
            coalesce(nullif(current_setting('ecom.actor_role', true), '')::public.transition_actor, 'system'),
            nullif(current_setting('ecom.reason', true), ''));
  end if;
  return null;
end;
$$;
comment on function private.record_order_event() is
  'Trigger after insert or status change on orders: appends the order_events row (actor from the settings '
  'private.transition_order sets). Never called directly.';
revoke all on function private.record_order_event() from public;

create trigger orders_guard
  before insert or update on public.orders
  for each row execute function private.guard_order();

create trigger orders_check_zone
  before insert on public.orders
  for each row execute function private.check_zone_known();

create trigger orders_record_event
  after insert or update of status on public.orders
  for each row execute function private.record_order_event();

-- Policies -------------------------------------------------------------------------------------------------------
create policy "Everyone can view the order state machine"
  on public.order_transitions for select to anon
  using (true);

create policy "People can view the order state machine"
  on public.order_transitions for select to authenticated
  using (true);

create policy "Customers, stores, the courier and admins can view an order"
  on public.orders for select to authenticated
  using (
    customer_id = (select auth.uid())
    or store_id in (select private.my_store_ids())
    or courier_id = (select auth.uid())
    or (select private.is_admin())
  );

create policy "Customers, couriers, pickup stores, admins can view contacts"
  on public.order_contacts for select to authenticated
  using (
    order_id in (
      select o.id from public.orders o
       where o.customer_id = (select auth.uid())
          or o.courier_id = (select auth.uid())
          or (o.fulfilment = 'pickup' and o.store_id in (select private.my_store_ids()))
    )
    or (select private.is_admin())
  );

create policy "Customers and admins can view an order's delivery code"
  on public.order_delivery_codes for select to authenticated
  using (
    order_id in (select o.id from public.orders o where o.customer_id = (select auth.uid()))
    or (select private.is_admin())
  );

create policy "Parties to an order can view its items"
  on public.order_items for select to authenticated
  using (order_id in (select o.id from public.orders o));

create policy "Parties to an order can view its events"
  on public.order_events for select to authenticated
  using (order_id in (select o.id from public.orders o));

-- Functions ------------------------------------------------------------------------------------------------------
create function private.transition_order(
  order_id uuid,
  to_status public.order_status,
  actor uuid,
  actor_role public.transition_actor,
  reason text default null,
  code text default null
)
returns public.orders
language plpgsql
security definer
set search_path = ''
as $$
declare
  o public.orders;
begin
  select * into o from public.orders where id = transition_order.order_id for update;
  if not found then
    raise exception using errcode = 'no_data_found', message = format('order %s not found', order_id);
  end if;
  -- The actor must be who the role says, for this order.
  if actor_role = 'customer' and actor is distinct from o.customer_id then
    raise exception using errcode = 'insufficient_privilege', message = 'only the customer of this order can do this';
  elsif actor_role = 'merchant' and not exists (
    select 1 from public.store_members m join public.user_roles r on r.user_id = m.user_id and r.role = 'merchant'
     where m.store_id = o.store_id and m.user_id = actor
  ) then
    raise exception using errcode = 'insufficient_privilege', message = 'only a member of this order''s store can do this';
  elsif actor_role = 'courier' and (o.courier_id is null or actor is distinct from o.courier_id) then
    raise exception using errcode = 'insufficient_privilege', message = 'only the courier assigned to this order can do this';
  elsif actor_role = 'admin' and not exists (
    select 1 from public.user_roles r where r.user_id = actor and r.role = 'admin'
  ) then
    raise exception using errcode = 'insufficient_privilege', message = 'only an admin can do this';
  end if;
  -- An impossible move is reported as such before any reason or code is asked for (the trigger checks it again).
  if not exists (
    select 1 from public.order_transitions t
     where t.from_status = o.status and t.to_status = transition_order.to_status
       and (t.fulfilment is null or t.fulfilment = o.fulfilment)
  ) then
    raise exception using errcode = 'object_not_in_prerequisite_state',
      message = format('illegal transition from %s to %s', o.status, to_status);
  end if;
  if to_status in ('rejected', 'cancelled') and actor_role <> 'system' and nullif(btrim(reason), '') is null then
    raise exception using errcode = 'check_violation', message = format('a reason is required to move an order to %s', to_status);
  end if;
  if to_status = 'delivered' and o.status is distinct from 'delivered' then
    if code is null or not exists (
      select 1 from public.order_delivery_codes c where c.order_id = o.id and c.code = transition_order.code
    ) then
      raise exception using errcode = 'check_violation', message = 'wrong delivery code';
    end if;
  end if;

  perform set_config('ecom.actor_id', coalesce(actor::text, ''), true);
  perform set_config('ecom.actor_role', actor_role::text, true);
  perform set_config('ecom.reason', coalesce(reason, ''), true);
  update public.orders u
     set status = to_status,
         rejection_reason = case when to_status = 'rejected' then reason else u.rejection_reason end,
         cancellation_reason = case when to_status = 'cancelled' then reason else u.cancellation_reason end
   where u.id = o.id
  returning * into o;
  perform set_config('ecom.actor_id', '', true);
  perform set_config('ecom.actor_role', '', true);
  perform set_config('ecom.reason', '', true);
  return o;
end;
$$;
comment on function private.transition_order(uuid, public.order_status, uuid, public.transition_actor, text, text) is
  'Moves an order to to_status as actor in actor_role, in the caller''s transaction: checks the actor is that '
  'order''s customer / store member / assigned courier / an admin (insufficient_privilege otherwise), a reason for '
  'rejected and cancelled, the customer''s code for delivered (check_violation "wrong delivery code"); the orders '
  'trigger refuses illegal moves (object_not_in_prerequisite_state "illegal transition from X to Y") and records '
  'the event. Raises no_data_found for an unknown order. Edge functions only: executable by service_role.';
revoke all on function private.transition_order(uuid, public.order_status, uuid, public.transition_actor, text, text)
  from public, anon, authenticated;
grant execute on function private.transition_order(uuid, public.order_status, uuid, public.transition_actor, text, text)
  to service_role;

-- Reference data: the order state machine (DESIGN.md §6).
insert into public.order_transitions (from_status, to_status, actor_role, fulfilment)
values ('pending', 'accepted', 'merchant', null),
       ('pending', 'rejected', 'merchant', null),
       ('pending', 'cancelled', 'customer', null),
       ('pending', 'cancelled', 'system', null),
       ('pending', 'cancelled', 'admin', null),
       ('accepted', 'preparing', 'merchant', null),
       ('accepted', 'cancelled', 'admin', null),
       ('preparing', 'ready', 'merchant', null),
       ('preparing', 'cancelled', 'admin', null),
       ('ready', 'picked_up', 'courier', 'delivery'),
       ('ready', 'delivered', 'merchant', 'pickup'),
       ('ready', 'cancelled', 'admin', null),
       ('picked_up', 'delivered', 'courier', 'delivery'),
       ('picked_up', 'cancelled', 'admin', null);
