/**
 * NTE assessment of new actuals (R20–R23). Called inside the transaction that creates them,
 * after the contract row is locked FOR UPDATE, so every change to this contract's committed
 * and invoiced amounts queues behind it and no two approvals can both take the last headroom.
 */
import type { BillingType, NteLevel, NteStatus } from '../db/schema.js';
import { assessInOrder, NteBook } from '../domain/nte.js';
import type { ContractRecord } from '../repositories/contracts.js';
import { loadNteBooks, nteKeysOf } from '../repositories/nte.js';
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

/**
 * The candidates are evaluated in the order given, each seeing the ones committed before it
 * (R21). A Failed result never blocks the caller (R23): it is recorded on the actual.
 */
export async function assessNte(
  ctx: CommandContext,
  contract: ContractRecord,
  candidates: readonly NteCandidate[],
): Promise<NteResult[]> {
  if (candidates.length === 0) return [];
  const books = await loadNteBooks(ctx.db, [contract]);
  const book = books.get(contract.contract.id) ?? NteBook.of({ limits: [] });
  const { outcomes } = assessInOrder(
    book,
    candidates.map((c) => ({
      keys: nteKeysOf({ contractId: contract.contract.id, ...c }),
      billingType: c.billingType,
      amount: c.amount,
    })),
  );
  return outcomes;
}
