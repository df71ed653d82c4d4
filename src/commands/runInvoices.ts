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
import { allKinds } from './backlogItems/registry.js';

export interface RunInvoicesInput<T> {
  runDate: string;
  dryRun: boolean;
  contractIds?: readonly string[];
  /** Turns the created invoices into the answer, inside the transaction (before a dry run's rollback). */
  present: (trx: Transaction<DB>, created: InvoiceRow[]) => Promise<T[]>;
}

class DryRunRollback<T> extends Error {
  constructor(readonly answer: T[]) {
    super('dry run: rolled back');
  }
}

const byId = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

export async function runInvoices<T>(
  db: Kysely<DB>,
  actor: string,
  input: RunInvoicesInput<T>,
): Promise<T[]> {
  try {
    return await inTransaction(db, async (trx) => {
      const ctx = { db: trx, actor };
      let contractIds: string[];
      if (input.contractIds) {
        contractIds = [...new Set(input.contractIds)];
      } else {
        const found = new Set(await contractsScheduledOn(trx, input.runDate));
        for (const kind of allKinds()) {
          for (const id of (await kind.contractsWithReadyItems?.(trx, input.runDate)) ?? [])
            found.add(id);
        }
        contractIds = [...found];
      }
      contractIds.sort(byId);

      const created: InvoiceRow[] = [];
      for (const contractId of contractIds) {
        // Lock order: contracts in id order (two runs over the same contracts queue here).
        const contract = await lockContract(
          ctx,
          contractId,
          `contractIds.${input.contractIds?.indexOf(contractId) ?? 0}`,
        );
        const runId = await claimInvoiceRun(trx, contractId, input.runDate);
        const tmLineCutoffs = new Map<string, string>();
        for (const line of contract.lines) {
          if (line.line.billing_method !== 'TimeAndMaterial') continue;
          const date = line.schedule.find((s) => s.run_date === input.runDate);
          if (date) tmLineCutoffs.set(line.line.id, date.cutoff_date);
        }
        created.push(
          ...(await createDraftInvoices(ctx, {
            contractId,
            invoiceDate: input.runDate,
            run: { id: runId, tmLineCutoffs },
            locked: contract,
          })),
        );
      }
      const answer = await input.present(trx, created);
      if (input.dryRun) throw new DryRunRollback(answer);
      return answer;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.answer as T[];
    throw error;
  }
}
