/**
 * R90: change a contract line (name, limit, contracted amount, schedule, classes, splits)
 * and a line customer's not-to-exceed limit, audited field by field. Runs under the
 * contract row lock, the lock milestone changes (R44) and NTE evaluations (R21) take too.
 *
 * Each PATCH field is one planner in `LINE_FIELDS`; a new line field is one more entry.
 */
import type { Updateable } from 'kysely';
import type { ContractLinesTable } from '../db/schema.js';
import { previousDay } from '../domain/calendar.js';
import { amountField, planSplits } from '../domain/contract-setup.js';
import { DomainError, notFound, type FieldError } from '../domain/errors.js';
import { currencyExponent, formatDecimal, parseDecimal, PERCENT_SCALE } from '../domain/money.js';
import {
  checkContractedAmount,
  checkSameCustomers,
  checkSplitChangeAllowed,
  collectChanges,
  failIfAny,
  fieldChange,
  scheduleText,
  splitText,
  type FieldChange,
} from '../domain/setup-changes.js';
import type { TransactionClass } from '../domain/vocabulary.js';
import {
  lineAllocations,
  replaceScheduleDates,
  setLineCustomerLimit,
  setLineSplits,
  updateLineRow,
} from '../repositories/contract-changes.js';
import { findContractRow, findLine, type LineRecord } from '../repositories/contracts.js';
import { sumOfLineMilestones } from '../repositories/milestones.js';
import { findTaxCode } from '../repositories/tax-codes.js';
import { auditChanges, limitPatch } from './changeContract.js';
import type { CommandContext } from './context.js';

export interface ChangeLineInput {
  name?: string;
  notToExceed?: string | null;
  contractedAmount?: string | null;
  /** R72: null removes the line's tax code. */
  taxCodeId?: string | null;
  invoiceSchedule?: { runDate: string; cutoffDate?: string }[];
  transactionClasses?: TransactionClass[];
  customers?: { customerId: string; billingSplitPercent: string; isRounding?: boolean }[];
}

interface LineEnv {
  record: LineRecord;
  exponent: number;
  isTM: boolean;
  errors: FieldError[];
  ctx: CommandContext;
}

/** A planned field: its column values, its audit change, and any write beyond the row. */
interface PlannedField {
  values?: Updateable<ContractLinesTable>;
  change: FieldChange | null;
  write?: () => Promise<void>;
}

type LineFieldPlanner = (patch: ChangeLineInput, env: LineEnv) => Promise<PlannedField | null>;

const moneyText = (units: bigint | string | null, exponent: number) =>
  units === null ? null : formatDecimal(BigInt(units), exponent);

