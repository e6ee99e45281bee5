// Product problems (from @ecom/domain/merchant's checkProduct codes) as messages per field.
import type { ProductProblem } from '@ecom/domain/merchant';
import { useI18n } from 'vue-i18n';

export function useProductProblems() {
  const { t } = useI18n();
  return (problems: ProductProblem[]): Partial<Record<ProductProblem['field'], string>> =>
    Object.fromEntries(problems.map((p) => [p.field, t(`product.problems.${p.field}.${p.code}`)]));
}
