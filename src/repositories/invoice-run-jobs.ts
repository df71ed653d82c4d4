/**
 * Invoice-run jobs (R95–R97): the job rows and the contract rows each job works. Claims use
 * `FOR UPDATE SKIP LOCKED`, so any number of workers share one queue and a row held by a
 * worker's open transaction is passed over, not waited for.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, InvoiceRunJobStatus } from '../db/schema.js';
import { decodeCursor, toPage, type Page } from './pagination.js';

export interface JobRow {
  id: string;
  run_date: string;
  contract_ids: string[] | null;
  actor: string;
  status: InvoiceRunJobStatus;
  failure: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

/** What a job's contract rows add up to, summed by the database (R96's progress). */
export interface JobSummary {
  contractsTotal: number;
  contractsDone: number;
  /** Every invoice the job created, in the order its contracts were worked (contract id). */
  invoiceIds: string[];
  failures: { contract_id: string; error_code: string | null; error_message: string | null }[];
}

/** A job with no contract rows yet (queued, or nothing to invoice). */
export const emptyJobSummary = (): JobSummary => ({
  contractsTotal: 0,
  contractsDone: 0,
  invoiceIds: [],
  failures: [],
});

const jobColumns = [
  'id',
  'run_date',
  sql<string[] | null>`contract_ids::text[]`.as('contract_ids'),
  'actor',
  'status',
  'failure',
  'created_at',
  'started_at',
  'finished_at',
] as const;

export async function insertJob(
  db: Kysely<DB>,
  job: { runDate: string; contractIds?: readonly string[]; actor: string },
): Promise<JobRow> {
  return db
    .insertInto('invoice_run_jobs')
    .values({
      run_date: job.runDate,
      contract_ids: job.contractIds ? [...job.contractIds] : null,
      actor: job.actor,
    })
    .returning(jobColumns)
    .executeTakeFirstOrThrow();
}