const LINE_FIELDS: readonly LineFieldPlanner[] = [
  async (patch, { record }) =>
    patch.name === undefined
      ? null
      : { values: { name: patch.name }, change: fieldChange('name', record.line.name, patch.name) },

  async (patch, { record, exponent, isTM, errors }) => {
    const planned = limitPatch(patch.notToExceed, exponent, 'notToExceed', errors);
    if (!planned) return null;
    // R20: the contract-line NTE level exists on T&M lines only.
    if (!isTM && planned.limit !== null) {
      errors.push({ field: 'notToExceed', message: 'applies to time-and-material lines only' });
      return null;
    }
    return {
      values: { nte_limit: planned.limit },
      change: fieldChange(
        'notToExceed',
        moneyText(record.line.nte_limit, exponent),
        moneyText(planned.limit, exponent),
      ),
    };
  },

  async (patch, { record, exponent, isTM, errors, ctx }) => {
    if (patch.contractedAmount === undefined) return null;
    const contracted =
      patch.contractedAmount === null
        ? null
        : amountField(patch.contractedAmount, exponent, 'contractedAmount', errors);
    if (patch.contractedAmount !== null && contracted === null) return null;
    if (!isTM && contracted === null) {
      errors.push({ field: 'contractedAmount', message: 'is required on a fixed-price line' });
      return null;
    }
    // R44
    const milestones = await sumOfLineMilestones(ctx.db, record.line.contract_id, record.line.id);
    const problem = checkContractedAmount(contracted, milestones, (u) =>
      formatDecimal(u, exponent),
    );
    if (problem) {
      errors.push(problem);
      return null;
    }
    return {
      values: { contracted_amount: contracted },
      change: fieldChange(
        'contractedAmount',
        moneyText(record.line.contracted_amount, exponent),
        moneyText(contracted, exponent),
      ),
    };
  },

  // R72, R73: drafts made later take the new code; details already drafted keep theirs.
  async (patch, { record, errors, ctx }) => {
    const id = patch.taxCodeId;
    if (id === undefined) return null;
    if (id !== null && !(await findTaxCode(ctx.db, id))) {
      errors.push({ field: 'taxCodeId', message: `tax code ${id} does not exist` });
      return null;
    }
    return {
      values: { tax_code_id: id },
      change: fieldChange('taxCodeId', record.line.tax_code_id, id),
    };
  },

  async (patch, { record, errors }) => {
    const classes = patch.transactionClasses;
    if (classes === undefined) return null;
    if (classes.length === 0) {
      errors.push({ field: 'transactionClasses', message: 'must include at least one class' });
    }
    if (new Set(classes).size !== classes.length) {
      errors.push({ field: 'transactionClasses', message: 'names a class twice' });
    }
    return {
      values: { transaction_classes: classes },
      change: fieldChange(
        'transactionClasses',
        record.line.transaction_classes.join(','),
        classes.join(','),
      ),
    };
  },

  async (patch, { record, isTM, errors, ctx }) => {
    if (patch.invoiceSchedule === undefined) return null;
    const schedule = patch.invoiceSchedule.map((s) => ({
      runDate: s.runDate,
      cutoffDate: s.cutoffDate ?? previousDay(s.runDate),
    }));
    if (!isTM && schedule.length > 0) {
      errors.push({ field: 'invoiceSchedule', message: 'applies to time-and-material lines only' });
    }
    const runDates = new Set<string>();
    schedule.forEach((s, i) => {
      if (runDates.has(s.runDate)) {
        errors.push({ field: `invoiceSchedule.${i}.runDate`, message: 'is listed twice' });
      }
      runDates.add(s.runDate);
      if (s.cutoffDate > s.runDate) {
        errors.push({
          field: `invoiceSchedule.${i}.cutoffDate`,
          message: 'must be on or before the run date',
        });
      }
    });
    const { contract_id: contractId, id: lineId } = record.line;
    return {
      change: fieldChange(
        'invoiceSchedule',
        scheduleText(
          record.schedule.map((s) => ({ runDate: s.run_date, cutoffDate: s.cutoff_date })),
        ),
        scheduleText(schedule),
      ),
      write: () => replaceScheduleDates(ctx.db, contractId, lineId, schedule),
    };
  },

  async (patch, { record, exponent, errors, ctx }) => {
    if (patch.customers === undefined) return null;
    const current = record.customers.map((c) => c.customer_id);
    const named = checkSameCustomers(
      current,
      patch.customers.map((c) => c.customerId),
      'customers',
    );
    if (named.length > 0) {
      errors.push(...named);
      return null;
    }
    let planned;
    try {
      planned = planSplits(
        patch.customers.map((c) => ({
          customerId: c.customerId,
          percent: c.billingSplitPercent,
          isRounding: c.isRounding,
        })),
        exponent,
        'customers',
      );
    } catch (e) {
      if (e instanceof DomainError && e.errors) {
        errors.push(...e.errors);
        return null;
      }
      throw e;
    }
    const splits = planned.map((s) => ({
      customerId: s.customerId,
      percent: formatDecimal(s.percent, PERCENT_SCALE),
      isRounding: s.isRounding,
    }));
    const before = splitText(
      record.customers.map((c) => ({
        customerId: c.customer_id,
        percent: formatDecimal(
          parseDecimal(c.split_percent, PERCENT_SCALE, 3) ?? 0n,
          PERCENT_SCALE,
        ),
        isRounding: c.is_rounding,
      })),
    );
    // Ordered as the line lists its customers, so an unchanged split compares equal.
    const order = new Map(current.map((id, i) => [id, i]));
    const after = splitText(
      [...splits].sort((a, b) => (order.get(a.customerId) ?? 0) - (order.get(b.customerId) ?? 0)),
    );
    const change = fieldChange('customers', before, after);
    if (change === null) return null;
    const { contract_id: contractId, id: lineId } = record.line;
    // R90: only while nothing was ever allocated by the old split.
    checkSplitChangeAllowed(await lineAllocations(ctx.db, contractId, lineId));
    return { change, write: () => setLineSplits(ctx.db, contractId, lineId, splits) };
  },
];

