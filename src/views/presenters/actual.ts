import type { ActualWithCurrency } from '../../repositories/actuals.js';
import type { BacklogRowColumns } from '../../repositories/backlog.js';
import type { WorkDetail } from '../../repositories/invoice-work-detail.js';
import { money, unitPriceText } from './money.js';

/** A ledger row as `GET /actuals` shows it (read-only, no workflow fields). */
export function presentLedgerRow(a: ActualWithCurrency) {
  return {
    id: a.id,
    type: a.type,
    ...(a.reverses_id ? { reversesId: a.reverses_id } : {}),
    ...(a.entry_id ? { entryId: a.entry_id } : {}),
    ...(a.invoice_id ? { invoiceId: a.invoice_id } : {}),
    contractId: a.contract_id,
    contractLineId: a.contract_line_id,
    customerId: a.customer_id,
    transactionClass: a.transaction_class,
    date: a.date,
    quantity: a.quantity,
    unitPrice: unitPriceText(a.unit_price, a.currency),
    amount: money(a.amount, a.currency),
    currency: a.currency,
    billingType: a.billing_type,
    createdAt: a.created_at.toISOString(),
    // R68: the backlog item the row records.
    sourceType: a.source_type,
    sourceId: a.source_id,
    ...(a.retainer_id ? { retainerId: a.retainer_id } : {}),
  };
}

/** An unbilled actual as the Time and Material backlog shows it (spec §5). */
export function presentBacklogRow(
  a: BacklogRowColumns & { backlog_invoice_id?: string | null },
  work?: WorkDetail,
) {
  const invoiceId = a.backlog_invoice_id ?? null;
  return {
    id: a.id,
    contractId: a.contract_id,
    contractLineId: a.contract_line_id,
    customerId: a.customer_id,
    transactionClass: a.transaction_class,
    date: a.date,
    quantity: a.quantity,
    unitPrice: unitPriceText(a.unit_price, a.currency),
    amount: money(a.amount, a.currency),
    currency: a.currency,
    billingType: a.billing_type,
    billingStatus: a.billing_status,
    nteStatus: a.nte_status,
    ...(a.nte_failed_level ? { nteFailedLevel: a.nte_failed_level } : {}),
    ...(invoiceId ? { invoiceId } : {}),
    // R77: the entry's work detail, each field where the entry gave one (spec §5 `resource?`).
    ...(work?.resource ? { resource: work.resource } : {}),
    ...(work?.role ? { role: work.role } : {}),
    ...(work?.category ? { category: work.category } : {}),
    ...(work?.description ? { description: work.description } : {}),
  };
}
