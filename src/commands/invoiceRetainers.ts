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
import { invalidTransition } from '../domain/errors.js';
import { availableAmount } from '../domain/retainers.js';
import { detailTaxOf, type StoredTaxText } from '../domain/invoice-tax.js';
import {
  drawRetainersByGroup,
  giveBackRetainersByGroup,
  refitApplicationsByGroup,
} from '../domain/retainer-groups.js';
import type { TaxGroup, TaxedAmount } from '../domain/tax-totals.js';
import { chargeableWorkByTaxCode, retainerBillingTax } from '../repositories/invoice-frozen.js';
import { formatDecimal, currencyExponent } from '../domain/money.js';
import { recordAudit, type AuditEvent } from '../repositories/audit.js';
import type { ContractRecord } from '../repositories/contracts.js';
import {
  addUsedAmounts,
  applicationsOfInvoices,
  chargeableWorkTotal,
  deleteApplicationsOf,
  insertApplications,
  lockDrawableRetainers,
  netApplicationsOfCorrected,
  netChargeableWorkOfCorrected,
  openDrawsOfRetainers,
  reservedOnDrafts,
  setApplication,
  type ApplicationRow,
} from '../repositories/invoice-retainers.js';
import type { InvoiceRow } from '../repositories/invoices.js';
import { lockRetainers, type RetainerRow } from '../repositories/retainers.js';
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
  const retainers = (await lockDrawableRetainersOf(ctx, [invoice])).get(invoice.customer_id);
  if (retainers) await drawRetainers(ctx, invoice, retainers);
}

/**
 * R52: the drawable retainers of the customers of new drafts of one contract, by customer,
 * locked in one statement (id order); a customer with none is absent.
 */
export async function lockDrawableRetainersOf(
  ctx: CommandContext,
  invoices: readonly InvoiceRow[],
): Promise<Map<string, RetainerRow[]>> {
  const drafts = invoices.filter((i) => !i.corrects_invoice_id);
  const out = new Map<string, RetainerRow[]>();
  const contractId = drafts[0]?.contract_id;
  if (!contractId) return out;
  const retainers = await lockDrawableRetainers(
    ctx.db,
    contractId,
    drafts.map((i) => i.customer_id),
  );
  for (const r of retainers) out.set(r.customer_id, [...(out.get(r.customer_id) ?? []), r]);
  return out;
}

