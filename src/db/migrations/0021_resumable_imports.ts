/**
 * Issue 19, imports that can be re-run: every imported entry carries an external key (a
 * column of the CSV, or one derived from the file's content hash and the row's line), unique
 * per contract, so importing the same rows again creates nothing twice. `import_runs`
 * records each run's committed progress, so a killed import is reported on the next run of
 * the same file.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE entries ADD COLUMN external_key text
      CHECK (external_key IS NULL OR length(external_key) BETWEEN 1 AND 300);
    CREATE UNIQUE INDEX entries_external_key ON entries (contract_id, external_key)
      WHERE external_key IS NOT NULL;

    CREATE TABLE import_runs (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      file_hash text NOT NULL,
      file_name text NOT NULL,
      mode text NOT NULL,
      actor text NOT NULL,
      status text NOT NULL CHECK (status IN ('Running', 'Finished', 'RolledBack', 'Failed')),
      rows_read bigint NOT NULL DEFAULT 0,
      created bigint NOT NULL DEFAULT 0,
      skipped bigint NOT NULL DEFAULT 0,
      rejected bigint NOT NULL DEFAULT 0,
      started_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX import_runs_by_file ON import_runs (file_hash, id);
  `.execute(db);
}
