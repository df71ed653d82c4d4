/**
 * Retainer application on invoices (R52, R53, R61): the one place the invoice commands call
 * for it. The retainers work fills these in; until then no retainer is ever applied, and
 * every invoice answers `appliedRetainers: []`, `retainerApplied: "0.00"`.
 *
 * Each hook runs inside the invoice command's transaction, after the contract row (and the
 * invoice row) are locked, so retainer rows locked here (`FOR UPDATE`) never deadlock.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { ContractRecord } from '../repositories/contracts.js';
import type { InvoiceRow } from '../repositories/invoices.js';
import type { CommandContext } from './context.js';

export interface AppliedRetainer {
  retainerId: string;
  amount: bigint;
}

/** R52: a new draft (manual or run) takes the customer's available retainers, oldest first. */
export async function applyRetainersToDraft(
  _ctx: CommandContext,
  _contract: ContractRecord,
  _invoice: InvoiceRow,
): Promise<void> {}

/**
 * R52: after a draft's details changed (quantity, billing type, removal) the applied
 * amounts must still never make the invoice negative.
 */
export async function refitRetainersOfDraft(_ctx: CommandContext, _invoice: InvoiceRow): Promise<void> {}

/** R53: a deleted draft gives its reservations back (before its rows are deleted). */
export async function releaseRetainersOfDraft(_ctx: CommandContext, _invoice: InvoiceRow): Promise<void> {}

/** R53: confirming adds the applied amounts to each retainer's usedAmount. */
export async function consumeRetainersOnConfirm(_ctx: CommandContext, _invoice: InvoiceRow): Promise<void> {}

/** R65: what a corrective draft does with the retainers its original consumed. */
export async function retainersOnCorrection(
  _ctx: CommandContext,
  _original: InvoiceRow,
  _corrective: InvoiceRow,
): Promise<void> {}

/** The retainers applied to each invoice, for presentation and totals (R61). */
export async function appliedRetainersOf(
  _db: Kysely<DB>,
  _invoices: readonly InvoiceRow[],
): Promise<Map<string, AppliedRetainer[]>> {
  return new Map();
}
