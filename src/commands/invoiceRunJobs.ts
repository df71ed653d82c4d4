/**
 * R95–R97: invoice runs as background jobs. Queuing writes a job row; a worker starts it
 * (lists its contracts, R66) and then invoices its contracts in small batches, one
 * transaction each, with the run's own per-contract step (`runContract`), committing each
 * contract's outcome with its invoices (R96). Whatever a dead worker left uncommitted is rolled back by the database and
 * worked again by the next worker; what it committed is never worked twice.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { DomainError, invalid } from '../domain/errors.js';
import {
  claimPendingContracts,
  claimQueuedJob,
  failJob,
  finishContract,
  finishJobIfDone,
  findJob,
  insertJob,
  missingContracts,
  runningJobIds,
  startJob,
  type JobRow,
} from '../repositories/invoice-run-jobs.js';
import type { CommandContext } from './context.js';
import { contractsToRun, runContract, runShared } from './runInvoices.js';

export interface QueueJobInput {
  runDate: string;
  contractIds?: readonly string[];
}

/** R95: a named contract that does not exist is refused now rather than failed later. */
export async function queueInvoiceRunJob(
  ctx: CommandContext,
  input: QueueJobInput,
): Promise<JobRow> {
  if (input.contractIds) {
    const missing = await missingContracts(ctx.db, input.contractIds);
    const index = input.contractIds.findIndex((id) => missing.has(id));
    if (index >= 0)
      throw invalid(`contractIds.${index}`, `contract ${input.contractIds[index]} does not exist`);
  }
  const ids = input.contractIds ? [...new Set(input.contractIds)] : undefined;
  return insertJob(ctx.db, { runDate: input.runDate, contractIds: ids, actor: ctx.actor });
}

/** What one step of a worker did; `idle` when there was nothing to do. */
export type WorkStep =
  | { kind: 'started'; jobId: string; contracts: number }
  | { kind: 'failed-job'; jobId: string; error: unknown }
  | { kind: 'contracts'; jobId: string; contractIds: string[]; invoiceIds: string[] }
  | { kind: 'contract-failed'; jobId: string; contractId: string; code: string; error: unknown }
  | { kind: 'finished'; jobId: string }
  /** A failed batch worked again one contract at a time. */
  | { kind: 'one-by-one'; jobId: string; steps: WorkStep[] }
  | { kind: 'idle' };

/** The code a failed contract is reported with: the rule's own, or INTERNAL (spec §5). */
function codeOf(error: unknown): { code: string; message: string } {
  if (error instanceof DomainError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: 'unexpected failure: the worker log has the cause' };
}

/** Starts the oldest queued job: lists its contracts (R66) in the claim's transaction. */
async function startQueuedJob(db: Kysely<DB>, only?: string): Promise<WorkStep | undefined> {
  let claimed: string | undefined;
  try {
    return await inTransaction(db, async (trx) => {
      const job = await claimQueuedJob(trx, only);
      if (!job) return undefined;
      claimed = job.id;
      const contracts = job.contract_ids
        ? [...job.contract_ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))
        : await contractsToRun(trx, job.run_date);
      await startJob(trx, job.id, contracts);
      return { kind: 'started', jobId: job.id, contracts: contracts.length } as const;
    });
  } catch (error) {
    if (!claimed) throw error;
    await inTransaction(db, (trx) => failJob(trx, claimed!, codeOf(error).message));
    return { kind: 'failed-job', jobId: claimed, error };
  }
}

/**
 * Contracts committed per transaction (R96's "small batches"): a commit per contract costs
 * a WAL flush each; ten share one, and a batch still holds only ten contract locks for a few
 * hundred milliseconds at most.
 */
export const JOB_BATCH = 10;

/**
 * Invoices up to `size` pending contracts of a running job in one transaction (R96). When
 * one of them fails, the batch is rolled back whole and its contracts are worked again one
 * per transaction, so the failing one is reported alone and the others commit.
 */
async function workBatch(
  db: Kysely<DB>,
  jobId: string,
  size: number,
): Promise<WorkStep | undefined> {
  const job = await factsOf(db, jobId);
  let claimed: string[] = [];
  try {
    return await inTransaction(db, async (trx) => {
      claimed = await claimPendingContracts(trx, jobId, size);
      if (claimed.length === 0) return undefined;
      const invoiceIds: string[] = [];
      const ctx = { db: trx, actor: job.actor };
      const shared = await runShared(ctx, claimed, job.runDate);
      for (const contractId of claimed) {
        // R97: the contract row lock inside runContract keeps any other worker (or a
        // synchronous run) off this contract until this transaction ends.
        const created = await runContract(ctx, contractId, job.runDate, 'contractId', shared);
        const ids = created.map((i) => i.id);
        await finishContract(trx, jobId, contractId, { invoiceIds: ids });
        invoiceIds.push(...ids);
      }
      await shared.writes.flush(ctx);
      return { kind: 'contracts', jobId, contractIds: claimed, invoiceIds } as const;
    });
  } catch (error) {
    if (claimed.length === 0) throw error;
    if (claimed.length > 1) {
      // Worked again one by one: the same contracts, unless another worker took some meanwhile.
      const steps: WorkStep[] = [];
      for (let i = 0; i < claimed.length; i++) {
        const step = await workBatch(db, jobId, 1);
        if (step) steps.push(step);
      }
      return { kind: 'one-by-one', jobId, steps };
    }
    const contractId = claimed[0]!;
    const failed = codeOf(error);
    // The contract's work rolled back whole; its failure is recorded on its own (R96).
    await inTransaction(db, (trx) => finishContract(trx, jobId, contractId, failed));
    return { kind: 'contract-failed', jobId, contractId, code: failed.code, error };
  }
}

const jobFacts = new Map<string, { actor: string; runDate: string }>();

/** A running job's actor and run date, which never change once it is queued. */
async function factsOf(db: Kysely<DB>, jobId: string): Promise<{ actor: string; runDate: string }> {
  const known = jobFacts.get(jobId);
  if (known) return known;
  const job = await findJob(db, jobId);
  if (!job) throw new Error(`job ${jobId} vanished`);
  const facts = { actor: job.actor, runDate: job.run_date };
  jobFacts.set(jobId, facts);
  return facts;
}

/**
 * One step of work for a worker: start a queued job, else invoice one contract of the
 * oldest running job that has one free, else close a job whose contracts are all done.
 * `only` keeps to one job (the CLI's `invoice-run` working its own job).
 */
export async function workNextStep(
  db: Kysely<DB>,
  only?: string,
  batch = JOB_BATCH,
): Promise<WorkStep> {
  const started = await startQueuedJob(db, only);
  if (started) return started;
  const running = (await runningJobIds(db)).filter((id) => !only || id === only);
  for (const jobId of running) {
    const step = await workBatch(db, jobId, batch);
    if (step) return step;
  }
  for (const jobId of running) {
    if (await inTransaction(db, (trx) => finishJobIfDone(trx, jobId))) {
      jobFacts.delete(jobId);
      return { kind: 'finished', jobId };
    }
  }
  return { kind: 'idle' };
}
