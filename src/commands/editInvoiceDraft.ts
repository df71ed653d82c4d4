/**
 * Draft edits (R32, R62): change a T&M detail's quantity or billing type, remove a detail,
 * delete the whole draft. Removed items return to ReadyToInvoice and give up their claim.
 */
import type { BillingType } from '../db/schema.js';
import { invalid, notFound } from '../domain/errors.js';
import { detailAmountAt } from '../domain/invoice-totals.js';
import {
  formatDecimal,
  MAX_AMOUNT_DIGITS,
  parseDecimal,
  pow10,
  QUANTITY_SCALE,
} from '../domain/money.js';
import { recordAudit } from '../repositories/audit.js';
import {
  deleteDraft,
  detailsOfInvoices,
  findDetail,
  removeDetails,
  updateDetail,
  type InvoiceDetailRow,
  type InvoiceRow,
} from '../repositories/invoices.js';
import type { CommandContext } from './context.js';
import { refitRetainersOfDraft, releaseRetainersOfDraft } from './invoiceRetainers.js';
import { sourceOf } from './invoiceSources/index.js';
import { lockDraft } from './lockInvoice.js';

const qty = (text: string): bigint => {
  const v = parseDecimal(text, QUANTITY_SCALE, 18);
  if (v === null) throw invalid('quantity', `${text} is not a quantity`);
  return v;
};

async function lockDetail(ctx: CommandContext, invoiceId: string, detailId: string) {
  const locked = await lockDraft(ctx, invoiceId);
  const detail = await findDetail(ctx.db, locked.invoice.contract_id, locked.invoice.id, detailId);
  if (!detail) throw notFound(`detail of invoice ${invoiceId}`, detailId);
  return { ...locked, detail };
}

export interface PatchDetailInput {
  invoiceId: string;
  detailId: string;
  quantity?: string;
  billingType?: BillingType;
}

/** R62: a T&M detail's quantity and billing type may change on a draft; its amount follows. */
export async function patchInvoiceDetail(
  ctx: CommandContext,
  input: PatchDetailInput,
): Promise<InvoiceRow> {
  const { invoice, detail } = await lockDetail(ctx, input.invoiceId, input.detailId);
  if (detail.kind !== 'charge') {
    throw invalid(
      'detailId',
      'a correction detail cannot be changed; delete it or the corrective draft instead',
    );
  }
  if (!sourceOf(detail.source_type).editable) {
    throw invalid('detailId', `a ${detail.source_type} detail's amount may not change (R62)`);
  }
  const originalQuantity = qty(detail.original_quantity);
  const quantity = input.quantity === undefined ? qty(detail.quantity) : qty(input.quantity);
  if (originalQuantity === 0n && quantity !== 0n) {
    throw invalid('quantity', 'this detail was billed at quantity 0; its quantity cannot change');
  }
  const amount = detailAmountAt(BigInt(detail.original_amount), originalQuantity, quantity);
  if (amount >= pow10(MAX_AMOUNT_DIGITS)) throw invalid('quantity', 'makes the amount too large');
  await updateDetail(ctx.db, detail, {
    quantity: formatDecimal(quantity, QUANTITY_SCALE),
    amount: amount.toString(),
    billing_type: input.billingType ?? detail.billing_type,
  });
  await recordAudit(ctx.db, [
    {
      actor: ctx.actor,
      action: 'changeInvoiceDetail',
      entityType: 'InvoiceDetail',
      entityId: detail.id,
      contractId: invoice.contract_id,
      from: `${detail.quantity} ${detail.billing_type}`,
      to: `${formatDecimal(quantity, QUANTITY_SCALE)} ${input.billingType ?? detail.billing_type}`,
    },
  ]);
  await refitRetainersOfDraft(ctx, invoice);
  return invoice;
}

/** R32: the details' items return to ReadyToInvoice (correction credits just go). */
async function releaseDetails(
  ctx: CommandContext,
  invoice: InvoiceRow,
  details: readonly InvoiceDetailRow[],
) {
  const charges = details.filter((d) => d.kind === 'charge');
  for (const type of new Set(charges.map((d) => d.source_type))) {
    const ids = charges.filter((d) => d.source_type === type).map((d) => d.source_id);
    await sourceOf(type).returnToReady(ctx, invoice.contract_id, ids, invoice.id);
  }
}

export async function removeInvoiceDetail(
  ctx: CommandContext,
  invoiceId: string,
  detailId: string,
): Promise<InvoiceRow> {
  const { invoice, detail } = await lockDetail(ctx, invoiceId, detailId);
  await removeDetails(ctx.db, invoice.contract_id, [detail.id]);
  await releaseDetails(ctx, invoice, [detail]);
  await recordAudit(ctx.db, [
    {
      actor: ctx.actor,
      action: 'removeInvoiceDetail',
      entityType: 'InvoiceDetail',
      entityId: detail.id,
      contractId: invoice.contract_id,
      from: 'Draft',
      to: 'Removed',
    },
  ]);
  await refitRetainersOfDraft(ctx, invoice);
  return invoice;
}

export async function deleteDraftInvoice(ctx: CommandContext, invoiceId: string): Promise<void> {
  const { invoice } = await lockDraft(ctx, invoiceId);
  const details = await detailsOfInvoices(ctx.db, [invoice]);
  await releaseRetainersOfDraft(ctx, invoice);
  await releaseDetails(ctx, invoice, details);
  await deleteDraft(ctx.db, invoice);
  await recordAudit(ctx.db, [
    {
      actor: ctx.actor,
      action: 'deleteInvoice',
      entityType: 'Invoice',
      entityId: invoice.id,
      contractId: invoice.contract_id,
      from: 'Draft',
      to: 'Deleted',
    },
  ]);
}
