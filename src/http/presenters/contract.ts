import type { NteLevel } from '../../db/schema.js';
import { headroom, type NteBook } from '../../domain/nte.js';
import type { ContractRecord, LineRecord } from '../../repositories/contracts.js';
import { limitsOnlyBook } from '../../repositories/nte.js';
import { money, moneyOrNull } from '../../views/presenters/money.js';

/**
 * NTE usage of one level (R21): `{limit, invoiced, committed, headroom}`, null where the
 * level has no limit. Headroom is limit − invoiced − committed; it can be negative only when
 * actuals invoiced without an NTE commitment went past the limit.
 */
export function presentNteUsage(book: NteBook, level: NteLevel, key: string, currency: string) {
  const u = book.usage(level, key);
  const room = headroom(u);
  if (u.limit === null || room === null) return null;
  return {
    limit: money(u.limit, currency),
    invoiced: money(u.invoiced, currency),
    committed: money(u.committed, currency),
    headroom: money(room, currency),
  };
}

/** `book` is the contract's NTE position (`loadNteBooks` in the route). */
export function presentLine(record: LineRecord, currency: string, book: NteBook) {
  const { line } = record;
  return {
    id: line.id,
    contractId: line.contract_id,
    name: line.name,
    billingMethod: line.billing_method,
    transactionClasses: line.transaction_classes,
    contractedAmount: moneyOrNull(line.contracted_amount, currency),
    notToExceed: moneyOrNull(line.nte_limit, currency),
    nteUsage: presentNteUsage(book, 'ContractLine', line.id, currency),
    customers: record.customers.map((lc) => ({
      id: lc.id,
      customerId: lc.customer_id,
      billingSplitPercent: lc.split_percent,
      isRounding: lc.is_rounding,
      notToExceed: moneyOrNull(lc.nte_limit, currency),
      nteUsage: presentNteUsage(book, 'LineCustomer', lc.id, currency),
    })),
    invoiceSchedule: record.schedule.map((s) => ({
      runDate: s.run_date,
      cutoffDate: s.cutoff_date,
    })),
    taxCodeId: line.tax_code_id,
  };
}

/** `book` is the contract's NTE position (`loadNteBooks`); without it, limits with no usage. */
export function presentContract(record: ContractRecord, book: NteBook = limitsOnlyBook(record)) {
  const { contract } = record;
  const currency = contract.currency;
  return {
    id: contract.id,
    name: contract.name,
    currency,
    notToExceed: moneyOrNull(contract.nte_limit, currency),
    nteUsage: presentNteUsage(book, 'Contract', contract.id, currency),
    customers: record.customers.map((c) => ({
      id: c.id,
      customerId: c.customer_id,
      billingSplitPercent: c.split_percent,
      isRounding: c.is_rounding,
      notToExceed: moneyOrNull(c.nte_limit, currency),
      nteUsage: presentNteUsage(book, 'ContractCustomer', c.customer_id, currency),
    })),
    lines: record.lines.map((l) => presentLine(l, currency, book)),
    purchaseOrder: contract.purchase_order,
    buyerReference: contract.buyer_reference,
    paymentTermsDays: contract.payment_terms_days,
    createdAt: contract.created_at.toISOString(),
  };
}

export { money };
