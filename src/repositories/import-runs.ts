/**
 * Import runs (issue 19): each run of `import entries` and its committed progress, so the
 * next run of the same file can tell how far a killed one got.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, ImportRunStatus } from '../db/schema.js';

export interface ImportProgress {
  rowsRead: number;
  created: number;
  skipped: number;
  rejected: number;
}

export interface ImportRun extends ImportProgress {
  id: string;
  fileName: string;
  mode: string;
  status: ImportRunStatus;
  startedAt: string;
  updatedAt: string;
}

/** The latest earlier run of the same file (by content hash), if any. */
export async function lastImportRun(
  db: Kysely<DB>,
  fileHash: string,
): Promise<ImportRun | undefined> {
  const row = await db
    .selectFrom('import_runs')
    .selectAll()
    .where('file_hash', '=', fileHash)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    fileName: row.file_name,
    mode: row.mode,
    status: row.status,
    rowsRead: Number(row.rows_read),
    created: Number(row.created),
    skipped: Number(row.skipped),
    rejected: Number(row.rejected),
    startedAt: row.started_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function startImportRun(
  db: Kysely<DB>,
  run: { fileHash: string; fileName: string; mode: string; actor: string },
): Promise<string> {
  const row = await db
    .insertInto('import_runs')
    .values({
      file_hash: run.fileHash,
      file_name: run.fileName,
      mode: run.mode,
      actor: run.actor,
      status: 'Running',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Records the progress so far; called in the transaction that commits a batch. */
export async function recordImportProgress(
  db: Kysely<DB>,
  id: string,
  progress: ImportProgress,
  status: ImportRunStatus = 'Running',
): Promise<void> {
  await db
    .updateTable('import_runs')
    .set({
      status,
      rows_read: String(progress.rowsRead),
      created: String(progress.created),
      skipped: String(progress.skipped),
      rejected: String(progress.rejected),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}
