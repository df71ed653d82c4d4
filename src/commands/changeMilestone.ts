/**
 * Change or delete a milestone (R44, R45). Both lock the contract row first (the lock
 * order of every milestone change), then the milestone and its splits, and refuse when
 * any split is on a draft or posted invoice.
 */
import { DomainError, notFound } from '../domain/errors.js';
import { editRefusal, resplit } from '../domain/milestones.js';
import { recordAudit, type AuditEvent } from '../repositories/audit.js';
import {
  deleteMilestone as deleteMilestoneRows,
  deleteMilestoneSplits,
  findMilestone,
  findMilestoneView,
  insertMilestoneSplits,
  splitsOfMilestones,
  sumOfLineMilestones,
  updateMilestone as updateMilestoneRow,
  updateSplitAmounts,
  type MilestoneRow,
  type MilestoneSplitRow,
  type MilestoneView,
} from '../repositories/milestones.js';
import type { CommandContext } from './context.js';
import {
  checkContracted,
  lineSplitCustomers,
  lockFixedPriceLine,
  parseAmount,
  type FixedPriceLine,
} from './createMilestone.js';

interface Locked {
  line: FixedPriceLine;
  milestone: MilestoneRow;
  splits: MilestoneSplitRow[];
}

async function lockEditableMilestone(ctx: CommandContext, id: string): Promise<Locked> {
  // Read unlocked to learn the line, then lock in the usual order: contract, milestone, splits.
  const before = await findMilestone(ctx.db, id);
  if (!before) throw notFound('milestone', id);
  const line = await lockFixedPriceLine(ctx, before.contract_line_id);
  const milestone = await findMilestone(ctx.db, id, { forUpdate: true });
  if (!milestone) throw notFound('milestone', id);
  const splits = await splitsOfMilestones(ctx.db, milestone.contract_id, [id], { forUpdate: true });
  // R45
  const refusal = editRefusal(splits.map((s) => s.billing_status));
  if (refusal) throw new DomainError(refusal.code, refusal.message);
  return { line, milestone, splits };
}

export interface UpdateMilestoneInput {
  name?: string;
  date?: string;
  /** Decimal text, checked > 0 by the request schema. */
  amount?: string;
}

/** Changes name, date or amount; a new amount is split again by R3 (each split keeps its id and status). */
export async function updateMilestone(
  ctx: CommandContext,
  id: string,
  input: UpdateMilestoneInput,
): Promise<MilestoneView> {
  const { line, milestone, splits } = await lockEditableMilestone(ctx, id);
  const contractId = milestone.contract_id;
  const amount =
    input.amount === undefined
      ? BigInt(milestone.amount)
      : parseAmount(input.amount, line, 'amount');
  if (input.amount !== undefined) {
    // R44: the other milestones of the line plus the new amount.
    const others = await sumOfLineMilestones(
      ctx.db,
      contractId,
      milestone.contract_line_id,
      milestone.id,
    );
    checkContracted(line, others, [amount], 'amount');
  }
  const date = input.date ?? milestone.date;
  await updateMilestoneRow(ctx.db, contractId, id, {
    name: input.name ?? milestone.name,
    date,
    amount,
  });
  // R41, R6: split again; a customer whose part becomes 0 loses its split, one whose part
  // was 0 gains one (NotReadyToInvoice). R45 has made sure none of them is on an invoice.
  const plan = resplit(
    amount,
    lineSplitCustomers(line.record),
    splits.map((s) => ({ id: s.id, lineCustomerId: s.line_customer_id })),
  );
  await updateSplitAmounts(
    ctx.db,
    contractId,
    plan.change.map((c) => ({ ...c, date })),
  );
  await deleteMilestoneSplits(ctx.db, contractId, plan.remove);
  const added = await insertMilestoneSplits(
    ctx.db,
    plan.add.map((p) => ({
      contract_id: contractId,
      milestone_id: id,
      contract_line_id: milestone.contract_line_id,
      line_customer_id: p.customer.lineCustomerId,
      customer_id: p.customer.customerId,
      date,
      amount: p.amount,
      billing_status: 'NotReadyToInvoice' as const,
    })),
  );
  const event = (entityType: string, entityId: string): AuditEvent => ({
    actor: ctx.actor,
    action: 'updateMilestone',
    entityType,
    entityId,
    contractId,
  });
  await recordAudit(ctx.db, [
    event('Milestone', id),
    ...plan.remove.map((splitId) => ({
      ...event('MilestoneSplit', splitId),
      from: splits.find((s) => s.id === splitId)?.billing_status ?? null,
    })),
    ...added.map((s) => ({ ...event('MilestoneSplit', s.id), to: s.billing_status })),
  ]);
  const view = await findMilestoneView(ctx.db, id);
  if (!view) throw new Error('updated milestone vanished');
  return view;
}

export async function deleteMilestone(ctx: CommandContext, id: string): Promise<void> {
  const { milestone, splits } = await lockEditableMilestone(ctx, id);
  const contractId = milestone.contract_id;
  await deleteMilestoneRows(ctx.db, contractId, id);
  await recordAudit(ctx.db, [
    {
      actor: ctx.actor,
      action: 'deleteMilestone',
      entityType: 'Milestone',
      entityId: id,
      contractId,
    },
    ...splits.map((s) => ({
      actor: ctx.actor,
      action: 'deleteMilestone',
      entityType: 'MilestoneSplit',
      entityId: s.id,
      contractId,
      from: s.billing_status,
    })),
  ]);
}
