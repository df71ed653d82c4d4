/**
 * Importing a CSV file of entries, for the CLI's `import entries <file.csv>` and for
 * `POST /entries/import` alike: streams a file of any size in batches (bounded memory),
 * checks each row with the same schema as `POST /entries`, and writes every bad row to an
 * optional report with its line number, field and reason.
 *
 * - `all-or-nothing` (default): the whole file is one transaction; one bad row and nothing
 *   is imported.
 * - `skip-bad-rows`: each batch commits on its own; bad rows are left out and reported.
 *
 * Re-runnable (issue 19): every entry carries an external key — the `externalKey` column, or
 * `file:<content hash>:<line>` — unique per contract, so running the same rows again creates
 * nothing twice and counts them as skipped. Each run and its committed progress is recorded
 * (`import_runs`), so the next run of the same file reports how far a killed one got.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { Transform } from 'node:stream';
import { finished } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import type { Kysely } from 'kysely';
import {
  importEntryBatch,
  LineCache,
  type ImportBatchResult,
  type ImportRow,
  type RowError,
} from './importEntries.js';
import type { SubmitEntryInput } from './submitEntry.js';
import type { DB } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import { inTransaction } from '../db/transaction.js';
import {
  lastImportRun,
  recordImportProgress,
  startImportRun,
  type ImportRun,
} from '../repositories/import-runs.js';
import { submitEntryBody } from '../schemas/entries.js';

export type ImportMode = 'all-or-nothing' | 'skip-bad-rows';
export const IMPORT_MODES: readonly ImportMode[] = ['all-or-nothing', 'skip-bad-rows'];

/** Told how far the file has been read; the CLI draws it as a progress bar. */
export interface ImportProgress {
  start(totalBytes: number): void;
  update(bytesRead: number, counts: { rows: number; bad: number }): void;
  stop(): void;
}

export interface ImportOptions {
  mode: ImportMode;
  approve: boolean;
  errorsPath?: string;
  batchSize: number;
  actor: string;
  progress?: ImportProgress;
}

/**
 * A file the import cannot read as entries: its layout (`layout`: no such file, no header,
 * a header that does not fit) or its bytes (`unreadable`: not CSV). Nothing past the
 * batches already committed by skip-bad-rows is kept. The HTTP edge answers it 422 on the
 * field `file`; the CLI tells the two faults apart by exit code.
 */
export class ImportFileError extends DomainError {
  constructor(
    message: string,
    readonly fault: 'layout' | 'unreadable',
  ) {
    super('VALIDATION_FAILED', message, [{ field: 'file', message }]);
    this.name = 'ImportFileError';
  }
}

export interface ImportSummary {
  mode: ImportMode;
  /** Data rows read (the header is not counted). */
  rows: number;
  /** Entries stored by this run (0 when an all-or-nothing import was rolled back). */
  imported: number;
  /** Rows whose external key was imported before (by an earlier run): nothing created. */
  skipped: number;
  approved: number;
  /** Rows refused (bad value, unknown line, class not on the line, amount too large). */
  badRows: number;
  committed: boolean;
  /** The earlier run of the same file that did not finish, as it last recorded itself. */
  previousRun?: ImportRun;
  /** Highest resident memory of this process during the run, in MiB. */
  peakRssMiB: number;
}

/** The CSV columns are the fields of `POST /entries`, and an optional `externalKey`. */
export const ENTRY_COLUMNS = Object.keys(submitEntryBody.shape) as (keyof SubmitEntryInput)[];
export const EXTERNAL_KEY_COLUMN = 'externalKey';
const IMPORT_COLUMNS: string[] = [...ENTRY_COLUMNS, EXTERNAL_KEY_COLUMN];
const REQUIRED_COLUMNS = ENTRY_COLUMNS.filter(
  (c) => !submitEntryBody.shape[c].safeParse(undefined).success,
);
const MAX_EXTERNAL_KEY = 200;

function checkHeader(header: string[]): void {
  const unknown = header.filter((h) => !IMPORT_COLUMNS.includes(h));
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  const repeated = header.filter((h, i) => header.indexOf(h) !== i);
  const problems = [
    ...(unknown.length ? [`unknown column(s): ${unknown.join(', ')}`] : []),
    ...(missing.length ? [`missing column(s): ${missing.join(', ')}`] : []),
    ...(repeated.length ? [`repeated column(s): ${repeated.join(', ')}`] : []),
  ];
  if (problems.length) {
    throw new ImportFileError(
      `the header line does not fit: ${problems.join('; ')}.\nColumns: ${IMPORT_COLUMNS.join(', ')} ` +
        `(required: ${REQUIRED_COLUMNS.join(', ')})`,
      'layout',
    );
  }
}

