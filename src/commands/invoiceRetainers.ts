/**
 * Retainer application on invoices (R52, R53, R61): the one place the invoice commands call
 * for it.
 *
 * Each hook runs inside the invoice command's transaction, after the contract row (and the
 * invoice row) are locked, so retainer rows locked here (`FOR UPDATE`) never deadlock.
 * What a retainer can still give an invoice is `amount − usedAmount − reserved`, where
 * `reserved` is what other drafts have applied (R53).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { availableAmount, drawRetainers } from '../domain/retainers.js';
import { formatDecimal, currencyExponent } from '../domain/money.js';
import { recordAudit, type AuditEvent } from '../repositories/audit.js';
import type { ContractRecord } from '../repositories/contracts.js';
import {
  addUsedAmounts,
  applicationsOfInvoices,
  chargeableWorkTotal,
  deleteApplicationsOf,
  insertApplications,
  lockContractRetainers,
  lockDrawableRetainers,
  reservedOnDrafts,
  setApplication,
} from '../repositories/invoice-retainers.js';
import type { InvoiceRow } from '../repositories/invoices.js';
import type { RetainerRow } from '../repositories/retainers.js';
import type { CommandContext } from './context.js';

export interface AppliedRetainer {
  retainerId: string;
  amount: bigint;
}

const byDateThenId = (a: RetainerRow, b: RetainerRow) =>
  a.date < b.date ? -1 : a.date > b.date ? 1 : BigInt(a.id) < BigInt(b.id) ? -1 : 1;

/** R51 + R53: what each retainer can still give, net of other drafts' reservations. */
export async function drawableAmounts(
  ctx: CommandContext,
  retainers: readonly RetainerRow[],
  exceptInvoiceId?: string,
): Promise<Map<string, bigint>> {
  const contractId = retainers[0]?.contract_id;
  const out = new Map<string, bigint>();
  if (!contractId) return out;
  const reserved = await reservedOnDrafts(
    ctx.db,
    contractId,
    retainers.map((r) => r.id),
    exceptInvoiceId,
  );
  for (const r of retainers) {
    const posted = availableAmount({
      amount: BigInt(r.amount),
      usedAmount: BigInt(r.used_amount),
      billingStatus: r.billing_status,
    });
    const left = posted - (reserved.get(r.id) ?? 0n);
    out.set(r.id, left > 0n ? left : 0n);
  }
  return out;
}

function applicationEvent(
  ctx: CommandContext,
  invoice: InvoiceRow,
  retainerId: string,
  action: string,
  from: bigint | null,
  to: bigint | null,
): AuditEvent {
  const exponent = currencyExponent(invoice.currency);
  const text = (v: bigint | null) =>
    v === null ? null : `${formatDecimal(v, exponent)} on invoice ${invoice.id}`;
  return {
    actor: ctx.actor,
    action,
    entityType: 'Retainer',
    entityId: retainerId,
    contractId: invoice.contract_id,
    from: text(from),
    to: text(to),
  };
}

/** R52: a new draft (manual or run) takes the customer's available retainers, oldest first. */
export async function applyRetainersToDraft(
  ctx: CommandContext,
  _contract: ContractRecord,
  invoice: InvoiceRow,
): Promise<void> {
  if (invoice.corrects_invoice_id) return;
  const total = await chargeableWorkTotal(ctx.db, invoice.contract_id, invoice.id);
  if (total <= 0n) return;
  const retainers = await lockDrawableRetainers(ctx.db, invoice.contract_id, invoice.customer_id);
  if (retainers.length === 0) return;
  const drawable = await drawableAmounts(ctx, retainers, invoice.id);
  const draws = drawRetainers(
    total,
    [...retainers]
      .sort(byDateThenId)
      .map((r) => ({ id: r.id, available: drawable.get(r.id) ?? 0n })),
  );
  await insertApplications(
    ctx.db,
    draws.map((d) => ({
      contractId: invoice.contract_id,
      invoiceId: invoice.id,
      retainerId: d.retainerId,
      amount: d.amount,
    })),
  );
  await recordAudit(
    ctx.db,
    draws.map((d) => applicationEvent(ctx, invoice, d.retainerId, 'applyRetainer', null, d.amount)),
  );
}

