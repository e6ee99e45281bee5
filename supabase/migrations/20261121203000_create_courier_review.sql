-- Courier review by the admin dashboard: an admin approves or rejects a courier's application in one call (rpc
-- review_courier_application, mirroring review_store_application), with the reason required to reject, the decision
-- written to the audit log and the courier notified (kind system, data.event courier_approved / courier_rejected).
-- The existing guard (private.courier_approval_blockers in private.guard_courier) still refuses an approval while a
-- required document is missing, unapproved or expired; this function names those documents in its refusal so the
-- admin reads them in words. Documents: approving one whose expiry date has passed is refused (document_expired),
-- and every change of a document's review is audited.

-- Triggers -------------------------------------------------------------------------------------------------------
-- private.check_document_expiry only guards what a courier sends (and lets admins record old documents); approving
-- an expired document is a different act and is refused to everyone writing through the Data API, admins included.
create function private.refuse_expired_document_approval()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('anon', 'authenticated')
     and new.review_status = 'approved'
     and new.expires_on is not null and new.expires_on < current_date
     and (tg_op = 'INSERT' or old.review_status is distinct from 'approved'
          or old.expires_on is distinct from new.expires_on) then
    raise exception using errcode = 'check_violation', message = 'document_expired',
      detail = jsonb_build_object('expires_on', new.expires_on, 'document_id', new.id, 'kind', new.kind)::text,
      hint = format('this document expired on %s: it cannot be approved, ask the courier for the renewed one',
                    new.expires_on);
  end if;
  return new;
end;
$$;
comment on function private.refuse_expired_document_approval() is
  'Trigger on courier_documents: approving (review_status approved, on insert, on a change of review_status or of '
  'expires_on) a document whose expiry date has passed is refused with check_violation "document_expired", detail '
  '{expires_on, document_id, kind}, for every Data API writer (admins included). SQL and the platform''s jobs are not '
  'concerned. Runs as the writer. Never called directly.';
revoke all on function private.refuse_expired_document_approval() from public;

create trigger courier_documents_refuse_expired_approval
  before insert or update of review_status, expires_on on public.courier_documents
  for each row execute function private.refuse_expired_document_approval();

create trigger courier_documents_audit_review
  after update of review_status on public.courier_documents
  for each row
  when (old.review_status is distinct from new.review_status)
  execute function private.audit_row();

-- Functions ------------------------------------------------------------------------------------------------------
create function private.review_courier_application(courier uuid, approve boolean, reason text)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  caller uuid := (select auth.uid());
  c public.couriers;
  before_status public.courier_approval;
  blockers text[];
  lang public.app_language;
  clean_reason text := nullif(btrim(coalesce(reason, '')), '');
begin
  if caller is null or not (select private.is_admin()) then
    perform private.refuse_application(403, 'not_admin');
  end if;
  select * into c from public.couriers x where x.user_id = courier for update;
  if not found then
    perform private.refuse_application(404, 'courier_not_found');
  end if;
  if approve is null then
    perform private.refuse_application(400, 'decision_invalid');
  end if;
  if (approve and c.approval_status = 'approved') or (not approve and c.approval_status = 'rejected') then
    perform private.refuse_application(409, 'courier_decided');
  end if;
  if (not approve and (clean_reason is null or char_length(clean_reason) < 3)) or char_length(clean_reason) > 300 then
    perform private.refuse_application(400, 'reason_invalid');
  end if;
  if approve then
    -- What private.guard_courier would refuse, named here so the admin sees which documents are in the way.
    blockers := private.courier_approval_blockers(c.user_id, c.vehicle_type);
    if c.vehicle_type = 'moto' and c.municipal_registration_number is null then
      blockers := blockers || 'municipal_registration_number'::text;
    end if;
    if c.vehicle_type = 'moto' and c.vest_number is null then
      blockers := blockers || 'vest_number'::text;
    end if;
    if cardinality(blockers) > 0 then
      raise exception using errcode = 'EO422', message = 'documents_incomplete',
        detail = jsonb_build_object('blockers', to_jsonb(blockers))::text,
        hint = format('missing, unapproved or expired: %s', array_to_string(blockers, ', '));
    end if;
  end if;

  before_status := c.approval_status;
  update public.couriers x
     set approval_status = case when approve then 'approved' else 'rejected' end::public.courier_approval
   where x.user_id = courier
  returning * into c;
  if not approve then
    update public.courier_presence p set online = false where p.courier_id = courier and p.online;
  end if;

  insert into public.audit_log (actor_id, actor_role, action, table_name, row_id, old_data, new_data)
  values (caller, 'admin', 'update', 'couriers', courier::text,
          jsonb_build_object('approval_status', before_status),
          jsonb_build_object('approval_status', c.approval_status, 'reason', clean_reason));

  select p.language into lang from public.profiles p where p.id = courier;
  lang := coalesce(lang, 'fr');
  insert into public.notifications (user_id, kind, language, title, body, data)
  values (
    courier, 'system', lang,
    case when approve then case lang when 'en' then 'Account approved' else 'Compte validé' end
         else case lang when 'en' then 'Account not approved' else 'Compte refusé' end end,
    case when approve then
           case lang when 'en' then 'Your documents are approved: go online in the courier app to receive jobs.'
                else 'Vos documents sont validés : passez en ligne dans l''app coursier pour recevoir des courses.' end
         else
           case lang when 'en' then format('Your courier account was not approved: %s', clean_reason)
                else format('Votre compte coursier n''a pas été validé : %s', clean_reason) end end,
    jsonb_build_object('event', case when approve then 'courier_approved' else 'courier_rejected' end,
                       'courier_id', courier, 'reason', clean_reason)
  );
  return jsonb_build_object('courier_id', courier, 'approval_status', c.approval_status, 'reason', clean_reason);
end;
$$;
comment on function private.review_courier_application(uuid, boolean, text) is
  'An admin approves (approve true) or rejects (with a reason of 3-300 characters; optional note when approving) a '
  'courier: sets couriers.approval_status (stamped by private.guard_courier), takes a rejected courier offline, '
  'writes an audit_log row (old and new status, the reason) and notifies the courier (kind system, data.event '
  'courier_approved / courier_rejected, data.reason). Pending, suspended and rejected couriers may be approved; '
  'pending, suspended and approved ones rejected. Refuses: EO403 not_admin, EO404 courier_not_found, EO400 '
  'decision_invalid, reason_invalid, EO409 courier_decided (already in that state), EO422 documents_incomplete '
  '(detail {blockers: [document kinds, municipal_registration_number, vest_number]}). Called by '
  'public.review_courier_application; executable by authenticated and service_role.';
revoke all on function private.review_courier_application(uuid, boolean, text) from public, anon;
grant execute on function private.review_courier_application(uuid, boolean, text) to authenticated, service_role;

create function public.review_courier_application(p_courier_id uuid, p_approve boolean, p_reason text default null)
returns jsonb
language sql
volatile
security invoker
set search_path = ''
as $$
  select private.review_courier_application(p_courier_id, p_approve, p_reason);
$$;
comment on function public.review_courier_application(uuid, boolean, text) is
  'rpc review_courier_application: an admin approves or rejects a courier with a reason (see '
  'private.review_courier_application for the rules and the errors). For authenticated (admins; others get '
  'not_admin).';
revoke all on function public.review_courier_application(uuid, boolean, text) from public, anon;
grant execute on function public.review_courier_application(uuid, boolean, text) to authenticated, service_role;
