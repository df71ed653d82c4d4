/**
 * R75: a draft's invoice date, purchase order, buyer reference and note may change. The date
 * is never before one of its details' dates, and the due date follows it by the terms the
 * draft took when it was made.
 */
import { invalid } from '../domain/errors.js';
import { dueDate, invoiceDateTooEarly } from '../domain/invoice-terms.js';
import { recordAudit } from '../repositories/audit.js';
import {
  detailsOfInvoices,
  updateInvoiceHeader,
  type InvoiceRow,
} from '../repositories/invoices.js';
import type { CommandContext } from './context.js';
import { lockDraft } from './lockInvoice.js';

export interface PatchInvoiceInput {
  invoiceDate?: string | undefined;
  purchaseOrder?: string | null | undefined;
  buyerReference?: string | null | undefined;
  note?: string | null | undefined;
}

export async function patchInvoiceDraft(
  ctx: CommandContext,
  invoiceId: string,
  input: PatchInvoiceInput,
): Promise<InvoiceRow> {
  const { invoice } = await lockDraft(ctx, invoiceId);
  const changes: Parameters<typeof updateInvoiceHeader>[2] = {};
  if (input.invoiceDate !== undefined && input.invoiceDate !== invoice.invoice_date) {
    const details = await detailsOfInvoices(ctx.db, [invoice]);
    const latest = invoiceDateTooEarly(
      input.invoiceDate,
      details.map((d) => d.date),
    );
    if (latest) {
      throw invalid('invoiceDate', `must not be before ${latest}, the date of one of its details`);
    }
    changes.invoice_date = input.invoiceDate;
    changes.due_date = dueDate(input.invoiceDate, invoice.payment_terms_days);
  }
  if (input.purchaseOrder !== undefined) changes.purchase_order = input.purchaseOrder;
  if (input.buyerReference !== undefined) changes.buyer_reference = input.buyerReference;
  if (input.note !== undefined) changes.note = input.note;
  const updated = await updateInvoiceHeader(ctx.db, invoice, changes);
  const fields = Object.keys(input).filter(
    (k) => input[k as keyof PatchInvoiceInput] !== undefined,
  );
  await recordAudit(ctx.db, [
    {
      actor: ctx.actor,
      action: 'changeInvoice',
      entityType: 'Invoice',
      entityId: invoice.id,
      contractId: invoice.contract_id,
      from: invoice.invoice_date,
      to: `${updated.invoice_date} (${fields.join(', ')})`,
    },
  ]);
  return updated;
}
