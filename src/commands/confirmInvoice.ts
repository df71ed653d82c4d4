/**
 * R63: confirming a draft, as explicit steps in one transaction: post it (every kind of
 * item, the credits of a correction, the retainers it draws, and their ledger rows: R65,
 * R67, R68), then number it from the gapless counter.
 */
import { invalidTransition } from '../domain/errors.js';
import { recordAudit } from '../repositories/audit.js';
import {
  detailsOfInvoices,
  markConfirmed,
  nextInvoiceNumber,
  type InvoiceRow,
} from '../repositories/invoices.js';
import { postInvoice } from './backlogItems/posting.js';
import type { CommandContext } from './context.js';
import { lockDraft } from './lockInvoice.js';
import { buyerParty, sellerParty } from '../domain/parties.js';
import { findCustomer } from '../repositories/customers.js';
import {
  currentNames,
  freezeDetailTax,
  freezeInvoiceParties,
} from '../repositories/invoice-frozen.js';
import { findSellerProfile } from '../repositories/seller-profile.js';

/** R63: `INV-000042`: the digits alone are the sequence value. */
export const invoiceNumberText = (n: bigint): string => `INV-${n.toString().padStart(6, '0')}`;

export async function confirmInvoice(ctx: CommandContext, invoiceId: string): Promise<InvoiceRow> {
  const { invoice } = await lockDraft(ctx, invoiceId);
  const details = await detailsOfInvoices(ctx.db, [invoice]);
  if (details.length === 0) {
    throw invalidTransition(`invoice ${invoice.id} has no details; delete the empty draft instead`);
  }

  // Steps 1–4: items posted, credits returned, retainers drawn, the ledger written (R68).
  await postInvoice(ctx, invoice, details);

  // Step 5: R76, the parties, names and each detail's tax as they are now, frozen.
  await freezeInvoice(ctx, invoice);

  // Step 6: R63, the number: taken last so the counter row is locked as briefly as possible.
  const number = await nextInvoiceNumber(ctx.db);
  const confirmed = await markConfirmed(ctx.db, invoice, number, invoiceNumberText(number));
  await recordAudit(ctx.db, [
    {
      actor: ctx.actor,
      action: 'confirmInvoice',
      entityType: 'Invoice',
      entityId: invoice.id,
      contractId: invoice.contract_id,
      from: 'Draft',
      to: 'Confirmed',
    },
  ]);
  return confirmed;
}

/**
 * R76: what the invoice's document and e-invoice are read from from now on. Without a
 * seller profile none is frozen (the document then shows an empty seller block).
 */
async function freezeInvoice(ctx: CommandContext, invoice: InvoiceRow): Promise<void> {
  const [seller, customer, names] = await Promise.all([
    findSellerProfile(ctx.db),
    findCustomer(ctx.db, invoice.customer_id),
    currentNames(ctx.db, invoice.contract_id),
  ]);
  if (!customer) throw new Error(`customer ${invoice.customer_id} vanished`);
  await freezeInvoiceParties(ctx.db, invoice, {
    seller: seller ? sellerParty(seller) : null,
    buyer: buyerParty(customer.name, customer.profile),
    ...names,
  });
  await freezeDetailTax(ctx.db, invoice);
}
