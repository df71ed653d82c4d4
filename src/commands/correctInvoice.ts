/**
 * R65: a corrective draft for a confirmed invoice. For each picked detail (or every
 * chargeable one) and the quantity that should have been billed (default 0 = full credit),
 * it holds the negative differences as credit details. Nothing moves in the ledger until
 * the corrective draft is confirmed (confirmInvoice step 2).
 */
import { DomainError, invalid, invalidTransition } from '../domain/errors.js';
import { creditDifference } from '../domain/invoice-totals.js';
import { formatDecimal, storedQuantity, QUANTITY_SCALE } from '../domain/money.js';
import { recordAudit } from '../repositories/audit.js';
import {
  creditsOfDetails,
  detailsOfInvoices,
  insertInvoice,
  insertInvoiceDetails,
  type InvoiceDetailRow,
  type InvoiceRow,
  type NewInvoiceDetail,
} from '../repositories/invoices.js';
import type { CommandContext } from './context.js';
import { findContractRow } from '../repositories/contracts.js';
import { retainersOnCorrection } from './invoiceRetainers.js';
import { draftTermsColumns, loadDraftParties } from './invoiceTerms.js';
import { kindOf } from './backlogItems/registry.js';
import { lockInvoice } from './lockInvoice.js';

export interface CorrectionPick {
  detailId: string;
  quantity: string;
}

export async function correctInvoice(
  ctx: CommandContext,
  invoiceId: string,
  picks: readonly CorrectionPick[] | undefined,
): Promise<InvoiceRow> {
  const { invoice } = await lockInvoice(ctx, invoiceId);
  if (invoice.status !== 'Confirmed') {
    throw invalidTransition(`invoice ${invoice.id} is a draft; edit it instead of correcting it`);
  }
  if (invoice.corrects_invoice_id) {
    throw invalidTransition(
      `invoice ${invoice.id} is itself a correction; correct invoice ${invoice.corrects_invoice_id} instead`,
    );
  }
  const charges = (await detailsOfInvoices(ctx.db, [invoice])).filter((d) => d.kind === 'charge');
  const credits = await creditsOfDetails(
    ctx.db,
    invoice.contract_id,
    charges.map((d) => d.id),
  );
  const pending = credits.find((c) => c.status === 'Draft');
  if (pending) {
    throw new DomainError(
      'CONFLICT',
      `corrective draft ${pending.invoice_id} of this invoice is open; confirm or delete it first`,
    );
  }

  // What each detail has billed so far, net of confirmed corrections.
  const billed = (d: InvoiceDetailRow) => {
    const mine = credits.filter((c) => c.corrects_detail_id === d.id);
    return {
      quantity:
        storedQuantity(d.quantity) + mine.reduce((s, c) => s + storedQuantity(c.quantity), 0n),
      amount: BigInt(d.amount) + mine.reduce((s, c) => s + BigInt(c.amount), 0n),
    };
  };

  const targets: { detail: InvoiceDetailRow; should: bigint; field: string | null }[] = [];
  if (picks) {
    const seen = new Set<string>();
    picks.forEach((p, i) => {
      const detail = charges.find((d) => d.id === p.detailId);
      if (!detail)
        throw invalid(
          `details.${i}.detailId`,
          `detail ${p.detailId} is not a detail of invoice ${invoice.id}`,
        );
      if (seen.has(detail.id))
        throw invalid(`details.${i}.detailId`, `detail ${p.detailId} is named twice`);
      seen.add(detail.id);
      targets.push({ detail, should: storedQuantity(p.quantity), field: `details.${i}` });
    });
  } else {
    for (const detail of charges) {
      // Only chargeable details are credited when none are named (see docs/INVOICING.md).
      const so = billed(detail);
      if (detail.billing_type === 'Chargeable' && (so.quantity !== 0n || so.amount !== 0n)) {
        targets.push({ detail, should: 0n, field: null });
      }
    }
  }

  const rows: Omit<NewInvoiceDetail, 'invoice_id'>[] = [];
  for (const { detail, should, field } of targets) {
    const at = field ?? 'details';
    if (detail.billing_type !== 'Chargeable') {
      throw invalid(
        `${at}.detailId`,
        `detail ${detail.id} was billed ${detail.billing_type}; only chargeable details are credited`,
      );
    }
    const so = billed(detail);
    if (!kindOf(detail.source_type).partialCredit && should !== 0n) {
      throw invalid(
        `${at}.quantity`,
        `a ${detail.source_type} detail can only be credited in full (quantity 0)`,
      );
    }
    if (should > so.quantity) {
      throw invalid(
        `${at}.quantity`,
        `detail ${detail.id} has billed ${formatDecimal(so.quantity, QUANTITY_SCALE)}; a correction only credits`,
      );
    }
    const diff = creditDifference({
      originalQuantity: storedQuantity(detail.original_quantity),
      originalAmount: BigInt(detail.original_amount),
      billedQuantity: so.quantity,
      billedAmount: so.amount,
      shouldQuantity: should,
    });
    if (diff.quantity === 0n && diff.amount === 0n) {
      if (field)
        throw invalid(
          `${at}.quantity`,
          `detail ${detail.id} already bills this quantity; nothing to credit`,
        );
      continue;
    }
    const quantity = formatDecimal(diff.quantity, QUANTITY_SCALE);
    rows.push({
      contract_id: invoice.contract_id,
      source_type: detail.source_type,
      source_id: detail.source_id,
      kind: 'credit',
      contract_line_id: detail.contract_line_id,
      customer_id: detail.customer_id,
      transaction_class: detail.transaction_class,
      date: detail.date,
      original_quantity: quantity,
      quantity,
      unit_price: detail.unit_price,
      original_amount: diff.amount,
      amount: diff.amount,
      billing_type: detail.billing_type,
      corrects_detail_id: detail.id,
      // R73: a credit carries the code of the detail it corrects, so its tax is the exact
      // negative (R74); and the same work detail (R77).
      tax_code_id: detail.tax_code_id,
      description: detail.description,
      resource: detail.resource,
      role: detail.role,
      category: detail.category,
    });
  }
  if (rows.length === 0)
    throw invalid('details', `invoice ${invoice.id} has nothing left to credit`);

  const contract = await findContractRow(ctx.db, invoice.contract_id);
  if (!contract) throw new Error(`contract ${invoice.contract_id} vanished`);
  const invoiceDate = new Date().toISOString().slice(0, 10);
  const corrective = await insertInvoice(ctx.db, {
    // R75: a credit note's terms and references are resolved as for any draft.
    ...draftTermsColumns(contract, await loadDraftParties(ctx, invoice.customer_id), invoiceDate),
    contract_id: invoice.contract_id,
    customer_id: invoice.customer_id,
    status: 'Draft',
    number: null,
    invoice_date: invoiceDate,
    currency: invoice.currency,
    corrects_invoice_id: invoice.id,
    run_id: null,
    confirmed_at: null,
  });
  await insertInvoiceDetails(
    ctx.db,
    rows.map((r) => ({ ...r, invoice_id: corrective.id })),
  );
  await retainersOnCorrection(
    ctx,
    invoice,
    corrective,
    rows.filter((r) => r.source_type === 'Retainer').map((r) => String(r.source_id)),
  );
  await recordAudit(ctx.db, [
    {
      actor: ctx.actor,
      action: 'correctInvoice',
      entityType: 'Invoice',
      entityId: corrective.id,
      contractId: invoice.contract_id,
      from: null,
      to: 'Draft',
    },
  ]);
  return corrective;
}
