/**
 * `import entries <file.csv>`: streams a CSV file of any size in batches (bounded memory),
 * checks each row with the same schema as `POST /entries`, and writes every bad row to an
 * optional report with its line number, field and reason.
 *
 * - `all-or-nothing` (default): the whole file is one transaction; one bad row and nothing
 *   is imported.
 * - `skip-bad-rows`: each batch commits on its own; bad rows are left out and reported.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { Transform } from 'node:stream';
import { finished } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import type { Kysely } from 'kysely';
import {
  importEntryBatch,
  LineCache,
  type ImportBatchResult,
  type ImportRow,
  type RowError,
} from '../commands/importEntries.js';
import type { SubmitEntryInput } from '../commands/submitEntry.js';
import type { DB } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { submitEntryBody } from '../schemas/entries.js';
import { CliError, EXIT } from './exit.js';

export type ImportMode = 'all-or-nothing' | 'skip-bad-rows';
export const IMPORT_MODES: readonly ImportMode[] = ['all-or-nothing', 'skip-bad-rows'];

export interface ImportOptions {
  mode: ImportMode;
  approve: boolean;
  errorsPath?: string;
  batchSize: number;
  actor: string;
  progress: boolean;
}

export interface ImportSummary {
  mode: ImportMode;
  /** Data rows read (the header is not counted). */
  rows: number;
  /** Entries stored by this run (0 when an all-or-nothing import was rolled back). */
  imported: number;
  approved: number;
  badRows: number;
  committed: boolean;
  /** Highest resident memory of this process during the run, in MiB. */
  peakRssMiB: number;
}

/** The CSV columns are the fields of `POST /entries`. */
export const ENTRY_COLUMNS = Object.keys(submitEntryBody.shape) as (keyof SubmitEntryInput)[];
const REQUIRED_COLUMNS = ENTRY_COLUMNS.filter(
  (c) => !submitEntryBody.shape[c].safeParse(undefined).success,
);

function checkHeader(header: string[]): void {
  const unknown = header.filter((h) => !(ENTRY_COLUMNS as string[]).includes(h));
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  const repeated = header.filter((h, i) => header.indexOf(h) !== i);
  const problems = [
    ...(unknown.length ? [`unknown column(s): ${unknown.join(', ')}`] : []),
    ...(missing.length ? [`missing column(s): ${missing.join(', ')}`] : []),
    ...(repeated.length ? [`repeated column(s): ${repeated.join(', ')}`] : []),
  ];
  if (problems.length) {
    throw new CliError(
      `the header line does not fit: ${problems.join('; ')}.\nColumns: ${ENTRY_COLUMNS.join(', ')} ` +
        `(required: ${REQUIRED_COLUMNS.join(', ')})`,
      EXIT.usage,
    );
  }
}

/** One CSV record → an entry input, or the reasons it is not one. */
function toRow(
  header: string[],
  values: string[],
  line: number,
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
  const parsed = submitEntryBody.safeParse(fields);
  if (!parsed.success) {
    return {
      errors: parsed.error.issues.map((i) => ({
        line,
        field: i.path.join('.'),
        reason: i.message,
      })),
    };
  }
  return { row: { line, input: parsed.data }, errors: [] };
}

interface Batch {
  rows: ImportRow[];
  errors: RowError[];
  count: number;
}

async function* readBatches(
  source: AsyncIterable<{ record: string[]; info: { lines: number } }>,
  size: number,
) {
  let header: string[] | undefined;
  let batch: Batch = { rows: [], errors: [], count: 0 };
  for await (const { record, info } of source) {
    if (!header) {
      header = record.map((h) => h.trim());
      checkHeader(header);
      continue;
    }
    const { row, errors } = toRow(header, record, info.lines);
    if (row) batch.rows.push(row);
    batch.errors.push(...errors);
    batch.count++;
    if (batch.count >= size) {
      yield batch;
      batch = { rows: [], errors: [], count: 0 };
    }
  }
  if (!header)
    throw new CliError('the file is empty: the first line must name the columns', EXIT.usage);
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

export async function importEntriesFile(
  db: Kysely<DB>,
  path: string,
  options: ImportOptions,
): Promise<ImportSummary> {
  let total: number;
  try {
    total = statSync(path).size;
  } catch {
    throw new CliError(`cannot read ${path}: no such file`, EXIT.usage);
  }
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

  const bar = options.progress
    ? new cliProgress.SingleBar(
        {
          format: 'importing |{bar}| {percentage}% | {rows} rows, {bad} bad | eta {eta_formatted}',
          stream: process.stderr,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(total, 0, { rows: 0, bad: 0 });

  const report = openReport(options.errorsPath);
  const lines = new LineCache();
  const summary: ImportSummary = {
    mode: options.mode,
    rows: 0,
    imported: 0,
    approved: 0,
    badRows: 0,
    committed: false,
    peakRssMiB: 0,
  };

  const consume = async (run: (rows: ImportRow[]) => Promise<ImportBatchResult>) => {
    for await (const batch of readBatches(parser, options.batchSize)) {
      const result = batch.rows.length
        ? await run(batch.rows)
        : { imported: 0, approved: 0, errors: [] };
      const errors = [...batch.errors, ...result.errors].sort((a, b) => a.line - b.line);
      await report.write(errors);
      summary.rows += batch.count;
      summary.imported += result.imported;
      summary.approved += result.approved;
      summary.badRows += new Set(errors.map((e) => e.line)).size;
      bar?.update(bytes, { rows: summary.rows, bad: summary.badRows });
    }
  };
  const batchOptions = { approve: options.approve, lines };

  try {
    if (options.mode === 'all-or-nothing') {
      try {
        await db.transaction().execute(async (trx) => {
          await consume((rows) =>
            importEntryBatch({ db: trx, actor: options.actor }, rows, batchOptions),
          );
          if (summary.badRows > 0) throw ROLLBACK;
        });
        summary.committed = true;
      } catch (error) {
        if (error !== ROLLBACK) throw error;
        summary.imported = 0;
        summary.approved = 0;
      }
    } else {
      await consume((rows) =>
        inTransaction(db, (trx) =>
          importEntryBatch({ db: trx, actor: options.actor }, rows, batchOptions),
        ),
      );
      summary.committed = true;
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('CSV_')) {
      const kept =
        options.mode === 'skip-bad-rows'
          ? `; ${summary.imported} entries of earlier batches stay imported`
          : '; nothing was imported';
      throw new CliError(
        `${path} is not readable CSV: ${(error as Error).message}${kept}`,
        EXIT.failed,
      );
    }
    throw error;
  } finally {
    bar?.stop();
    await report.close();
  }
  summary.peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  return summary;
}