export async function findJob(db: Kysely<DB>, id: string): Promise<JobRow | undefined> {
  return db
    .selectFrom('invoice_run_jobs')
    .select(jobColumns)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Newest first (R95), keyset by id. */
export async function listJobs(
  db: Kysely<DB>,
  q: { limit: number; cursor?: string },
): Promise<Page<JobRow>> {
  const after = decodeCursor(q.cursor, ['id']);
  let query = db
    .selectFrom('invoice_run_jobs')
    .select(jobColumns)
    .orderBy('id', 'desc')
    .limit(q.limit + 1);
  if (after?.[0]) query = query.where('id', '<', after[0]);
  return toPage(
    await query.execute(),
    q.limit,
    (r) => r,
    (r) => [r.id],
  );
}

/**
 * The summary of each of these jobs. A job of 10,000 contracts is polled for its progress
 * bar, so the counts and invoice ids are folded by the database into one row a job; only
 * the failed contracts come back as rows.
 */
export async function jobSummaries(
  db: Kysely<DB>,
  jobIds: readonly string[],
): Promise<Map<string, JobSummary>> {
  const out = new Map<string, JobSummary>(jobIds.map((id) => [id, emptyJobSummary()]));
  if (jobIds.length === 0) return out;
  const ids = [...jobIds];
  const sums = await db
    .selectFrom('invoice_run_job_contracts')
    .select([
      'job_id',
      sql<number>`count(*)::int`.as('total'),
      sql<number>`(count(*) FILTER (WHERE status <> 'Pending'))::int`.as('done'),
      sql<string | null>`string_agg(array_to_string(invoice_ids, ','), ',' ORDER BY contract_id)
          FILTER (WHERE cardinality(invoice_ids) > 0)`.as('invoice_ids'),
    ])
    .where('job_id', 'in', ids)
    .groupBy('job_id')
    .execute();
  const failures = await db
    .selectFrom('invoice_run_job_contracts')
    .select(['job_id', 'contract_id', 'error_code', 'error_message'])
    .where('job_id', 'in', ids)
    .where('status', '=', 'Failed')
    .orderBy('job_id')
    .orderBy('contract_id')
    .execute();
  for (const row of sums) {
    const job = out.get(row.job_id);
    if (!job) continue;
    job.contractsTotal = row.total;
    job.contractsDone = row.done;
    job.invoiceIds = row.invoice_ids ? row.invoice_ids.split(',') : [];
  }
  for (const { job_id, ...failure } of failures) out.get(job_id)?.failures.push(failure);
  return out;
}

/** Which of these ids name no contract (a job is refused rather than failing later). */
export async function missingContracts(
  db: Kysely<DB>,
  ids: readonly string[],
): Promise<Set<string>> {
  const missing = new Set(ids);
  if (ids.length === 0) return missing;
  const found = await db
    .selectFrom('contracts')
    .select('id')
    .where('id', 'in', [...new Set(ids)])
    .execute();
  for (const { id } of found) missing.delete(id);
  return missing;
}

/**
 * The oldest queued job nobody is starting (or job `only`), locked for the caller's
 * transaction.
 */
export async function claimQueuedJob(db: Kysely<DB>, only?: string): Promise<JobRow | undefined> {
  let query = db.selectFrom('invoice_run_jobs').select(jobColumns).where('status', '=', 'Queued');
  if (only) query = query.where('id', '=', only);
  return query.orderBy('id').limit(1).forUpdate().skipLocked().executeTakeFirst();
}

/** Queued → Running with the contracts it will work (one transaction with the claim). */
export async function startJob(
  db: Kysely<DB>,
  jobId: string,
  contractIds: readonly string[],
): Promise<void> {
  if (contractIds.length > 0) {
    await db
      .insertInto('invoice_run_job_contracts')
      .columns(['contract_id', 'job_id'])
      .expression(
        db.selectNoFrom([
          sql<string>`unnest(${sql.val([...contractIds])}::bigint[])`.as('contract_id'),
          sql<string>`${jobId}::bigint`.as('job_id'),
        ]),
      )
      .execute();
  }
  await db
    .updateTable('invoice_run_jobs')
    .set({ status: 'Running', started_at: sql<Date>`now()` })
    .where('id', '=', jobId)
    .execute();
}

/** Running jobs, oldest first: each may have contracts waiting for a worker. */
export async function runningJobIds(db: Kysely<DB>): Promise<string[]> {
  const rows = await db
    .selectFrom('invoice_run_jobs')
    .select('id')
    .where('status', '=', 'Running')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Up to `limit` pending contracts of the job that no other worker holds, in id order,
 * locked until the caller's transaction ends: held while they are invoiced, released by
 * PostgreSQL if the worker dies (R96).
 */
export async function claimPendingContracts(
  db: Kysely<DB>,
  jobId: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('invoice_run_job_contracts')
    .select('contract_id')
    .where('job_id', '=', jobId)
    .where('status', '=', 'Pending')
    .orderBy('contract_id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((r) => r.contract_id);
}

export async function finishContract(
  db: Kysely<DB>,
  jobId: string,
  contractId: string,
  outcome: { invoiceIds: readonly string[] } | { code: string; message: string },
): Promise<boolean> {
  const result = await db
    .updateTable('invoice_run_job_contracts')
    .set(
      'invoiceIds' in outcome
        ? {
            status: 'Done',
            invoice_ids: sql<string[]>`${sql.val([...outcome.invoiceIds])}::bigint[]`,
            finished_at: sql<Date>`now()`,
          }
        : {
            status: 'Failed',
            error_code: outcome.code,
            error_message: outcome.message.slice(0, 1000),
            finished_at: sql<Date>`now()`,
          },
    )
    .where('job_id', '=', jobId)
    .where('contract_id', '=', contractId)
    .where('status', '=', 'Pending')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Running → Succeeded (or Failed when every contract failed) once no contract is pending.
 * A contract another worker is invoicing is still Pending in every snapshot but its own,
 * so the job is finished by whoever commits its last contract and looks next.
 */
export async function finishJobIfDone(db: Kysely<DB>, jobId: string): Promise<boolean> {
  const result = await db
    .updateTable('invoice_run_jobs')
    .set({
      status: sql<InvoiceRunJobStatus>`CASE WHEN EXISTS (
        SELECT 1 FROM invoice_run_job_contracts c WHERE c.job_id = invoice_run_jobs.id)
        AND NOT EXISTS (SELECT 1 FROM invoice_run_job_contracts c
          WHERE c.job_id = invoice_run_jobs.id AND c.status = 'Done')
        THEN 'Failed' ELSE 'Succeeded' END`,
      finished_at: sql<Date>`now()`,
    })
    .where('id', '=', jobId)
    .where('status', '=', 'Running')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('invoice_run_job_contracts as c')
            .select(sql`1`.as('one'))
            .whereRef('c.job_id', '=', 'invoice_run_jobs.id')
            .where('c.status', '=', 'Pending'),
        ),
      ),
    )
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** A job that could not be worked at all (its contracts could not be listed). */
export async function failJob(db: Kysely<DB>, jobId: string, failure: string): Promise<void> {
  await db
    .updateTable('invoice_run_jobs')
    .set({
      status: 'Failed',
      failure: failure.slice(0, 1000),
      started_at: sql<Date>`coalesce(started_at, now())`,
      finished_at: sql<Date>`now()`,
    })
    .where('id', '=', jobId)
    .where('status', 'in', ['Queued', 'Running'])
    .execute();
}

/**
 * Forgets the jobs that finished more than `days` days ago, with their contract rows, in one
 * statement (the foreign key is checked at its end, when both are gone). The invoices they
 * created stay, with their audit trail; only the run's own record goes.
 */
export async function deleteJobsFinishedBefore(db: Kysely<DB>, days: number): Promise<number> {
  const result = await sql`
    WITH old AS (
      SELECT id FROM invoice_run_jobs
      WHERE finished_at < now() - make_interval(days => ${days}::int)
    ), contracts AS (
      DELETE FROM invoice_run_job_contracts WHERE job_id IN (SELECT id FROM old)
    )
    DELETE FROM invoice_run_jobs WHERE id IN (SELECT id FROM old)`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
