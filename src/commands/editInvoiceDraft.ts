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
}

/** R62: a T&M detail's quantity and billing type may change on a draft; its amount follows. */
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
  await updateDetail(ctx.db, detail, {
    quantity: formatDecimal(quantity, QUANTITY_SCALE),
    amount: amount.toString(),
    billing_type: billingType,
    nte_excess: excess.toString(),
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
