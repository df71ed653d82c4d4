import { DomainError, type FieldError } from '../domain/errors.js';
import { amountField, planSplits } from '../domain/contract-setup.js';
import { currencyExponent, formatDecimal, PERCENT_SCALE } from '../domain/money.js';
import { previousDay } from '../domain/calendar.js';
import {
  TRANSACTION_CLASSES,
  type BillingMethod,
  type TransactionClass,
} from '../domain/vocabulary.js';
import { recordAudit } from '../repositories/audit.js';
import {
  findContractRow,
  insertContractLine,
  insertLineCustomers,
  insertScheduleDates,
  loadContract,
} from '../repositories/contracts.js';
import type { CommandContext } from './context.js';
import { findTaxCode } from '../repositories/tax-codes.js';

export interface AddContractLineInput {
  contractId: string;
  name: string;
  billingMethod: BillingMethod;
  transactionClasses?: TransactionClass[];
  contractedAmount?: string;
  notToExceed?: string;
  customers?: {
    customerId: string;
    billingSplitPercent: string;
    isRounding?: boolean;
    notToExceed?: string;
  }[];
  invoiceSchedule?: { runDate: string; cutoffDate?: string }[];
  taxCodeId?: string;
}

function fail(errors: FieldError[]): never {
  throw new DomainError(
    'VALIDATION_FAILED',
    errors.map((e) => `${e.field} ${e.message}`).join('; '),
    errors,
  );
}

export async function addContractLine(
  ctx: CommandContext,
  input: AddContractLineInput,
): Promise<string> {
  const contractRow = await findContractRow(ctx.db, input.contractId);
  if (!contractRow)
    throw new DomainError('NOT_FOUND', `contract ${input.contractId} does not exist`);
  const record = await loadContract(ctx.db, contractRow.id);
  if (!record) throw new DomainError('NOT_FOUND', `contract ${input.contractId} does not exist`);
  const exponent = currencyExponent(contractRow.currency);
  const errors: FieldError[] = [];
  const isTM = input.billingMethod === 'TimeAndMaterial';

  const contracted = amountField(input.contractedAmount, exponent, 'contractedAmount', errors);
  const limit = amountField(input.notToExceed, exponent, 'notToExceed', errors);
  if (!isTM && contracted === null && input.contractedAmount === undefined) {
    errors.push({ field: 'contractedAmount', message: 'is required on a fixed-price line' });
  }
  // R20: the contract-line NTE level exists on T&M lines only.
  if (!isTM && input.notToExceed !== undefined) {
    errors.push({ field: 'notToExceed', message: 'applies to time-and-material lines only' });
  }
  // Spec §5: a line includes all four classes unless told otherwise.
  const classes = input.transactionClasses ?? [...TRANSACTION_CLASSES];
  if (classes.length === 0)
    errors.push({ field: 'transactionClasses', message: 'must include at least one class' });
  if (new Set(classes).size !== classes.length) {
    errors.push({ field: 'transactionClasses', message: 'names a class twice' });
  }

  // Line customers default to the contract's customers and splits.
  const byCustomer = new Map(record.customers.map((c) => [c.customer_id, c]));
  const splitInputs =
    input.customers?.map((c) => ({
      customerId: c.customerId,
      percent: c.billingSplitPercent,
      isRounding: c.isRounding,
      notToExceed: c.notToExceed,
    })) ??
    record.customers.map((c) => ({
      customerId: c.customer_id,
      percent: c.split_percent,
      isRounding: c.is_rounding,
    }));
  input.customers?.forEach((c, i) => {
    if (!byCustomer.has(c.customerId)) {
      errors.push({
        field: `customers.${i}.customerId`,
        message: `customer ${c.customerId} is not on this contract`,
      });
    }
    if (!isTM && c.notToExceed !== undefined) {
      errors.push({
        field: `customers.${i}.notToExceed`,
        message: 'applies to time-and-material lines only',
      });
    }
  });
  const splits = planSplits(splitInputs, exponent, 'customers');

  const schedule = (input.invoiceSchedule ?? []).map((s) => ({
    runDate: s.runDate,
    cutoffDate: s.cutoffDate ?? previousDay(s.runDate),
  }));
  if (!isTM && schedule.length > 0) {
    errors.push({ field: 'invoiceSchedule', message: 'applies to time-and-material lines only' });
  }
  const runDates = new Set<string>();
  schedule.forEach((s, i) => {
    if (runDates.has(s.runDate))
      errors.push({ field: `invoiceSchedule.${i}.runDate`, message: 'is listed twice' });
    runDates.add(s.runDate);
    if (s.cutoffDate > s.runDate) {
      errors.push({
        field: `invoiceSchedule.${i}.cutoffDate`,
        message: 'must be on or before the run date',
      });
    }
  });
  if (input.taxCodeId && !(await findTaxCode(ctx.db, input.taxCodeId))) {
    errors.push({ field: 'taxCodeId', message: `tax code ${input.taxCodeId} does not exist` });
  }
  if (errors.length > 0) fail(errors);

  const lineId = await insertContractLine(ctx.db, {
    contract_id: contractRow.id,
    name: input.name,
    billing_method: input.billingMethod,
    transaction_classes: classes,
    contracted_amount: contracted,
    nte_limit: limit,
    tax_code_id: input.taxCodeId ?? null,
  });
  await insertLineCustomers(
    ctx.db,
    splits.map((s, position) => {
      const cc = byCustomer.get(s.customerId);
      if (!cc) throw new Error('checked above');
      return {
        contract_id: contractRow.id,
        contract_line_id: lineId,
        contract_customer_id: cc.id,
        customer_id: s.customerId,
        split_percent: formatDecimal(s.percent, PERCENT_SCALE),
        is_rounding: s.isRounding,
        nte_limit: s.notToExceed,
        position,
      };
    }),
  );
  await insertScheduleDates(
    ctx.db,
    schedule.map((s) => ({
      contract_id: contractRow.id,
      contract_line_id: lineId,
      run_date: s.runDate,
      cutoff_date: s.cutoffDate,
    })),
  );
  await recordAudit(ctx.db, [
    {
      actor: ctx.actor,
      action: 'addContractLine',
      entityType: 'ContractLine',
      entityId: lineId,
      contractId: contractRow.id,
    },
  ]);
  return lineId;
}
