/**
 * R95: an invoice-run job as the API and the CLI show it: its status, the progress its
 * committed contracts make (R96), the invoices they created and the contracts that failed.
 */
import type { Kysely } from 'kysely';
import type { DB, InvoiceRunJobStatus } from '../db/schema.js';
import {
  findJob,
  emptyJobSummary,
  jobSummaries,
  listJobs,
  type JobRow,
  type JobSummary,
} from '../repositories/invoice-run-jobs.js';
import { listSchemas, type ListView, type PageRequest } from './lists.js';
import { lookUpNames, named } from './names.js';

export interface InvoiceRunJobView {
  id: string;
  runDate: string;
  status: InvoiceRunJobStatus;
  progress: { contractsDone: number; contractsTotal: number };
  invoiceIds: string[];
  /** `contractName` beside the id (additive), so a screen names the contract that failed. */
  errors: { contractId: string; contractName?: string; code: string; message: string }[];
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
}

export function presentJob(
  job: JobRow,
  summary: JobSummary = emptyJobSummary(),
): InvoiceRunJobView {
  const errors = summary.failures.map((c) => ({
    contractId: c.contract_id,
    code: c.error_code ?? 'INTERNAL',
    message: c.error_message ?? '',
  }));
  // A job that could not list its contracts has no contract to blame: its failure stands alone.
  if (job.failure) errors.push({ contractId: '', code: 'INTERNAL', message: job.failure });
  return {
    id: job.id,
    runDate: job.run_date,
    status: job.status,
    progress: { contractsDone: summary.contractsDone, contractsTotal: summary.contractsTotal },
    invoiceIds: summary.invoiceIds,
    errors,
    createdAt: job.created_at.toISOString(),
    ...(job.started_at ? { startedAt: job.started_at.toISOString() } : {}),
    ...(job.finished_at ? { finishedAt: job.finished_at.toISOString() } : {}),
  };
}

/** The failed contracts' names, looked up only when a job has failures. */
async function withErrorNames(
  db: Kysely<DB>,
  jobs: readonly InvoiceRunJobView[],
): Promise<InvoiceRunJobView[]> {
  // The job's own failure (no contract) has an empty contractId: nothing to name.
  const failed = jobs.flatMap((j) => j.errors).filter((e) => e.contractId !== '');
  if (failed.length === 0) return [...jobs];
  const names = await lookUpNames(db, failed);
  return jobs.map((j) => ({
    ...j,
    errors: j.errors.map((e) => (e.contractId === '' ? e : named(e, names))),
  }));
}

export async function readJob(db: Kysely<DB>, id: string): Promise<InvoiceRunJobView | undefined> {
  const job = await findJob(db, id);
  if (!job) return undefined;
  const [view] = await withErrorNames(db, [
    presentJob(job, (await jobSummaries(db, [id])).get(id)),
  ]);
  return view;
}

export const { filters: invoiceRunJobFilters, query: invoiceRunJobQuery } = listSchemas({});

export const invoiceRunJobList = {
  filters: invoiceRunJobFilters,
  query: invoiceRunJobQuery,
  async list(db: Kysely<DB>, q: PageRequest) {
    const page = await listJobs(db, q);
    const summaries = await jobSummaries(
      db,
      page.items.map((j) => j.id),
    );
    return {
      items: await withErrorNames(
        db,
        page.items.map((j) => presentJob(j, summaries.get(j.id))),
      ),
      nextCursor: page.nextCursor,
    };
  },
} satisfies ListView<typeof invoiceRunJobFilters, InvoiceRunJobView>;
