/**
 * Issue 18, invoice runs as background jobs (R95–R97). A job is a row; the contracts it
 * works are rows of their own, each committed with the invoices it created (R96), so a job
 * whose worker dies is finished by another worker from where the database says it stopped.
 * A worker claims a contract row with `FOR UPDATE SKIP LOCKED` inside the transaction that
 * invoices it: the row lock is the lease, and PostgreSQL releases it when the worker's
 * connection dies.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE invoice_run_jobs (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      run_date date NOT NULL,
      -- The contracts asked for (R95 contractIds); null: every contract the run date takes.
      contract_ids bigint[],
      actor text NOT NULL,
      status text NOT NULL DEFAULT 'Queued'
        CHECK (status IN ('Queued', 'Running', 'Succeeded', 'Failed')),
      -- Why a job failed as a whole (it could not list its contracts), for the log and errors.
      failure text,
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz,
      CHECK ((status = 'Queued') = (started_at IS NULL)),
      CHECK ((status IN ('Succeeded', 'Failed')) = (finished_at IS NOT NULL))
    );
    -- Workers look for open jobs; the list reads newest first by id.
    CREATE INDEX invoice_run_jobs_open ON invoice_run_jobs (id)
      WHERE status IN ('Queued', 'Running');

    CREATE TABLE invoice_run_job_contracts (
      contract_id bigint NOT NULL REFERENCES contracts (id),
      job_id bigint NOT NULL REFERENCES invoice_run_jobs (id),
      status text NOT NULL DEFAULT 'Pending' CHECK (status IN ('Pending', 'Done', 'Failed')),
      invoice_ids bigint[] NOT NULL DEFAULT '{}',
      error_code text,
      error_message text,
      finished_at timestamptz,
      PRIMARY KEY (contract_id, job_id),
      CHECK ((status = 'Failed') = (error_code IS NOT NULL)),
      CHECK ((status = 'Pending') = (finished_at IS NULL))
    );
    CREATE INDEX invoice_run_job_contracts_by_job
      ON invoice_run_job_contracts (job_id, status, contract_id);
  `.execute(db);
}
