/**
 * T&M unbilled actuals as invoice details (R32, R60, R62, R63, R65).
 */
import type { BillingStatus } from '../../db/schema.js';
import { postingParts } from '../../domain/invoice-totals.js';
import { formatDecimal, parseDecimal, QUANTITY_SCALE } from '../../domain/money.js';
import {
  insertActuals,
  reverseActuals,
  type ActualRow,
  type NewActual,
} from '../../repositories/actuals.js';
import { recordAudit } from '../../repositories/audit.js';
import { moveLockedActualsStatus } from '../../repositories/backlog.js';
import { loadContract } from '../../repositories/contracts.js';
import { lockActuals, lockReadyActuals } from '../../repositories/invoice-actuals.js';
import type { InvoiceDetailRow } from '../../repositories/invoices.js';
import { assessNte } from '../assessNte.js';
import type { CommandContext } from '../context.js';
import type { DetailPlan, InvoiceSource } from './source.js';

const qty = (text: string): bigint => {
  const v = parseDecimal(text, QUANTITY_SCALE, 18);
  if (v === null) throw new Error(`stored quantity ${text} is not a decimal`);
  return v;
};
const qtyText = (units: bigint) => formatDecimal(units, QUANTITY_SCALE);

/** Moves rows whose locks this transaction holds from one status to another, audited. */
async function moveStatus(
  ctx: CommandContext,
  contractId: string,
  ids: readonly string[],
  from: BillingStatus,
  to: BillingStatus,
  action: string,
): Promise<void> {
  const moved = await moveLockedActualsStatus(ctx.db, contractId, ids, from, to);
  if (moved !== new Set(ids).size) {
    // The contract lock and the R67 index make this unreachable; fail loudly if it is not.
    throw new Error(`actuals ${ids.join(', ')} are not all ${from}`);
  }
  await recordAudit(
    ctx.db,
    ids.map((id) => ({
      actor: ctx.actor,
      action,
      entityType: 'Actual',
      entityId: id,
      contractId,
      from,
      to,
    })),
  );
}

/** Locks the rows (in id order), then moves them; answers them as they were. */
async function changeStatus(
  ctx: CommandContext,
  contractId: string,
  ids: readonly string[],
  from: BillingStatus,
  to: BillingStatus,
  action: string,
): Promise<ActualRow[]> {
  const rows = await lockActuals(ctx.db, contractId, ids);
  await moveStatus(ctx, contractId, ids, from, to, action);
  return rows;
}

/** The ledger copy of an unbilled row, as another type, quantity and amount. */
function ledgerCopy(a: ActualRow, changes: Partial<NewActual>): NewActual {
  return {
    contract_id: a.contract_id,
    type: a.type,
    entry_id: a.entry_id,
    contract_line_id: a.contract_line_id,
    line_customer_id: a.line_customer_id,
    customer_id: a.customer_id,
    transaction_class: a.transaction_class,
    date: a.date,
    quantity: a.quantity,
    unit_price: a.unit_price,
    amount: a.amount,
    billing_type: a.billing_type,
    billing_status: null,
    nte_status: null,
    nte_failed_level: null,
    ...changes,
  };
}

export const actualSource: InvoiceSource = {
  type: 'Actual',
  editable: true,
  partialCredit: true,

  async collectReady(ctx, contract, sel) {
    const contractId = contract.contract.id;
    const cutoffs = sel.tmLineCutoffs;
    const upTo = cutoffs ? [...cutoffs.values()].sort().at(-1) : sel.upTo;
    if (!upTo) return [];
    const rows = await lockReadyActuals(ctx.db, {
      contractId,
      upTo,
      ...(sel.customerIds ? { customerIds: sel.customerIds } : {}),
      ...(sel.itemIds ? { itemIds: sel.itemIds } : {}),
      ...(cutoffs ? { lineIds: [...cutoffs.keys()] } : {}),
    });
    // R66: each line's own cut-off.
    const taken = cutoffs
      ? rows.filter((r) => r.date <= (cutoffs.get(r.contract_line_id) ?? ''))
      : rows;
    return taken.map((a): DetailPlan => ({
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
    }));
  },

  // collectReady locked these rows in this transaction: move them without locking again.
  async putOnDraft(ctx, contractId, ids) {
    await moveStatus(
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

  // R63: BilledSales rows written, unbilled rows reversed, items posted. R62: a reduced
  // quantity bills q at the detail's billing type and Q−q as NonChargeable.
  async post(ctx, invoice, details) {
    const contractId = invoice.contract_id;
    const originals = await changeStatus(
      ctx,
      contractId,
      details.map((d) => d.source_id),
      'CustomerInvoiceCreated',
      'CustomerInvoicePosted',
      'confirmInvoice',
    );
    const byId = new Map(originals.map((a) => [a.id, a]));
    const billed: NewActual[] = [];
    for (const d of details) {
      const a = byId.get(d.source_id);
      if (!a) throw new Error(`actual ${d.source_id} vanished`);
      for (const part of postingParts({
        originalQuantity: qty(d.original_quantity),
        quantity: qty(d.quantity),
        originalAmount: BigInt(d.original_amount),
        amount: BigInt(d.amount),
        billingType: d.billing_type,
      })) {
        billed.push(
          ledgerCopy(a, {
            type: 'BilledSales',
            invoice_id: invoice.id,
            quantity: qtyText(part.quantity),
            amount: part.amount,
            billing_type: part.billingType,
          }),
        );
      }
    }
    await insertActuals(ctx.db, billed);
    await reverseActuals(ctx.db, originals);
  },

  // R65: negative BilledSales for the credited part; the credited quantity returns to the
  // backlog as new Chargeable unbilled actuals, NTE assessed as on approval (R23).
  async credit(ctx, invoice, credits) {
    const contractId = invoice.contract_id;
    const contract = await loadContract(ctx.db, contractId);
    if (!contract) throw new Error(`contract ${contractId} vanished`);
    const originals = await lockActuals(
      ctx.db,
      contractId,
      credits.map((c) => c.source_id),
    );
    const byId = new Map(originals.map((a) => [a.id, a]));
    const pairs = credits.map((c: InvoiceDetailRow) => {
      const a = byId.get(c.source_id);
      if (!a) throw new Error(`actual ${c.source_id} vanished`);
      return { c, a };
    });
    await insertActuals(
      ctx.db,
      pairs.map(({ c, a }) =>
        ledgerCopy(a, {
          type: 'BilledSales',
          invoice_id: invoice.id,
          quantity: c.quantity,
          amount: c.amount,
          billing_type: c.billing_type,
        }),
      ),
    );
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
      pairs.map(({ c, a }, i) =>
        ledgerCopy(a, {
          type: 'UnbilledSales',
          quantity: qtyText(-qty(c.quantity)),
          amount: -BigInt(c.amount),
          billing_type: 'Chargeable',
          billing_status: 'UnbilledSalesCreated',
          nte_status: nte[i]?.status ?? 'NotApplicable',
          nte_failed_level: nte[i]?.failedLevel ?? null,
        }),
      ),
    );
    await recordAudit(
      ctx.db,
      returned.map((r) => ({
        actor: ctx.actor,
        action: 'confirmCorrection',
        entityType: 'Actual',
        entityId: r.id,
        contractId,
        from: null,
        to: 'UnbilledSalesCreated',
      })),
    );
  },
};
