import { availableAmount } from '../../domain/retainers.js';
import type { RetainerWithCurrency } from '../../repositories/retainers.js';
import { money } from './money.js';

/** A retainer or advance as both backlog views and the create routes show it (spec §5). */
export function presentRetainer(r: RetainerWithCurrency, invoiceId?: string) {
  const available = availableAmount({
    amount: BigInt(r.amount),
    usedAmount: BigInt(r.used_amount),
    billingStatus: r.billing_status,
  });
  return {
    id: r.id,
    kind: r.kind,
    contractId: r.contract_id,
    customerId: r.customer_id,
    date: r.date,
    amount: money(r.amount, r.currency),
    usedAmount: money(r.used_amount, r.currency),
    availableAmount: money(available, r.currency),
    reservedAmount: money(r.reserved_amount, r.currency),
    currency: r.currency,
    billingStatus: r.billing_status,
    description: r.description,
    // R72: shown when the retainer names a code.
    ...(r.tax_code_id ? { taxCodeId: r.tax_code_id } : {}),
    ...(invoiceId ? { invoiceId } : {}),
  };
}
