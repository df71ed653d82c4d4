/**
 * R63: confirming a draft, as explicit steps in one transaction: number it from the gapless
 * counter, post each kind of item (BilledSales written, unbilled rows reversed, statuses
 * posted), release what a correction credits (R65, R67), consume retainers (R53).
 */
import { invalidTransition } from '../domain/errors.js';
import { recordAudit } from '../repositories/audit.js';
import {
  detailsOfInvoices,
  markConfirmed,
  nextInvoiceNumber,
  releaseClaims,
  type InvoiceRow,
} from '../repositories/invoices.js';
import type { CommandContext } from './context.js';
import { consumeRetainersOnConfirm } from './invoiceRetainers.js';
import { sourceOf } from './invoiceSources/index.js';
import { lockDraft } from './lockInvoice.js';

/** R63: `INV-000042`: the digits alone are the sequence value. */
export const invoiceNumberText = (n: bigint): string => `INV-${n.toString().padStart(6, '0')}`;

export async function confirmInvoice(ctx: CommandContext, invoiceId: string): Promise<InvoiceRow> {
  const { invoice } = await lockDraft(ctx, invoiceId);
  const details = await detailsOfInvoices(ctx.db, [invoice]);
  if (details.length === 0) {
    throw invalidTransition(`invoice ${invoice.id} has no details; delete the empty draft instead`);
  }

  // Step 1: post the charge details, kind by kind.
  const charges = details.filter((d) => d.kind === 'charge');
  for (const type of new Set(charges.map((d) => d.source_type))) {
    await sourceOf(type).post(
      ctx,
      invoice,
      charges.filter((d) => d.source_type === type),
    );
  }

  // Step 2: R65, a correction's credits return their items and release the original claims.
  const credits = details.filter((d) => d.kind === 'credit');
  for (const type of new Set(credits.map((d) => d.source_type))) {
    await sourceOf(type).credit(
      ctx,
      invoice,
      credits.filter((d) => d.source_type === type),
    );
  }
  await releaseClaims(
    ctx.db,
    invoice.contract_id,
    credits.map((d) => d.corrects_detail_id as string),
  );

  // Step 3: R53, retainers applied to this invoice become used.
  await consumeRetainersOnConfirm(ctx, invoice);

  // Step 4: R63, the number: taken last so the counter row is locked as briefly as possible.
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
