/**
 * Create a milestone on a fixed-price line (R40, R41, R44), and the steps that periodic
 * generation shares with it: lock the line's contract, split each amount, write the audit.
 */
import type { SplitBillingStatus } from '../db/schema.js';
import { amountField } from '../domain/contract-setup.js';
import { DomainError, notFound, type FieldError } from '../domain/errors.js';
import { overContracted, planSplits } from '../domain/milestones.js';
import { currencyExponent, formatDecimal, parseDecimal, PERCENT_SCALE } from '../domain/money.js';
import { recordAudit, type AuditEvent } from '../repositories/audit.js';
import {
  findContractRow,
  findLine,
  type ContractRow,
  type LineRecord,
} from '../repositories/contracts.js';
import {
  insertMilestones,
  insertMilestoneSplits,
  sumOfLineMilestones,
  type MilestoneView,
} from '../repositories/milestones.js';
import type { CommandContext } from './context.js';

export interface FixedPriceLine {
  contract: ContractRow;
  record: LineRecord;
  exponent: number;
  contracted: bigint;
}

/**
 * Loads a line and locks its contract row (FOR UPDATE) so that concurrent milestone
 * changes on the line queue up and the R44 sum cannot be raced past. R40: refuses T&M lines.
 */
export async function lockFixedPriceLine(
  ctx: CommandContext,
  lineId: string,
): Promise<FixedPriceLine> {
  const record = await findLine(ctx.db, lineId);
  if (!record) throw notFound('contract line', lineId);
  const contract = await findContractRow(ctx.db, record.line.contract_id, { forUpdate: true });
  if (!contract) throw notFound('contract line', lineId);
  // R40
  if (record.line.billing_method !== 'FixedPrice') {
    throw new DomainError(
      'MILESTONE_ON_TM_LINE',
      `contract line ${lineId} is billed time and material; milestones exist only on fixed-price lines`,
    );
  }
  return {
    contract,
    record,
    exponent: currencyExponent(contract.currency),
    contracted: BigInt(record.line.contracted_amount ?? '0'),
  };
}

/** R41: the customers of a line, in line order, with exact percentages. */
export function lineSplitCustomers(record: LineRecord) {
  return record.customers.map((lc) => {
    const percent = parseDecimal(lc.split_percent, PERCENT_SCALE, 3);
    if (percent === null) throw new Error(`stored split ${lc.split_percent} does not fit scale 2`);
    return {
      lineCustomerId: lc.id,
      customerId: lc.customer_id,
      percent,
      isRounding: lc.is_rounding,
    };
  });
}

/** R44: refuses amounts that would take the line's milestones over its contracted amount. */
export function checkContracted(
  line: FixedPriceLine,
  others: bigint,
  added: bigint[],
  field: string,
): void {
  const over = overContracted(line.contracted, others, added);
  if (!over) return;
  const fmt = (v: bigint) => formatDecimal(v, line.exponent);
  const message =
    `would take the line's milestones to ${fmt(added.reduce((s, a) => s + a, others))}, over its contracted ` +
    `amount ${fmt(line.contracted)} (${fmt(over.room < 0n ? 0n : over.room)} left)`;
  throw new DomainError('VALIDATION_FAILED', `${field} ${message}`, [{ field, message }]);
}

export function parseAmount(text: string, line: FixedPriceLine, field: string): bigint {
  const errors: FieldError[] = [];
  const units = amountField(text, line.exponent, field, errors);
  if (units === null)
    throw new DomainError(
      'VALIDATION_FAILED',
      `${field} ${errors[0]?.message ?? 'is invalid'}`,
      errors,
    );
  if (units <= 0n)
    throw new DomainError('VALIDATION_FAILED', `${field} must be greater than 0`, [
      { field, message: 'must be greater than 0' },
    ]);
  return units;
}

const INITIAL: SplitBillingStatus = 'NotReadyToInvoice';

/** Inserts milestones with their splits (R41, each split starting NotReadyToInvoice) and audits them (R35). */
export async function addMilestones(
  ctx: CommandContext,
  line: FixedPriceLine,
  planned: readonly { name: string; date: string; amount: bigint }[],
  action: string,
): Promise<MilestoneView[]> {
  const contractId = line.contract.id;
  const lineId = line.record.line.id;
  const customers = lineSplitCustomers(line.record);
  const milestones = await insertMilestones(
    ctx.db,
    planned.map((p) => ({
      contract_id: contractId,
      contract_line_id: lineId,
      name: p.name,
      date: p.date,
      amount: p.amount,
    })),
  );
  const splits = await insertMilestoneSplits(
    ctx.db,
    // R41, R6: a customer whose part is 0 gets no split.
    milestones.flatMap((m) =>
      planSplits(BigInt(m.amount), customers).map((p) => ({
        contract_id: contractId,
        milestone_id: m.id,
        contract_line_id: lineId,
        line_customer_id: p.customer.lineCustomerId,
        customer_id: p.customer.customerId,
        date: m.date,
        amount: p.amount,
        billing_status: INITIAL,
      })),
    ),
  );
  const events: AuditEvent[] = [];
  for (const m of milestones) {
    events.push({ actor: ctx.actor, action, entityType: 'Milestone', entityId: m.id, contractId });
  }
  for (const s of splits) {
    events.push({
      actor: ctx.actor,
      action,
      entityType: 'MilestoneSplit',
      entityId: s.id,
      contractId,
      to: INITIAL,
    });
  }
  await recordAudit(ctx.db, events);
  return milestones.map((milestone) => ({
    milestone,
    splits: splits.filter((s) => s.milestone_id === milestone.id),
    currency: line.contract.currency,
  }));
}

export interface CreateMilestoneInput {
  contractLineId: string;
  name: string;
  date: string;
  /** Decimal text, checked > 0 by the request schema. */
  amount: string;
}

export async function createMilestone(
  ctx: CommandContext,
  input: CreateMilestoneInput,
): Promise<MilestoneView> {
  const line = await lockFixedPriceLine(ctx, input.contractLineId);
  const amount = parseAmount(input.amount, line, 'amount');
  // R44, read under the contract lock.
  const others = await sumOfLineMilestones(ctx.db, line.contract.id, line.record.line.id);
  checkContracted(line, others, [amount], 'amount');
  const [view] = await addMilestones(
    ctx,
    line,
    [{ name: input.name, date: input.date, amount }],
    'createMilestone',
  );
  if (!view) throw new Error('milestone insert returned nothing');
  return view;
}
