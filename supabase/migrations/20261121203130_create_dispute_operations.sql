-- Disputes for the operations team (issue 10, docs/admin-ops.md "Disputes"): a queue with response-time targets,
-- taking a dispute, evidence snapshotted from the job (timeline, GPS trace, photos) and a resolution with or without
-- a refund that goes through the ledger's refund rules.
--
-- Targets (one place: private.dispute_targets()): a first answer within 2 hours of opening (taking the dispute is
-- the first answer: the customer is told someone is on it), a resolution within 48 hours. The queue computes the due
-- times and overdue flags from them. A resolution's refund reuses private.refund_order (orders: never more than
-- paid minus earlier refunds, the store gives back its share, idempotent) or the new private.refund_ride (rides:
-- never more than the fare and cancellation fee paid minus earlier refunds; the platform gives it all back, the
-- driver keeps his earnings, as a courier keeps his delivery earnings on an order refund). Every write is audited and
-- the customer is notified. The customer reads the hand-written and timeline evidence of their dispute, not the
-- courier's trace and documents.

-- Types ----------------------------------------------------------------------------------------------------------
create type public.dispute_evidence_kind as enum ('manual', 'timeline', 'trace', 'photo');
comment on type public.dispute_evidence_kind is
  'Where a piece of evidence comes from: added by hand (a customer''s or an admin''s file or note), or snapshotted '
  'by an admin from the job: its event timeline, the courier''s GPS trace, a photo path.';

create type public.dispute_outcome as enum ('refund', 'no_refund');
comment on type public.dispute_outcome is 'How a resolved dispute ended: with a refund to the customer''s wallet or without.';

-- Tables ---------------------------------------------------------------------------------------------------------
alter table public.disputes
  add column assigned_to uuid references auth.users (id) on delete set null,
  add column taken_at timestamptz,
  add column outcome public.dispute_outcome,
  add column refund_xof integer constraint disputes_refund_xof_min check (private.check_xof(refund_xof, 'refund_xof', 1)),
  add column refund_entry_id uuid,
  add constraint disputes_refund_with_outcome check ((outcome = 'refund') = (refund_xof is not null));
comment on column public.disputes.assigned_to is
  'The admin handling the dispute (private.admin_dispute_take); taken_at is the first answer, outcome / refund_xof / '
  'refund_entry_id the resolution (private.admin_dispute_resolve). Admin-only: no grant lets anyone write them.';

alter table public.dispute_evidence
  add column kind public.dispute_evidence_kind not null default 'manual',
  add column data jsonb constraint dispute_evidence_data_object check (data is null or jsonb_typeof(data) = 'object');
comment on column public.dispute_evidence.data is
  'The snapshot of a timeline or trace evidence (events / points as JSON), frozen when attached: the job''s rows may '
  'be purged later (positions after 90 days). Set only by private.admin_dispute_attach_evidence.';

-- Indexes --------------------------------------------------------------------------------------------------------
create index disputes_assigned_to_idx on public.disputes (assigned_to);

-- Triggers -------------------------------------------------------------------------------------------------------
create trigger disputes_audit
  after insert or update on public.disputes
  for each row execute function private.audit_row();

create trigger dispute_evidence_audit
  after insert or delete on public.dispute_evidence
  for each row execute function private.audit_row('data');

-- Policies -------------------------------------------------------------------------------------------------------
-- The customer who opened a dispute sees what they and the team wrote and the job's timeline; the courier's GPS
-- trace and documents attached as evidence stay with the staff (they are the courier's, not the customer's).
alter policy "Customers can view their disputes' evidence, admins all" on public.dispute_evidence
  using (
    (dispute_id in (select d.id from public.disputes d where d.opened_by = (select auth.uid()))
     and kind in ('manual', 'timeline'))
    or (select private.is_staff())
  );

