/**
 * Fixed-price milestone splits as backlog items (R31–R33, R41, R62, R63, R65, R68). A split
 * bills its whole amount (quantity 1, unit price = amount); its amount never changes on a
 * draft (R62) and a correction credits it only in full, returning it to ReadyToInvoice (R65).
 */
import { currencyExponent, formatDecimal } from '../../domain/money.js';
import type { SplitBillingStatus } from '../../domain/vocabulary.js';
import { contractsWithReadyMilestoneSplits } from '../../repositories/invoice-milestones.js';
import { milestoneNames } from '../../repositories/invoice-work-detail.js';
import {
  lockMilestoneSplits,
  lockReadyMilestoneSplits,
  setMilestoneSplitsBillingStatus,
  type MilestoneSplitRow,
} from '../../repositories/milestones.js';
import { billedRow, type BacklogItemKind } from './kind.js';

/** `lockReady` answers each split with its milestone's name (R77); `lock` without. */
type SplitItemRow = MilestoneSplitRow & { milestone_name?: string };

export const milestoneSplitKind: BacklogItemKind<SplitItemRow> = {
  type: 'MilestoneSplit',
  notFound: 'is not a milestone split',
  editable: false,
  partialCredit: false,
  creditReturnsItem: true,

  lock: lockMilestoneSplits,
  // The transition table never moves an item to UnbilledSalesCreated (R30).
  storesInvoiceId: true,
  setStatus: (db, items, to, invoiceId) =>
    setMilestoneSplitsBillingStatus(
      db,
      items,
      to as SplitBillingStatus,
      invoiceId === null ? {} : { invoiceId },
    ),

  async lockReady(ctx, contract, sel) {
    const splits = await lockReadyMilestoneSplits(ctx.db, {
      contractId: contract.contract.id,
      onOrBefore: sel.upTo,
      ...(sel.customerIds ? { customerIds: sel.customerIds } : {}),
      ...(sel.itemIds ? { splitIds: sel.itemIds } : {}),
    });
    const names = await milestoneNames(
      ctx.db,
      contract.contract.id,
      splits.map((s) => s.milestone_id),
    );
    return splits.map((s) => ({ ...s, milestone_name: names.get(s.milestone_id) }));
  },

  toDetail: (s, currency) => ({
    sourceType: 'MilestoneSplit',
    sourceId: s.id,
    customerId: s.customer_id,
    contractLineId: s.contract_line_id,
    transactionClass: null,
    date: s.date,
    quantity: '1.00',
    unitPrice: formatDecimal(BigInt(s.amount), currencyExponent(currency)),
    amount: BigInt(s.amount),
    billingType: 'Chargeable',
    taxCodeId: null,
    // R77: a milestone detail carries the milestone's name.
    description: s.milestone_name ?? null,
    resource: null,
    role: null,
    category: null,
  }),

  contractsWithReadyItems: contractsWithReadyMilestoneSplits,

  // R68: class Milestone, the milestone's contract line and the split's customer.
  ledgerRows: (invoice, d, s) => [
    billedRow(invoice, d, {
      entry_id: null,
      contract_line_id: s.contract_line_id,
      line_customer_id: s.line_customer_id,
      customer_id: s.customer_id,
      transaction_class: 'Milestone',
      quantity: d.quantity,
      unit_price: d.unit_price,
      amount: d.amount,
      billing_type: d.billing_type,
    }),
  ],
};
