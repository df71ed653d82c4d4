/** Loads an invoice for a change: the contract row is locked first, then the invoice row. */
import { DomainError, notFound } from '../domain/errors.js';
import { findContractRow, type ContractRow } from '../repositories/contracts.js';
import { findInvoice, findInvoiceContractId, type InvoiceRow } from '../repositories/invoices.js';
import type { CommandContext } from './context.js';

export interface LockedInvoice {
  contract: ContractRow;
  invoice: InvoiceRow;
}

export async function lockInvoice(ctx: CommandContext, invoiceId: string): Promise<LockedInvoice> {
  const contractId = await findInvoiceContractId(ctx.db, invoiceId);
  if (!contractId) throw notFound('invoice', invoiceId);
  const contract = await findContractRow(ctx.db, contractId, { forUpdate: true });
  const invoice = await findInvoice(ctx.db, contractId, invoiceId, { forUpdate: true });
  if (!invoice || !contract) throw notFound('invoice', invoiceId);
  return { contract, invoice };
}

/** R63: a confirmed invoice, its lines and details can never be edited or deleted. */
export async function lockDraft(ctx: CommandContext, invoiceId: string): Promise<LockedInvoice> {
  const locked = await lockInvoice(ctx, invoiceId);
  if (locked.invoice.status !== 'Draft') {
    throw new DomainError(
      'INVOICE_CONFIRMED',
      `invoice ${invoiceId} is confirmed (${locked.invoice.number}); it can no longer change`,
    );
  }
  return locked;
}
