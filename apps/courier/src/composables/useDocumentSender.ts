// Sending one document (a renewal, or one the admin refused) from "Mes documents" and from the review screen: the
// expiry and the photo checked in words before anything is sent (an expired date with its date), the photo
// compressed on the phone, the row written first and the photo uploaded (or kept on the phone for later,
// lib/photo-outbox.ts), and the database's refusals said in the same words.
import { compressPhoto } from '@ecom/app-kit/photo';
import { expiryRequired } from '@ecom/domain/courier-onboarding';
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { DocumentError, sendDocument, type DocumentKind } from '../data/documents.ts';
import { keepPhoto } from '../lib/photo-outbox.ts';
import { supabase } from '../lib/supabase.ts';
import { useSessionStore } from '../stores/session.ts';

export function useDocumentSender() {
  const { t, locale } = useI18n();
  const session = useSessionStore();
  const error = ref<string | null>(null);
  const busy = ref(false);
  const date = (iso: string) =>
    new Date(`${iso}T12:00:00`).toLocaleDateString(locale.value, { day: 'numeric', month: 'long', year: 'numeric' });

  /** True once the document is recorded; otherwise `error` says why in words and nothing was written. */
  async function send(doc: {
    kind: DocumentKind;
    expiresOn: string;
    photo: File | null;
    number?: string;
  }): Promise<boolean> {
    error.value = null;
    const expires = doc.expiresOn.trim();
    if (expires ? !/^\d{4}-\d{2}-\d{2}$/.test(expires) : expiryRequired(doc.kind))
      return !(error.value = t('documents.dateRequired'));
    if (expires && expires < new Date().toISOString().slice(0, 10))
      return !(error.value = t('documents.expired', { date: date(expires) }));
    if (!doc.photo) return !(error.value = t('documents.photoRequired'));
    busy.value = true;
    try {
      const small = await compressPhoto(doc.photo);
      await sendDocument(
        supabase,
        session.user?.id ?? '',
        { kind: doc.kind, expires_on: expires || null, photo: small, ...(doc.number ? { number: doc.number } : {}) },
        (path, blob) => keepPhoto({ path, blob, ready: true }),
      );
      return true;
    } catch (e) {
      if (e instanceof DocumentError && e.code === 'document_expired')
        error.value = t('documents.expired', { date: date(expires) });
      else if (e instanceof DocumentError && e.code === 'document_expiry_implausible')
        error.value = t('documents.implausible');
      else error.value = t('documents.failed');
      return false;
    } finally {
      busy.value = false;
    }
  }

  return { send, error, busy, date };
}
