import type { TaxCodeRow } from '../../repositories/tax-codes.js';
import { formatRate, storedRate } from '../../domain/tax-codes.js';

/** R72: a tax code as the API answers it; `rate` as a two-decimal string ("19.00"). */
export function presentTaxCode(row: TaxCodeRow) {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    category: row.category,
    rate: formatRate(storedRate(row.rate)),
    exemptionReason: row.exemption_reason,
    inUse: row.in_use,
  };
}

export type TaxCodeView = ReturnType<typeof presentTaxCode>;
