/**
 * `import entries <file.csv>` as the CLI shows it: a progress bar on stderr, the summary
 * line printed whatever happens (issue 19), and exit codes that tell a file that does not
 * fit (2) from one that is not CSV (1). The import itself is `commands/importEntriesFile`.
 */
import type { Kysely } from 'kysely';
import cliProgress from 'cli-progress';
import {
  ImportFileError,
  importEntriesFile,
  type ImportOptions,
  type ImportProgress,
  type ImportSummary,
} from '../commands/importEntriesFile.js';
import type { DB } from '../db/schema.js';
import type { ImportRun } from '../repositories/import-runs.js';
import { CliError, EXIT } from './exit.js';

/** The one line the CLI prints whatever happens (issue 19). */
export function summaryLine(summary: ImportSummary): string {
  return (
    `summary: ${summary.rows} rows read, ${summary.imported} created, ` +
    `${summary.skipped} skipped as already imported, ${summary.badRows} rejected`
  );
}

/** How far an earlier run of the same file got, when it did not finish. */
export function previousRunLine(run: ImportRun): string {
  return (
    `an earlier import of this file (run ${run.id}, started ${run.startedAt}) did not finish: ` +
    `it had committed ${run.rowsRead} rows read, ${run.created} created, ${run.skipped} skipped, ` +
    `${run.rejected} rejected` +
    (run.mode === 'all-or-nothing' ? ' (all-or-nothing: nothing of it was kept)' : '') +
    `; rows it created are skipped now`
  );
}

function progressBar(): ImportProgress {
  const bar = new cliProgress.SingleBar(
    {
      format: 'importing |{bar}| {percentage}% | {rows} rows, {bad} bad | eta {eta_formatted}',
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (totalBytes) => bar.start(totalBytes, 0, { rows: 0, bad: 0 }),
    update: (bytesRead, counts) => bar.update(bytesRead, counts),
    stop: () => bar.stop(),
  };
}

/** The local import (the database opened by this process); `summary` is the caller's. */
export async function importEntriesLocally(
  db: Kysely<DB>,
  path: string,
  options: Omit<ImportOptions, 'progress'> & { progressBar: boolean },
  summary: ImportSummary,
): Promise<ImportSummary> {
  const { progressBar: drawBar, ...rest } = options;
  try {
    return await importEntriesFile(
      db,
      path,
      { ...rest, ...(drawBar ? { progress: progressBar() } : {}) },
      summary,
    );
  } catch (error) {
    if (error instanceof ImportFileError)
      throw new CliError(error.message, error.fault === 'layout' ? EXIT.usage : EXIT.failed);
    throw error;
  }
}
