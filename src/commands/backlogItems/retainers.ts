/**
 * Retainers and advances as backlog items (R31–R33, R50, R63, R65, R68): a ready retainer is
 * billed at its full amount on a detail with no contract line; confirming posts it, which
 * makes it available to later invoices (R51).
 */
import { currencyExponent, formatDecimal } from '../../domain/money.js';
import {
  contractsWithReadyRetainers,
  lockReadyRetainers,
} from '../../repositories/invoice-retainers.js';
import {
  lockRetainers,
  setRetainersBillingStatus,
  type RetainerRow,
} from '../../repositories/retainers.js';
import { assertRetainersUndrawn } from '../invoiceRetainers.js';
import { billedRow, type BacklogItemKind } from './kind.js';

export const retainerKind: BacklogItemKind<RetainerRow> = {
  type: 'Retainer',
  notFound: 'is not a retainer or advance',
  // R62: a retainer detail's amount may not change on a draft.
  editable: false,
  partialCredit: false,
  creditReturnsItem: true,

  lock: lockRetainers,
  storesInvoiceId: false,
  setStatus: (db, items, to) => setRetainersBillingStatus(db, items, to),

  // R66: runs take ready retainers dated on or before the run date, like manual drafts.
  lockReady: (ctx, contract, sel) =>
    lockReadyRetainers(ctx.db, {
      contractId: contract.contract.id,
      upTo: sel.upTo,
      ...(sel.customerIds ? { customerIds: sel.customerIds } : {}),
      ...(sel.itemIds ? { itemIds: sel.itemIds } : {}),
    }),

  toDetail: (r, currency) => ({
    sourceType: 'Retainer',
    sourceId: r.id,
    customerId: r.customer_id,
    // R61: retainer and advance details sit on the line without a contract line.
    contractLineId: null,
    transactionClass: null,
    date: r.date,
    quantity: '1.00',
    unitPrice: formatDecimal(BigInt(r.amount), currencyExponent(currency)),
    // R50: the detail bills the retainer's full amount.
    amount: BigInt(r.amount),
    billingType: 'Chargeable',
    // R73: the retainer's own code (the customer's override still comes first).
    taxCodeId: r.tax_code_id,
    // R77: the retainer's description, or its kind.
    description: r.description ?? r.kind,
    resource: null,
    role: null,
    category: null,
  }),

  contractsWithReadyItems: contractsWithReadyRetainers,

  // R68: class Retainer or Advance, no contract line.
  ledgerRows: (invoice, d, r) => [
    billedRow(invoice, d, {
      entry_id: null,
      contract_line_id: null,
      line_customer_id: null,
      customer_id: r.customer_id,
      transaction_class: r.kind,
      quantity: d.quantity,
      unit_price: d.unit_price,
      amount: d.amount,
      billing_type: d.billing_type,
    }),
  ],

  // R65: a retainer is credited in full, but only while no invoice has drawn from it (used
  // or reserved on a draft): the draw would be left unbacked. Checked when the corrective
  // draft is made and again here, as a draw may have come since.
  async beforeCredit(ctx, invoice, rows) {
    await assertRetainersUndrawn(
      ctx,
      invoice.contract_id,
      rows.map((r) => r.id),
    );
    const used = rows.find((r) => BigInt(r.used_amount) > 0n);
    // The applications are the retainer's ledger (used = their confirmed sum); fail loudly.
    if (used) throw new Error(`retainer ${used.id} is used but no invoice holds its draw`);
  },
};
