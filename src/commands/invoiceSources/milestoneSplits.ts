/**
 * Fixed-price milestone splits as invoice details (R32, R41, R62, R63, R65). A split bills
 * its whole amount (quantity 1, unit price = amount); its amount never changes on a draft
 * (R62) and a correction credits it only in full, returning it to ReadyToInvoice (R65).
 * Milestones have no unbilled actuals, so confirming writes no ledger rows for them.
 */
import type { SplitBillingStatus } from '../../db/schema.js';
import { currencyExponent, formatDecimal } from '../../domain/money.js';
import { recordAudit } from '../../repositories/audit.js';
import { contractsWithReadyMilestoneSplits } from '../../repositories/invoice-milestones.js';
import {
  lockMilestoneSplits,
  lockReadyMilestoneSplits,
  setMilestoneSplitsBillingStatus,
} from '../../repositories/milestones.js';
import type { CommandContext } from '../context.js';
import type { DetailPlan, InvoiceSource } from './source.js';

async function changeStatus(
  ctx: CommandContext,
  contractId: string,
  ids: readonly string[],
  from: SplitBillingStatus,
  to: SplitBillingStatus,
  action: string,
  invoiceId?: string,
): Promise<void> {
  const rows = (await lockMilestoneSplits(ctx.db, ids)).filter((r) => r.contract_id === contractId);
  if (rows.length !== new Set(ids).size || rows.some((r) => r.billing_status !== from)) {
    // The contract lock and the R67 index make this unreachable; fail loudly if it is not.
    throw new Error(`milestone splits ${ids.join(', ')} are not all ${from}`);
  }
  await setMilestoneSplitsBillingStatus(
    ctx.db,
    rows.map((r) => ({ contractId, id: r.id })),
    to,
    invoiceId === undefined ? {} : { invoiceId },
  );
  await recordAudit(
    ctx.db,
    rows.map((r) => ({
      actor: ctx.actor,
      action,
      entityType: 'MilestoneSplit',
      entityId: r.id,
      contractId,
      from,
      to,
    })),
  );
}

export const milestoneSplitSource: InvoiceSource = {
  type: 'MilestoneSplit',
  editable: false,
  partialCredit: false,

  async collectReady(ctx, contract, sel) {
    const exponent = currencyExponent(contract.contract.currency);
    const splits = await lockReadyMilestoneSplits(ctx.db, {
      contractId: contract.contract.id,
      onOrBefore: sel.upTo,
      ...(sel.customerIds ? { customerIds: sel.customerIds } : {}),
      ...(sel.itemIds ? { splitIds: sel.itemIds } : {}),
    });
    return splits.map((s): DetailPlan => ({
      sourceType: 'MilestoneSplit',
      sourceId: s.id,
      customerId: s.customer_id,
      contractLineId: s.contract_line_id,
      transactionClass: null,
      date: s.date,
      quantity: '1.00',
      unitPrice: formatDecimal(BigInt(s.amount), exponent),
      amount: BigInt(s.amount),
      billingType: 'Chargeable',
    }));
  },

  contractsWithReadyItems: (ctx, upTo) => contractsWithReadyMilestoneSplits(ctx.db, upTo),

  async putOnDraft(ctx, contractId, ids, invoiceId) {
    await changeStatus(
      ctx,
      contractId,
      ids,
      'ReadyToInvoice',
      'CustomerInvoiceCreated',
      'createInvoice',
      invoiceId,
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

  // R65: a credited milestone split returns to ReadyToInvoice; its claim is released by
  // the confirm command, so it can go on a new invoice.
  async credit(ctx, invoice, credits) {
    await changeStatus(
      ctx,
      invoice.contract_id,
      credits.map((d) => d.source_id),
      'CustomerInvoicePosted',
      'ReadyToInvoice',
      'confirmCorrection',
    );
  },
};