/** Finds a line and locks its contract: every setup change on a contract queues on this. */
async function lockLine(ctx: CommandContext, lineId: string) {
  const found = await findLine(ctx.db, lineId);
  if (!found) throw notFound('contract line', lineId);
  const contract = await findContractRow(ctx.db, found.line.contract_id, { forUpdate: true });
  if (!contract) throw notFound('contract line', lineId);
  // Re-read under the lock: what was read before it may have changed.
  const record = await findLine(ctx.db, lineId);
  if (!record) throw notFound('contract line', lineId);
  return { contract, record, exponent: currencyExponent(contract.currency) };
}

export async function changeContractLine(
  ctx: CommandContext,
  lineId: string,
  patch: ChangeLineInput,
): Promise<FieldChange[]> {
  const { record, exponent } = await lockLine(ctx, lineId);
  const env: LineEnv = {
    record,
    exponent,
    isTM: record.line.billing_method === 'TimeAndMaterial',
    errors: [],
    ctx,
  };
  const planned: PlannedField[] = [];
  for (const plan of LINE_FIELDS) {
    const p = await plan(patch, env);
    if (p) planned.push(p);
  }
  failIfAny(env.errors);
  await updateLineRow(
    ctx.db,
    record.line.contract_id,
    record.line.id,
    Object.assign({}, ...planned.map((p) => p.values ?? {})) as Updateable<ContractLinesTable>,
  );
  for (const p of planned) if (p.change && p.write) await p.write();
  const changes = collectChanges(planned.map((p) => p.change));
  await auditChanges(
    ctx,
    'changeContractLine',
    'ContractLine',
    record.line.id,
    record.line.contract_id,
    changes,
  );
  return changes;
}

/** R20 level 1: a line customer's limit (null removes it); T&M lines only. */
export async function changeLineCustomer(
  ctx: CommandContext,
  lineId: string,
  customerId: string,
  patch: { notToExceed?: string | null },
): Promise<FieldChange[]> {
  const { record, exponent } = await lockLine(ctx, lineId);
  const customer = record.customers.find((c) => c.customer_id === customerId);
  if (!customer) {
    throw new DomainError('NOT_FOUND', `customer ${customerId} is not on contract line ${lineId}`);
  }
  const errors: FieldError[] = [];
  const planned = limitPatch(patch.notToExceed, exponent, 'notToExceed', errors);
  if (planned && planned.limit !== null && record.line.billing_method !== 'TimeAndMaterial') {
    errors.push({ field: 'notToExceed', message: 'applies to time-and-material lines only' });
  }
  failIfAny(errors);
  if (!planned) return [];
  const { contract_id: contractId } = record.line;
  await setLineCustomerLimit(ctx.db, contractId, record.line.id, customerId, planned.limit);
  const changes = collectChanges([
    fieldChange(
      'notToExceed',
      moneyText(customer.nte_limit, exponent),
      moneyText(planned.limit, exponent),
    ),
  ]);
  await auditChanges(ctx, 'changeLineCustomer', 'LineCustomer', customer.id, contractId, changes);
  return changes;
}
