-- Courier documents and time: a document sent already expired is refused in words; a courier is reminded before a
-- document expires (30, 7 and 1 days ahead, once each, in their language), and when a required document has expired
-- without an approved renewal, the courier is suspended (no more offers; going online says the account is not
-- approved) and told why, until an admin approves the renewal and the courier again. A courier on a job is left
-- alone until the next run: taking them offline mid-delivery would strand the order.

-- A document must not be expired when the courier sends it ----------------------------------------------------------
create function private.check_document_expiry()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.expires_on is not null and current_user in ('anon', 'authenticated') and not (select private.is_admin()) then
    if new.expires_on < current_date then
      raise exception using errcode = 'check_violation', message = 'document_expired',
        detail = jsonb_build_object('expires_on', new.expires_on)::text,
        hint = format('this document expired on %s: send the renewed one', new.expires_on);
    end if;
    if new.expires_on > current_date + interval '30 years' then
      raise exception using errcode = 'check_violation', message = 'document_expiry_implausible',
        detail = jsonb_build_object('expires_on', new.expires_on)::text,
        hint = 'the expiry date is more than 30 years away: check the date on the document';
    end if;
  end if;
  return new;
end;
$$;
comment on function private.check_document_expiry() is
  'Trigger on courier_documents: a courier may not send a document whose expiry date has passed (check_violation '
  '"document_expired", detail {expires_on}) or is more than 30 years away ("document_expiry_implausible"). Admins '
  'and the platform''s own jobs may record old documents. Runs as the writer.';
revoke all on function private.check_document_expiry() from public;

create trigger courier_documents_check_expiry
  before insert or update of expires_on on public.courier_documents
  for each row execute function private.check_document_expiry();

-- Reminders, once per document and threshold -----------------------------------------------------------------------
create table private.document_reminders (
  document_id uuid not null references public.courier_documents (id) on delete cascade,
  threshold_days integer not null,
  sent_at timestamptz not null default now(),
  primary key (document_id, threshold_days)
);
comment on table private.document_reminders is
  'Which expiry reminder (30, 7, 1 days ahead; 0 = expired) each courier document has had, so each goes once.';
revoke all on private.document_reminders from public, anon, authenticated;

create function private.document_label(kind public.courier_document_kind, lang public.app_language)
returns text
language sql
immutable
set search_path = ''
as $$
  select case lang
    when 'en' then case kind
      when 'national_id' then 'identity card' when 'driving_licence' then 'driving licence'
      when 'vehicle_registration' then 'vehicle registration' when 'insurance' then 'insurance'
      when 'municipal_card' then 'municipal card' end
    else case kind
      when 'national_id' then 'pièce d’identité' when 'driving_licence' then 'permis de conduire'
      when 'vehicle_registration' then 'carte grise' when 'insurance' then 'assurance'
      when 'municipal_card' then 'carte municipale' end
  end;
$$;
comment on function private.document_label(public.courier_document_kind, public.app_language) is
  'A document kind as a courier reads it, in French or English.';
revoke all on function private.document_label(public.courier_document_kind, public.app_language) from public;

create function private.run_document_reminders()
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  reminded integer;
  suspended integer;
