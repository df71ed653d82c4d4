/**
 * NTE assessment of new actuals (R20–R23). Called inside the transaction that creates them,
 * after the contract row is locked FOR UPDATE, so every change to this contract's committed
 * and invoiced amounts queues behind it and no two approvals can both take the last headroom.
 */
import type { BillingType, NteLevel, NteStatus } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { currencyExponent, formatDecimal } from '../domain/money.js';
import { assessCandidate, assessInOrder, headroom, NteBook } from '../domain/nte.js';
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

/**
 * R29: may a draft edit add `amount` to committed for `actual`? Refused with NTE_FAILED at
 * the first level it would exceed, naming the level and the headroom left there.
 */
export async function assertNteRoom(
  ctx: CommandContext,
  contract: ContractRecord,
  actual: Omit<NteCandidate, 'billingType' | 'amount'>,
  amount: bigint,
): Promise<void> {
  const books = await loadNteBooks(ctx.db, [contract]);
  const book = books.get(contract.contract.id) ?? NteBook.of({ limits: [] });
  const keys = nteKeysOf({ contractId: contract.contract.id, ...actual });
  const outcome = assessCandidate(book, { keys, billingType: 'Chargeable', amount });
  if (outcome.status !== 'Failed' || !outcome.failedLevel) return;
  const exponent = currencyExponent(contract.contract.currency);
  const room = headroom(book.usage(outcome.failedLevel, keys[outcome.failedLevel])) ?? 0n;
  throw new DomainError(
    'NTE_FAILED',
    `the change adds ${formatDecimal(amount, exponent)} to the not-to-exceed level ` +
      `${outcome.failedLevel}, which has ${formatDecimal(room > 0n ? room : 0n, exponent)} left`,
  );
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
