import type { ContractRecord, LineRecord } from '../../repositories/contracts.js';
import { money, moneyOrNull } from './money.js';

export function presentLine(record: LineRecord, currency: string) {
  const { line } = record;
  return {
    id: line.id,
    contractId: line.contract_id,
    name: line.name,
    billingMethod: line.billing_method,
    transactionClasses: line.transaction_classes,
    contractedAmount: moneyOrNull(line.contracted_amount, currency),
    notToExceed: moneyOrNull(line.nte_limit, currency),
    customers: record.customers.map((lc) => ({
      id: lc.id,
      customerId: lc.customer_id,
      billingSplitPercent: lc.split_percent,
      isRounding: lc.is_rounding,
      notToExceed: moneyOrNull(lc.nte_limit, currency),
    })),
    invoiceSchedule: record.schedule.map((s) => ({ runDate: s.run_date, cutoffDate: s.cutoff_date })),
  };
}

export function presentContract(record: ContractRecord) {
  const { contract } = record;
  const currency = contract.currency;
  return {
    id: contract.id,
    name: contract.name,
    currency,
    notToExceed: moneyOrNull(contract.nte_limit, currency),
    customers: record.customers.map((c) => ({
      id: c.id,
      customerId: c.customer_id,
      billingSplitPercent: c.split_percent,
      isRounding: c.is_rounding,
      notToExceed: moneyOrNull(c.nte_limit, currency),
    })),
    lines: record.lines.map((l) => presentLine(l, currency)),
    createdAt: contract.created_at.toISOString(),
  };
}

export { money };
