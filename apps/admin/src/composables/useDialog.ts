// A dialog shown while `target` holds something (the order being refunded, the payout being reviewed…): closing it
// clears the target.
import { computed, type Ref, type WritableComputedRef } from 'vue';

export function openWhile<T>(target: Ref<T | null>): WritableComputedRef<boolean> {
  return computed({
    get: () => target.value !== null,
    set: (open: boolean) => {
      if (!open) target.value = null;
    },
  });
}
