// Cancelling a job the person follows (an order, a ride), the same way on both pages: ask first, then move it to
// `cancelled` with a reason through its function; a toast once done and the job read again, or the server's refusal
// in its own words (else a generic one) shown on the page.
import { ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { functionCall, refusalMessage } from '../lib/orders-api.ts';
import { useNotify } from './useNotify.ts';

export interface CancelWords {
  title: string;
  message: string;
  confirm: string;
  /** Recorded with the cancellation. */
  reason: string;
  done: string;
}

/** `fn`: the job's function (`POST /<fn>/<id>/transition`); `refresh` reads the job again once cancelled. */
export function useCancelJob(fn: 'orders' | 'rides', id: Ref<string>, refresh: () => Promise<unknown>) {
  const { t } = useI18n();
  const notify = useNotify();
  const cancelling = ref(false);
  const refusal = ref<string | null>(null);

  async function cancel(words: CancelWords): Promise<void> {
    if (!(await notify.confirm(words.title, words.message, words.confirm))) return;
    cancelling.value = true;
    try {
      const body = { to: 'cancelled', reason: words.reason };
      await functionCall(fn, `/${id.value}/transition`, { method: 'POST', body });
      void notify.toast(words.done, 'success');
      await refresh();
    } catch (e) {
      refusal.value = refusalMessage(e) ?? t('common.loadError');
    } finally {
      cancelling.value = false;
    }
  }

  return { cancelling, refusal, cancel };
}
