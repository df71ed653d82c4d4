/**
 * R63: confirming a draft, as explicit steps in one transaction: post it (every kind of
 * item, the credits of a correction, the retainers it draws, and their ledger rows: R65,
 * R67, R68), then number it from the gapless counter.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { invalidTransition } from '../domain/errors.js';
import { isId } from '../domain/ids.js';
import { recordAudit } from '../repositories/audit.js';
import { lockContractRows } from '../repositories/contracts.js';
import {
  detailsOfInvoices,
  invoiceContractIds,
  lockInvoices,
  markConfirmed,
  nextInvoiceNumbers,
  type InvoiceDetailRow,
  type InvoiceRow,
} from '../repositories/invoices.js';
import { postInvoices } from './backlogItems/posting.js';
import { eachItem, succeeded, type BulkResult } from './bulk.js';
import type { CommandContext } from './context.js';
import { lockDraft } from './lockInvoice.js';
import { buyerParty, sellerParty } from '../domain/parties.js';
import { findCustomer, type CustomerRecord } from '../repositories/customers.js';
import {
  currentNames,
  freezeDetailTax,
  freezeInvoiceParties,
} from '../repositories/invoice-frozen.js';
import { findSellerProfile } from '../repositories/seller-profile.js';

/** R63: `INV-000042`: the digits alone are the sequence value. */
export const invoiceNumberText = (n: bigint): string => `INV-${n.toString().padStart(6, '0')}`;

export async function confirmInvoice(ctx: CommandContext, invoiceId: string): Promise<InvoiceRow> {
  const { invoice } = await lockDraft(ctx, invoiceId);
  const details = await detailsOfInvoices(ctx.db, [invoice]);
  if (details.length === 0) {
    throw invalidTransition(`invoice ${invoice.id} has no details; delete the empty draft instead`);
  }
  const [confirmed] = await confirmLocked(ctx, [{ invoice, details }]);
  return confirmed as InvoiceRow;
}

/** R63 for drafts whose contract and invoice rows this transaction has locked. */
async function confirmLocked(
  ctx: CommandContext,
  drafts: readonly { invoice: InvoiceRow; details: readonly InvoiceDetailRow[] }[],
): Promise<InvoiceRow[]> {
  // Steps 1–4: items posted, credits returned, retainers drawn, the ledger written (R68).
  await postInvoices(ctx, drafts);

  // Step 5: R76, the parties, names and each detail's tax as they are now, frozen.
  await freezeInvoices(
    ctx,
    drafts.map((d) => d.invoice),
  );

  // Step 6: R63, the numbers, in the order given: taken last so the counter row is locked
  // as briefly as possible.
  const first = await nextInvoiceNumbers(ctx.db, drafts.length);
  const confirmed = await markConfirmed(
    ctx.db,
    drafts.map(({ invoice }, i) => {
      const number = first + BigInt(i);
      return { invoice, number, text: invoiceNumberText(number) };
    }),
  );
  await recordAudit(
    ctx.db,
    drafts.map(({ invoice }) => ({
      actor: ctx.actor,
      action: 'confirmInvoice',
      entityType: 'Invoice',
      entityId: invoice.id,
      contractId: invoice.contract_id,
      from: 'Draft',
      to: 'Confirmed',
    })),
  );
  return confirmed;
}

/** Invoices a bulk confirm works in one transaction (the counter row is held that long). */
export const CONFIRM_BATCH = 50;

/** A batch that cannot be confirmed together: worked again one invoice at a time. */
class OneByOne extends Error {}

/**
 * R64: bulk confirm, answered per id in the order given. Drafts are confirmed in batches of
 * `CONFIRM_BATCH`, each in one transaction, so that their items, ledger rows and audit
 * events are written a few statements per batch. A batch that is not plain (a repeated or
 * unknown id, a confirmed invoice, a correction, an empty draft) or that fails is worked
 * again one invoice per transaction, exactly as a single confirm, so each invoice still
 * succeeds or fails on its own with its own reason.
 */
export async function confirmInvoices(
  db: Kysely<DB>,
  actor: string,
  ids: readonly string[],
): Promise<BulkResult[]> {
  const one = (id: string) =>
    inTransaction(db, async (trx) => {
      await confirmInvoice({ db: trx, actor }, id);
      return succeeded(id, 'Confirmed');
    });
  if (new Set(ids).size !== ids.length) return eachItem(ids, one);
  const results: BulkResult[] = [];
  for (let i = 0; i < ids.length; i += CONFIRM_BATCH) {
    const batch = ids.slice(i, i + CONFIRM_BATCH);
    try {
      await inTransaction(db, (trx) => confirmBatch({ db: trx, actor }, batch));
      results.push(...batch.map((id) => succeeded(id, 'Confirmed')));
    } catch {
      // Whatever stopped the batch (OneByOne, a rule, a lock wait, a bug) stops the one
      // invoice it belongs to again, and is answered or thrown as a single confirm does.
      results.push(...(await eachItem(batch, one)));
    }
  }
  return results;
}

async function confirmBatch(ctx: CommandContext, ids: readonly string[]): Promise<void> {
  if (ids.length === 1) {
    await confirmInvoice(ctx, ids[0] as string);
    return;
  }
  if (!ids.every(isId)) throw new OneByOne();
  // Contract rows first, in id order, then the invoice rows: the order of a single confirm.
  const owners = await invoiceContractIds(ctx.db, ids);
  if (owners.size !== ids.length) throw new OneByOne();
  await lockContractRows(ctx.db, [...new Set(owners.values())]);
  const locked = await lockInvoices(
    ctx.db,
    [...owners].map(([id, contractId]) => ({ id, contractId })),
  );
  const byId = new Map(locked.map((i) => [i.id, i]));
  const invoices = ids.map((id) => byId.get(id));
  if (invoices.some((i) => !i || i.status !== 'Draft' || i.corrects_invoice_id))
    throw new OneByOne();
  const details = await detailsOfInvoices(ctx.db, invoices as InvoiceRow[]);
  const drafts = (invoices as InvoiceRow[]).map((invoice) => ({
    invoice,
    details: details.filter(
      (d) => d.contract_id === invoice.contract_id && d.invoice_id === invoice.id,
    ),
  }));
  if (drafts.some((d) => d.details.length === 0)) throw new OneByOne();
  await confirmLocked(ctx, drafts);
}

/**
 * R76: what the invoices' documents and e-invoices are read from from now on. Without a
 * seller profile none is frozen (the document then shows an empty seller block).
 */
async function freezeInvoices(ctx: CommandContext, invoices: readonly InvoiceRow[]): Promise<void> {
  const seller = await findSellerProfile(ctx.db);
  const customers = new Map<string, CustomerRecord>();
  const names = new Map<string, Awaited<ReturnType<typeof currentNames>>>();
  for (const invoice of invoices) {
    let customer = customers.get(invoice.customer_id);
    if (!customer) {
      customer = await findCustomer(ctx.db, invoice.customer_id);
      if (!customer) throw new Error(`customer ${invoice.customer_id} vanished`);
      customers.set(invoice.customer_id, customer);
    }
    let named = names.get(invoice.contract_id);
    if (!named) {
      named = await currentNames(ctx.db, invoice.contract_id);
      names.set(invoice.contract_id, named);
    }
    await freezeInvoiceParties(ctx.db, invoice, {
      seller: seller ? sellerParty(seller) : null,
      buyer: buyerParty(customer.name, customer.profile),
      ...named,
    });
  }
  await freezeDetailTax(ctx.db, invoices);
}