/** One CSV record → an entry input, or the reasons it is not one. */
function toRow(
  header: string[],
  values: string[],
  line: number,
  fileHash: string,
): { row?: ImportRow; errors: RowError[] } {
  if (values.length !== header.length) {
    return {
      errors: [
        { line, field: '', reason: `has ${values.length} fields; the header has ${header.length}` },
      ],
    };
  }
  const fields: Record<string, string> = {};
  header.forEach((h, i) => {
    const v = values[i]?.trim() ?? '';
    if (v !== '') fields[h] = v;
  });
  const { [EXTERNAL_KEY_COLUMN]: given, ...entry } = fields;
  const parsed = submitEntryBody.safeParse(entry);
  const errors: RowError[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ line, field: i.path.join('.'), reason: i.message }));
  if (given !== undefined && given.length > MAX_EXTERNAL_KEY) {
    errors.push({
      line,
      field: EXTERNAL_KEY_COLUMN,
      reason: `must be at most ${MAX_EXTERNAL_KEY} characters`,
    });
  }
  if (!parsed.success || errors.length > 0) return { errors };
  // The same file gives the same keys: its content hash and the row's line.
  const externalKey = given ?? `file:${fileHash.slice(0, 32)}:${line}`;
  return { row: { line, input: parsed.data, externalKey }, errors: [] };
}

interface Batch {
  rows: ImportRow[];
  errors: RowError[];
  count: number;
}

async function* readBatches(
  source: AsyncIterable<{ record: string[]; info: { lines: number } }>,
  size: number,
  fileHash: string,
) {
  let header: string[] | undefined;
  let batch: Batch = { rows: [], errors: [], count: 0 };
  for await (const { record, info } of source) {
    if (!header) {
      header = record.map((h) => h.trim());
      checkHeader(header);
      continue;
    }
    const { row, errors } = toRow(header, record, info.lines, fileHash);
    if (row) batch.rows.push(row);
    batch.errors.push(...errors);
    batch.count++;
    if (batch.count >= size) {
      yield batch;
      batch = { rows: [], errors: [], count: 0 };
    }
  }
  if (!header)
    throw new ImportFileError('the file is empty: the first line must name the columns', 'layout');
  if (batch.count > 0) yield batch;
}

/** The per-row error report: `line,field,reason`, in line order. */
function openReport(path: string | undefined) {
  if (!path) return { write: async () => {}, close: async () => {} };
  const file = createWriteStream(path);
  const csv = stringify({ header: true, columns: ['line', 'field', 'reason'] });
  csv.pipe(file);
  return {
    async write(errors: RowError[]) {
      for (const e of errors) {
        if (!csv.write([e.line, e.field, e.reason])) await once(csv, 'drain');
      }
    },
    async close() {
      csv.end();
      await finished(file);
    },
  };
}

const ROLLBACK = Symbol('rollback');

/** SHA-256 of the file's bytes, streamed (a file of any size). */
async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function emptySummary(mode: ImportMode): ImportSummary {
  return {
    mode,
    rows: 0,
    imported: 0,
    skipped: 0,
    approved: 0,
    badRows: 0,
    committed: false,
    peakRssMiB: 0,
  };
}

/**
 * Imports the file. `summary` (the caller's, so it can print it whatever happens) counts
 * only what is committed.
 */
