/**
 * Retainers and advances as invoice details (R50, R32, R63, R65): a ready retainer is billed
 * at its full amount on a detail with no contract line; confirming posts it, which makes it
 * available to later invoices (R51).
 */
import type { BillingStatus } from '../../db/schema.js';
import { currencyExponent, formatDecimal } from '../../domain/money.js';
import { recordAudit } from '../../repositories/audit.js';
import {
  contractsWithReadyRetainers,
  lockContractRetainers,
  lockReadyRetainers,
} from '../../repositories/invoice-retainers.js';
import { setRetainersBillingStatus, type RetainerRow } from '../../repositories/retainers.js';
import type { CommandContext } from '../context.js';
import { assertRetainersUndrawn } from '../invoiceRetainers.js';
import type { DetailPlan, InvoiceSource } from './source.js';

async function changeStatus(
  ctx: CommandContext,
  contractId: string,
  ids: readonly string[],
  from: BillingStatus,
  to: BillingStatus,
  action: string,
): Promise<RetainerRow[]> {
  const rows = await lockContractRetainers(ctx.db, contractId, ids);
  if (rows.length !== new Set(ids).size || rows.some((r) => r.billing_status !== from)) {
    // The contract lock and the R67 index make this unreachable; fail loudly if it is not.
    throw new Error(`retainers ${ids.join(', ')} are not all ${from}`);
  }
  await setRetainersBillingStatus(
    ctx.db,
    rows.map((r) => ({ contractId, id: r.id })),
    to,
  );
  await recordAudit(
    ctx.db,
    rows.map((r) => ({
      actor: ctx.actor,
      action,
      entityType: 'Retainer',
      entityId: r.id,
      contractId,
      from,
      to,
    })),
  );
  return rows;
}

export const retainerSource: InvoiceSource = {
  type: 'Retainer',
  // R62: a retainer detail's amount may not change on a draft.
  editable: false,
  partialCredit: false,

  // R66: runs take ready retainers dated on or before the run date, like manual drafts.
  async collectReady(ctx, contract, sel) {
    const exponent = currencyExponent(contract.contract.currency);
    const rows = await lockReadyRetainers(ctx.db, {
      contractId: contract.contract.id,
      upTo: sel.upTo,
      ...(sel.customerIds ? { customerIds: sel.customerIds } : {}),
      ...(sel.itemIds ? { itemIds: sel.itemIds } : {}),
    });
    return rows.map((r): DetailPlan => ({
      sourceType: 'Retainer',
      sourceId: r.id,
      customerId: r.customer_id,
      // R61: retainer and advance details sit on the line without a contract line.
      contractLineId: null,
      transactionClass: null,
      date: r.date,
      quantity: '1.00',
      unitPrice: formatDecimal(BigInt(r.amount), exponent),
      // R50: the detail bills the retainer's full amount.
      amount: BigInt(r.amount),
      billingType: 'Chargeable',
    }));
  },

  async putOnDraft(ctx, contractId, ids) {
    await changeStatus(
      ctx,
      contractId,
      ids,
      'ReadyToInvoice',
      'CustomerInvoiceCreated',
      'createInvoice',
    );
  },

  async returnToReady(ctx, contractId, ids) {
    await changeStatus(
      ctx,
      contractId,
      ids,
      'CustomerInvoiceCreated',
      'ReadyToInvoice',
      'removeFromInvoice',
    );
  },

  // R51: posted, the retainer's amount becomes available to later invoices.
  async post(ctx, invoice, details) {
    await changeStatus(
      ctx,
      invoice.contract_id,
      details.map((d) => d.source_id),
      'CustomerInvoiceCreated',
      'CustomerInvoicePosted',
      'confirmInvoice',
    );
  },

  // R65: a retainer is credited in full and returns to ReadyToInvoice, but only while no
  // invoice has drawn from it (used or reserved on a draft): the draw would be left unbacked.
  // Checked when the corrective draft is made and again here, as a draw may have come since.
  async credit(ctx, invoice, credits) {
    const contractId = invoice.contract_id;
    const ids = credits.map((c) => c.source_id);
    const rows = await lockContractRetainers(ctx.db, contractId, ids);
    await assertRetainersUndrawn(ctx, contractId, ids);
    const used = rows.find((r) => BigInt(r.used_amount) > 0n);
    // The applications are the retainer's ledger (used = their confirmed sum); fail loudly.
    if (used) throw new Error(`retainer ${used.id} is used but no invoice holds its draw`);
    await changeStatus(
      ctx,
      contractId,
      ids,
      'CustomerInvoicePosted',
      'ReadyToInvoice',
      'confirmCorrection',
    );
  },

  async contractsWithReadyItems(ctx, upTo) {
    return contractsWithReadyRetainers(ctx.db, upTo);
  },
};