begin
  -- Documents still in force (approved, or sent and waiting) that are the courier's latest of their kind: a renewal
  -- already sent silences the old one.
  with current_docs as (
    select d.*, (d.expires_on - current_date) as days_left
      from public.courier_documents d
      join public.couriers c on c.user_id = d.courier_id and c.approval_status = 'approved'
     where d.review_status in ('approved', 'pending')
       and d.expires_on is not null
       and d.expires_on between current_date and current_date + 30
       and not exists (
         select 1 from public.courier_documents n
          where n.courier_id = d.courier_id and n.kind = d.kind and n.id <> d.id
            and n.review_status in ('approved', 'pending')
            and (n.expires_on is null or n.expires_on > d.expires_on)
       )
  ), due as (
    insert into private.document_reminders (document_id, threshold_days)
    select cd.id, case when cd.days_left <= 1 then 1 when cd.days_left <= 7 then 7 else 30 end
      from current_docs cd
    on conflict do nothing
    returning document_id, threshold_days
  )
  insert into public.notifications (user_id, kind, language, title, body, data)
  select d.courier_id, 'system', l.lang,
         case l.lang when 'en' then 'Document expiring soon' else 'Document bientôt expiré' end,
         case l.lang
           when 'en' then format('Your %s expires on %s. Send the renewed one in the app to keep receiving jobs.',
                                 private.document_label(d.kind, l.lang), to_char(d.expires_on, 'DD/MM/YYYY'))
           else format('Votre %s expire le %s. Envoyez le nouveau document dans l’application pour continuer à '
                       'recevoir des courses.', private.document_label(d.kind, l.lang), to_char(d.expires_on, 'DD/MM/YYYY'))
         end,
         jsonb_build_object('event', 'document_expiring', 'document_id', d.id, 'document_kind', d.kind,
                            'expires_on', d.expires_on, 'days_left', d.expires_on - current_date)
    from due
    join public.courier_documents d on d.id = due.document_id
    cross join lateral (
      select coalesce((select p.language from public.profiles p where p.id = d.courier_id), 'fr') as lang
    ) l;
  get diagnostics reminded = row_count;

  -- Required documents expired with nothing in force to replace them: suspend couriers who are not on a job.
  with lapsed as (
    select c.user_id, array_agg(distinct d.kind order by d.kind) as kinds
      from public.couriers c
      join public.courier_documents d on d.courier_id = c.user_id
     where c.approval_status = 'approved'
       and d.expires_on < current_date
       and d.review_status = 'approved'
       and (d.kind <> 'municipal_card' or c.vehicle_type = 'moto')
       and not exists (
         select 1 from public.courier_documents n
          where n.courier_id = c.user_id and n.kind = d.kind and n.review_status = 'approved'
            and (n.expires_on is null or n.expires_on >= current_date)
       )
       and not exists (select 1 from public.orders o where o.courier_id = c.user_id
                          and o.status in ('accepted', 'preparing', 'ready', 'picked_up'))
       and not exists (select 1 from public.rides r where r.courier_id = c.user_id
                          and r.status in ('accepted', 'arrived', 'in_progress'))
     group by c.user_id
  ), off as (
    update public.couriers c set approval_status = 'suspended'
      from lapsed l where c.user_id = l.user_id
    returning c.user_id, l.kinds
  ), offline as (
    update public.courier_presence p set online = false from off where p.courier_id = off.user_id
    returning p.courier_id
  )
  insert into public.notifications (user_id, kind, language, title, body, data)
  select off.user_id, 'system', l.lang,
         case l.lang when 'en' then 'Account paused: document expired' else 'Compte suspendu : document expiré' end,
         case l.lang
           when 'en' then format('Your %s has expired. Send the renewed one in the app; you will receive jobs again '
                                 'once it is approved.',
                                 (select string_agg(private.document_label(k, l.lang), ', ') from unnest(off.kinds) k))
           else format('Votre %s a expiré. Envoyez le nouveau document dans l’application : vous recevrez de '
                       'nouveau des courses dès qu’il sera validé.',
                       (select string_agg(private.document_label(k, l.lang), ', ') from unnest(off.kinds) k))
         end,
         jsonb_build_object('event', 'documents_expired', 'document_kinds', to_jsonb(off.kinds))
    from off
    cross join lateral (
      select coalesce((select p.language from public.profiles p where p.id = off.user_id), 'fr') as lang
    ) l;
  get diagnostics suspended = row_count;

  return jsonb_build_object('reminded', reminded, 'suspended', suspended);
end;
$$;
comment on function private.run_document_reminders() is
  'Daily: reminds approved couriers of documents expiring within 30 / 7 / 1 days (latest of their kind, once per '
  'threshold; notification kind system, event document_expiring), and suspends approved couriers, not on a job, '
  'whose required document expired with no approved renewal (offline, notification event documents_expired). '
  'Returns {reminded, suspended}.';
revoke all on function private.run_document_reminders() from public;

-- 07:00 in Abidjan and Lomé (UTC+0): before the morning's first jobs.
select cron.schedule('ecom-document-reminders', '0 7 * * *', 'select private.run_document_reminders()');