export async function importEntriesFile(
  db: Kysely<DB>,
  path: string,
  options: ImportOptions,
  summary: ImportSummary = emptySummary(options.mode),
): Promise<ImportSummary> {
  let total: number;
  try {
    total = statSync(path).size;
  } catch {
    throw new ImportFileError(`cannot read ${path}: no such file`, 'layout');
  }
  const fileHash = await hashFile(path);
  const previous = await lastImportRun(db, fileHash);
  if (previous && previous.status === 'Running') summary.previousRun = previous;
  const runId = await startImportRun(db, {
    fileHash,
    fileName: path,
    mode: options.mode,
    actor: options.actor,
  });
  const progressOf = () => ({
    rowsRead: summary.rows,
    created: summary.imported,
    skipped: summary.skipped,
    rejected: summary.badRows,
  });
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const parser = createReadStream(path)
    .pipe(counter)
    .pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: true, info: true }));

  options.progress?.start(total);

  const report = openReport(options.errorsPath);
  const lines = new LineCache();
  // What the open transaction holds; added to `summary` once it commits.
  const pending = { rows: 0, imported: 0, skipped: 0, approved: 0, badRows: 0 };
  const settle = () => {
    summary.rows += pending.rows;
    summary.imported += pending.imported;
    summary.skipped += pending.skipped;
    summary.approved += pending.approved;
    summary.badRows += pending.badRows;
    Object.assign(pending, { rows: 0, imported: 0, skipped: 0, approved: 0, badRows: 0 });
  };

  const settleNothing = () =>
    Object.assign(pending, { rows: 0, imported: 0, skipped: 0, approved: 0, badRows: 0 });

  const consume = async (
    run: (rows: ImportRow[], afterBatch: (trx: Kysely<DB>) => Promise<void>) => Promise<void>,
  ) => {
    for await (const batch of readBatches(parser, options.batchSize, fileHash)) {
      let result: ImportBatchResult = { imported: 0, skipped: 0, approved: 0, errors: [] };
      // The batch's progress is recorded in the transaction that commits it (skip-bad-rows).
      await run(batch.rows, async (trx) => {
        // A retried transaction (deadlock) starts its batch over.
        if (options.mode === 'skip-bad-rows') settleNothing();
        if (batch.rows.length)
          result = await importEntryBatch(
            { db: trx, actor: options.actor },
            batch.rows,
            batchOptions,
          );
        const errors = [...batch.errors, ...result.errors];
        pending.rows += batch.count;
        pending.imported += result.imported;
        pending.skipped += result.skipped;
        pending.approved += result.approved;
        pending.badRows += new Set(errors.map((e) => e.line)).size;
        if (options.mode === 'skip-bad-rows') {
          await recordImportProgress(trx, runId, {
            rowsRead: summary.rows + pending.rows,
            created: summary.imported + pending.imported,
            skipped: summary.skipped + pending.skipped,
            rejected: summary.badRows + pending.badRows,
          });
        }
      });
      if (options.mode === 'skip-bad-rows') settle();
      const errors = [...batch.errors, ...result.errors].sort((a, b) => a.line - b.line);
      await report.write(errors);
      options.progress?.update(bytes, {
        rows: summary.rows + pending.rows,
        bad: summary.badRows + pending.badRows,
      });
    }
  };
  const batchOptions = { approve: options.approve, lines };

  try {
    if (options.mode === 'all-or-nothing') {
      try {
        await db.transaction().execute(async (trx) => {
          await consume((_rows, afterBatch) => afterBatch(trx));
          if (pending.badRows > 0) throw ROLLBACK;
          const done = {
            rowsRead: pending.rows,
            created: pending.imported,
            skipped: pending.skipped,
            rejected: pending.badRows,
          };
          await recordImportProgress(trx, runId, done, 'Finished');
        });
        settle();
        summary.committed = true;
      } catch (error) {
        if (error !== ROLLBACK) throw error;
        // Nothing was kept: the rows were read and the bad ones rejected, none created.
        summary.rows = pending.rows;
        summary.badRows = pending.badRows;
        await recordImportProgress(db, runId, progressOf(), 'RolledBack');
      }
    } else {
      await consume((_rows, afterBatch) => inTransaction(db, (trx) => afterBatch(trx)));
      await recordImportProgress(db, runId, progressOf(), 'Finished');
      summary.committed = true;
    }
  } catch (error) {
    await recordImportProgress(db, runId, progressOf(), 'Failed').catch(() => {});
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('CSV_')) {
      const kept =
        options.mode === 'skip-bad-rows'
          ? `; ${summary.imported} entries of earlier batches stay imported (a re-run skips them)`
          : '; nothing was imported';
      throw new ImportFileError(
        `${path} is not readable CSV: ${(error as Error).message}${kept}`,
        'unreadable',
      );
    }
    throw error;
  } finally {
    options.progress?.stop();
    await report.close();
  }
  summary.peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  return summary;
}
