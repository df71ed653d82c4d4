/**
 * R97: a worker works invoice-run jobs one step at a time (src/commands/invoiceRunJobs.ts)
 * until it is stopped. The server runs one in its own process; `billing-backlog worker`
 * runs more on PostgreSQL. Stopping (the server's drain) stops claiming at once and lets
 * the contract in hand finish.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { deleteJobsFinishedBefore } from '../repositories/invoice-run-jobs.js';
import { workNextStep, type WorkStep } from './invoiceRunJobs.js';

export interface WorkerLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface InvoiceRunWorker {
  /** Look for work now (a job was just queued) instead of at the next poll. */
  wake(): void;
  /** Stop claiming; resolves once the step in hand has committed or rolled back. */
  stop(): Promise<void>;
}

export interface WorkerOptions {
  /** Loops in this process (each works one contract at a time). */
  concurrency?: number;
  /** How long an idle loop waits before looking again (another process may queue). */
  pollMs?: number;
  log?: WorkerLog;
  /** Checked before every claim: true stops the worker (the server's drain). */
  stopping?: () => boolean;
  onStep?: (step: WorkStep) => void;
  /**
   * Finished jobs older than this many days are forgotten when the worker starts and
   * whenever a job finishes (their invoices stay). 0 or unset keeps every job.
   */
  retentionDays?: number;
}

const quiet: WorkerLog = { info() {}, error() {} };

export function startInvoiceRunWorker(
  db: Kysely<DB>,
  options: WorkerOptions = {},
): InvoiceRunWorker {
  const log = options.log ?? quiet;
  const pollMs = options.pollMs ?? 1000;
  let stopped = false;
  const sleepers = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of [...sleepers]) wake();
  };
  const shouldStop = () => stopped || (options.stopping?.() ?? false);

  const idle = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, pollMs);
      sleepers.add(done);
    });

  const retentionDays = options.retentionDays ?? 0;
  const forgetOldJobs = async () => {
    if (retentionDays <= 0) return;
    try {
      const forgotten = await deleteJobsFinishedBefore(db, retentionDays);
      if (forgotten > 0)
        log.info({ forgotten, retentionDays }, 'invoice-run jobs past their retention forgotten');
    } catch (error) {
      // Only housekeeping: the next finished job tries again.
      log.error({ err: error }, 'invoice-run worker: forgetting old jobs failed');
    }
  };

  const loop = async () => {
    while (!shouldStop()) {
      let step: WorkStep;
      try {
        step = await workNextStep(db);
      } catch (error) {
        // The database was unreachable or closed: wait and look again, as when idle.
        log.error({ err: error }, 'invoice-run worker: a step failed; retrying after the poll');
        await idle();
        continue;
      }
      if (step.kind === 'finished' || step.kind === 'failed-job') await forgetOldJobs();
      options.onStep?.(step);
      if (step.kind === 'idle') await idle();
      else report(step);
    }
  };

  const report = (step: WorkStep): void => {
    if (step.kind === 'one-by-one') step.steps.forEach(report);
    else if (step.kind === 'contract-failed')
      log.error(
        { jobId: step.jobId, contractId: step.contractId, code: step.code, err: step.error },
        'invoice-run job: a contract failed (reported in the job errors)',
      );
    else if (step.kind === 'failed-job')
      log.error({ jobId: step.jobId, err: step.error }, 'invoice-run job failed');
    else if (step.kind === 'started' || step.kind === 'finished')
      log.info(step, `invoice-run job ${step.kind}`);
  };

  const loops = [
    forgetOldJobs(),
    ...Array.from({ length: Math.max(1, options.concurrency ?? 1) }, () => loop()),
  ];
  return {
    wake: wakeAll,
    async stop() {
      stopped = true;
      wakeAll();
      await Promise.all(loops);
    },
  };
}
