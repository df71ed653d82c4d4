/**
 * R32, R60, R66, R69: ready items of every kind become charge details of drafts. The caller
 * has locked the contract row; the items are locked here, kind by kind, in id order.
 */
import type { ContractRecord } from '../../repositories/contracts.js';
import { recordAudit, type AuditEvent } from '../../repositories/audit.js';
import { insertInvoiceDetails, type InvoiceRow } from '../../repositories/invoices.js';
import { detailTaxCodeId } from '../../domain/invoice-terms.js';
import type { CommandContext } from '../context.js';
import { loadDraftParties, taxSourcesOf, type DraftParties } from '../invoiceTerms.js';
import type { BacklogItemKind, DetailPlan, ItemRow, ReadySelection } from './kind.js';
import { allKinds, byKind } from './registry.js';
import { moveLockedOnto } from './statusMove.js';

/** A locked ready item and the detail that will bill it. */
export interface ReadyItem {
  kind: BacklogItemKind;
  row: ItemRow;
  plan: DetailPlan;
}

/** Every ready item of every kind that the selection takes, locked. */
export async function lockReadyItems(
  ctx: CommandContext,
  contract: ContractRecord,
  selection: ReadySelection,
): Promise<ReadyItem[]> {
  const items: ReadyItem[] = [];
  const lineCodes = new Map(contract.lines.map((l) => [l.line.id, l.line.tax_code_id]));
  for (const kind of allKinds()) {
    const known = selection.readyContracts?.get(kind.type);
    if (known && !known.has(contract.contract.id)) continue;
    for (const row of await kind.lockReady(ctx, contract, selection)) {
      const plan = kind.toDetail(row, contract.contract.currency);
      // R73: work and milestones take their contract line's code.
      if (plan.taxCodeId === null && plan.contractLineId !== null) {
        plan.taxCodeId = lineCodes.get(plan.contractLineId) ?? null;
      }
      items.push({ kind, row, plan });
    }
  }
  return items;
}

/** The items claim their details (the R67 index refuses a second claim) and go on the draft. */
export async function putOnDraft(
  ctx: CommandContext,
  invoice: InvoiceRow,
  items: readonly ReadyItem[],
  action: 'createInvoice' | 'addToInvoice' = 'createInvoice',
  parties?: DraftParties,
): Promise<void> {
  if (items.length === 0) return;
  await putOnDrafts(
    ctx,
    [{ invoice, items, parties: parties ?? (await loadDraftParties(ctx, invoice.customer_id)) }],
    action,
  );
}

/**
 * `putOnDraft` for the drafts of one contract at once: one insert for all their details and
 * one status move per kind (and per draft only where the kind stores its invoice).
 */
export async function putOnDrafts(
  ctx: CommandContext,
  drafts: readonly { invoice: InvoiceRow; items: readonly ReadyItem[]; parties: DraftParties }[],
  action: 'createInvoice' | 'addToInvoice' = 'createInvoice',
): Promise<void> {
  const rows = drafts.flatMap(({ invoice, items, parties }) => {
    const sources = taxSourcesOf(parties);
    return items.map(({ plan: p }) => ({
      contract_id: invoice.contract_id,
      invoice_id: invoice.id,
      source_type: p.sourceType,
      source_id: p.sourceId,
      kind: 'charge' as const,
      contract_line_id: p.contractLineId,
      customer_id: p.customerId,
      transaction_class: p.transactionClass,
      date: p.date,
      original_quantity: p.quantity,
      quantity: p.quantity,
      unit_price: p.unitPrice,
      original_amount: p.amount,
      amount: p.amount,
      billing_type: p.billingType,
      corrects_detail_id: null,
      // R73: fixed now; a biller may change it on the draft (R62).
      tax_code_id: detailTaxCodeId({ ...sources, itemCode: p.taxCodeId }),
      description: p.description,
      resource: p.resource,
      role: p.role,
      category: p.category,
    }));
  });
  if (rows.length === 0) return;
  await insertInvoiceDetails(ctx.db, rows, { returning: false });
  const all = drafts.flatMap(({ invoice, items }) => items.map((item) => ({ invoice, item })));
  for (const [kind, mine] of byKind(all, (i) => i.item.kind.type)) {
    await moveLockedOnto(
      ctx,
      kind,
      action,
      drafts.map(({ invoice }) => ({
        invoiceId: invoice.id,
        rows: mine.filter((m) => m.invoice === invoice).map((m) => m.item.row),
      })),
    );
  }
}

type Draft = { invoice: InvoiceRow; items: readonly ReadyItem[]; parties: DraftParties };

/**
 * What new drafts write (their details, their items' moves, their audit events) held back
 * so that a run writes the drafts of many contracts in a few statements instead of a few per
 * contract: each statement on `actuals` pays its backlog-totals trigger once. Whoever holds
 * it flushes it before its transaction commits, and before anything reads the drafts'
 * details (a retainer draw, R52).
 */
export class DraftWrites {
  private drafts: Draft[] = [];
  private events: AuditEvent[] = [];
  private items = 0;

  add(drafts: readonly Draft[], events: readonly AuditEvent[]): void {
    this.drafts.push(...drafts);
    this.events.push(...events);
    for (const d of drafts) this.items += d.items.length;
  }

  /**
   * Flushes once a few thousand items are held: a run over 1,000 contracts would otherwise
   * hold every detail of the run in memory at once (the server's RSS, issue 18), while a
   * statement per few thousand items costs the trigger nothing worth counting.
   */
  async flushWhenLarge(ctx: CommandContext, atItems = 5_000): Promise<void> {
    if (this.items >= atItems) await this.flush(ctx);
  }

  /** The details and the items' moves (the audit events of the invoices stay held). */
  async flushItems(ctx: CommandContext): Promise<void> {
    const drafts = this.drafts;
    this.drafts = [];
    this.items = 0;
    await putOnDrafts(ctx, drafts, 'createInvoice');
  }

  async flush(ctx: CommandContext): Promise<void> {
    await this.flushItems(ctx);
    const events = this.events;
    this.events = [];
    await recordAudit(ctx.db, events);
  }
}
