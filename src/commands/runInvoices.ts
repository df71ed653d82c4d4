/**
 * R66: an invoice run for date D. For each contract (those named, or those with a T&M run
 * date on D or other ready items), in id order: lock the contract row, record the run, and
 * create drafts from each T&M line's ready items dated on or before its cut-off, plus the
 * ready milestone splits and retainers dated on or before D. One invoice per customer per
 * contract. A dry run is the same code in a transaction that is rolled back.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import {
  claimInvoiceRun,
  contractsScheduledOn,
  type InvoiceRow,
} from '../repositories/invoices.js';
import { createDraftInvoices, lockContract } from './createDraftInvoices.js';
import { lockContractRows, loadContracts, type ContractRecord } from '../repositories/contracts.js';
import { DraftWrites } from './backlogItems/drafting.js';
import { allKinds } from './backlogItems/registry.js';
import type { SourceType } from '../domain/vocabulary.js';
import type { CommandContext } from './context.js';
import { loadSeller, type LoadedSeller } from './invoiceTerms.js';

export interface RunInvoicesInput<T> {
  runDate: string;
  dryRun: boolean;
  contractIds?: readonly string[];
  /** Turns the created invoices into the answer, inside the transaction (before a dry run's rollback). */
  present: (trx: Transaction<DB>, created: InvoiceRow[]) => Promise<T>;
}

class DryRunRollback<T> extends Error {
  constructor(readonly answer: T) {
    super('dry run: rolled back');
  }
}

const byId = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

/** R66: the contracts a run for `runDate` takes when none are named, in id order. */
export async function contractsToRun(db: Kysely<DB>, runDate: string): Promise<string[]> {
  const found = new Set(await contractsScheduledOn(db, runDate));
  for (const kind of allKinds()) {
    for (const id of (await kind.contractsWithReadyItems?.(db, runDate)) ?? []) found.add(id);
  }
  return [...found].sort(byId);
}

/**
 * What the contracts of one transaction of a run share: the seller's profile, loaded once,
 * and the drafts' held-back writes, which the caller flushes before it commits.
 */
export interface RunShared {
  seller: LoadedSeller;
  writes: DraftWrites;
  /** The contracts of the transaction, locked in id order and loaded up front. */
  contracts: Map<string, ContractRecord>;
  /** The contracts with ready items of each kind that lists them (R66), when it started. */
  readyContracts: Map<SourceType, Set<string>>;
}

/**
 * Locks the contracts about to be run (in id order, as one by one would) and loads them
 * and the seller, a few statements for all of them. A contract that does not exist is
 * absent: `runContract` refuses it in its turn.
 */
export async function runShared(
  ctx: CommandContext,
  contractIds: readonly string[],
  runDate: string,
): Promise<RunShared> {
  const rows = await lockContractRows(ctx.db, contractIds);
  const records = await loadContracts(ctx.db, rows);
  // Milestone splits and retainers are on few contracts: one look for the whole run
  // instead of one per contract and kind. An item made ready meanwhile waits for the next
  // run, as it would had it been made ready just after its contract was run.
  const readyContracts = new Map<SourceType, Set<string>>();
  for (const kind of allKinds()) {
    const ids = await kind.contractsWithReadyItems?.(ctx.db, runDate);
    if (ids) readyContracts.set(kind.type, new Set(ids));
  }
  return {
    seller: await loadSeller(ctx),
    writes: new DraftWrites(),
    contracts: new Map(records.map((r) => [r.contract.id, r])),
    readyContracts,
  };
}

/**
 * One contract of a run, inside the caller's transaction: lock the contract row (two runs
 * over one contract queue here, R66; `shared` has it locked already), record the run, and
 * draft what is ready. Re-running it creates nothing twice (R66, R67): what it drafted is
 * no longer ready. The background jobs (R96) call it for each contract of a small batch,
 * one transaction per batch.
 */
export async function runContract(
  ctx: CommandContext,
  contractId: string,
  runDate: string,
  field = 'contractId',
  shared?: RunShared,
): Promise<InvoiceRow[]> {
  const contract =
    shared?.contracts.get(contractId) ?? (await lockContract(ctx, contractId, field));
  const runId = await claimInvoiceRun(ctx.db, contractId, runDate);
  const tmLineCutoffs = new Map<string, string>();
  for (const line of contract.lines) {
    if (line.line.billing_method !== 'TimeAndMaterial') continue;
    const date = line.schedule.find((s) => s.run_date === runDate);
    if (date) tmLineCutoffs.set(line.line.id, date.cutoff_date);
  }
  return createDraftInvoices(ctx, {
    contractId,
    invoiceDate: runDate,
    run: { id: runId, tmLineCutoffs },
    locked: contract,
    ...(shared
      ? { seller: shared.seller, writes: shared.writes, readyContracts: shared.readyContracts }
      : {}),
  });
}

export async function runInvoices<T>(
  db: Kysely<DB>,
  actor: string,
  input: RunInvoicesInput<T>,
): Promise<T> {
  try {
    return await inTransaction(db, async (trx) => {
      const ctx = { db: trx, actor };
      const contractIds = input.contractIds
        ? [...new Set(input.contractIds)].sort(byId)
        : await contractsToRun(trx, input.runDate);

      const created: InvoiceRow[] = [];
      const shared = await runShared(ctx, contractIds, input.runDate);
      for (const contractId of contractIds) {
        created.push(
          ...(await runContract(
            ctx,
            contractId,
            input.runDate,
            `contractIds.${input.contractIds?.indexOf(contractId) ?? 0}`,
            shared,
          )),
        );
        await shared.writes.flushWhenLarge(ctx);
      }
      await shared.writes.flush(ctx);
      const answer = await input.present(trx, created);
      if (input.dryRun) throw new DryRunRollback(answer);
      return answer;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.answer as T;
    throw error;
  }
}
