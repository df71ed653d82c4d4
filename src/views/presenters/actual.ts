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

/** A T&M backlog row of the API (spec §5); the T&M view adds the names. */
export interface BacklogRowView {
  id: BacklogRowColumns['id'];
  contractId: BacklogRowColumns['contract_id'];
  contractLineId: BacklogRowColumns['contract_line_id'];
  customerId: BacklogRowColumns['customer_id'];
  transactionClass: BacklogRowColumns['transaction_class'];
  date: BacklogRowColumns['date'];
  quantity: BacklogRowColumns['quantity'];
  unitPrice: string;
  amount: string;
  currency: string;
  billingType: BacklogRowColumns['billing_type'];
  billingStatus: BacklogRowColumns['billing_status'];
  nteStatus: BacklogRowColumns['nte_status'];
  nteFailedLevel?: NonNullable<BacklogRowColumns['nte_failed_level']>;
  invoiceId?: string;
  resource?: string;
  role?: string;
  category?: string;
  description?: string;
  contractName?: string;
  contractLineName?: string;
  customerName?: string;
}

/** The names the T&M view shows beside a row (issue 18), read with the row. */
export interface BacklogRowNames {
  contractName: string;
  contractLineName: string | null;
  customerName: string | null;
}

/**
 * An unbilled actual as the Time and Material backlog shows it (spec §5). Optional fields
 * are set only where they have a value. Built by assignment, not spreads: a page presents
 * 50 of these per request, and copying objects was a tenth of the page's server time.
 */
export function presentBacklogRow(
  a: BacklogRowColumns & { backlog_invoice_id?: string | null },
  work?: WorkDetail,
  names?: BacklogRowNames,
): BacklogRowView {
  const row: BacklogRowView = {
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
  };
  if (a.nte_failed_level) row.nteFailedLevel = a.nte_failed_level;
  if (a.backlog_invoice_id) row.invoiceId = a.backlog_invoice_id;
  // R77: the entry's work detail, each field where the entry gave one (spec §5 `resource?`).
  if (work?.resource) row.resource = work.resource;
  if (work?.role) row.role = work.role;
  if (work?.category) row.category = work.category;
  if (work?.description) row.description = work.description;
  if (names) {
    row.contractName = names.contractName;
    if (names.contractLineName !== null) row.contractLineName = names.contractLineName;
    if (names.customerName !== null) row.customerName = names.customerName;
  }
  return row;
}
