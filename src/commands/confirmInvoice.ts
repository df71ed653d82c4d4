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

  // Step 5: R63, the number: taken last so the counter row is locked as briefly as possible.
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
