/**
 * R63, R65, R68: the one posting path. Confirming an invoice posts its charge details and
 * its correction credits kind by kind, consumes the retainers it applies, and writes the
 * ledger rows of all of them in one statement: a BilledSales row for every detail (whatever
 * its kind) and one for every retainer draw or give-back. Hence, for every confirmed
 * invoice, its Chargeable BilledSales rows sum exactly to its total.
 */
import { currencyExponent, formatDecimal } from '../../domain/money.js';
import { insertActuals, type NewActual } from '../../repositories/actuals.js';
import {
  applicationsOfInvoices,
  type ApplicationRow,
} from '../../repositories/invoice-retainers.js';
import {
  releaseClaims,
  type InvoiceDetailRow,
  type InvoiceRow,
} from '../../repositories/invoices.js';
import type { RetainerRow } from '../../repositories/retainers.js';
import type { CommandContext } from '../context.js';
import { consumeRetainersOnConfirm } from '../invoiceRetainers.js';
import type { BacklogItemKind, ItemRow } from './kind.js';
import { byKind } from './registry.js';
import { moveLocked } from './statusMove.js';

export async function postInvoice(
  ctx: CommandContext,
  invoice: InvoiceRow,
  details: readonly InvoiceDetailRow[],
): Promise<void> {
  await postInvoices(ctx, [{ invoice, details }]);
}

/**
 * `postInvoice` for several invoices in one transaction (a bulk confirm), their contracts
 * and invoices locked by the caller: each kind's items of all of them are locked, moved and
 * followed up in one go, and the ledger rows of all of them written in one statement.
 */
export async function postInvoices(
  ctx: CommandContext,
  posts: readonly { invoice: InvoiceRow; details: readonly InvoiceDetailRow[] }[],
): Promise<void> {
  const ledger: NewActual[] = [];
  const then: (() => Promise<void>)[] = [];

  // Step 1: R32, R63, the charge details' items are posted.
  const charges = posts.flatMap(({ invoice, details }) =>
    details.filter((d) => d.kind === 'charge').map((detail) => ({ invoice, detail })),
  );
  for (const [kind, mine] of byKind(charges, (c) => c.detail.source_type)) {
    const rows = await lockAll(
      ctx,
      kind,
      mine.map((c) => c.detail),
    );
    await moveLocked(ctx, kind, 'confirmInvoice', rows);
    for (const { invoice } of posts) {
      const own = mine.filter((c) => c.invoice === invoice).map((c) => c.detail);
      ledger.push(...ledgerOf(kind, invoice, own, rows));
    }
    if (kind.afterPost) then.push(() => kind.afterPost!(ctx, rows));
  }

  for (const { invoice, details } of posts) {
    // Step 2: R65, a correction's credits return their items and release the original claims.
    const credits = details.filter((d) => d.kind === 'credit');
    for (const [kind, mine] of byKind(credits, (d) => d.source_type)) {
      const rows = await lockAll(ctx, kind, mine);
      await kind.beforeCredit?.(ctx, invoice, rows);
      if (kind.creditReturnsItem) await moveLocked(ctx, kind, 'confirmCorrection', rows);
      ledger.push(...ledgerOf(kind, invoice, mine, rows));
      if (kind.afterCredit) then.push(() => kind.afterCredit!(ctx, invoice, mine, rows));
    }
    await releaseClaims(
      ctx.db,
      invoice.contract_id,
      credits.map((d) => d.corrects_detail_id as string),
    );
  }

  // Step 3: R53, retainers applied to these invoices become used (a correction gives back).
  const applied = await applicationsOfInvoices(
    ctx.db,
    posts.map((p) => p.invoice),
  );
  for (const { invoice } of posts) {
    const own = applied.filter(
      (a) => a.contract_id === invoice.contract_id && a.invoice_id === invoice.id,
    );
    const drawn = await consumeRetainersOnConfirm(ctx, invoice, own);
    ledger.push(
      ...drawn.map(({ application, retainer }) => drawRow(invoice, application, retainer)),
    );
  }

  // Step 4: R68, the ledger; then what follows from it (unbilled rows reversed, credited
  // work returned with its NTE assessed against the ledger as it now is).
  await insertActuals(ctx.db, ledger);
  for (const next of then) await next();
}

/** Locks every item the details name; one missing is a broken invariant (R67), not a rule. */
async function lockAll<Row extends ItemRow>(
  ctx: CommandContext,
  kind: BacklogItemKind<Row>,
  details: readonly InvoiceDetailRow[],
): Promise<Row[]> {
  const ids = [...new Set(details.map((d) => d.source_id))];
  const contracts = new Set(details.map((d) => d.contract_id));
  const [only] = contracts;
  const rows = (await kind.lock(ctx.db, ids, contracts.size === 1 ? only : undefined)).filter((r) =>
    contracts.has(r.contract_id),
  );
  if (rows.length !== ids.length) {
    throw new Error(`${kind.type} items of invoice details vanished (${ids.join(', ')})`);
  }
  return rows;
}

function ledgerOf<Row extends ItemRow>(
  kind: BacklogItemKind<Row>,
  invoice: InvoiceRow,
  details: readonly InvoiceDetailRow[],
  rows: readonly Row[],
): NewActual[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return details.flatMap((d) => kind.ledgerRows(invoice, d, byId.get(d.source_id) as Row));
}

/**
 * R68: a retainer draw is a Chargeable BilledSales row of minus the applied amount (a
 * give-back on a correction, a negative application, is plus), on no contract line.
 * Quantity carries the sign, so the unit price is the amount's size.
 */
function drawRow(invoice: InvoiceRow, a: ApplicationRow, r: RetainerRow): NewActual {
  const amount = -BigInt(a.amount);
  return {
    contract_id: invoice.contract_id,
    type: 'BilledSales',
    invoice_id: invoice.id,
    entry_id: null,
    contract_line_id: null,
    line_customer_id: null,
    customer_id: r.customer_id,
    transaction_class: r.kind,
    source_type: 'Retainer',
    source_id: r.id,
    retainer_id: r.id,
    date: invoice.invoice_date,
    quantity: amount < 0n ? '-1.00' : '1.00',
    unit_price: formatDecimal(amount < 0n ? -amount : amount, currencyExponent(invoice.currency)),
    amount,
    billing_type: 'Chargeable',
    billing_status: null,
    nte_status: null,
    nte_failed_level: null,
  };
}