/** R52: a new draft (its details written) draws from its customer's locked `retainers`. */
export async function drawRetainers(
  ctx: CommandContext,
  invoice: InvoiceRow,
  retainers: readonly RetainerRow[],
): Promise<void> {
  const total = await chargeableWorkTotal(ctx.db, invoice.contract_id, invoice.id);
  if (total <= 0n) return;
  const drawable = await drawableAmounts(ctx, retainers, invoice.id);
  const { work, groups } = await taxGroupsOfDraft(
    ctx,
    invoice,
    retainers.map((r) => r.id),
  );
  // R52 with R74: each retainer up to what its tax group can carry.
  const draws = drawRetainersByGroup(
    work,
    [...retainers].sort(byDateThenId).map((r) => ({
      id: r.id,
      available: drawable.get(r.id) ?? 0n,
      group: groups.get(r.id) ?? null,
    })),
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
  if (invoice.corrects_invoice_id) {
    await fitRetainerGiveBack(ctx, invoice);
    return;
  }
  const applied = await applicationsOfInvoices(ctx.db, [invoice]);
  if (applied.length === 0) return;
  const { work, groups } = await taxGroupsOfDraft(
    ctx,
    invoice,
    applied.map((a) => a.retainer_id),
  );
  // R52 with R74: per tax group, the newest applications give way first.
  const changes = refitApplicationsByGroup(
    work,
    applied.map((a) => ({
      retainerId: a.retainer_id,
      amount: BigInt(a.amount),
      group: groups.get(a.retainer_id) ?? null,
    })),
  );
  const events: AuditEvent[] = [];
  for (const c of changes) {
    const from = BigInt(applied.find((a) => a.retainer_id === c.retainerId)?.amount ?? 0);
    await setApplication(ctx.db, {
      contractId: invoice.contract_id,
      invoiceId: invoice.id,
      retainerId: c.retainerId,
      amount: c.amount,
    });
    events.push(applicationEvent(ctx, invoice, c.retainerId, 'refitRetainer', from, c.amount));
  }
  await recordAudit(ctx.db, events);
}

function taxGroupOf(t: StoredTaxText): TaxGroup {
  const d = detailTaxOf(t);
  return { category: d.category, rate: d.rate, exemptionReason: d.exemptionReason };
}

/**
 * R52, R74: a draft's chargeable work by tax group, and the group each retainer's
 * applications belong to (that of its own billing detail, frozen on its confirmed invoice).
 */
export async function taxGroupsOfDraft(
  ctx: CommandContext,
  invoice: InvoiceRow,
  retainerIds: readonly string[],
): Promise<{ work: TaxedAmount[]; groups: Map<string, TaxGroup> }> {
  const [work, billing] = await Promise.all([
    chargeableWorkByTaxCode(ctx.db, invoice.contract_id, invoice.id),
    retainerBillingTax(ctx.db, invoice.contract_id, retainerIds),
  ]);
  return {
    work: work.map((w) => ({ amount: w.amount, taxGroup: w.tax ? taxGroupOf(w.tax) : null })),
    groups: new Map([...billing].map(([id, t]) => [id, taxGroupOf(t)])),
  };
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

/** R53: confirming adds the applied amounts (`applied`, the invoice's) to each retainer's usedAmount. */
export async function consumeRetainersOnConfirm(
  ctx: CommandContext,
  invoice: InvoiceRow,
  applied: readonly ApplicationRow[],
): Promise<{ application: ApplicationRow; retainer: RetainerRow }[]> {
  if (applied.length === 0) return [];
  const retainers = await lockRetainers(
    ctx.db,
    applied.map((a) => a.retainer_id),
    invoice.contract_id,
  );
  const byId = new Map(retainers.map((r) => [r.id, r]));
  const drawn: { application: ApplicationRow; retainer: RetainerRow }[] = [];
  for (const a of applied) {
    const r = byId.get(a.retainer_id);
    const used = r ? BigInt(r.used_amount) + BigInt(a.amount) : -1n;
    // Reservations keep this true (R53), and a give-back never exceeds what the corrected
    // invoice drew (R65); the table's CHECK is the last guard.
    if (!r || used > BigInt(r.amount) || used < 0n) {
      throw new Error(`retainer ${a.retainer_id} cannot give ${a.amount} to invoice ${invoice.id}`);
    }
    drawn.push({ application: a, retainer: r });
  }
  await addUsedAmounts(
    ctx.db,
    invoice.contract_id,
    applied.map((a) => ({ retainerId: a.retainer_id, amount: BigInt(a.amount) })),
  );
  await recordAudit(
    ctx.db,
    applied.map((a) =>
      applicationEvent(
        ctx,
        invoice,
        a.retainer_id,
        BigInt(a.amount) < 0n ? 'returnRetainer' : 'useRetainer',
        null,
        BigInt(a.amount),
      ),
    ),
  );
  return drawn;
}

/**
 * R65: a retainer whose invoice is credited must not back any draw: no draft may reserve
 * some of it and every confirmed draw must have been given back by a correction. Refused
 * with INVALID_TRANSITION naming the invoices to correct (or delete) first.
 */
export async function assertRetainersUndrawn(
  ctx: CommandContext,
  contractId: string,
  retainerIds: readonly string[],
): Promise<void> {
  const draws = await openDrawsOfRetainers(ctx.db, contractId, retainerIds);
  if (draws.length === 0) return;
  const byRetainer = new Map<string, string[]>();
  for (const d of draws) {
    const list = byRetainer.get(d.retainer_id) ?? [];
    list.push(d.status === 'Draft' ? `${d.invoice_id} (draft)` : d.invoice_id);
    byRetainer.set(d.retainer_id, list);
  }
  const parts = [...byRetainer].map(
    ([id, invoices]) => `retainer ${id} by invoice(s) ${invoices.join(', ')}`,
  );
  throw invalidTransition(
    `drawn retainers cannot be credited: ${parts.join('; ')}; correct the confirmed invoices and delete or lower the drafts first`,
  );
}

/**
 * R65 + R53 + R52: what a corrective draft gives back to the retainers its original invoice
 * drew. The corrected invoice keeps as much of its draw as its remaining chargeable T&M and
 * milestone total can carry (the invoice never goes negative, R52); the rest goes back,
 * newest retainer first, as the mirror of how a draft's draw shrinks (refitRetainersOfDraft).
 * A full credit gives back the whole draw. The give-back is a negative application on the
 * corrective draft; confirming it lowers `usedAmount` (consumeRetainersOnConfirm).
 * Recomputed whenever the corrective draft's credits change.
 */
export async function fitRetainerGiveBack(
  ctx: CommandContext,
  corrective: InvoiceRow,
): Promise<void> {
  const originalId = corrective.corrects_invoice_id;
  if (!originalId) return;
  const contractId = corrective.contract_id;
  const drawn = await netApplicationsOfCorrected(ctx.db, contractId, originalId);
  const current = await applicationsOfInvoices(ctx.db, [corrective]);
  if (drawn.length === 0 && current.length === 0) return;
  // Lock order as everywhere: contract, invoice (the caller), then retainer rows by id.
  await lockRetainers(
    ctx.db,
    [...drawn.map((d) => d.retainer_id), ...current.map((a) => a.retainer_id)],
    contractId,
  );
  const [work, billing] = await Promise.all([
    netChargeableWorkOfCorrected(ctx.db, contractId, originalId, corrective.id),
    retainerBillingTax(
      ctx.db,
      contractId,
      drawn.map((d) => d.retainer_id),
    ),
  ]);
  // R52 with R74: per tax group, as the draws were made.
  const wanted = new Map(
    giveBackRetainersByGroup(
      work.map((w) => ({ amount: w.amount, taxGroup: w.tax ? taxGroupOf(w.tax) : null })),
      drawn.map((d) => {
        const billed = billing.get(d.retainer_id);
        return {
          retainerId: d.retainer_id,
          amount: d.amount,
          group: billed ? taxGroupOf(billed) : null,
        };
      }),
    ).map((g) => [g.retainerId, -g.amount]),
  );
  const had = new Map(current.map((a) => [a.retainer_id, BigInt(a.amount)]));
  const events: AuditEvent[] = [];
  for (const id of new Set([...had.keys(), ...wanted.keys()])) {
    const from = had.get(id) ?? 0n;
    const to = wanted.get(id) ?? 0n;
    if (from === to) continue;
    await setApplication(ctx.db, {
      contractId,
      invoiceId: corrective.id,
      retainerId: id,
      amount: to,
    });
    events.push(
      applicationEvent(
        ctx,
        corrective,
        id,
        'creditRetainer',
        from === 0n ? null : from,
        to === 0n ? null : to,
      ),
    );
  }
  await recordAudit(ctx.db, events);
}

/**
 * R65: a new corrective draft. Credited retainer details must back no draw (checked again
 * when the correction is confirmed, retainerSource.credit); draws of the original invoice
 * that the credited work no longer carries are given back.
 */
export async function retainersOnCorrection(
  ctx: CommandContext,
  original: InvoiceRow,
  corrective: InvoiceRow,
  creditedRetainerIds: readonly string[],
): Promise<void> {
  await assertRetainersUndrawn(ctx, original.contract_id, creditedRetainerIds);
  await fitRetainerGiveBack(ctx, corrective);
}

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
