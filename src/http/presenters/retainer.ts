import { availableAmount } from '../../domain/retainers.js';
import type { RetainerTotalsRow, RetainerWithCurrency } from '../../repositories/retainers.js';
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
    ...(invoiceId ? { invoiceId } : {}),
  };
}

/**
 * Totals of the whole filter (spec §5): `amount` (and `availableAmount`) are null when the
 * rows span several currencies, "0" when there are no rows.
 */
export function presentRetainerTotals(rows: readonly RetainerTotalsRow[]) {
  const byCurrency = rows.map((r) => ({
    currency: r.currency,
    count: Number(r.count),
    amount: money(r.amount, r.currency),
    availableAmount: money(r.available, r.currency),
  }));
  const single = byCurrency.length === 1 ? byCurrency[0] : undefined;
  return {
    count: byCurrency.reduce((n, c) => n + c.count, 0),
    amount: single ? single.amount : byCurrency.length === 0 ? '0' : null,
    availableAmount: single ? single.availableAmount : byCurrency.length === 0 ? '0' : null,
    byCurrency,
  };
}
