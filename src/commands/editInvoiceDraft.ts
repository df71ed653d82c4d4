/**
 * Draft edits (R32, R62): change a T&M detail's quantity or billing type, remove a detail,
 * delete the whole draft. Removed items return to ReadyToInvoice and give up their claim.
 */
import type { BillingType } from '../db/schema.js';
import { invalid, notFound } from '../domain/errors.js';
import { detailAmountAt } from '../domain/invoice-totals.js';
import { draftEditExcess } from '../domain/nte.js';
import { lockBacklogActuals } from '../repositories/backlog.js';
import { loadContracts, type ContractRow } from '../repositories/contracts.js';
import {
  formatDecimal,
  MAX_AMOUNT_DIGITS,
  storedQuantity,
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
import { assertNteRoom } from './assessNte.js';
import { findTaxCode } from '../repositories/tax-codes.js';
import type { CommandContext } from './context.js';
import { refitRetainersOfDraft, releaseRetainersOfDraft } from './invoiceRetainers.js';
import { byKind, kindOf } from './backlogItems/registry.js';
import { moveItems } from './backlogItems/statusMove.js';
import { lockDraft } from './lockInvoice.js';

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
  /** R73: null removes the detail's tax code. */
  taxCodeId?: string | null;
  /** R91: the write-down reason, kept on the detail and in the audit. */
  reason?: string;
}

/**
 * R62: a T&M detail's quantity and billing type may change on a draft; its amount follows.
 * R73: any charge detail's tax code may change; R91: an edit may carry a reason.
 */
export async function patchInvoiceDetail(
  ctx: CommandContext,
  input: PatchDetailInput,
): Promise<InvoiceRow> {
  const { invoice, detail, contract } = await lockDetail(ctx, input.invoiceId, input.detailId);
  if (detail.kind !== 'charge') {
    throw invalid(
      'detailId',
      'a correction detail cannot be changed; delete it or the corrective draft instead',
    );
  }
  const changes: Parameters<typeof updateDetail>[2] = {};
  const from: string[] = [];
  const to: string[] = [];
  if (input.quantity !== undefined || input.billingType !== undefined) {
    Object.assign(changes, await quantityChange(ctx, contract, detail, input));
    from.push(`${detail.quantity} ${detail.billing_type}`);
    to.push(`${changes.quantity} ${changes.billing_type}`);
  }
  if (input.taxCodeId !== undefined) {
    const code = input.taxCodeId === null ? null : await findTaxCode(ctx.db, input.taxCodeId);
    if (code === undefined) {
      throw invalid('taxCodeId', `tax code ${input.taxCodeId} does not exist`);
    }
    const before = detail.tax_code_id ? await findTaxCode(ctx.db, detail.tax_code_id) : null;
    changes.tax_code_id = code?.id ?? null;
    from.push(`tax ${before?.code ?? 'none'}`);
    to.push(`tax ${code?.code ?? 'none'}`);
  }
  if (input.reason !== undefined) {
    changes.reason = input.reason;
    to.push(`reason: ${input.reason}`);
  }
  await updateDetail(ctx.db, detail, changes);
  await recordAudit(ctx.db, [
    {
      actor: ctx.actor,
      action: 'changeInvoiceDetail',
      entityType: 'InvoiceDetail',
      entityId: detail.id,
      contractId: invoice.contract_id,
      from: from.join('; ') || null,
      to: to.join('; '),
    },
  ]);
  // R52 with R74: a lower amount or another tax group may leave less for the retainers.
  await refitRetainersOfDraft(ctx, invoice);
  return invoice;
}

/** R62, R29: the new quantity, amount, billing type and NTE excess of a T&M detail. */
async function quantityChange(
  ctx: CommandContext,
  contract: ContractRow,
  detail: InvoiceDetailRow,
  input: PatchDetailInput,
) {
  if (!kindOf(detail.source_type).editable) {
    throw invalid('detailId', `a ${detail.source_type} detail's amount may not change (R62)`);
  }
  const originalQuantity = storedQuantity(detail.original_quantity);
  const quantity =
    input.quantity === undefined ? storedQuantity(detail.quantity) : storedQuantity(input.quantity);
  if (originalQuantity === 0n && quantity !== 0n) {
    throw invalid('quantity', 'this detail was billed at quantity 0; its quantity cannot change');
  }
  const amount = detailAmountAt(BigInt(detail.original_amount), originalQuantity, quantity);
  if (amount >= pow10(MAX_AMOUNT_DIGITS)) throw invalid('quantity', 'makes the amount too large');
  const billingType = input.billingType ?? detail.billing_type;
  const excess = await checkNteOfEdit(
    ctx,
    contract,
    detail,
    billingType === 'Chargeable' ? amount : 0n,
  );
  return {
    quantity: formatDecimal(quantity, QUANTITY_SCALE),
    amount: amount.toString(),
    billing_type: billingType,
    nte_excess: excess.toString(),
  };
}

/**
 * R29: an edit that raises what the detail commits is checked against every NTE level for
 * the added amount; answers the detail's new excess over what its actual commits.
 */
async function checkNteOfEdit(
  ctx: CommandContext,
  contractRow: ContractRow,
  detail: InvoiceDetailRow,
  newChargeable: bigint,
): Promise<bigint> {
  const [actual] = await lockBacklogActuals(ctx.db, [detail.source_id], detail.contract_id);
  if (!actual) throw new Error(`actual ${detail.source_id} of detail ${detail.id} vanished`);
  const committedPart =
    actual.nte_status === 'Committed' && actual.billing_type === 'Chargeable'
      ? BigInt(actual.amount)
      : 0n;
  const { excess, added } = draftEditExcess({
    committedPart,
    oldExcess: BigInt(detail.nte_excess),
    newChargeable,
  });
  if (added > 0n) {
    const [contract] = await loadContracts(ctx.db, [contractRow]);
    if (!contract) throw new Error(`contract ${detail.contract_id} vanished`);
    await assertNteRoom(
      ctx,
      contract,
      {
        contractLineId: actual.contract_line_id,
        lineCustomerId: actual.line_customer_id,
        customerId: actual.customer_id,
      },
      added,
    );
  }
  return excess;
}

/** R32: the details' items return to ReadyToInvoice (correction credits just go). */
async function releaseDetails(
  ctx: CommandContext,
  invoice: InvoiceRow,
  details: readonly InvoiceDetailRow[],
) {
  const charges = details.filter((d) => d.kind === 'charge');
  for (const [kind, mine] of byKind(charges, (d) => d.source_type)) {
    const ids = mine.map((d) => d.source_id);
    await moveItems(ctx, kind, 'removeFromInvoice', invoice.contract_id, ids);
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