/**
 * R52: after a draft's details changed (quantity, billing type, removal) the applied
 * amounts must still never make the invoice negative: the newest applications shrink first.
 * Applications are never raised here; the user raises them with PATCH.
 */
export async function refitRetainersOfDraft(
  ctx: CommandContext,
  invoice: InvoiceRow,
): Promise<void> {
  const applied = await applicationsOfInvoices(ctx.db, [invoice]);
  if (applied.length === 0) return;
  const total = await chargeableWorkTotal(ctx.db, invoice.contract_id, invoice.id);
  let excess = applied.reduce((s, a) => s + BigInt(a.amount), 0n) - (total > 0n ? total : 0n);
  if (excess <= 0n) return;
  const events: AuditEvent[] = [];
  for (const a of [...applied].reverse()) {
    if (excess <= 0n) break;
    const from = BigInt(a.amount);
    const cut = from < excess ? from : excess;
    await setApplication(ctx.db, {
      contractId: a.contract_id,
      invoiceId: a.invoice_id,
      retainerId: a.retainer_id,
      amount: from - cut,
    });
    events.push(applicationEvent(ctx, invoice, a.retainer_id, 'refitRetainer', from, from - cut));
    excess -= cut;
  }
  await recordAudit(ctx.db, events);
}

/** R53: a deleted draft gives its reservations back (before its rows are deleted). */
export async function releaseRetainersOfDraft(
  ctx: CommandContext,
  invoice: InvoiceRow,
): Promise<void> {
  const applied = await applicationsOfInvoices(ctx.db, [invoice]);
  if (applied.length === 0) return;
  await deleteApplicationsOf(ctx.db, invoice.contract_id, invoice.id);
  await recordAudit(
    ctx.db,
    applied.map((a) =>
      applicationEvent(ctx, invoice, a.retainer_id, 'releaseRetainer', BigInt(a.amount), null),
    ),
  );
}

/** R53: confirming adds the applied amounts to each retainer's usedAmount. */
export async function consumeRetainersOnConfirm(
  ctx: CommandContext,
  invoice: InvoiceRow,
): Promise<void> {
  const applied = await applicationsOfInvoices(ctx.db, [invoice]);
  if (applied.length === 0) return;
  const retainers = await lockContractRetainers(
    ctx.db,
    invoice.contract_id,
    applied.map((a) => a.retainer_id),
  );
  const byId = new Map(retainers.map((r) => [r.id, r]));
  for (const a of applied) {
    const r = byId.get(a.retainer_id);
    // Reservations keep this true (R53); the table's CHECK is the last guard.
    if (!r || BigInt(r.used_amount) + BigInt(a.amount) > BigInt(r.amount)) {
      throw new Error(`retainer ${a.retainer_id} cannot give ${a.amount} to invoice ${invoice.id}`);
    }
  }
  await addUsedAmounts(
    ctx.db,
    invoice.contract_id,
    applied.map((a) => ({ retainerId: a.retainer_id, amount: BigInt(a.amount) })),
  );
  await recordAudit(
    ctx.db,
    applied.map((a) =>
      applicationEvent(ctx, invoice, a.retainer_id, 'useRetainer', null, BigInt(a.amount)),
    ),
  );
}

/**
 * R65: a corrective draft leaves the original's retainer draws as they are (see
 * docs/RETAINERS.md, Decisions); the credit of a retainer detail itself is checked when the
 * correction is confirmed (retainerSource.credit).
 */
export async function retainersOnCorrection(
  _ctx: CommandContext,
  _original: InvoiceRow,
  _corrective: InvoiceRow,
): Promise<void> {}

/** The retainers applied to each invoice, for presentation and totals (R61). */
export async function appliedRetainersOf(
  db: Kysely<DB>,
  invoices: readonly InvoiceRow[],
): Promise<Map<string, AppliedRetainer[]>> {
  const out = new Map<string, AppliedRetainer[]>();
  for (const a of await applicationsOfInvoices(db, invoices)) {
    const list = out.get(a.invoice_id) ?? [];
    list.push({ retainerId: a.retainer_id, amount: BigInt(a.amount) });
    out.set(a.invoice_id, list);
  }
  return out;
}
