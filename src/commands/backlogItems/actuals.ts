/**
 * T&M unbilled actuals as backlog items (R24, R28, R31–R33, R60, R62, R63, R65, R68).
 */
import { postingParts } from '../../domain/invoice-totals.js';
import { formatDecimal, storedQuantity, QUANTITY_SCALE } from '../../domain/money.js';
import {
  insertActuals,
  reverseActuals,
  type NewActual,
  type UnbilledActualRow,
} from '../../repositories/actuals.js';
import { recordAudit } from '../../repositories/audit.js';
import { lockBacklogActuals, setActualsBillingStatus } from '../../repositories/backlog.js';
import { loadContract } from '../../repositories/contracts.js';
import { lockReadyActuals } from '../../repositories/invoice-actuals.js';
import type { WorkDetail } from '../../repositories/invoice-work-detail.js';
import { assessNte } from '../assessNte.js';
import { billedRow, type BacklogItemKind } from './kind.js';

const qtyText = (units: bigint) => formatDecimal(units, QUANTITY_SCALE);

/** What a ledger row of an actual copies from the unbilled row it records. */
const workOf = (a: UnbilledActualRow) => ({
  entry_id: a.entry_id,
  contract_line_id: a.contract_line_id,
  line_customer_id: a.line_customer_id,
  customer_id: a.customer_id,
  transaction_class: a.transaction_class,
  unit_price: a.unit_price,
});

/** `lockReady` answers each row with its entry's work detail (R77); `lock` without. */
type ActualItemRow = UnbilledActualRow & { work?: WorkDetail };

export const actualKind: BacklogItemKind<ActualItemRow> = {
  type: 'Actual',
  notFound: 'is not an unbilled actual in the backlog',
  editable: true,
  partialCredit: true,
  creditReturnsItem: false,

  lock: lockBacklogActuals,
  storesInvoiceId: false,
  setStatus: (db, items, to) => setActualsBillingStatus(db, items, to),

  async lockReady(ctx, contract, sel) {
    const cutoffs = sel.tmLineCutoffs;
    const upTo = cutoffs ? [...cutoffs.values()].sort().at(-1) : sel.upTo;
    if (!upTo) return [];
    const rows = await lockReadyActuals(ctx.db, {
      contractId: contract.contract.id,
      upTo,
      ...(sel.customerIds ? { customerIds: sel.customerIds } : {}),
      ...(sel.itemIds ? { itemIds: sel.itemIds } : {}),
      ...(cutoffs ? { lineIds: [...cutoffs.keys()] } : {}),
    });
    // R66: each line's own cut-off.
    return cutoffs ? rows.filter((r) => r.date <= (cutoffs.get(r.contract_line_id) ?? '')) : rows;
  },

  toDetail: (a) => ({
    sourceType: 'Actual',
    sourceId: a.id,
    customerId: a.customer_id,
    contractLineId: a.contract_line_id,
    transactionClass: a.transaction_class,
    date: a.date,
    quantity: a.quantity,
    unitPrice: a.unit_price,
    amount: BigInt(a.amount),
    billingType: a.billing_type,
    taxCodeId: null,
    // R77: the entry's work detail.
    description: a.work?.description ?? null,
    resource: a.work?.resource ?? null,
    role: a.work?.role ?? null,
    category: a.work?.category ?? null,
  }),

  // R62, R63: a reduced quantity bills q at the detail's billing type and Q−q as
  // NonChargeable. A correction's credit (original quantity = quantity) is one row.
  ledgerRows: (invoice, d, a) =>
    postingParts({
      originalQuantity: storedQuantity(d.original_quantity),
      quantity: storedQuantity(d.quantity),
      originalAmount: BigInt(d.original_amount),
      amount: BigInt(d.amount),
      billingType: d.billing_type,
    }).map((part) =>
      billedRow(invoice, d, {
        ...workOf(a),
        quantity: qtyText(part.quantity),
        amount: part.amount,
        billing_type: part.billingType,
      }),
    ),

  // R63: the unbilled rows are reversed; the originals stay, posted.
  async afterPost(ctx, rows) {
    await reverseActuals(ctx.db, rows);
  },

  // R65: the credited quantity returns to the backlog as new Chargeable unbilled actuals,
  // NTE assessed as on approval (R23).
  async afterCredit(ctx, invoice, credits, rows) {
    const contract = await loadContract(ctx.db, invoice.contract_id);
    if (!contract) throw new Error(`contract ${invoice.contract_id} vanished`);
    const byId = new Map(rows.map((a) => [a.id, a]));
    const pairs = credits.map((c) => {
      const a = byId.get(c.source_id);
      if (!a) throw new Error(`actual ${c.source_id} vanished`);
      return { c, a };
    });
    const nte = await assessNte(
      ctx,
      contract,
      pairs.map(({ c, a }) => ({
        contractLineId: a.contract_line_id,
        lineCustomerId: a.line_customer_id,
        customerId: a.customer_id,
        billingType: 'Chargeable' as const,
        amount: -BigInt(c.amount),
      })),
    );
    const returned = await insertActuals(
      ctx.db,
      pairs.map(({ c, a }, i): NewActual => ({
        ...workOf(a),
        contract_id: a.contract_id,
        type: 'UnbilledSales',
        date: a.date,
        quantity: qtyText(-storedQuantity(c.quantity)),
        amount: -BigInt(c.amount),
        billing_type: 'Chargeable',
        billing_status: 'UnbilledSalesCreated',
        nte_status: nte[i]?.status ?? 'NotApplicable',
        nte_failed_level: nte[i]?.failedLevel ?? null,
      })),
    );
    await recordAudit(
      ctx.db,
      returned.map((r) => ({
        actor: ctx.actor,
        action: 'confirmCorrection',
        entityType: 'Actual',
        entityId: r.id,
        contractId: r.contract_id,
        from: null,
        to: 'UnbilledSalesCreated',
      })),
    );
  },
};
