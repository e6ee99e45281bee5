// The filters orders and rides share: the customer's number (parsed like at sign-in), the short id read out on the
// phone, a day range; each checked before any search, a problem in words instead.
import { parsePhone, PHONE_PLANS } from '@ecom/domain';
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { dayEnd, dayStart } from '../lib/format.ts';

export interface JobFilters {
  phone?: string;
  shortId?: string;
  from: string | null;
  to: string | null;
}

export function useJobFilters(initialPhone = '') {
  const { t } = useI18n();
  const phone = ref(initialPhone);
  const idText = ref('');
  const fromDay = ref('');
  const toDay = ref('');
  const problem = ref<string | null>(null);

  /** The filters as typed, or null with `problem` set (nothing is searched then). */
  function read(): JobFilters | null {
    problem.value = null;
    const f: JobFilters = { from: dayStart(fromDay.value), to: dayEnd(toDay.value) };
    if (phone.value.trim()) {
      const parsed = parsePhone(phone.value, 'CI');
      if (!parsed.ok) {
        const plan = PHONE_PLANS.CI;
        problem.value = t(`phone.${parsed.reason}`, { length: plan.nationalLength, example: plan.example });
        return null;
      }
      f.phone = parsed.e164;
    }
    if (idText.value.trim()) {
      if (!/^#?[0-9a-fA-F]{8}$/.test(idText.value.trim())) {
        problem.value = t('orders.badShortId');
        return null;
      }
      f.shortId = idText.value.trim();
    }
    if (f.from && f.to && f.from >= f.to) {
      problem.value = t('orders.badDates');
      return null;
    }
    return f;
  }

  return { phone, idText, fromDay, toDay, problem, read };
}
