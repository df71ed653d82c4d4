/** Invoices with their details and applied retainers, ready to present. */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import {
  detailsOfInvoices,
  type InvoiceDetailRow,
  type InvoiceRow,
} from '../repositories/invoices.js';
import { appliedRetainersOf, type AppliedRetainer } from './invoiceRetainers.js';

export interface InvoiceView {
  invoice: InvoiceRow;
  details: InvoiceDetailRow[];
  appliedRetainers: AppliedRetainer[];
}

export async function loadInvoiceViews(
  db: Kysely<DB>,
  invoices: readonly InvoiceRow[],
): Promise<InvoiceView[]> {
  const [details, applied] = await Promise.all([
    detailsOfInvoices(db, invoices),
    appliedRetainersOf(db, invoices),
  ]);
  const byInvoice = new Map<string, InvoiceDetailRow[]>();
  for (const d of details) {
    const list = byInvoice.get(d.invoice_id) ?? [];
    list.push(d);
    byInvoice.set(d.invoice_id, list);
  }
  return invoices.map((invoice) => ({
    invoice,
    details: byInvoice.get(invoice.id) ?? [],
    appliedRetainers: applied.get(invoice.id) ?? [],
  }));
}
