/**
 * The invoice document (R78) from the command line: one invoice to a file, or every confirmed
 * invoice of a date range to a folder (`INV-000042.pdf`), with a progress bar. Each PDF is
 * written to a temporary name and renamed, so a folder never holds half a document.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { DATE_RANGE_MESSAGE, isDateInRange } from '../domain/calendar.js';
import { notFound } from '../domain/errors.js';
import { writeInvoicePdf } from '../documents/invoice-pdf.js';
import {
  confirmedInvoicesBetween,
  countConfirmedInvoicesBetween,
} from '../repositories/invoice-documents.js';
import { loadInvoiceDocument } from '../views/invoice-document.js';
import { withDatabase, withDatabaseOptions, type DatabaseOptions } from './database.js';
import { CliError, EXIT } from './exit.js';

const PAGE = 200;

/** Writes invoice `id`'s document to `output`; answers the document's title and number. */
export async function writeDocumentFile(
  db: Kysely<DB>,
  id: string,
  output: string,
): Promise<{ kind: string; number: string | null }> {
  const document = await loadInvoiceDocument(db, id);
  if (!document) throw notFound('invoice', id);
  const partial = `${output}.partial`;
  try {
    await writeInvoicePdf(document, createWriteStream(partial));
    await rename(partial, output);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return { kind: document.kind, number: document.number };
}

/** A file name from an invoice number: the number itself, anything odd replaced. */
export const documentFileName = (number: string): string =>
  `${number.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`;

export interface ExportSummary {
  written: number;
  failed: { id: string; number: string; reason: string }[];
}

export async function exportDocuments(
  db: Kysely<DB>,
  range: { dateFrom: string; dateTo: string },
  dir: string,
  options: { progress: boolean },
): Promise<ExportSummary> {
  await mkdir(dir, { recursive: true });
  const total = await countConfirmedInvoicesBetween(db, range);
  const bar = options.progress
    ? new cliProgress.SingleBar(
        {
          format: 'documents |{bar}| {value}/{total} | {number}',
          stream: process.stderr,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(total, 0, { number: '' });
  const summary: ExportSummary = { written: 0, failed: [] };
  let after: string | null = null;
  try {
    for (;;) {
      const page = await confirmedInvoicesBetween(db, range, after, PAGE);
      for (const invoice of page) {
        try {
          await writeDocumentFile(db, invoice.id, path.join(dir, documentFileName(invoice.number)));
          summary.written += 1;
        } catch (error) {
          summary.failed.push({
            id: invoice.id,
            number: invoice.number,
            reason: (error as Error)?.message ?? String(error),
          });
        }
        bar?.increment(1, { number: invoice.number });
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.id;
    }
  } finally {
    bar?.stop();
  }
  return summary;
}

const calendarDate = (text: string): string => {
  if (!isDateInRange(text)) throw new InvalidArgumentError(DATE_RANGE_MESSAGE);
  return text;
};

/** `invoices document <id> -o file.pdf` and `export documents --date-from --date-to -o DIR`. */
export function addDocumentCommands(program: Command, exportCommand: Command): void {
  const invoices =
    program.commands.find((c) => c.name() === 'invoices') ??
    program.command('invoices').description('invoice documents');
  withDatabaseOptions(
    invoices
      .command('document')
      .description('write an invoice as a PDF (R78); a draft is written as a pro forma')
      .argument('<id>', 'invoice id')
      .requiredOption('-o, --output <file>', 'the PDF file to write'),
  ).action(async (id: string, options: DatabaseOptions & { output: string }) => {
    // Reads only, so it also runs against a read replica (--url of the replica).
    const written = await withDatabase(
      options,
      ({ db }) => writeDocumentFile(db, id, options.output),
      'embedded',
    );
    console.error(`wrote ${written.number ?? `draft ${id} (pro forma)`} to ${options.output}`);
  });

  withDatabaseOptions(
    exportCommand
      .command('documents')
      .description(
        'write one PDF per confirmed invoice dated in a range, named by its number (R78)',
      )
      .requiredOption('--date-from <date>', 'first invoice date (YYYY-MM-DD)', calendarDate)
      .requiredOption('--date-to <date>', 'last invoice date (YYYY-MM-DD)', calendarDate)
      .requiredOption('-o, --output <dir>', 'the folder to write the PDFs to')
      .option('--no-progress', 'no progress bar'),
  ).action(
    async (
      options: DatabaseOptions & {
        dateFrom: string;
        dateTo: string;
        output: string;
        progress: boolean;
      },
    ) => {
      if (options.dateFrom > options.dateTo)
        throw new CliError('--date-from must not be after --date-to', EXIT.usage);
      const summary = await withDatabase(
        options,
        ({ db }) =>
          exportDocuments(db, options, options.output, {
            progress: options.progress && Boolean(process.stderr.isTTY),
          }),
        'embedded',
      );
      console.error(`wrote ${summary.written} documents to ${options.output}`);
      for (const f of summary.failed)
        console.error(`not written: ${f.number} (${f.id}): ${f.reason}`);
      if (summary.failed.length > 0) process.exitCode = EXIT.failed;
    },
  );
}
