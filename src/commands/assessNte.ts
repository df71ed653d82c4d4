/**
 * NTE assessment of new chargeable actuals (R20–R23). Called inside the transaction that
 * creates them, after the contract row is locked.
 *
 * Foundation version: decides NotApplicable (R22); where a limit exists the actual is left
 * NotEvaluated until the full evaluation of the T&M backlog issue lands.
 */
import type { BillingType, NteLevel, NteStatus } from '../db/schema.js';
import type { ContractRecord } from '../repositories/contracts.js';
import type { CommandContext } from './context.js';

export interface NteCandidate {
  contractLineId: string;
  lineCustomerId: string;
  customerId: string;
  billingType: BillingType;
  amount: bigint;
}

export interface NteResult {
  status: NteStatus;
  failedLevel: NteLevel | null;
}

export async function assessNte(
  _ctx: CommandContext,
  contract: ContractRecord,
  candidates: readonly NteCandidate[],
): Promise<NteResult[]> {
  return candidates.map((c) => {
    const line = contract.lines.find((l) => l.line.id === c.contractLineId);
    const lineCustomer = line?.customers.find((lc) => lc.id === c.lineCustomerId);
    const contractCustomer = contract.customers.find((cc) => cc.customer_id === c.customerId);
    const anyLimit = [
      lineCustomer?.nte_limit,
      line?.line.nte_limit,
      contractCustomer?.nte_limit,
      contract.contract.nte_limit,
    ].some((l) => l !== null && l !== undefined);
    if (c.billingType !== 'Chargeable' || !anyLimit) return { status: 'NotApplicable', failedLevel: null };
    return { status: 'NotEvaluated', failedLevel: null };
  });
}