-- Functions ------------------------------------------------------------------------------------------------------
create function private.dispute_targets()
returns jsonb
language sql
immutable
set search_path = ''
as $$ select jsonb_build_object('first_response_minutes', 120, 'resolution_minutes', 2880) $$;
comment on function private.dispute_targets() is
  'The response-time targets of disputes, in one place: first answer (taking it) within 120 minutes of opening, '
  'resolution within 2880 minutes (48 h). Change them here (a new migration) and the queue follows.';
revoke all on function private.dispute_targets() from public, anon;
grant execute on function private.dispute_targets() to authenticated, service_role;

create function private.admin_disputes(only_status public.dispute_status, lim integer, skip integer)
returns table (
  id uuid, order_id uuid, ride_id uuid, opened_by uuid, customer_name text, customer_phone text, reason text,
  status public.dispute_status, created_at timestamptz, assigned_to uuid, assigned_name text, taken_at timestamptz,
  first_response_due_at timestamptz, resolution_due_at timestamptz, first_response_overdue boolean,
  resolution_overdue boolean, outcome public.dispute_outcome, refund_xof integer, resolution_note text,
  resolved_at timestamptz, evidence_count integer, paid_xof integer, total_count bigint
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  first_minutes integer := (private.dispute_targets() ->> 'first_response_minutes')::integer;
  resolution_minutes integer := (private.dispute_targets() ->> 'resolution_minutes')::integer;
begin
  if not (select private.is_staff()) then
    perform private.refuse_order(403, 'staff_only');
  end if;
  if lim is null or lim not between 1 and 100 or skip is null or skip < 0 then
    perform private.refuse_order(400, 'validation_failed', jsonb_build_object('field', 'p_limit'));
  end if;
  return query
  select d.id, d.order_id, d.ride_id, d.opened_by, p.full_name,
         case when u.phone is null or u.phone = '' then null else '+' || ltrim(u.phone, '+') end,
         d.reason, d.status, d.created_at, d.assigned_to, ap.full_name, d.taken_at,
         d.created_at + make_interval(mins => first_minutes),
         d.created_at + make_interval(mins => resolution_minutes),
         coalesce(d.taken_at, case when d.status in ('open', 'investigating') then now() end, d.resolved_at, now())
           > d.created_at + make_interval(mins => first_minutes),
         d.status in ('open', 'investigating') and now() > d.created_at + make_interval(mins => resolution_minutes),
         d.outcome, d.refund_xof, d.resolution_note, d.resolved_at,
         (select count(*)::integer from public.dispute_evidence e where e.dispute_id = d.id),
         case when d.order_id is not null then
                (select case when o.status = 'delivered' then o.total_xof else 0 end
                   from public.orders o where o.id = d.order_id)
              else (select case when r.status = 'completed' then coalesce(r.final_fare_xof, r.fare_quote_xof) else 0 end
                             + coalesce(r.cancellation_fee_xof, 0)
                      from public.rides r where r.id = d.ride_id) end,
         count(*) over ()
    from public.disputes d
    left join public.profiles p on p.id = d.opened_by
    left join auth.users u on u.id = d.opened_by
    left join public.profiles ap on ap.id = d.assigned_to
   where only_status is null or d.status = only_status
   order by (d.status in ('open', 'investigating')) desc, d.created_at asc, d.id
   limit lim offset skip;
end;
$$;
comment on function private.admin_disputes(public.dispute_status, integer, integer) is
  'The disputes queue: unresolved first, oldest first; each with the customer''s name and phone, who took it and '
  'when, the due times of the first answer and of the resolution (private.dispute_targets) and whether they are '
  'overdue, the outcome, the evidence count, what the job paid (FCFA) and the total count. Admins and support (EO403 '
  'staff_only otherwise).';
revoke all on function private.admin_disputes(public.dispute_status, integer, integer) from public, anon;
grant execute on function private.admin_disputes(public.dispute_status, integer, integer) to authenticated;

create function public.admin_disputes(
  p_status public.dispute_status default null, p_limit integer default 50, p_offset integer default 0
)
returns table (
  id uuid, order_id uuid, ride_id uuid, opened_by uuid, customer_name text, customer_phone text, reason text,
  status public.dispute_status, created_at timestamptz, assigned_to uuid, assigned_name text, taken_at timestamptz,
  first_response_due_at timestamptz, resolution_due_at timestamptz, first_response_overdue boolean,
  resolution_overdue boolean, outcome public.dispute_outcome, refund_xof integer, resolution_note text,
  resolved_at timestamptz, evidence_count integer, paid_xof integer, total_count bigint
)
language sql
stable
set search_path = ''
as $$ select * from private.admin_disputes(p_status, p_limit, p_offset) $$;
comment on function public.admin_disputes(public.dispute_status, integer, integer) is
  'rpc admin_disputes: see private.admin_disputes. Admins and support.';
revoke all on function public.admin_disputes(public.dispute_status, integer, integer) from public, anon;
grant execute on function public.admin_disputes(public.dispute_status, integer, integer) to authenticated;

create function public.dispute_targets()
returns jsonb
language sql
immutable
set search_path = ''
as $$ select private.dispute_targets() $$;
comment on function public.dispute_targets() is
  'rpc dispute_targets: {first_response_minutes, resolution_minutes} (see private.dispute_targets). Signed-in people.';
revoke all on function public.dispute_targets() from public, anon;
grant execute on function public.dispute_targets() to authenticated;

-- An open dispute locked for an admin's change; refusals shared by take, attach and resolve.
create function private.dispute_for_admin(dispute uuid)
returns public.disputes
language plpgsql
security definer
set search_path = ''
as $$
declare
  d public.disputes;
begin
  if not (select private.is_admin()) then
    perform private.refuse_order(403, 'admin_only');
  end if;
  select * into d from public.disputes x where x.id = dispute for update;
  if not found then
    perform private.refuse_order(404, 'dispute_not_found');
  end if;
  if d.status not in ('open', 'investigating') then
    perform private.refuse_order(409, 'dispute_closed', jsonb_build_object('status', d.status));
  end if;
  return d;
end;
$$;
comment on function private.dispute_for_admin(uuid) is
  'The dispute, locked, for an admin''s change: EO403 admin_only, EO404 dispute_not_found, EO409 dispute_closed '
  '(resolved or rejected). For the admin_dispute_* functions only.';
revoke all on function private.dispute_for_admin(uuid) from public, anon, authenticated;

create function private.notify_dispute(d public.disputes, event text, amount integer default null)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  lang text;
begin
  select coalesce(p.language::text, 'fr') into lang from public.profiles p where p.id = d.opened_by;
  lang := coalesce(lang, 'fr');
  insert into public.notifications (user_id, kind, language, title, body, data)
  values (
    d.opened_by, 'system', lang::public.app_language,
    case event
      when 'dispute_taken' then case lang when 'en' then 'We are looking into it' else 'Réclamation prise en charge' end
      else case lang when 'en' then 'Complaint resolved' else 'Réclamation traitée' end end,
    case event
      when 'dispute_taken' then
        case lang when 'en' then 'Someone from our team is looking into your complaint and will answer within 48 hours.'
             else 'Une personne de notre équipe examine votre réclamation et vous répondra sous 48 heures.' end
      when 'dispute_refunded' then
        case lang when 'en' then format('%s was refunded to your wallet. %s', private.format_xof(amount), d.resolution_note)
             else format('%s ont été remboursés sur votre portefeuille. %s', private.format_xof(amount), d.resolution_note) end
      else
        case lang when 'en' then format('Our answer: %s', d.resolution_note)
             else format('Notre réponse : %s', d.resolution_note) end
    end,
    jsonb_build_object('event', event, 'dispute_id', d.id, 'order_id', d.order_id, 'ride_id', d.ride_id,
                       'refund_xof', amount));
end;
$$;
comment on function private.notify_dispute(public.disputes, text, integer) is
  'Tells the customer who opened the dispute that it was taken (dispute_taken) or resolved (dispute_refunded with '
  'the amount, dispute_resolved), in their language. For the admin_dispute_* functions only.';
revoke all on function private.notify_dispute(public.disputes, text, integer) from public, anon, authenticated;

create function private.admin_dispute_take(dispute uuid)
returns public.disputes
language plpgsql
security definer
set search_path = ''
as $$
declare
  d public.disputes := private.dispute_for_admin(dispute);
  first_answer boolean := d.taken_at is null;
begin
  update public.disputes x
     set status = 'investigating', assigned_to = (select auth.uid()), taken_at = coalesce(x.taken_at, now())
   where x.id = d.id
  returning * into d;
  if first_answer then
    perform private.notify_dispute(d, 'dispute_taken');
  end if;
  return d;
end;
$$;
comment on function private.admin_dispute_take(uuid) is
  'An admin takes a dispute: investigating, assigned to him (taking it from another admin is allowed), taken_at '
  'kept from the first time (the first answer: the customer is notified then). Refusals of '
  'private.dispute_for_admin. Audited by the disputes trigger.';
revoke all on function private.admin_dispute_take(uuid) from public, anon;
grant execute on function private.admin_dispute_take(uuid) to authenticated;

create function public.admin_dispute_take(p_dispute_id uuid)
returns public.disputes
language sql
set search_path = ''
as $$ select private.admin_dispute_take(p_dispute_id) $$;
comment on function public.admin_dispute_take(uuid) is 'rpc admin_dispute_take: see private.admin_dispute_take. Admins only.';
revoke all on function public.admin_dispute_take(uuid) from public, anon;
grant execute on function public.admin_dispute_take(uuid) to authenticated;

create function private.admin_dispute_attach_evidence(dispute uuid, what text)
returns setof public.dispute_evidence
language plpgsql
security definer
set search_path = ''
as $$
declare
  d public.disputes := private.dispute_for_admin(dispute);
  admin uuid := (select auth.uid());
  items jsonb;
  n integer;
  first_at timestamptz;
  last_at timestamptz;
  courier uuid;
  photo record;
  added integer := 0;
begin
  if what is null or what not in ('timeline', 'trace', 'photos') then
    perform private.refuse_order(400, 'evidence_kind_invalid', jsonb_build_object('kind', what));
  end if;
  courier := coalesce((select o.courier_id from public.orders o where o.id = d.order_id),
                      (select r.courier_id from public.rides r where r.id = d.ride_id));

  if what = 'timeline' then
    select coalesce(jsonb_agg(ev order by ev ->> 'at', (ev ->> 'id')::bigint), '[]'), count(*),
           min((ev ->> 'at')::timestamptz), max((ev ->> 'at')::timestamptz)
      into items, n, first_at, last_at
      from (select jsonb_build_object('id', e.id, 'at', e.created_at, 'kind', e.kind, 'from', e.from_status,
                                      'to', e.to_status, 'actor_role', e.actor_role, 'actor_id', e.actor_id,
                                      'reason', e.reason, 'reported_at', e.reported_at) as ev
              from public.order_events e where e.order_id = d.order_id
            union all
            select jsonb_build_object('id', e.id, 'at', e.created_at, 'kind', e.kind, 'from', e.from_status,
                                      'to', e.to_status, 'actor_role', e.actor_role, 'actor_id', e.actor_id,
                                      'reason', e.reason, 'reported_at', e.reported_at)
              from public.ride_events e where e.ride_id = d.ride_id) x (ev);
    return query
    insert into public.dispute_evidence (dispute_id, added_by, kind, note, data)
    values (d.id, admin, 'timeline',
            format('timeline: %s events%s', n,
                   case when n > 0 then format(', %s → %s UTC', to_char(first_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI'),
                                               to_char(last_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI')) else '' end),
            jsonb_build_object('events', items, 'count', n))
    returning *;
  elsif what = 'trace' then
    select coalesce(jsonb_agg(jsonb_build_object('lat', j.lat, 'lng', j.lng, 'at', j.recorded_at,
                                                 'speed_mps', j.speed_mps, 'heading', j.heading)
                              order by j.recorded_at, j.id), '[]'),
           count(*), min(j.recorded_at), max(j.recorded_at)
      into items, n, first_at, last_at
      from public.job_positions j
     where (d.order_id is not null and j.order_id = d.order_id) or (d.ride_id is not null and j.ride_id = d.ride_id);
    return query
    insert into public.dispute_evidence (dispute_id, added_by, kind, note, data)
    values (d.id, admin, 'trace',
            format('GPS trace: %s positions%s', n,
                   case when n > 0 then format(', %s → %s UTC', to_char(first_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI'),
                                               to_char(last_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI')) else '' end),
            jsonb_build_object('points', items, 'count', n, 'courier_id', courier))
    returning *;
  else
    -- The delivery address's gate photo (order snapshot), then the job's courier's approved documents, newest per
    -- kind. A photo already attached to this dispute is not attached twice.
    for photo in
      select c.address ->> 'photo_path' as path, 'gate photo of the delivery address' as label
        from public.order_contacts c
       where c.order_id = d.order_id and nullif(c.address ->> 'photo_path', '') is not null
      union all
      select x.storage_path, format('courier document: %s', x.kind)
        from (select distinct on (cd.kind) cd.kind, 'courier-documents/' || cd.storage_path as storage_path
                from public.courier_documents cd
               where cd.courier_id = courier and cd.review_status = 'approved'
               order by cd.kind, cd.created_at desc) x
    loop
      if not exists (select 1 from public.dispute_evidence e where e.dispute_id = d.id and e.storage_path = photo.path) then
        return query
        insert into public.dispute_evidence (dispute_id, added_by, kind, storage_path, note)
        values (d.id, admin, 'photo', photo.path, photo.label)
        returning *;
        added := added + 1;
      end if;
    end loop;
    if added = 0 then
      perform private.refuse_order(409, 'no_photos');
    end if;
  end if;
end;
$$;
comment on function private.admin_dispute_attach_evidence(uuid, text) is
  'An admin snapshots evidence from the dispute''s job into dispute_evidence: what = timeline (order or ride events '
  'as JSON in data.events, a one-line summary in note), trace (the courier''s job_positions in data.points) or '
  'photos (one row per storage path: the delivery address''s gate photo, the courier''s approved documents; paths '
  'already attached are skipped). Returns the new rows. Refusals of private.dispute_for_admin, EO400 '
  'evidence_kind_invalid, EO409 no_photos (no photo to attach). Audited by the evidence trigger.';
revoke all on function private.admin_dispute_attach_evidence(uuid, text) from public, anon;
grant execute on function private.admin_dispute_attach_evidence(uuid, text) to authenticated;

create function public.admin_dispute_attach_evidence(p_dispute_id uuid, p_kind text)
returns setof public.dispute_evidence
language sql
set search_path = ''
as $$ select * from private.admin_dispute_attach_evidence(p_dispute_id, p_kind) $$;
comment on function public.admin_dispute_attach_evidence(uuid, text) is
  'rpc admin_dispute_attach_evidence: see private.admin_dispute_attach_evidence. Admins only.';
revoke all on function public.admin_dispute_attach_evidence(uuid, text) from public, anon;
grant execute on function public.admin_dispute_attach_evidence(uuid, text) to authenticated;

create function private.refund_ride(
  ride_id uuid, admin uuid, amount_xof integer, reason text, idempotency_key text, request_hash text
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  prior jsonb;
  r public.rides;
  v_reason text := nullif(btrim(reason), '');
  wallet uuid;
  paid bigint;
  refunded bigint;
  entry uuid;
begin
  if not exists (select 1 from public.user_roles x where x.user_id = admin and x.role = 'admin') then
    perform private.refuse_order(403, 'admin_only');
  end if;
  prior := private.replay_money_request('ride_refund', admin, idempotency_key, request_hash);
  if prior is not null then
    return prior;
  end if;
  if v_reason is null or length(v_reason) > 280 then
    perform private.refuse_order(400, 'reason_required');
  end if;
  if amount_xof is null or amount_xof < 1 then
    perform private.refuse_order(400, 'validation_failed', jsonb_build_object('field', 'amount_xof'));
  end if;
  select * into r from public.rides x where x.id = refund_ride.ride_id for update;
  if not found then
    perform private.refuse_order(404, 'ride_not_found');
  end if;
  if r.status not in ('completed', 'cancelled', 'expired') then
    perform private.refuse_order(409, 'not_refundable', jsonb_build_object('status', r.status));
  end if;
  wallet := private.ledger_account('customer_wallet', r.rider_id);
  -- Paid: the fare of a completed ride (wallet, mobile money or cash) and any cancellation fee taken from the wallet.
  select (case when r.status = 'completed' then coalesce(r.final_fare_xof, r.fare_quote_xof) else 0 end)
           - coalesce(sum(p.amount) filter (where e.kind = 'cancellation_fee' and p.account_id = wallet), 0),
         coalesce(sum(p.amount) filter (where e.kind = 'refund' and p.account_id = wallet), 0)
    into paid, refunded
    from public.ledger_entries e
    join public.ledger_postings p on p.entry_id = e.id
   where e.ride_id = r.id;
  if amount_xof > paid - refunded then
    perform private.refuse_order(422, 'refund_exceeds_paid',
      jsonb_build_object('paid_xof', paid, 'refunded_xof', refunded, 'refundable_xof', paid - refunded));
  end if;
  entry := private.post_entry('refund', jsonb_build_array(
             private.posting(wallet, amount_xof),
             private.posting(private.platform_revenue_account(r.id), -amount_xof)),
           jsonb_build_object('ride_id', r.id), v_reason, admin);
  insert into public.audit_log (actor_id, actor_role, action, table_name, row_id, new_data)
  values (admin, 'admin', 'insert', 'ledger_entries', entry::text,
          jsonb_build_object('kind', 'refund', 'ride_id', r.id, 'amount_xof', amount_xof, 'platform_xof', amount_xof,
                             'reason', v_reason));
  return private.remember_money_request('ride_refund', admin, idempotency_key, request_hash, jsonb_build_object(
    'refund', jsonb_build_object('entry_id', entry, 'ride_id', r.id, 'amount_xof', amount_xof,
                                 'platform_xof', amount_xof, 'reason', v_reason,
                                 'refunded_xof', refunded + amount_xof, 'refundable_xof', paid - refunded - amount_xof)));
end;
$$;
comment on function private.refund_ride(uuid, uuid, integer, text, text, text) is
  'Refunds amount_xof of a ride to its rider''s wallet, as admin, like private.refund_order: reason required, '
  'idempotent per (admin, key) in scope ride_refund; the ride must be completed, cancelled or expired (EO409 '
  'not_refundable); at most the fare of a completed ride plus a cancellation fee taken, minus earlier refunds (EO422 '
  'refund_exceeds_paid with paid_xof, refunded_xof, refundable_xof). The platform gives it all back (the driver keeps '
  'his earnings). Writes the refund entry and an audit_log row. Returns {refund}. Service role and the dispute '
  'resolution only.';
revoke all on function private.refund_ride(uuid, uuid, integer, text, text, text) from public, anon, authenticated;
grant execute on function private.refund_ride(uuid, uuid, integer, text, text, text) to service_role;

create function private.admin_dispute_resolve(
  dispute uuid, outcome text, amount_xof integer, note text, idempotency_key text
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  admin uuid := (select auth.uid());
  request_hash text := md5(jsonb_build_array(dispute, outcome, amount_xof, note)::text);
  prior jsonb;
  d public.disputes;
  clean_note text := nullif(btrim(note), '');
  refund jsonb;
  refund_hash text;
begin
  if not (select private.is_admin()) then
    perform private.refuse_order(403, 'admin_only');
  end if;
  prior := private.replay_money_request('dispute_resolution', admin, idempotency_key, request_hash);
  if prior is not null then
    return prior;
  end if;
  d := private.dispute_for_admin(dispute);
  if outcome is null or outcome not in ('refund', 'no_refund') then
    perform private.refuse_order(400, 'outcome_invalid', jsonb_build_object('outcome', outcome));
  end if;
  if clean_note is null or char_length(clean_note) not between 3 and 1000 then
    perform private.refuse_order(400, 'note_required');
  end if;
  if outcome = 'refund' then
    if amount_xof is null or amount_xof < 1 then
      perform private.refuse_order(400, 'validation_failed', jsonb_build_object('field', 'amount_xof'));
    end if;
    refund_hash := md5(jsonb_build_array(d.id, amount_xof, left(clean_note, 280))::text);
    if d.order_id is not null then
      refund := private.refund_order(d.order_id, admin, amount_xof, left(clean_note, 280), idempotency_key, refund_hash);
    else
      refund := private.refund_ride(d.ride_id, admin, amount_xof, left(clean_note, 280), idempotency_key, refund_hash);
    end if;
  elsif amount_xof is not null and amount_xof <> 0 then
    perform private.refuse_order(400, 'validation_failed', jsonb_build_object('field', 'amount_xof'));
  end if;

  update public.disputes x
     set status = 'resolved', resolution_note = clean_note, outcome = admin_dispute_resolve.outcome::public.dispute_outcome,
         refund_xof = case when admin_dispute_resolve.outcome = 'refund' then admin_dispute_resolve.amount_xof end,
         refund_entry_id = (refund -> 'refund' ->> 'entry_id')::uuid,
         assigned_to = coalesce(x.assigned_to, admin), taken_at = coalesce(x.taken_at, now())
   where x.id = d.id
  returning * into d;
  perform private.notify_dispute(d, case when refund is null then 'dispute_resolved' else 'dispute_refunded' end,
                                 d.refund_xof);
  return private.remember_money_request('dispute_resolution', admin, idempotency_key, request_hash,
    jsonb_build_object('dispute', to_jsonb(d), 'refund', refund -> 'refund'));
end;
$$;
comment on function private.admin_dispute_resolve(uuid, text, integer, text, text) is
  'An admin resolves a dispute, once per idempotency key (the same call answers the first result; the key with '
  'other arguments is EO422 idempotency_key_reused): outcome refund (amount_xof ≥ 1 to the customer''s wallet '
  'through private.refund_order or private.refund_ride, with their refusals: EO422 refund_exceeds_paid, EO409 '
  'not_refundable, EO402 insufficient_funds…) or no_refund (no amount); note 3–1000 characters (EO400 '
  'note_required; its first 280 are the refund''s reason). The dispute becomes resolved with the outcome, amount and '
  'entry; the customer is notified. Refusals of private.dispute_for_admin, EO400 outcome_invalid. Returns '
  '{dispute, refund}.';
revoke all on function private.admin_dispute_resolve(uuid, text, integer, text, text) from public, anon;
grant execute on function private.admin_dispute_resolve(uuid, text, integer, text, text) to authenticated;

create function public.admin_dispute_resolve(
  p_dispute_id uuid, p_outcome text, p_amount_xof integer, p_note text, p_idempotency_key text
)
returns jsonb
language sql
set search_path = ''
as $$ select private.admin_dispute_resolve(p_dispute_id, p_outcome, p_amount_xof, p_note, p_idempotency_key) $$;
comment on function public.admin_dispute_resolve(uuid, text, integer, text, text) is
  'rpc admin_dispute_resolve: see private.admin_dispute_resolve. Admins only.';
revoke all on function public.admin_dispute_resolve(uuid, text, integer, text, text) from public, anon;
grant execute on function public.admin_dispute_resolve(uuid, text, integer, text, text) to authenticated;
